"""Working days: every deadline of the regulations that counts "ngày làm việc" goes through here.

A day is a working day unless it is a weekly day off (rule `calendar.weekly_days_off`: Saturday and
Sunday) or a `Holiday` row marks it off; a `Holiday` row with `is_day_off=False` makes a weekend day
a working day (make-up day for a bridge holiday).

Years with `Holiday` rows use exactly those rows (the administrator's calendar). A year nobody has
seeded yet uses the statutory defaults of the Labour Code (`statutory_holidays`), so a deadline
that crosses into an unseeded year is still counted sensibly; `seed_year` writes those defaults
for the administrator to adjust (run on migrate for the current and next year, and by
`manage.py seed_holidays`).
"""

import contextlib
import contextvars
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .lunar import lunar_new_year, lunar_to_solar

LABOUR_CODE = "Bộ luật Lao động 2019, Điều 112"
IN_LIEU = "Bộ luật Lao động 2019, Điều 111 khoản 3 (nghỉ bù khi ngày lễ trùng ngày nghỉ hằng tuần)"


@dataclass(frozen=True)
class Day:
    date: dt.date
    name: str
    is_day_off: bool = True
    basis: str = LABOUR_CODE


def _weekly_days_off(on: dt.date) -> frozenset[int]:
    from .rulebook import RuleMissing, rule

    try:
        return frozenset(int(x) for x in rule("calendar.weekly_days_off", on).value)
    except RuleMissing:
        return frozenset({6, 7})


