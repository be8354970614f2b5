"""Pages: upload → job page → progress partial → commit, with the immediate task backend;
permissions of every view for the roles of the `users` fixture; exports stay in scope."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from dangvu.dataio.models import ImportJob
from dangvu.members.models import Member

from .conftest import counts, row_dict, rows_from, xlsx_file

pytestmark = pytest.mark.django_db

IMPORTERS = ["admin", "tochuc", "bithu"]
NOT_IMPORTERS = ["btv", "tuyengiao", "kiemtra", "vanphong", "chibo", "dangvien"]


def upload(client, org, rows, capture, name="ds.xlsx"):
    with capture(execute=True):
        return client.post(
            reverse("dataio:import"),
            {"organization": org.pk, "file": xlsx_file(rows_from(rows), name=name)},
        )


@pytest.fixture
def job_of(tree, users, immediate_tasks, django_capture_on_commit_callbacks):
    """A validated job uploaded by `user` with default organisation `org`."""
    from dangvu.dataio.jobs import create_import_job

    def make(user, org, rows=None):
        with django_capture_on_commit_callbacks(execute=True):
            job = create_import_job(
                actor=user,
                file=xlsx_file(rows_from(rows or [row_dict(1), row_dict(2)])),
                organization=org,
            )
        job.refresh_from_db()
        return job

    return make


def test_upload_progress_commit_flow(
    users, tree, login, immediate_tasks, django_capture_on_commit_callbacks
):
    client = login(users["bithu"])
    page = client.get(reverse("dataio:import"))
    assert page.status_code == 200
    options = page.context["form"].fields["organization"].queryset
    assert set(options.values_list("code", flat=True)) == {"GC1", "C11", "C12"}

    rows = [row_dict(1), row_dict(2, **{"Chi bộ": "C12"}), row_dict(3)]
    before = counts()
    r = upload(client, tree["C11"], rows, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("dataio:job", args=[job.pk])
    assert job.status == "validated" and job.created_by == users["bithu"]
    assert (job.total_rows, job.new_count, job.error_count) == (3, 3, 0)
    assert counts() == before  # validation writes nothing

    page = client.get(reverse("dataio:job", args=[job.pk]))
    html = page.content.decode()
    assert "Ghi vào hệ thống" in html and "Lê Thị Nhập 2" in html and "Chi bộ Thanh tra" in html
    assert 'data-count="new">3<' in html
    assert "hx-get" not in html  # finished: no polling

    partial = client.get(reverse("dataio:job_progress", args=[job.pk]) + "?running=1")
    assert partial.status_code == 200 and partial["HX-Refresh"] == "true"

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("dataio:job_commit", args=[job.pk]))
    assert r.status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and job.committed_by == users["bithu"], job.message
    assert Member.objects.filter(card_number__in=["93000001", "93000002", "93000003"]).count() == 3
    assert Member.objects.get(card_number="93000002").organization == tree["C12"]
    html = client.get(reverse("dataio:job", args=[job.pk])).content.decode()
    assert "Đã ghi vào hệ thống: 3 đảng viên mới" in html
    assert reverse("dataio:job_commit", args=[job.pk]) not in html

    # Committing twice does nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataio:job_commit", args=[job.pk]))
    assert Member.objects.count() == 4


def test_running_job_polls_its_progress(users, tree, login):
    job = ImportJob.objects.create(
        organization=tree["C11"],
        created_by=users["bithu"],
        status="validating",
        total_rows=1000,
        processed_rows=500,
        file="imports/x.xlsx",
    )
    client = login(users["bithu"])
    html = client.get(reverse("dataio:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and "50%" in html
    partial = client.get(reverse("dataio:job_progress", args=[job.pk]) + "?running=1")
    assert "HX-Refresh" not in partial and b'aria-valuenow="50"' in partial.content


def test_committing_progress_is_read_from_the_side_file_on_sqlite(users, tree, login):
    from django.db import connection

    from dangvu.dataio.progress import JobProgress

    job = ImportJob.objects.create(
        organization=tree["C11"],
        created_by=users["bithu"],
        status="committing",
        total_rows=800,
        file="imports/x.xlsx",
    )
    progress = JobProgress(job.pk, transactional=True)
    progress(200, 800, force=True)
    if connection.vendor == "sqlite":
        assert job.progress() == (200, 800)
        assert job.percent() == 25
    progress.close()
    assert job.progress()[0] in (0, 200)


def test_upload_with_errors_shows_them_and_no_commit_button(
    users, tree, login, immediate_tasks, django_capture_on_commit_callbacks
):
    client = login(users["bithu"])
    rows = [row_dict(1), row_dict(2, **{"Chi bộ": "C21"}), row_dict(3, **{"Số CCCD": "12"})]
    upload(client, tree["C11"], rows, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == "validated" and job.error_rows == 2 and not job.can_commit
    html = client.get(reverse("dataio:job", args=[job.pk])).content.decode()
    assert "Không tìm thấy tổ chức “C21”" in html and "12 chữ số" in html
    assert reverse("dataio:job_commit", args=[job.pk]) not in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataio:job_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "validated" and Member.objects.count() == 1


def test_upload_rejects_bad_file_and_out_of_scope_organisation(users, tree, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(users["bithu"])
    r = client.post(
        reverse("dataio:import"),
        {
            "organization": tree["C11"].pk,
            "file": SimpleUploadedFile("a.xls", b"\xd0\xcf\x11\xe0xx"),
        },
    )
    assert r.status_code == 200 and "Chỉ nhận tệp Excel .xlsx" in r.content.decode()
    r = client.post(
        reverse("dataio:import"),
        {
            "organization": tree["C11"].pk,
            "file": xlsx_file([["a", "1/1/1990"]], ["Họ và tên", "Ngày sinh"]),
        },
    )
    assert "Thiếu cột bắt buộc" in r.content.decode()
    r = client.post(
        reverse("dataio:import"),
        {"organization": tree["C21"].pk, "file": xlsx_file(rows_from([row_dict(1)]))},
    )
    assert r.status_code == 200 and r.context["form"].errors.get("organization")
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize("who", NOT_IMPORTERS)
def test_read_only_roles_cannot_import(users, tree, login, who):
    client = login(users[who])
    assert client.get(reverse("dataio:import")).status_code == 403
    assert client.get(reverse("dataio:template")).status_code == 403
    r = client.post(
        reverse("dataio:import"),
        {"organization": tree["C11"].pk, "file": xlsx_file(rows_from([row_dict(1)]))},
    )
    assert r.status_code == 403 and ImportJob.objects.count() == 0


@pytest.mark.parametrize("who", IMPORTERS)
def test_importers_see_the_page_and_template(users, login, who):
    client = login(users[who])
    assert client.get(reverse("dataio:import")).status_code == 200
    r = client.get(reverse("dataio:template"))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")


# Who sees a job of bithu at C11, and may commit it.
JOB_ACCESS = {
    "admin": (200, True),
    "tochuc": (200, True),
    "bithu": (200, True),
    "btv": (200, False),
    "tuyengiao": (200, False),
    "kiemtra": (200, False),
    "vanphong": (200, False),
    "chibo": (200, False),
    "dangvien": (404, False),
}


@pytest.mark.parametrize("who", list(JOB_ACCESS))
def test_job_pages_follow_the_scope(
    users, tree, login, job_of, who, django_capture_on_commit_callbacks
):
    job = job_of(users["bithu"], tree["C11"])
    seen, commits = JOB_ACCESS[who]
    client = login(users[who])
    assert client.get(reverse("dataio:job", args=[job.pk])).status_code == seen
    assert client.get(reverse("dataio:job_progress", args=[job.pk])).status_code == seen
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("dataio:job_commit", args=[job.pk]))
    job.refresh_from_db()
    if commits:
        assert r.status_code == 302 and job.status == "done"
    else:
        assert r.status_code == (403 if seen == 200 else 404)
        assert job.status == "validated"


def test_job_outside_the_subtree_is_404(users, tree, login, job_of):
    job = job_of(users["tochuc"], tree["C21"])
    for who in ("bithu", "chibo"):
        client = login(users[who])
        assert client.get(reverse("dataio:job", args=[job.pk])).status_code == 404
        assert client.post(reverse("dataio:job_commit", args=[job.pk])).status_code == 404
    assert job.status == "validated"


def test_commit_revalidates_and_fails_cleanly_when_data_changed(
    users, tree, login, job_of, make_member, django_capture_on_commit_callbacks
):
    job = job_of(users["bithu"], tree["C11"])
    # Meanwhile someone in GC2 received card 93000002.
    make_member(tree["C21"], card_number="93000002")
    before = counts()
    client = login(users["bithu"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dataio:job_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "failed" and job.error_count == 1
    assert counts() == before
    assert "đã có trong hồ sơ của đảng viên khác" in job.errors[0]["message"]


# ---- exports -------------------------------------------------------------------------------


def xlsx_rows(response):
    content = b"".join(response.streaming_content)
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return list(wb.worksheets[0].iter_rows(values_only=True))


@pytest.fixture
def everywhere(tree, make_member):
    return {
        code: make_member(tree[code], full_name=f"Người Ở {code}")
        for code in ("C11", "C12", "C21", "GCELL")
    }


def test_member_export_of_bithu_contains_only_gc1_subtree(users, login, everywhere):
    client = login(users["bithu"])
    r = client.get(reverse("dataio:export_members"))
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    rows = xlsx_rows(r)
    assert rows[0][1] == "Họ và tên"
    names = {row[1] for row in rows[1:]}
    assert names == {"Người Ở C11", "Người Ở C12", "Trần Thị Đảng Viên"}
    assert {row[27] for row in rows[1:]} == {"C11", "C12"}

    r = client.get(reverse("dataio:export_members") + "?format=csv")
    text = b"".join(r.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffSTT,Họ và tên")
    names = {row[1] for row in list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]}
    assert names == {"Người Ở C11", "Người Ở C12", "Trần Thị Đảng Viên"}


def test_member_export_is_filtered_and_out_of_scope_filters_are_refused(
    users, tree, login, everywhere
):
    client = login(users["bithu"])
    r = client.get(
        reverse("dataio:export_members"), {"organization": tree["C12"].pk, "format": "csv"}
    )
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    assert [row[1] for row in csv.reader(io.StringIO(text))][1:] == ["Người Ở C12"]
    r = client.get(reverse("dataio:export_members"), {"organization": tree["C21"].pk})
    assert r.status_code == 400 and "Người Ở C21" not in r.content.decode()
    assert client.get(reverse("dataio:export_members"), {"format": "pdf"}).status_code == 400


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "tuyengiao",
            {"Người Ở C11", "Người Ở C12", "Người Ở C21", "Người Ở GCELL", "Trần Thị Đảng Viên"},
        ),
        ("chibo", {"Người Ở C11", "Trần Thị Đảng Viên"}),
        ("dangvien", {"Trần Thị Đảng Viên"}),
    ],
)
def test_member_export_scope_per_role(users, login, everywhere, who, expected):
    client = login(users[who])
    r = client.get(reverse("dataio:export_members"), {"format": "csv"})
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    assert {row[1] for row in csv.reader(io.StringIO(text))} - {"Họ và tên"} == expected


def test_organization_export_follows_scope_and_filters(users, tree, login):
    client = login(users["bithu"])
    rows = xlsx_rows(client.get(reverse("dataio:export_organizations")))
    assert rows[0][:3] == ("STT", "Mã tổ chức", "Tên tổ chức")
    assert [(r[1], r[5]) for r in rows[1:]] == [("GC1", "ROOT"), ("C11", "GC1"), ("C12", "GC1")]
    r = client.get(reverse("dataio:export_organizations"), {"format": "csv", "q": "thanh tra"})
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    assert [row[1] for row in csv.reader(io.StringIO(text))] == ["Mã tổ chức", "C12"]
    client = login(users["btv"])
    rows = xlsx_rows(client.get(reverse("dataio:export_organizations")))
    assert len(rows) == 1 + 7


def test_template_is_a_valid_import_file_with_lists_and_instructions(users, tree, login):
    from dangvu.dataio.reader import parse_member_sheet

    client = login(users["tochuc"])
    content = client.get(reverse("dataio:template")).content
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Danh sách đảng viên", "Danh mục", "Hướng dẫn"]
    ws = wb["Danh sách đảng viên"]
    assert ws.data_validations.dataValidation
    assert ws.column_dimensions["B"].width > 20
    result = parse_member_sheet(io.BytesIO(content))
    (sample,) = result.rows
    assert sample.errors == [] and sample.data["full_name"] == "Nguyễn Văn An"
