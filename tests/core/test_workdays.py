"""Working-day calendar: lunar holidays, days off in lieu, make-up days, the administrator's edits.

Deadlines of the regulations count working days (e.g. admission decision within 60 working days of
the cell resolution, QĐ 232 §4.3.1); these tests pin the calendar they count on.
"""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangvu.core import lunar, workdays
from dangvu.core.models import Holiday

D = dt.date


@pytest.mark.parametrize(
    ("year", "tet", "gio_to"),
    [
        (2020, D(2020, 1, 25), D(2020, 4, 2)),
        (2023, D(2023, 1, 22), D(2023, 4, 29)),  # leap 2nd month before Giỗ Tổ
        (2024, D(2024, 2, 10), D(2024, 4, 18)),
        (2025, D(2025, 1, 29), D(2025, 4, 7)),
        (2026, D(2026, 2, 17), D(2026, 4, 26)),
        (2027, D(2027, 2, 6), D(2027, 4, 16)),
    ],
)
def test_lunar_holidays_fall_on_the_published_dates(year, tet, gio_to):
    assert lunar.lunar_new_year(year) == tet
    assert lunar.lunar_to_solar(10, 3, year) == gio_to


def test_leap_month_and_bad_lunar_dates():
    assert lunar.lunar_to_solar(1, 2, 2023, leap=True) == D(2023, 3, 22)
    with pytest.raises(ValueError):
        lunar.lunar_to_solar(1, 5, 2023, leap=True)  # 2023's leap month is the 2nd
    with pytest.raises(ValueError):
        lunar.lunar_to_solar(1, 13, 2024)


@pytest.mark.django_db
def test_statutory_holidays_of_2026():
    days = {d.date: d for d in workdays.statutory_holidays(2026)}
    # Tết: 30 Tết (16/02) and mùng 1–4 (17–20/02); Giỗ Tổ 26/04 is a Sunday → day off 27/04
    for day in (D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 20), D(2026, 4, 26), D(2026, 4, 27)):
        assert day in days, day
    assert days[D(2026, 4, 27)].name.startswith("Nghỉ bù")
    # 30/4 Thursday, 1/5 Friday, 1–2/9 Tuesday–Wednesday: no days in lieu for them
    assert D(2026, 5, 4) not in days
    assert len(days) == 12


@pytest.mark.django_db
def test_migrate_seeds_the_current_and_next_year():
    from django.utils import timezone

    year = timezone.localdate().year
    assert Holiday.objects.filter(date__year=year).exists()
    assert Holiday.objects.filter(date__year=year + 1).exists()


@pytest.mark.django_db
def test_add_working_days_skips_weekends_and_tet():
    # Friday 13/02/2026 + 1 working day: weekend 14–15, Tết 16–20, weekend 21–22 → Monday 23/02
    assert workdays.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert workdays.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    # an ordinary week: Monday + 5 working days = next Monday
    assert workdays.add_working_days(D(2026, 3, 2), 5) == D(2026, 3, 9)
    # counting back
    assert workdays.add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)
    assert workdays.working_days_between(D(2026, 2, 23), D(2026, 2, 13)) == -1
    assert workdays.add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)


@pytest.mark.django_db
def test_sixty_working_days_across_a_holiday():
    """Admission decision within 60 working days of the cell resolution (QĐ 232 §4.3.1):
    a resolution on 02/01/2026 has Tết (5 days) inside the window, so the last day is later
    than 60 weekdays would give."""
    last = workdays.add_working_days(D(2026, 1, 2), 60)
    weekdays_only = D(2026, 1, 2)
    n = 0
    while n < 60:
        weekdays_only += dt.timedelta(days=1)
        n += weekdays_only.isoweekday() < 6
    assert last == D(2026, 4, 3)
    assert (last - weekdays_only).days == 7  # five Tết weekdays = one week more
    assert workdays.working_days_between(D(2026, 1, 2), last) == 60


@pytest.mark.django_db
def test_the_administrators_calendar_wins(admin_user):
    # a make-up Saturday and an extra day off announced by the government
    workdays.holiday_create(
        actor=admin_user, date=D(2026, 3, 7), name="Làm bù", is_day_off=False, basis="TB 1/2026"
    )
    assert workdays.is_working_day(D(2026, 3, 7))
    workdays.holiday_create(actor=admin_user, date=D(2026, 3, 9), name="Nghỉ thêm")
    assert not workdays.is_working_day(D(2026, 3, 9))
    # Friday 06/03 + 1 → Saturday 07/03 (make-up day)
    assert workdays.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 7)
    row = Holiday.objects.get(date=D(2026, 3, 9))
    workdays.holiday_delete(actor=admin_user, holiday=row)
    assert workdays.is_working_day(D(2026, 3, 9))
    # the deletion is in the audit trail, with who did it
    last = Holiday.history.filter(date=D(2026, 3, 9)).order_by("-history_date").first()
    assert last.history_type == "-" and last.history_user == admin_user


@pytest.mark.django_db
def test_an_unseeded_year_uses_the_statutory_days():
    assert not Holiday.objects.filter(date__year=2040).exists()
    tet = lunar.lunar_new_year(2040)
    assert not workdays.is_working_day(tet if tet.isoweekday() < 6 else tet + dt.timedelta(3))


