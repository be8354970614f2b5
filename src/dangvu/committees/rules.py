"""Rule keys this app needs beyond core/rules_seed.py, seeded the same way (missing keys only).

The lead moves them into core/rules_seed.py; until then `seed_extra_rules` (post_migrate of this
app) inserts them, never overwriting what the administrator changed.
"""

from datetime import date

RULES_EXTRA = [
    (
        "committee.seat_official_only",
        1,
        "",
        "Chỉ đảng viên chính thức được bầu vào cấp ủy (1: đúng; 0: không áp dụng); đảng viên dự "
        "bị không có quyền biểu quyết, ứng cử, bầu cử cơ quan lãnh đạo của Đảng",
        "Điều lệ Đảng, Điều 3",
        date(2011, 1, 19),
        False,
        "Nguồn thứ cấp (luatsu247.net).",
    ),
]


def seed_extra_rules(using: str = "default") -> int:
    from django.db import transaction

    from dangvu.core.models import Rule

    created = 0
    with transaction.atomic(using=using):
        for key, value, unit, title, source, start, verified, note in RULES_EXTRA:
            _obj, was_created = Rule.objects.using(using).get_or_create(
                key=key,
                effective_from=start,
                defaults=dict(
                    value=str(value),
                    unit=unit,
                    title=title,
                    source=source,
                    verified=verified,
                    note=note,
                ),
            )
            created += was_created
    return created
