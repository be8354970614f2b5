"""Every change is in the audit trail with actor, time, IP and before/after values."""

import datetime as dt

import pytest

from dangvu.members import services
from dangvu.members.models import Member

pytestmark = pytest.mark.django_db


def test_service_writes_are_attributed_to_the_actor(tree, users, make_member):
    m = make_member(tree["C11"])
    services.member_update(actor=users["tochuc"], member=m, data={"phone": "0912345678"})
    rec = m.history.order_by("-history_date").first()
    assert rec.history_user == users["tochuc"]
    assert rec.history_type == "~"
    assert rec.source == "service"
    delta = rec.diff_against(rec.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("phone", "", "0912345678")]


def test_events_and_memberships_are_audited_too(tree, users, make_member):
    m = make_member(tree["C11"])
    services.member_transfer_out(
        actor=users["tochuc"],
        member=m,
        date=dt.date(2024, 1, 1),
        decision_number="5-QĐ",
        to_organization=tree["C21"],
    )
    ev = m.events.get(kind="transfer_out")
    assert ev.history.get().history_user == users["tochuc"]
    assert m.memberships.count() == 2
    for ms in m.memberships.all():
        assert ms.history.exists()


def test_request_ip_and_channel_are_recorded(tree, users, make_member):
    """The middleware stamps every write of a request with the client IP and the channel."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.test import RequestFactory

    from dangvu.core.middleware import AuditContextMiddleware

    created = {}

    def view(request):
        created["member"] = make_member(tree["C12"])
        return HttpResponse("ok")

    for path, channel in (
        ("/members/new/", "ui"),
        ("/api/members/", "api"),
        ("/admin/x/", "admin"),
    ):
        req = RequestFactory().post(path, REMOTE_ADDR="10.1.2.3")
        # a browser session (an API call by token has no session: its user is set by DRF and
        # reaches the history through simple_history's request, see core.middleware)
        req.COOKIES[settings.SESSION_COOKIE_NAME] = "session"
        req.user = users["tochuc"]
        AuditContextMiddleware(view)(req)
        rec = created["member"].history.get()
        assert (rec.ip_address, rec.source, rec.history_user) == (
            "10.1.2.3",
            channel,
            users["tochuc"],
        )


def test_history_cannot_be_reverted_in_admin(tree, users, login, make_member):
    m = make_member(tree["C11"])
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    client = login(users["admin"])
    hist = m.history.first()
    url = f"/admin/members/member/{m.pk}/history/{hist.history_id}/"
    assert client.get(url).status_code == 403
    assert client.post(f"/admin/members/member/{m.pk}/delete/").status_code == 403
    assert Member.objects.filter(pk=m.pk).exists()


def test_client_ip_behind_a_trusted_proxy(settings):
    from django.test import RequestFactory

    from dangvu.core.audit import client_ip

    req = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.9.8.7"
    )
    settings.PROXY_COUNT = 0
    assert client_ip(req) == "127.0.0.1"  # no proxy trusted: the header is ignored
    settings.PROXY_COUNT = 1
    assert client_ip(req) == "10.9.8.7"  # the address nginx appended, not the forged first one


def test_history_tab_shows_names_of_related_objects_not_ids(tree, users, make_member):
    from dangvu.core.viewmixins import history_rows

    m = make_member(tree["C11"])
    services.member_transfer_out(
        actor=users["tochuc"],
        member=m,
        date=dt.date(2024, 1, 1),
        decision_number="5",
        to_organization=tree["C21"],
    )
    m.refresh_from_db()
    rows = history_rows(m)
    rec, changes = rows[0]
    assert rec.history_user == users["tochuc"]
    labels = {str(label): (old, new) for label, old, new in changes}
    assert labels["Chi bộ/Tổ chức sinh hoạt"] == ("Chi bộ Văn phòng", "Chi bộ Phòng Kế hoạch")
    created = rows[-1][1]
    assert all("created" not in str(label).lower() for label, _o, _n in created)


def test_a_rule_history_keeps_its_document_source(users):
    """Rule has a field "source" (the document); the audit channel must not overwrite it in the
    history (it did: the history column of that name is shared)."""
    from dangvu.core.audit import audit_context
    from dangvu.core.models import Rule

    rule = Rule.objects.filter(key="admission.probation_months").first()
    with audit_context(actor=users["admin"], source="api"):
        rule.note = "đính chính"
        rule.save()
    last = rule.history.order_by("-history_id").first()
    assert last.source == rule.source != "api"
    assert last.history_user == users["admin"]
