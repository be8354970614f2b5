"""Import jobs over the API: scope of list/retrieve, who may upload and commit, the whole flow."""

import pytest
from rest_framework.test import APIClient

from dangvu.dataio.models import ImportJob
from dangvu.members.models import Member

from .conftest import counts, row_dict, rows_from, xlsx_file

pytestmark = pytest.mark.django_db

LIST = "/api/imports/"


@pytest.fixture
def api():
    from rest_framework.authtoken.models import Token

    def as_user(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return as_user


def post_file(client, org, rows, capture):
    with capture(execute=True):
        return client.post(
            LIST,
            {"organization": org.pk, "file": xlsx_file(rows_from(rows))},
            format="multipart",
        )


def test_anonymous_is_refused(api, users):
    assert api(None).get(LIST).status_code in (401, 403)
    assert api(None).post(LIST, {}).status_code in (401, 403)


def test_upload_poll_commit(api, users, tree, immediate_tasks, django_capture_on_commit_callbacks):
    client = api(users["bithu"])
    before = counts()
    r = post_file(
        client, tree["C11"], [row_dict(1), row_dict(2)], django_capture_on_commit_callbacks
    )
    assert r.status_code == 202, r.content
    job_id = r.json()["id"]
    assert r.json()["status"] == "uploaded"  # validation is queued on commit of the upload
    detail = client.get(f"{LIST}{job_id}/").json()
    assert detail["status"] == "validated" and detail["new_count"] == 2
    assert detail["can_commit"] and detail["percent"] == 100
    assert [p["action"] for p in detail["preview"]] == ["new", "new"]
    assert counts() == before
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"{LIST}{job_id}/commit/")
    assert r.status_code == 202
    assert ImportJob.objects.get(pk=job_id).status == "done"
    assert Member.objects.filter(card_number__in=["93000001", "93000002"]).count() == 2
    # Again: refused with a Vietnamese 400.
    r = client.post(f"{LIST}{job_id}/commit/")
    assert r.status_code == 400 and "đã được ghi" in str(r.json())


def test_upload_errors_are_listed_with_row_and_column(
    api, users, tree, immediate_tasks, django_capture_on_commit_callbacks
):
    client = api(users["bithu"])
    r = post_file(
        client, tree["C11"], [row_dict(1, **{"Chi bộ": "C21"})], django_capture_on_commit_callbacks
    )
    job = client.get(f"{LIST}{r.json()['id']}/").json()
    assert job["errors"] == [
        {
            "row": 2,
            "column": "Chi bộ",
            "message": "Không tìm thấy tổ chức “C21” trong phạm vi bạn được thêm đảng viên "
            "(ghi mã tổ chức hoặc đúng tên tổ chức).",
        }
    ]
    assert not job["can_commit"]
    assert client.post(f"{LIST}{job['id']}/commit/").status_code == 400


@pytest.mark.parametrize("who", ["btv", "tuyengiao", "kiemtra", "vanphong", "chibo", "dangvien"])
def test_roles_without_add_cannot_upload(api, users, tree, who, django_capture_on_commit_callbacks):
    r = post_file(api(users[who]), tree["C11"], [row_dict(1)], django_capture_on_commit_callbacks)
    assert r.status_code == 403
    assert ImportJob.objects.count() == 0


def test_upload_to_an_organisation_outside_the_scope_is_400(
    api, users, tree, django_capture_on_commit_callbacks
):
    r = post_file(
        api(users["bithu"]), tree["C21"], [row_dict(1)], django_capture_on_commit_callbacks
    )
    assert r.status_code == 400 and "organization" in r.json()
    r = api(users["bithu"]).post(
        LIST,
        {"organization": tree["C11"].pk, "file": xlsx_file([["x", "y"]], ["a", "b"])},
        format="multipart",
    )
    assert r.status_code == 400 and "dòng tiêu đề" in str(r.json()["file"])
    assert ImportJob.objects.count() == 0


@pytest.fixture
def jobs(users, tree, immediate_tasks, django_capture_on_commit_callbacks):
    from dangvu.dataio.jobs import create_import_job

    out = {}
    for name, user, org, n in (("gc1", "bithu", "C11", 1), ("gc2", "tochuc", "C21", 2)):
        with django_capture_on_commit_callbacks(execute=True):
            out[name] = create_import_job(
                actor=users[user], file=xlsx_file(rows_from([row_dict(n)])), organization=tree[org]
            )
    return out


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("admin", {"gc1", "gc2"}),
        ("tochuc", {"gc1", "gc2"}),
        ("btv", {"gc1", "gc2"}),
        ("tuyengiao", {"gc1", "gc2"}),
        ("bithu", {"gc1"}),
        ("chibo", {"gc1"}),
        ("dangvien", set()),
    ],
)
def test_list_and_retrieve_follow_the_scope(api, users, jobs, who, visible):
    client = api(users[who])
    r = client.get(LIST)
    assert r.status_code == 200
    ids = {row["id"] for row in r.json()["results"]}
    assert ids == {jobs[k].pk for k in visible}
    for key, job in jobs.items():
        assert client.get(f"{LIST}{job.pk}/").status_code == (200 if key in visible else 404)


@pytest.mark.parametrize(
    ("who", "gc1", "gc2"),
    [
        ("btv", 403, 403),
        ("chibo", 403, 404),
        ("bithu", 202, 404),
        ("tochuc", 202, 202),
        ("dangvien", 404, 404),  # cannot even see jobs
    ],
)
def test_commit_permissions(api, users, jobs, who, gc1, gc2, django_capture_on_commit_callbacks):
    client = api(users[who])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{LIST}{jobs['gc1'].pk}/commit/").status_code == gc1
        assert client.post(f"{LIST}{jobs['gc2'].pk}/commit/").status_code == gc2


def test_filters(api, users, jobs, tree):
    client = api(users["tochuc"])
    r = client.get(LIST, {"organization": tree["GC2"].pk})
    assert [row["id"] for row in r.json()["results"]] == [jobs["gc2"].pk]
    r = client.get(LIST, {"status": "done"})
    assert r.json()["results"] == []