@pytest.mark.django_db
def test_cached_calendar_reads_each_year_once(django_assert_max_num_queries):
    with workdays.cached_calendar():
        workdays.add_working_days(D(2026, 1, 2), 60)
        with django_assert_max_num_queries(0):
            for start in range(1, 100):
                workdays.add_working_days(D(2026, 1, 1) + dt.timedelta(days=start), 30)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": None, "name": "X"}, "date"),
        ({"date": D(2031, 5, 5), "name": "  "}, "name"),
        ({"date": D(2031, 5, 5), "name": "X", "is_day_off": False}, "is_day_off"),  # a Monday
        ({"date": D(2200, 1, 1), "name": "X"}, "date"),
    ],
)
def test_bad_holiday_input_names_the_field_and_writes_nothing(admin_user, data, field):
    from django.core.exceptions import ValidationError

    before = Holiday.objects.count()
    with pytest.raises(ValidationError) as exc:
        workdays.holiday_create(actor=admin_user, **data)
    assert field in exc.value.message_dict
    assert Holiday.objects.count() == before


@pytest.mark.django_db
def test_a_date_twice_is_refused(admin_user):
    from django.core.exceptions import ValidationError

    workdays.holiday_create(actor=admin_user, date=D(2031, 6, 2), name="A")
    with pytest.raises(ValidationError) as exc:
        workdays.holiday_create(actor=admin_user, date=D(2031, 6, 2), name="B")
    assert "đã có trong lịch" in exc.value.message_dict["date"][0]
    assert Holiday.objects.filter(date=D(2031, 6, 2)).count() == 1


@pytest.mark.django_db
def test_seed_holidays_command():
    out = StringIO()
    call_command("seed_holidays", "--year", "2033", stdout=out)
    assert "2033: đã tạo 12 ngày nghỉ" in out.getvalue() or "2033: đã tạo" in out.getvalue()
    n = Holiday.objects.filter(date__year=2033).count()
    assert n == len(workdays.statutory_holidays(2033))
    out = StringIO()
    call_command("seed_holidays", "--year", "2033", stdout=out)
    assert "đã có lịch" in out.getvalue()
    assert Holiday.objects.filter(date__year=2033).count() == n
    with pytest.raises(CommandError, match="Năm không hợp lệ"):
        call_command("seed_holidays", "--year", "3000")


# --- pages -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_calendar_page_for_readers_and_the_editor(users, login):
    from django.test import Client

    client = login(users["btv"])
    resp = client.get("/rulebook/calendar/?year=2026")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Giỗ Tổ Hùng Vương" in html and "17/02/2026" in html
    assert "/rulebook/calendar/new/" not in html  # reading only
    assert client.get("/rulebook/calendar/new/").status_code == 403
    row = Holiday.objects.filter(date__year=2026).first()
    assert client.get(f"/rulebook/calendar/{row.pk}/").status_code == 403
    # a cell secretary has no rulebook
    assert login(users["chibo"]).get("/rulebook/calendar/").status_code == 403
    assert Client().get("/rulebook/calendar/").status_code == 302


@pytest.mark.django_db
def test_admin_adds_edits_and_deletes_a_day(users, login):
    client = login(users["admin"])
    resp = client.post(
        "/rulebook/calendar/new/",
        {"date": "07/03/2026", "name": "Làm bù", "basis": "TB 1/2026"},  # is_day_off unticked
    )
    assert resp.status_code == 302
    row = Holiday.objects.get(date=D(2026, 3, 7))
    assert row.is_day_off is False
    # bad input: the form names the field; nothing written
    resp = client.post("/rulebook/calendar/new/", {"date": "31/02/2026", "name": "X"})
    assert resp.status_code == 200 and "is-invalid" in resp.content.decode()
    resp = client.post(
        "/rulebook/calendar/new/", {"date": "09/03/2026", "name": "X", "is_day_off": "on"}
    )
    assert resp.status_code == 302
    resp = client.post(f"/rulebook/calendar/{row.pk}/", {"date": "07/03/2026", "name": "Làm bù T3"})
    assert resp.status_code == 302
    assert Holiday.objects.get(pk=row.pk).name == "Làm bù T3"
    # a weekday cannot become a make-up day: refused, naming the field, nothing changed
    resp = client.post(f"/rulebook/calendar/{row.pk}/", {"date": "10/03/2026", "name": "X"})
    assert resp.status_code == 200 and "ngày làm bù" in resp.content.decode()
    assert Holiday.objects.get(pk=row.pk).date == D(2026, 3, 7)
    resp = client.post(f"/rulebook/calendar/{row.pk}/", {"delete": "1"})
    assert resp.status_code == 302
    assert not Holiday.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_admin_seeds_an_empty_year_from_the_page(users, login):
    client = login(users["admin"])
    html = client.get("/rulebook/calendar/?year=2035").content.decode()
    assert "chưa có lịch" in html
    assert client.post("/rulebook/calendar/seed/", {"year": "2035"}).status_code == 302
    assert Holiday.objects.filter(date__year=2035).count() == len(workdays.statutory_holidays(2035))
