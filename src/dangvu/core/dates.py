"""Date arithmetic used by the rules: whole months, age in months, dd/mm/yyyy parsing."""

import calendar
import datetime as dt


def add_months(d: dt.date, months: int) -> dt.date:
    """Same day `months` later; the last day of the month when that day does not exist."""
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def add_years(d: dt.date, years: int) -> dt.date:
    return add_months(d, 12 * years)


def full_months_between(start: dt.date, end: dt.date) -> int:
    """Completed months from start to end (age in months: 18 years = 216 months on the birthday)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return months


def full_years_between(start: dt.date, end: dt.date) -> int:
    return full_months_between(start, end) // 12


def parse_vn_date(text: str) -> dt.date:
    """Parse 'dd/mm/yyyy' (also 'd/m/yyyy', 'dd-mm-yyyy', ISO 'yyyy-mm-dd')."""
    text = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def fmt(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""
