"""`manage.py send_meeting_reminders [--date dd/mm/yyyy] [--no-email]`.

Creates the due reminders about meetings and supervision (see `dangvu.meetings.reminders`) and
e-mails them when mail is configured. Idempotent: run it every day (cron, systemd timer); a
reminder already sent to a user is not repeated.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangvu.core.dates import parse_vn_date
from dangvu.meetings import reminders


class Command(BaseCommand):
    help = "Tạo nhắc việc về sinh hoạt chi bộ và dự sinh hoạt; gửi thư điện tử khi đã cấu hình."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày xét (dd/mm/yyyy); mặc định hôm nay.", default=None)
        parser.add_argument(
            "--no-email", action="store_true", help="Chỉ tạo nhắc việc trong hệ thống."
        )

    def handle(self, *args, **opts):
        on = None
        if opts["date"]:
            try:
                on = parse_vn_date(opts["date"])
            except ValueError as exc:
                raise CommandError(f"Ngày không hợp lệ: {opts['date']} (dd/mm/yyyy).") from exc
        outcome = reminders.send_reminders(on, email=False if opts["no_email"] else None)
        day = on or timezone.localdate()
        self.stdout.write(
            f"Ngày {day:%d/%m/%Y}: {len(outcome.created)} nhắc việc mới, "
            f"{outcome.existing} đã nhắc trước đó, {outcome.emailed} thư điện tử đã gửi."
        )
