"""`manage.py seed_demo [--if-empty] [--seed N] [--scale full|small] [--members N]`.

Fills an empty database with the demo tree and members (see dangvu.core.demo). Deterministic:
the same seed gives the same data. `make run` calls it with --if-empty on every start.
"""

import time
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dangvu.core.demo import accounts, generator, loader, meetings
from dangvu.members.choices import MemberStatus
from dangvu.organizations.models import Organization

# Apps whose demo data follows the meetings, in this order (committees before admission).
DEMO_APPS = ("committees", "discipline", "admission", "badges")


class Command(BaseCommand):
    help = "Tạo dữ liệu trình diễn: cây tổ chức đảng của một đảng bộ cấp trên và khoảng 5.000 đảng viên."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Không làm gì nếu cơ sở dữ liệu đã có tổ chức đảng.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=generator.DEFAULT_SEED,
            help="Hạt giống ngẫu nhiên (mặc định %(default)s); cùng hạt giống cho cùng dữ liệu.",
        )
        parser.add_argument(
            "--scale",
            choices=sorted(generator.SCALES),
            default="full",
            help="full: ~70 tổ chức cơ sở, ~5.000 đảng viên; small: cây nhỏ cho kiểm thử.",
        )
        parser.add_argument(
            "--members",
            type=int,
            default=None,
            help="Số đảng viên (mặc định 5000 với full, 400 với small; tối thiểu 4 mỗi chi bộ).",
        )

    def handle(self, *args, **opts):
        existing = Organization.objects.count()
        if existing:
            if opts["if_empty"]:
                self.stdout.write(
                    f"Cơ sở dữ liệu đã có dữ liệu ({existing} tổ chức đảng): "
                    "giữ nguyên, không tạo dữ liệu trình diễn."
                )
                return
            raise CommandError(
                f"Cơ sở dữ liệu đã có {existing} tổ chức đảng. Dữ liệu trình diễn chỉ tạo trên "
                "cơ sở dữ liệu trống (dùng --if-empty để bỏ qua)."
            )
        started = time.perf_counter()
        try:
            plan = generator.build_plan(
                seed=opts["seed"], members=opts["members"], scale=opts["scale"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        built = time.perf_counter()
        counts = loader.load(plan)
        done = time.perf_counter()
        by_status = ", ".join(
            f"{str(MemberStatus(k).label).lower()}: {v}" for k, v in counts["by_status"].items()
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo dữ liệu trình diễn (hạt giống {plan.seed}, ngày tham chiếu "
                f"{plan.today:%d/%m/%Y}) trong {done - started:.1f} giây "
                f"(sinh {built - started:.1f} giây, ghi {done - built:.1f} giây):"
            )
        )
        self.stdout.write(
            f"  {counts['organizations']} tổ chức đảng ({counts['dissolved']} đã kết thúc): "
            f"{counts['grassroots_committees']} đảng bộ cơ sở, "
            f"{counts['grassroots_cells']} chi bộ cơ sở, {counts['cells']} chi bộ trực thuộc"
        )
        self.stdout.write(
            f"  {counts['members']} đảng viên ({by_status}); "
            f"{counts['member_events']} sự kiện, {counts['memberships']} quá trình sinh hoạt"
        )
        if settings.DEMO_MODE:
            try:
                made = accounts.ensure_demo_accounts()
            except accounts.DemoAccountsError as exc:
                self.stderr.write(f"  Không tạo được tài khoản trình diễn: {exc}")
            else:
                self.stdout.write(
                    f"  {len(made)} tài khoản trình diễn (mật khẩu = tên tài khoản); "
                    "xem bằng `manage.py demo_accounts`."
                )
        # Meetings, supervision and reminders need the members and the demo accounts.
        started = time.perf_counter()
        written = meetings.load(plan)
        self.stdout.write(
            meetings.describe(written) + f" ({time.perf_counter() - started:.1f} giây)"
        )
        # Later modules: dangvu/<app>/demo.py `load(plan) -> str` (a line for this report).
        for app in DEMO_APPS:
            started = time.perf_counter()
            line = import_module(f"dangvu.{app}.demo").load(plan)
            if line:
                self.stdout.write(f"{line} ({time.perf_counter() - started:.1f} giây)")
