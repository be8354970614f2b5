"""create_with_history: rows and their '+' history rows, with ids, on SQLite and PostgreSQL (COPY)."""

import datetime as dt

import pytest

from dangvu.core.bulk import create_with_history
from dangvu.core.models import Holiday

pytestmark = pytest.mark.django_db


def test_rows_come_back_with_ids_and_history(admin_user):
    objs = [Holiday(date=dt.date(2040, 3, d), name=f"Ngày {d}") for d in (2, 3, 4)]
    made = create_with_history(
        objs,
        Holiday,
        default_user=admin_user,
        default_change_reason="nhập",
        custom_historical_attrs={"ip_address": "10.0.0.7", "source": "import"},
    )
    assert all(h.pk for h in made)
    assert sorted(Holiday.objects.filter(date__year=2040).values_list("name", flat=True)) == [
        "Ngày 2",
        "Ngày 3",
        "Ngày 4",
    ]
    hist = Holiday.history.filter(date__year=2040)
    assert hist.count() == 3
    for h in hist:
        assert h.history_type == "+" and h.history_user == admin_user
        assert (h.ip_address, h.source, h.history_change_reason) == ("10.0.0.7", "import", "nhập")
        assert h.id in {o.pk for o in made}
    # a later row gets a fresh id from the same sequence
    later = Holiday.objects.create(date=dt.date(2040, 3, 9), name="Sau")
    assert later.pk > max(o.pk for o in made)


def test_nothing_to_write():
    assert create_with_history([], Holiday) == []


def test_rows_given_as_dicts_are_written_like_instances(admin_user):
    from dangvu.core.bulk import create_rows_with_history

    hist = {
        "default_user": admin_user,
        "default_change_reason": "nhập",
        "custom_historical_attrs": {"ip_address": "10.0.0.8", "source": "import"},
    }
    made = create_with_history(
        [Holiday(date=dt.date(2041, 4, d), name=f"Ngày {d}") for d in (1, 2)], Holiday, **hist
    )
    ids = create_rows_with_history(
        [{"date": dt.date(2042, 4, d), "name": f"Ngày {d}"} for d in (1, 2)], Holiday, **hist
    )
    assert len(ids) == 2 and len(set(ids)) == 2 and min(ids) > max(o.pk for o in made)

    def rows(pks):
        skip = {"id", "date"}
        return [
            {k: v for k, v in r.items() if k not in skip}
            for r in Holiday.objects.filter(pk__in=pks).order_by("date").values()
        ]

    def history(pks):
        skip = {"id", "date", "history_id", "history_date"}
        return [
            {k: v for k, v in r.items() if k not in skip}
            for r in Holiday.history.filter(id__in=pks).order_by("date").values()
        ]

    assert rows(ids) == rows([o.pk for o in made])  # defaults filled as Holiday(**row) would
    assert history(ids) == history([o.pk for o in made])
    assert Holiday.history.filter(id__in=ids, history_type="+").count() == 2
    assert create_rows_with_history([], Holiday) == []
