"""The rulebook over the API: a new dated value closes the one before it (audited), corrections
in place, filters by key, verification and date, and errors keyed by field with nothing written."""

import datetime as dt

import pytest

from dangvu.core.models import Rule
from dangvu.core.rulebook import rule

pytestmark = pytest.mark.django_db

KEY = "test.sample"


@pytest.fixture
def admin(as_user, world):
    return as_user(world.users["admin"])


def add(client, **body):
    data = {"key": KEY, "value": "7", "effective_from": "2025-07-01", "source": "QĐ 9-QĐ/TW"}
    return client.post("/api/rules/", {**data, **body}, format="json")


def snapshot():
    """Every row of the sample rule and the number of history rows: to prove nothing was written."""
    rows = list(Rule.objects.filter(key=KEY).values_list("effective_from", "effective_to", "value"))
    return rows, Rule.history.filter(key=KEY).count()


def test_add_value_creates_a_dated_row_and_closes_the_previous_one(admin, world):
    resp = add(admin, verified=True, note="Theo văn bản mới")
    assert resp.status_code == 201, resp.content
    data = resp.json()
    assert data["key"] == KEY and data["value"] == "7" and data["unit"] == "count"
    assert data["effective_from"] == "2025-07-01" and data["effective_to"] is None
    assert data["title"] == "Quy tắc thử" and data["verified"] is True

    previous = Rule.objects.get(pk=world.rule[1].pk)
    assert previous.effective_to == dt.date(2025, 7, 1)
    assert rule(KEY, on=dt.date(2025, 6, 30)).value == 5
    assert rule(KEY, on=dt.date(2025, 7, 1)).value == 7

    # audited: both rows name the administrator, through the API
    new_history = Rule.history.get(id=data["id"])
    assert new_history.history_type == "+" and new_history.history_user == world.users["admin"]
    closed = previous.history.latest()
    assert closed.history_type == "~" and closed.history_user == world.users["admin"]
    # the history keeps the rule's own "source" (its document), not the audit channel
    assert closed.effective_to == dt.date(2025, 7, 1) and closed.source == "Quy định 2-QĐ/TW"


def test_add_value_between_two_values_ends_where_the_later_one_starts(admin, world):
    resp = add(admin, value="4", effective_from="2022-01-01")
    assert resp.status_code == 201, resp.content
    assert resp.json()["effective_to"] == "2024-01-01"
    assert Rule.objects.get(pk=world.rule[0].pk).effective_to == dt.date(2022, 1, 1)
    values = [rule(KEY, on=dt.date(y, 6, 1)).value for y in (2021, 2022, 2024)]
    assert values == [3, 4, 5]


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        ({"value": "ba"}, "value", "không đúng dạng"),
        ({"value": "-1"}, "value", "không được âm"),
        ({"value": ""}, "value", "không được để trống"),
        ({"effective_from": "2024-01-01"}, "effective_from", "Đã có giá trị hiệu lực từ ngày"),
        ({"effective_from": "hôm qua"}, "effective_from", "Ngày sai định dạng"),
        ({"source": "  "}, "source", "không được để trống"),
        ({"key": "khong.co"}, "key", "Không có quy tắc"),
    ],
)
def test_add_value_bad_input_is_400_keyed_by_field_and_nothing_is_written(
    admin, world, body, field, text
):
    before = snapshot()
    resp = add(admin, **body)
    assert resp.status_code == 400, resp.content
    errors = resp.json()
    assert list(errors) == [field]
    assert text in errors[field][0]
    assert snapshot() == before


def test_add_value_is_refused_to_readers(as_user, world):
    before = snapshot()
    resp = add(as_user(world.users["tochuc"]))
    assert resp.status_code == 403
    assert "không có quyền" in resp.json()["detail"]
    assert snapshot() == before


def test_patch_corrects_a_row_in_place(admin, world):
    url = f"/api/rules/{world.rule[1].pk}/"
    resp = admin.patch(url, {"value": "6", "verified": False}, format="json")
    assert resp.status_code == 200, resp.content
    assert resp.json()["value"] == "6" and resp.json()["verified"] is False
    row = Rule.objects.get(pk=world.rule[1].pk)
    assert (row.value, row.effective_from, row.effective_to) == ("6", dt.date(2024, 1, 1), None)
    assert row.history.latest().history_user == world.users["admin"]

    before = snapshot()
    bad = admin.patch(url, {"value": "sáu"}, format="json")
    assert bad.status_code == 400 and "không đúng dạng" in bad.json()["value"][0]
    assert snapshot() == before


def test_filters_key_verified_and_date(as_user, world):
    client = as_user(world.users["btv"])

    def keys_values(**params):
        rows = client.get("/api/rules/", params).json()["results"]
        return [(r["key"], r["value"]) for r in rows]

    assert keys_values(key=KEY) == [(KEY, "3"), (KEY, "5")]
    assert keys_values(key__startswith="test.") == [(KEY, "3"), (KEY, "5")]
    assert keys_values(key="test") == []
    assert keys_values(key=KEY, on="2023-12-31") == [(KEY, "3")]
    assert keys_values(key=KEY, on="2024-01-01") == [(KEY, "5")]
    assert keys_values(key=KEY, on="2019-12-31") == []
    assert keys_values(key=KEY, verified="false") == []
    Rule.objects.filter(pk=world.rule[0].pk).update(verified=False)
    assert keys_values(key__startswith="test.", verified="false") == [(KEY, "3")]
    # every seeded rule in force today, one row per key
    today = client.get("/api/rules/", {"on": dt.date.today().isoformat(), "page_size": 500}).json()
    keys = [r["key"] for r in today["results"]]
    assert len(keys) == len(set(keys)) > 40
    assert all(r["in_force"] for r in today["results"])
    bad = client.get("/api/rules/", {"on": "31/02/2024"})
    assert bad.status_code == 400 and "on" in bad.json()
