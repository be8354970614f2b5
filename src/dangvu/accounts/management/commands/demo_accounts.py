"""`manage.py demo_accounts`: create (or reset) and print the demo accounts. Demo mode only."""

from django.core.management.base import BaseCommand, CommandError

from dangvu.core.demo.accounts import DemoAccountsError, ensure_demo_accounts, format_table


class Command(BaseCommand):
    help = "Tạo lại và in các tài khoản trình diễn (mật khẩu = tên tài khoản). Chỉ ở chế độ trình diễn."

    def handle(self, *args, **opts):
        try:
            made = ensure_demo_accounts()
        except DemoAccountsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Tài khoản trình diễn (mật khẩu = tên tài khoản):")
        self.stdout.write(format_table(made))