def statutory_holidays(year: int) -> list[Day]:
    """The public holidays of `year` by the Labour Code, with days off in lieu when a holiday
    falls on a weekly day off. Tết: the day before mùng 1 and mùng 1–4 (the usual arrangement;
    the government announces the exact days each year). Quốc khánh: 1/9 and 2/9."""
    tet = lunar_new_year(year)
    days = [Day(dt.date(year, 1, 1), "Tết Dương lịch")]
    days.append(Day(tet - dt.timedelta(days=1), "Tết Nguyên đán (chiều 30 Tết)"))
    for i in range(4):
        days.append(Day(tet + dt.timedelta(days=i), f"Tết Nguyên đán (mùng {i + 1})"))
    days.append(Day(lunar_to_solar(10, 3, year), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"))
    days.append(Day(dt.date(year, 4, 30), "Ngày Chiến thắng (30/4)"))
    days.append(Day(dt.date(year, 5, 1), "Ngày Quốc tế Lao động (1/5)"))
    days.append(Day(dt.date(year, 9, 1), "Quốc khánh (1/9)"))
    days.append(Day(dt.date(year, 9, 2), "Quốc khánh (2/9)"))
    off_weekly = _weekly_days_off(dt.date(year, 1, 1))
    taken = {d.date for d in days}
    in_lieu = []
    for d in sorted(days, key=lambda d: d.date):
        if d.date.isoweekday() in off_weekly:
            nxt = d.date + dt.timedelta(days=1)
            while nxt.isoweekday() in off_weekly or nxt in taken:
                nxt += dt.timedelta(days=1)
            taken.add(nxt)
            in_lieu.append(Day(nxt, f"Nghỉ bù {d.name}", True, IN_LIEU))
    return sorted(days + in_lieu, key=lambda d: d.date)


def seed_year(year: int, *, force: bool = False) -> int:
    """Write the statutory holidays of `year` unless the year already has rows (the
    administrator's edits win). Returns the number of rows written."""
    from .models import Holiday

    if not force and Holiday.objects.filter(date__year=year).exists():
        return 0
    made = 0
    with transaction.atomic():
        for d in statutory_holidays(year):
            _obj, created = Holiday.objects.get_or_create(
                date=d.date,
                defaults={"name": d.name, "is_day_off": d.is_day_off, "basis": d.basis},
            )
            made += created
    return made


# --- counting ------------------------------------------------------------------------------------

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("workdays_memo", default=None)


@contextlib.contextmanager
def cached_calendar():
    """Read each year's holidays once within the block (a reminder run over many deadlines)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date], frozenset[int]]:
    """(days off, weekend days worked, weekly days off) of `year`."""
    memo = _memo.get()
    if memo is not None and year in memo:
        return memo[year]
    from .models import Holiday

    rows = list(Holiday.objects.filter(date__year=year).values_list("date", "is_day_off"))
    if not rows:
        rows = [(d.date, d.is_day_off) for d in statutory_holidays(year)]
    value = (
        frozenset(d for d, off in rows if off),
        frozenset(d for d, off in rows if not off),
        _weekly_days_off(dt.date(year, 1, 1)),
    )
    if memo is not None:
        memo[year] = value
    return value


class _Calendar:
    """Per-call view over the years touched, so a 60-day count reads each year once."""

    def __init__(self):
        self.years: dict[int, tuple] = {}

    def is_working_day(self, d: dt.date) -> bool:
        if d.year not in self.years:
            self.years[d.year] = _year(d.year)
        off, worked, weekly = self.years[d.year]
        if d in off:
            return False
        if d in worked:
            return True
        return d.isoweekday() not in weekly


def is_working_day(d: dt.date) -> bool:
    return _Calendar().is_working_day(d)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date `n` working days after `start` (`start` itself not counted); n < 0 counts back.

    "Within 60 working days of the resolution" means on or before add_working_days(resolution, 60).
    """
    cal = _Calendar()
    step = 1 if n >= 0 else -1
    d, left = start, abs(n)
    while left:
        d += dt.timedelta(days=step)
        if cal.is_working_day(d):
            left -= 1
    return d


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days after `a` up to and including `b` (negative when `b` is before `a`)."""
    if b < a:
        return -working_days_between(b, a)
    cal = _Calendar()
    count, d = 0, a
    while d < b:
        d += dt.timedelta(days=1)
        count += cal.is_working_day(d)
    return count


def seed_current_years(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return seed_year(today.year) + seed_year(today.year + 1)


# --- the administrator's edits -------------------------------------------------------------------


def _validate(data: dict, instance=None) -> dict:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .models import Holiday

    errors = {}
    day = data.get("date")
    name = (data.get("name") or "").strip()
    if day is None:
        errors["date"] = _("Chưa nhập ngày.")
    elif not 1900 <= day.year <= 2100:
        errors["date"] = _("Ngày phải trong khoảng năm 1900–2100.")
    else:
        taken = Holiday.objects.filter(date=day)
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors["date"] = _("Ngày %(d)s đã có trong lịch.") % {"d": f"{day:%d/%m/%Y}"}
        elif not data.get("is_day_off", True) and day.isoweekday() not in _weekly_days_off(day):
            errors["is_day_off"] = _(
                "Ngày %(d)s vốn là ngày làm việc: chỉ ngày nghỉ hằng tuần mới có thể là ngày làm bù."
            ) % {"d": f"{day:%d/%m/%Y}"}
    if not name:
        errors["name"] = _("Chưa nhập tên ngày nghỉ.")
    if errors:
        raise ValidationError(errors)
    return {
        "date": day,
        "name": name,
        "is_day_off": bool(data.get("is_day_off", True)),
        "basis": (data.get("basis") or "").strip(),
    }


def holiday_create(*, actor, **data):
    from .audit import audit_context
    from .models import Holiday

    clean = _validate(data)
    with transaction.atomic(), audit_context(actor=actor):
        return Holiday.objects.create(**clean)


def holiday_update(*, actor, holiday, data: dict):
    from .audit import audit_context

    merged = {
        "date": holiday.date,
        "name": holiday.name,
        "is_day_off": holiday.is_day_off,
        "basis": holiday.basis,
    } | dict(data)
    clean = _validate(merged, instance=holiday)
    with transaction.atomic(), audit_context(actor=actor):
        for k, v in clean.items():
            setattr(holiday, k, v)
        holiday.save()
    return holiday


def holiday_delete(*, actor, holiday) -> None:
    """The row goes; its history (who removed which day, when) stays in the audit trail."""
    from .audit import audit_context

    with transaction.atomic(), audit_context(actor=actor):
        holiday.delete()
