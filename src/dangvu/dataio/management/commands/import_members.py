"""manage.py import_members FILE --org CODE [--dry-run] [--user USERNAME]

Prints every invalid row ("Dòng 7, cột Số CCCD: …") and exits non-zero writing nothing if any row
is invalid; otherwise commits everything in one transaction and exits 0. With --user, the user's
scope applies (organisations they may add members to, members they may change) and the history
records them; without it, the command acts for the system over the whole tree.
"""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dangvu.dataio.reader import ImportFileError
from dangvu.dataio.services import commit_import, preview_import
from dangvu.organizations.models import Organization


class Command(BaseCommand):
    help = "Nhập danh sách đảng viên từ tệp .xlsx/.csv (kiểm tra hết rồi mới ghi, ghi tất cả hoặc không ghi gì)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx hoặc .csv")
        parser.add_argument(
            "--org",
            dest="org",
            default=None,
            help="Mã tổ chức mặc định cho các dòng để trống cột “Chi bộ”",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra và báo số liệu, không ghi gì"
        )
        parser.add_argument(
            "--user", dest="username", default=None, help="Nhập với quyền của tài khoản này"
        )

    def handle(self, *args, file, org, dry_run, username, **options):
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản đang hoạt động tên “{username}”.")
        default_org = None
        if org:
            default_org = Organization.objects.filter(code=org).first()
            if default_org is None:
                raise CommandError(f"Không có tổ chức mã “{org}”.")
        started = time.monotonic()
        try:
            with open(file, "rb") as fh:
                if dry_run:
                    result = preview_import(fh, actor=actor, default_organization=default_org)
                else:
                    result = commit_import(
                        fh, actor=actor, default_organization=default_org, source_label="command"
                    )
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp “{file}”.") from exc
        except IsADirectoryError as exc:
            raise CommandError(f"“{file}” là thư mục, không phải tệp.") from exc
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started

        for error in result.errors:
            self.stderr.write(
                f"Dòng {error['row']}, cột {error['column'] or '—'}: {error['message']}"
            )
        if result.error_count > len(result.errors):
            self.stderr.write(
                f"… và {result.error_count - len(result.errors)} lỗi nữa (chỉ in {len(result.errors)} lỗi đầu)."
            )
        self.stdout.write(result.summary())
        if result.error_count:
            raise CommandError(
                f"Có {result.error_count} lỗi ở {result.error_rows} dòng: không ghi gì vào hệ thống."
            )
        if result.total_rows == 0:
            raise CommandError("Tệp không có dòng dữ liệu nào: không ghi gì.")
        if dry_run:
            self.stdout.write(
                f"Chạy thử (--dry-run): tệp hợp lệ, không ghi gì. ({elapsed:.1f} giây)"
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã ghi vào hệ thống: {result.new_count} đảng viên mới, "
                f"{result.changed_count} hồ sơ cập nhật, {result.unchanged_count} không thay đổi "
                f"({elapsed:.1f} giây)."
            )
        )
