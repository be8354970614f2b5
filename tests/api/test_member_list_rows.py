"""The member list writes its rows without DRF's field machinery (`member_list_rows`): the bytes
must stay those of `MemberSerializer`, for filled and blank records, with and without filters."""

import datetime as dt

import pytest
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from dangvu.members.api.serializers import MemberSerializer, member_list_rows
from dangvu.members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied(tree, make_member):
    """A filled record, one with every optional field blank, a probationary one, a woman."""
    filled = make_member(tree["C11"], full_name="Trần Thị Đầy Đủ", gender="female")
    blank = make_member(tree["C12"], full_name="Lê Văn Trống", card_number=None)
    Member.objects.filter(pk=blank.pk).update(official_date=None, card_number=None)
    probationary = make_member(
        tree["C21"],
        full_name="Đinh Dự Bị",
        admission_date=dt.date.today() - dt.timedelta(days=90),
        official_date=None,
        card_number=None,
    )
    return [filled, blank, probationary]


def render(data) -> bytes:
    return JSONRenderer().render(data)


def test_rows_are_the_serializer_output_byte_for_byte(varied):
    members = list(Member.objects.select_related("organization").order_by("pk"))
    blank = next(m for m in members if m.full_name == "Lê Văn Trống")
    assert blank.card_number is None and blank.official_date is None
    assert {m.status for m in members} >= {"official", "probationary"}
    for language in ("vi", "en"):
        with translation.override(language):
            expected = MemberSerializer(members, many=True).data
            rows = member_list_rows(members)
            assert render(rows) == render(expected)
            assert [list(r) for r in rows] == [list(MemberSerializer.Meta.fields)] * len(members)


def test_rows_of_an_unsaved_style_record_with_empty_values(tree):
    """Values the database would not hold (empty strings, missing dates) behave like DRF's too."""
    member = Member(
        pk=999999,
        organization=tree["C11"],
        status="",
        full_name="",
        gender="",
        date_of_birth=None,
        card_number="",
        admission_date=None,
        official_date=None,
    )
    assert render(member_list_rows([member])) == render(MemberSerializer([member], many=True).data)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?page_size=2",
        "?page_size=2&page=2",
        "?status=official",
        "?ordering=-date_of_birth",
        "?gender=female",
        "?q=tr",
    ],
)
def test_list_api_answers_what_the_serializer_would(as_user, users, varied, query):
    client = as_user(users["tochuc"])
    resp = client.get(f"/api/members/{query}", HTTP_ACCEPT="application/json")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    ids = [r["id"] for r in body["results"]]
    assert ids, query
    by_pk = Member.objects.select_related("organization").in_bulk(ids)
    expected = MemberSerializer([by_pk[i] for i in ids], many=True).data
    assert render(body["results"]) == render(expected)
    assert set(body) == {"count", "count_capped", "next", "previous", "results"}


def test_unfiltered_list_keeps_the_default_order_and_scope(as_user, users, varied, tree):
    """Without filter parameters the filter set is skipped: same rows, same order, same scope."""
    client = as_user(users["bithu"])  # a grassroots secretary: sees GC1's subtree only
    plain = client.get("/api/members/").json()
    paged = client.get("/api/members/?page_size=500").json()
    visible = Member.objects.restrict(users["bithu"], "view")
    assert [r["id"] for r in plain["results"]] == list(visible.values_list("pk", flat=True)[:50])
    assert [r["id"] for r in paged["results"]] == list(visible.values_list("pk", flat=True))
    assert plain["count"] == visible.count()
    assert all(r["organization"] != tree["C21"].pk for r in paged["results"])
