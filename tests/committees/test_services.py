"""Services and their rules, each with its boundary cases; refused writes leave nothing behind.

Rules (rulebook keys): org.cell_committee_threshold (9), org.cell_deputy_max (1),
org.cell_committee_max (7), org.cell_committee_deputy_max (1), committee.seat_official_only
(Điều lệ art. 3: probationary members may not stand), congress.* (terms and the due window).
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangvu.committees import services
from dangvu.committees.models import (
    ChecklistTemplateItem,
    Committee,
    CommitteeSeat,
    CommitteeSeatQuota,
    Congress,
    CongressChecklistItem,
    Term,
)
from dangvu.core.rulebook import rule

from .conftest import T0

pytestmark = pytest.mark.django_db


def snapshot():
    return tuple(
        m.objects.count()
        for m in (
            Term,
            Congress,
            CongressChecklistItem,
            Committee,
            CommitteeSeatQuota,
            CommitteeSeat,
        )
    )


def refused(field, fn, *text):
    """Run `fn`; it must raise a ValidationError on `field` containing every `text`; nothing is
    written."""
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        fn()
    messages = exc.value.message_dict[field] if field else exc.value.messages
    joined = " ".join(messages)
    for t in text:
        assert t in joined, joined
    assert snapshot() == before
    return joined


def fill(c, m, position, on=T0, **kw):
    return services.seat_fill(
        actor=None, committee=c, member=m, position=position, start_date=on, **kw
    )


# ---- cell structure: below the threshold (org.cell_committee_threshold, org.cell_deputy_max) --


def test_rule_values_come_from_the_rulebook():
    assert rule("org.cell_committee_threshold", T0).value == 9
    assert rule("org.cell_deputy_max", T0).value == 1
    assert rule("org.cell_committee_max", T0).value == 7
    assert rule("org.cell_committee_deputy_max", T0).value == 1
    assert rule("committee.seat_official_only", T0).value == 1


def test_eight_officials_secretary_and_one_deputy(tree, staff, committee):
    people = staff(tree["C11"], official=8)
    c = committee(tree["C11"], {"secretary": 1, "deputy_secretary": 1})
    fill(c, people[0], "secretary")
    fill(c, people[1], "deputy_secretary")
    assert c.seats.count() == 2


def test_eight_officials_second_deputy_refused(tree, staff, term):
    staff(tree["C11"], official=8)
    t = term(tree["C11"])
    citation = rule("org.cell_deputy_max", T0).citation
    refused(
        "quotas",
        lambda: services.committee_create(
            actor=None,
            organization=tree["C11"],
            term=t,
            quotas={"secretary": 1, "deputy_secretary": 2},
        ),
        "tối đa 1 phó bí thư",
        citation,
    )


def test_eight_officials_no_cell_committee(tree, staff, term):
    staff(tree["C11"], official=8)
    t = term(tree["C11"])
    refused(
        "quotas",
        lambda: services.committee_create(
            actor=None, organization=tree["C11"], term=t, quotas={"secretary": 1, "member": 2}
        ),
        "không lập chi ủy",
        rule("org.cell_committee_threshold", T0).citation,
    )


def test_probationary_members_do_not_count_towards_the_threshold(tree, staff, term):
    staff(tree["C11"], official=8, probationary=3)
    t = term(tree["C11"])
    refused(
        "quotas",
        lambda: services.committee_create(
            actor=None, organization=tree["C11"], term=t, quotas={"secretary": 1, "member": 6}
        ),
        "8 đảng viên chính thức",
    )


# ---- cell committee from the threshold (org.cell_committee_max, org.cell_committee_deputy_max) --


def test_nine_officials_cell_committee_of_seven(tree, staff, committee):
    people = staff(tree["C11"], official=9)
    c = committee(tree["C11"], {"secretary": 1, "deputy_secretary": 1, "member": 5})
    for p, pos in zip(people, ["secretary", "deputy_secretary"] + ["member"] * 5, strict=False):
        fill(c, p, pos)
    assert c.seats.count() == 7


def test_nine_officials_cell_committee_of_eight_refused(tree, staff, term):
    staff(tree["C11"], official=9)
    t = term(tree["C11"])
    refused(
        "quotas",
        lambda: services.committee_create(
            actor=None,
            organization=tree["C11"],
            term=t,
            quotas={"secretary": 1, "deputy_secretary": 1, "member": 6},
        ),
        "tối đa 7 ủy viên",
        rule("org.cell_committee_max", T0).citation,
    )


def test_cell_committee_second_deputy_refused(tree, staff, term):
    staff(tree["C11"], official=12)
    t = term(tree["C11"])
    refused(
        "quotas",
        lambda: services.committee_create(
            actor=None,
            organization=tree["C11"],
            term=t,
            quotas={"secretary": 1, "deputy_secretary": 2, "member": 2},
        ),
        "tối đa 1 phó bí thư",
        rule("org.cell_committee_deputy_max", T0).citation,
    )


def test_threshold_is_read_on_the_seat_date(tree, staff, committee):
    """Nine officials when the cell committee was formed; one dies: from then on the cell has 8
    and a further cell-committee member is refused."""
    from dangvu.members.services import member_record_death

    people = staff(tree["C11"], official=9)
    c = committee(tree["C11"], {"secretary": 1, "deputy_secretary": 1, "member": 5})
    fill(c, people[0], "secretary")
    fill(c, people[1], "member")
    later = T0 + dt.timedelta(days=40)
    member_record_death(actor=None, member=people[8], date=later - dt.timedelta(days=1))
    refused("position", lambda: fill(c, people[2], "member", on=later), "không lập chi ủy")
    fill(c, people[2], "member", on=later - dt.timedelta(days=2))  # still nine that day


def test_cells_have_no_standing_or_inspection_body(tree, staff, term):
    staff(tree["C11"], official=10)
    t = term(tree["C11"])
    refused(
        "body",
        lambda: services.committee_create(
            actor=None,
            organization=tree["C11"],
            term=t,
            body="inspection",
            quotas={"inspection_chair": 1},
        ),
        "Chi bộ không có",
    )


def test_quota_positions_must_belong_to_the_body(tree, term):
    t = term(tree["GC1"])
    refused(
        "quotas",
        lambda: services.committee_create(
            actor=None,
            organization=tree["GC1"],
            term=t,
            body="inspection",
            quotas={"secretary": 1},
        ),
        "không có chức danh",
    )
    refused(
        "quotas",
        lambda: services.committee_create(
            actor=None, organization=tree["GC1"], term=t, quotas={"secretary": 2}
        ),
        "chỉ có một bí thư",
    )
    refused(
        "quotas",
        lambda: services.committee_create(actor=None, organization=tree["GC1"], term=t, quotas={}),
        "Chưa nhập số lượng",
    )


# ---- seats: approved seats, one seat per person, membership and status ------------------------


def test_filled_never_exceeds_approved(tree, staff, committee):
    people = staff(tree["C11"], official=4)
    c = committee(tree["C11"], {"secretary": 1, "deputy_secretary": 1})
    fill(c, people[0], "secretary")
    refused("position", lambda: fill(c, people[1], "secretary"), "đã đủ 1/1")
    # a seat ending later still takes its place until it ends
    refused("position", lambda: fill(c, people[1], "member"), "0/0")


def test_ended_seat_frees_the_place(tree, staff, committee):
    people = staff(tree["C11"], official=4)
    c = committee(tree["C11"], {"secretary": 1})
    seat = fill(c, people[0], "secretary")
    services.seat_end(
        actor=None, seat=seat, end_date=T0 + dt.timedelta(days=30), reason="transferred"
    )
    refused(
        "position",
        lambda: fill(c, people[1], "secretary", on=T0 + dt.timedelta(days=29)),
        "đã đủ",
    )
    s2 = fill(c, people[1], "secretary", on=T0 + dt.timedelta(days=30), start_kind="appointed")
    assert s2.start_kind == "appointed"


def test_one_person_one_seat_per_committee(tree, staff, committee):
    people = staff(tree["GC1"], official=3)
    c = committee(tree["GC1"], {"secretary": 1, "deputy_secretary": 1, "member": 3})
    fill(c, people[0], "member")
    refused(
        "member", lambda: fill(c, people[0], "deputy_secretary"), "mỗi người chỉ giữ một chức danh"
    )
    refused("member", lambda: fill(c, people[0], "member"), "đang giữ chức")
    # the same person may sit in the standing committee too
    btv = services.committee_create(
        actor=None, organization=tree["GC1"], term=c.term, body="standing", quotas={"standing": 2}
    )
    fill(btv, people[0], "standing")


def test_probationary_member_refused_as_secretary(tree, staff, committee):
    people = staff(tree["C11"], official=3, probationary=1)
    c = committee(tree["C11"], {"secretary": 1})
    refused(
        "member",
        lambda: fill(c, people[3], "secretary"),
        "đảng viên dự bị",
        "Theo Điều lệ Đảng, Điều 3",
    )


def test_exempt_member_refused(tree, staff, committee):
    from dangvu.members.services import member_grant_exemption

    people = staff(tree["C11"], official=3)
    member_grant_exemption(
        actor=None, member=people[0], date=T0 - dt.timedelta(days=5), decision_number="1-QĐ"
    )
    c = committee(tree["C11"], {"secretary": 1})
    refused("member", lambda: fill(c, people[0], "secretary"), "miễn công tác")


def test_holder_must_belong_to_the_organisation(tree, staff, committee):
    c11 = staff(tree["C11"], official=3)
    c21 = staff(tree["C21"], official=1)
    cell = committee(tree["C11"], {"secretary": 1})
    refused(
        "member", lambda: fill(cell, c21[0], "secretary"), "không phải đảng viên đang sinh hoạt"
    )
    # a grassroots committee takes its members from its whole subtree
    gc1 = committee(tree["GC1"], {"secretary": 1, "member": 2})
    fill(gc1, c11[0], "secretary")
    refused("member", lambda: fill(gc1, c21[0], "member"), "thuộc Đảng bộ Sở Tài chính")


def test_member_must_be_active_on_the_date(tree, staff, committee):
    people = staff(tree["C11"], official=3)
    c = committee(tree["C11"], {"secretary": 1}, t=None)
    from dangvu.members.services import member_record_death

    member_record_death(actor=None, member=people[0], date=T0 + dt.timedelta(days=3))
    refused(
        "member",
        lambda: fill(c, people[0], "secretary", on=T0 + dt.timedelta(days=3)),
        "không phải đảng viên đang sinh hoạt",
    )


def test_seat_dates_within_the_term(tree, staff, committee):
    people = staff(tree["C11"], official=3)
    c = committee(tree["C11"], {"secretary": 1})
    refused(
        "start_date",
        lambda: fill(c, people[0], "secretary", on=T0 - dt.timedelta(days=1)),
        "trong nhiệm kỳ",
    )


def test_seat_end_checks(tree, staff, committee):
    people = staff(tree["C11"], official=3)
    c = committee(tree["C11"], {"secretary": 1})
    seat = fill(c, people[0], "secretary")
    refused(
        "end_date",
        lambda: services.seat_end(actor=None, seat=seat, end_date=T0, reason="other"),
        "sau ngày bắt đầu",
    )
    refused(
        "reason",
        lambda: services.seat_end(
            actor=None, seat=seat, end_date=T0 + dt.timedelta(days=2), reason="bogus"
        ),
        "lý do",
    )
    services.seat_end(
        actor=None,
        seat=seat,
        end_date=T0 + dt.timedelta(days=2),
        reason="disciplined",
        decision_number="5-QĐ/UBKT",
    )
    seat.refresh_from_db()
    assert (seat.end_reason, seat.end_decision_number) == ("disciplined", "5-QĐ/UBKT")
    refused(
        "end_date",
        lambda: services.seat_end(
            actor=None, seat=seat, end_date=T0 + dt.timedelta(days=5), reason="other"
        ),
        "đã thôi",
    )


# ---- terms -----------------------------------------------------------------------------------


def test_new_term_closes_the_previous_and_ends_its_seats(tree, staff, committee):
    people = staff(tree["C11"], official=3)
    c = committee(tree["C11"], {"secretary": 1})
    seat = fill(c, people[0], "secretary")
    new_start = dt.date(2028, 2, 1)
    new = services.term_open(
        actor=None, organization=tree["C11"], name="2028–2033", start_date=new_start
    )
    c.term.refresh_from_db()
    seat.refresh_from_db()
    assert c.term.end_date == new_start
    assert (seat.end_date, seat.end_reason) == (new_start, "term_ended")
    assert new.end_date is None


def test_term_checks(tree, term):
    t = term(tree["C11"])
    refused(
        "start_date",
        lambda: services.term_open(actor=None, organization=tree["C11"], name="X", start_date=T0),
        "phải bắt đầu sau",
    )
    refused(
        "name",
        lambda: services.term_open(actor=None, organization=tree["C11"], name=" ", start_date=T0),
        "Chưa nhập",
    )
    refused(
        "name",
        lambda: services.term_open(
            actor=None,
            organization=tree["C11"],
            name="2025–2030",
            start_date=T0 + dt.timedelta(days=1),
        ),
        "đã có nhiệm kỳ",
    )
    refused(
        "start_date",
        lambda: services.term_open(
            actor=None, organization=tree["C12"], name="X", start_date=dt.date(2010, 1, 1)
        ),
        "trước ngày thành lập",
    )
    refused(
        "end_date", lambda: services.term_close(actor=None, term=t, end_date=T0), "sau ngày bắt đầu"
    )
    services.term_close(actor=None, term=t, end_date=T0 + dt.timedelta(days=10))
    refused(
        "end_date",
        lambda: services.term_close(actor=None, term=t, end_date=T0 + dt.timedelta(days=11)),
        "đã kết thúc",
    )


# ---- congresses ------------------------------------------------------------------------------


def test_plan_copies_the_default_checklist(tree, term):
    term(tree["GC1"])
    ChecklistTemplateItem.objects.create(order=999, title="Việc thêm của quản trị", is_active=True)
    ChecklistTemplateItem.objects.filter(title__startswith="Báo cáo kiểm điểm").update(
        is_active=False
    )
    c = services.congress_plan(
        actor=None,
        organization=tree["GC1"],
        term_name="2030–2035",
        planned_date=dt.date(2030, 7, 1),
        kind="delegates",
    )
    titles = list(c.checklist.values_list("title", flat=True))
    assert titles[0] == "Kế hoạch tổ chức đại hội của cấp ủy"
    assert titles[-1] == "Việc thêm của quản trị"
    assert not any(t.startswith("Báo cáo kiểm điểm") for t in titles)
    assert not any(i.done for i in c.checklist.all())


def test_plan_checks(tree, term):
    term(tree["GC1"])
    services.congress_plan(
        actor=None,
        organization=tree["GC1"],
        term_name="2030–2035",
        planned_date=dt.date(2030, 7, 1),
    )
    refused(
        "planned_date",
        lambda: services.congress_plan(
            actor=None, organization=tree["GC1"], term_name="2031", planned_date=dt.date(2031, 7, 1)
        ),
        "đã có một đại hội dự kiến",
    )
    refused(
        "planned_date",
        lambda: services.congress_plan(
            actor=None, organization=tree["C12"], term_name="2025–2030", planned_date=None
        ),
        "Chưa nhập",
    )
    refused(
        "kind",
        lambda: services.congress_plan(
            actor=None, organization=tree["C12"], term_name="2025–2030", planned_date=T0, kind="x"
        ),
        "không hợp lệ",
    )
    term(tree["C11"])
    refused(
        "planned_date",
        lambda: services.congress_plan(
            actor=None, organization=tree["C11"], term_name="2027–2032", planned_date=T0
        ),
        "phải sau ngày bắt đầu nhiệm kỳ hiện tại",
    )
    refused(
        "term_name",
        lambda: services.congress_plan(
            actor=None,
            organization=tree["C11"],
            term_name="2025–2030",
            planned_date=T0 + dt.timedelta(days=900),
        ),
        "đã có nhiệm kỳ",
    )


def test_hold_opens_the_new_term(tree, staff, committee):
    people = staff(tree["C11"], official=3)
    c = committee(tree["C11"], {"secretary": 1})
    seat = fill(c, people[0], "secretary")
    today = timezone.localdate()
    congress = services.congress_plan(
        actor=None, organization=tree["C11"], term_name="2026–2031", planned_date=today
    )
    refused(
        "held_date",
        lambda: services.congress_hold(
            actor=None, congress=congress, held_date=today + dt.timedelta(days=1)
        ),
        "sau hôm nay",
    )
    refused(
        "held_date",
        lambda: services.congress_hold(actor=None, congress=congress, held_date=T0),
        "phải bắt đầu sau",
    )
    services.congress_hold(
        actor=None, congress=congress, held_date=today, result_decision="9-QĐ/ĐU"
    )
    congress.refresh_from_db()
    seat.refresh_from_db()
    assert (
        congress.status == "held"
        and congress.term.start_date == today
        and congress.term.name == "2026–2031"
    )
    assert seat.end_date == today and seat.end_reason == "term_ended"
    assert congress.term.congress == congress
    refused(
        None,
        lambda: services.congress_hold(actor=None, congress=congress, held_date=today),
        "Đã tổ chức",
    )


def test_cancel_needs_a_reason_and_keeps_the_row(tree):
    congress = services.congress_plan(
        actor=None, organization=tree["C12"], term_name="2025–2030", planned_date=T0
    )
    refused(
        "reason",
        lambda: services.congress_cancel(actor=None, congress=congress, reason=" "),
        "lý do hủy",
    )
    services.congress_cancel(actor=None, congress=congress, reason="Chi bộ hợp nhất")
    congress.refresh_from_db()
    assert congress.status == "cancelled" and "Chi bộ hợp nhất" in congress.notes


def test_checklist_tick_records_date_and_who(tree, users):
    congress = services.congress_plan(
        actor=None, organization=tree["C12"], term_name="2025–2030", planned_date=T0
    )
    item = congress.checklist.first()
    services.checklist_set(actor=users["tochuc"], item=item, done=True, on=dt.date(2025, 6, 1))
    item.refresh_from_db()
    assert (item.done, item.done_on, item.done_by) == (True, dt.date(2025, 6, 1), users["tochuc"])
    refused(
        "done_on",
        lambda: services.checklist_set(
            actor=None, item=item, done=True, on=timezone.localdate() + dt.timedelta(days=1)
        ),
        "sau hôm nay",
    )
    services.checklist_set(actor=None, item=item, done=False)
    item.refresh_from_db()
    assert (item.done, item.done_on, item.done_by) == (False, None, None)
    assert item.history.count() == 3  # created, ticked, unticked: every change audited


def test_set_quotas_never_below_the_seats_held(tree, staff, committee):
    people = staff(tree["C11"], official=10)
    c = committee(tree["C11"], {"secretary": 1, "member": 3})
    fill(c, people[0], "secretary")
    fill(c, people[1], "member")
    fill(c, people[2], "member")
    refused(
        "quotas",
        lambda: services.committee_set_quotas(
            actor=None, committee=c, quotas={"secretary": 1, "member": 1}, on=T0
        ),
        "không thể duyệt ít hơn",
    )
    services.committee_set_quotas(
        actor=None, committee=c, quotas={"secretary": 1, "deputy_secretary": 1, "member": 2}, on=T0
    )
    assert dict(c.quotas.values_list("position", "approved")) == {
        "secretary": 1,
        "deputy_secretary": 1,
        "member": 2,
    }
