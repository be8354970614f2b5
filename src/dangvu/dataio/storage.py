"""Where uploaded import files live: a private directory, never under MEDIA_ROOT.

Member lists are sensitive, and MEDIA_ROOT is served without a login check in DEBUG. Files go to
`settings.DANGVU_PRIVATE_ROOT` (default `VAR_DIR/private`), read at call time so tests can point
it at a temporary directory. Deployments with several machines set it to a shared volume.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


def private_root() -> Path:
    root = getattr(settings, "DANGVU_PRIVATE_ROOT", None)
    return Path(root) if root else Path(settings.VAR_DIR) / "private"


@deconstructible
class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at private_root(), with no public URL."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return str(private_root())

    @property
    def location(self):
        return str(private_root().resolve())

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("private files have no URL")


private_storage = PrivateStorage()
