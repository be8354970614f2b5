from django.core.management.base import BaseCommand

from dangvu.members.stats import refresh_all


class Command(BaseCommand):
    help = "Đếm lại số liệu đảng viên của mọi tổ chức (sau khi nạp dữ liệu thô hoặc để kiểm tra)."

    def handle(self, *args, **options):
        n = refresh_all()
        self.stdout.write(f"Đã cập nhật số liệu của {n} tổ chức.")
