"""Report pages per role: the form offers only organisations in scope, a refused request writes
nothing and names the field in Vietnamese, the list shows who asked for what with its progress,
downloads answer 404 outside the scope; the home panel's figures link to the filtered lists and
its query count does not grow with the data."""

import datetime as dt

import pytest
from django.urls import reverse

from dangvu.reports.models import GeneratedReport

pytestmark = pytest.mark.django_db
URL = "/reports/"


def post(client, **data):
    base = {"kind": "half_year", "format": "docx", "year": "2025", "half": "1"}
    base.update(data)
    return client.post(URL, base)


@pytest.mark.parametrize(
    "role,status",
    [("admin", 200), ("btv", 200), ("bithu", 200), ("chibo", 200), ("dangvien", 403)],  # fmt: skip
)
def test_page_per_role(role, status, users, login):
    resp = login(users[role]).get(URL)
    assert resp.status_code == status


def test_anonymous_is_sent_to_login(client):
    resp = client.get(URL)
    assert resp.status_code == 302 and "login" in resp["Location"]


def test_menu_entry(users, login):
    html = login(users["chibo"]).get("/").content.decode()
    assert "Báo cáo, thống kê" in html
    html = login(users["dangvien"]).get("/").content.decode()
    assert "Báo cáo, thống kê" not in html


def test_form_offers_only_the_scope(users, login, tree):
    html = login(users["bithu"]).get(URL).content.decode()
    assert f'value="{tree["GC1"].pk}"' in html
    assert f'value="{tree["GC2"].pk}"' not in html


def test_generate_and_download(users, login, tree, immediate_tasks,
                               django_capture_on_commit_callbacks):  # fmt: skip
    client = login(users["bithu"])
    with django_capture_on_commit_callbacks(execute=True):
        resp = post(client, organization=tree["GC1"].pk, narrative_situation="Ổn định.")
    assert resp.status_code == 302
    report = GeneratedReport.objects.get()
    assert report.status == "done" and report.created_by == users["bithu"]
    assert report.parameters["narratives"] == {"situation": "Ổn định."}
    html = client.get(URL).content.decode()
    assert (
        "Báo cáo sơ kết 6 tháng" in html and reverse("reports:download", args=[report.pk]) in html
    )
    resp = client.get(reverse("reports:download", args=[report.pk]))
    assert resp.status_code == 200
    assert resp["Content-Disposition"].startswith("attachment")
    assert b"".join(resp.streaming_content)[:2] == b"PK"
    # out of scope: chibo (C11) does not see a GC1 report
    other = login(users["chibo"])
    assert other.get(reverse("reports:download", args=[report.pk])).status_code == 404
    assert other.get(reverse("reports:row", args=[report.pk])).status_code == 404


