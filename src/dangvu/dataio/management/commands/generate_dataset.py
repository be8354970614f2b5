"""manage.py generate_dataset --scale bloc|province|national [--seed N] [--members N]

Fills an EMPTY database (no member, no organisation) with a deterministic synthetic dataset:
the organisation tree, members with plausible Vietnamese names and dates, their lifecycle events,
memberships and audit history (see dangvu.dataio.synth). PostgreSQL loads with COPY; SQLite with
executemany. Everything is written in one transaction.
"""

from django.core.management.base import BaseCommand, CommandError

from dangvu.dataio.synth import SCALES, DatasetError, generate


class Command(BaseCommand):
    help = (
        "Sinh bộ dữ liệu tổng hợp (cây tổ chức, đảng viên, sự kiện, lịch sử) vào cơ sở dữ liệu "
        "trống: bloc ~5.000, province ~200.000, national ~5,6 triệu đảng viên."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="bloc", help="Quy mô.")
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Hạt giống ngẫu nhiên (mặc định %(default)s); cùng hạt giống cho cùng dữ liệu.",
        )
        parser.add_argument(
            "--members",
            type=int,
            default=None,
            help="Số đảng viên (mặc định theo quy mô); cây tổ chức thu nhỏ theo khi ít hơn.",
        )
        parser.add_argument(
            "--chunk-size", type=int, default=10_000, help="Số đảng viên mỗi lần ghi."
        )

    def handle(self, *args, scale, seed, members, chunk_size, verbosity, **options):
        if members is not None and members < 1:
            raise CommandError("--members phải là số dương.")
        try:
            generate(
                scale=scale,
                seed=seed,
                members=members,
                using=options.get("database") or "default",
                log=self.stdout.write if verbosity else (lambda *_: None),
                verbose=verbosity >= 2,
                chunk_size=chunk_size,
            )
        except (DatasetError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
