"""`manage.py seed_holidays [--year YYYY ...] [--force]`.

Writes the statutory public holidays (Labour Code, lunar Tết and Giỗ Tổ computed) of the given
years — default: this year and next — unless a year already has holidays (the administrator's
edits win; --force adds the missing statutory days to such a year too).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangvu.core import workdays


class Command(BaseCommand):
    help = "Tạo lịch ngày nghỉ lễ theo Bộ luật Lao động cho năm nay và năm sau (hoặc các năm chỉ định)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="Năm (có thể lặp lại).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Bổ sung các ngày lễ còn thiếu cả khi năm đó đã có lịch.",
        )

    def handle(self, *args, **opts):
        today = timezone.localdate()
        years = opts["year"] or [today.year, today.year + 1]
        for year in years:
            if not 1900 <= year <= 2100:
                raise CommandError(f"Năm không hợp lệ: {year} (1900–2100).")
        for year in years:
            made = workdays.seed_year(year, force=opts["force"])
            if made:
                self.stdout.write(f"Năm {year}: đã tạo {made} ngày nghỉ.")
            else:
                self.stdout.write(f"Năm {year}: đã có lịch, giữ nguyên.")