def test_row_polls_while_running(users, login, tree):
    report = GeneratedReport.objects.create(
        kind="annual", organization=tree["C11"], year=2025, date_from=dt.date(2025, 1, 1),
        date_to=dt.date(2025, 12, 31), as_of=dt.date(2025, 12, 31), format="pdf",
        status="running", progress=40, created_by=users["chibo"],
    )  # fmt: skip
    html = login(users["chibo"]).get(reverse("reports:row", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and "40%" in html
    assert (
        login(users["chibo"]).get(reverse("reports:download", args=[report.pk])).status_code == 404
    )


@pytest.mark.parametrize(
    "data,field,text",
    [
        ({"year": "2999"}, "year", "Năm báo cáo"),
        ({"half": ""}, "half", "6 tháng đầu năm"),
        ({"format": "xlsx"}, "format", "Định dạng"),
        ({"kind": "statistics", "format": "xlsx", "as_of": "31/12/2999"}, "as_of", "tương lai"),
        ({"kind": "statistics", "format": "xlsx", "as_of": "31/13/2025"}, "as_of", "dd/mm/yyyy"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(data, field, text, users, login, tree):
    resp = post(login(users["tochuc"]), organization=tree["GC1"].pk, **data)
    assert resp.status_code == 400
    form = resp.context["form"]
    assert field in form.errors and text in " ".join(form.errors[field])
    assert GeneratedReport.objects.count() == 0


def test_out_of_scope_organisation_is_refused(users, login, tree):
    resp = post(login(users["bithu"]), organization=tree["GC2"].pk)
    assert resp.status_code == 400 and "organization" in resp.context["form"].errors
    assert GeneratedReport.objects.count() == 0


# --- home page dashboard -------------------------------------------------------------------


def test_home_shows_the_panel_with_its_figures(users, login):
    html = login(users["btv"]).get("/").content.decode()
    assert 'id="reports-panel"' in html and "<canvas" in html
    assert "vendor/chartjs/chart.umd.min.js" in html  # vendored, no CDN
    assert "cdn" not in html.split('id="reports-panel"')[1].split("</section>")[0].lower()
    assert 'id="reports-panel"' not in login(users["dangvien"]).get("/").content.decode()


def test_dashboard_figures_link_to_the_filtered_lists(users, login, tree, make_member):
    from django.utils import timezone

    from dangvu.admission.models import AdmissionTarget

    today = timezone.localdate()
    make_member(tree["C11"], gender="female")
    make_member(tree["C21"], admission_date=today.replace(day=1), official_date=None,
                date_of_birth=dt.date(2000, 1, 1))  # fmt: skip
    AdmissionTarget.objects.create(organization=tree["C21"], year=today.year, number=4)
    html = login(users["tochuc"]).get("/reports/dashboard/").content.decode()
    root = tree["ROOT"]
    assert "Số liệu tổng hợp: " + root.name in html
    # 3 members (the member account's record, the woman, the new one): each number a link
    assert (
        f'href="/members/?organization={root.pk}&amp;status=probationary&amp;status=official&amp;status=exempt"'
        in html
    )
    assert f"/members/?organization={root.pk}&amp;gender=female" in html
    assert f"/members/?organization={root.pk}&amp;age_band=lt30" in html
    assert "admitted_from=01%2F" in html  # admissions of a month
    assert "/meetings/?organization=" in html
    assert f"/members/?organization={tree['GC1'].pk}&amp;status=" in html  # by child organisation
    import json
    import re

    data = json.loads(re.search(r'id="reports-charts" type="application/json">(.*?)</script>',
                                html, re.S).group(1))  # fmt: skip
    assert sum(r["value"] for r in data["status"]) == 3
    assert {r["label"]: r["value"] for r in data["gender"]}["Nữ"] == 1
    assert data["target"] == 4 and sum(r["value"] for r in data["admission"]) == 1
    assert {r["label"]: r["value"] for r in data["children"]} == {tree["GC1"].name: 2,
                                                                   tree["GC2"].name: 1,
                                                                   tree["GCELL"].name: 0}  # fmt: skip


def test_dashboard_of_a_cell_secretary_is_its_cell(users, login, tree):
    html = login(users["chibo"]).get("/reports/dashboard/").content.decode()
    assert "Số liệu tổng hợp: " + tree["C11"].name in html
    assert login(users["dangvien"]).get("/reports/dashboard/").status_code == 403


def test_dashboard_query_count_does_not_grow(users, login, tree, make_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(users["tochuc"])
    client.get("/reports/dashboard/")
    with CaptureQueriesContext(connection) as few:
        client.get("/reports/dashboard/")
    for code in ("C11", "C12", "C21", "GCELL"):
        for _ in range(3):
            make_member(tree[code])
    with CaptureQueriesContext(connection) as many:
        client.get("/reports/dashboard/")
    assert len(many) == len(few) <= 25, [q["sql"] for q in many.captured_queries]


def test_a_report_waiting_long_says_the_worker_may_be_down(users, login, tree):
    from django.utils import timezone

    report = GeneratedReport.objects.create(
        kind="statistics", organization=tree["C11"], year=2025, date_from=dt.date(2025, 1, 1),
        date_to=dt.date(2025, 12, 31), as_of=dt.date(2025, 12, 31), format="xlsx",
        created_by=users["chibo"],
    )  # fmt: skip
    url = reverse("reports:row", args=[report.pk])
    assert "db_worker" not in login(users["chibo"]).get(url).content.decode()
    GeneratedReport.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert "db_worker" in login(users["chibo"]).get(url).content.decode()
