#!/usr/bin/env python
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    # Offline commands (no request served, no secret used) may run without DJANGO_SECRET_KEY.
    offline = {
        "makemigrations",
        "makemessages",
        "compilemessages",
        "showmigrations",
        "sqlmigrate",
        "help",
    }
    if len(sys.argv) > 1 and (
        sys.argv[1] in offline or (sys.argv[1] == "check" and "--deploy" not in sys.argv)
    ):
        os.environ.setdefault("DANGVU_OFFLINE_COMMAND", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
