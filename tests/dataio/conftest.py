"""Fixtures for import/export tests: files built in memory, a private directory per test, and
the immediate task backend so jobs run inline."""

import datetime as dt
import io

import openpyxl
import pytest

from dangvu.dataio.columns import MEMBER_COLUMNS
from dangvu.members.validators import citizen_id_for

HEADERS = [c.header for c in MEMBER_COLUMNS]


@pytest.fixture(autouse=True)
def _private_dir(settings, tmp_path):
    settings.DANGVU_PRIVATE_ROOT = str(tmp_path / "private")


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def xlsx_bytes(rows, headers=None, *, title="Danh sách đảng viên", before=()) -> bytes:
    """An .xlsx with optional rows above the header (titles), the header row, then rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in before:
        ws.append(list(r))
    ws.append(list(headers or HEADERS))
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_file(rows, headers=None, name="ds.xlsx", **kw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name,
        xlsx_bytes(rows, headers, **kw),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def row_dict(n: int, **overrides) -> dict:
    """Values of one valid row keyed by header (n makes names and keys unique)."""
    dob = overrides.pop("dob", dt.date(1980 + n % 20, 1 + n % 12, 1 + n % 28))
    gender = overrides.pop("gender_value", "female" if n % 2 else "male")
    values = {
        "STT": n,
        "Họ và tên": f"Lê Thị Nhập {n}",
        "Giới tính": "Nữ" if gender == "female" else "Nam",
        "Ngày sinh": dob,
        "Dân tộc": "Kinh",
        "Tôn giáo": "Không",
        "Số CCCD": citizen_id_for("001", gender, dob.year, 500000 + n),
        "Số thẻ đảng viên": str(93000000 + n),
        "Ngày vào Đảng": dt.date(2012, 3, 3),
        "Ngày chính thức": dt.date(2013, 3, 3),
        "Trình độ chuyên môn": "Đại học",
        "Lý luận chính trị": "Trung cấp",
        "Giáo dục phổ thông": "12/12",
        "Chi bộ": "",
    }
    values.update(overrides)
    return values


def rows_from(dicts, headers=None):
    headers = headers or HEADERS
    return [[d.get(h, "") for h in headers] for d in dicts]


def counts():
    from dangvu.members.models import Member, MemberEvent, Membership

    return (
        Member.objects.count(),
        MemberEvent.objects.count(),
        Membership.objects.count(),
        Member.history.count(),
        MemberEvent.history.count(),
        Membership.history.count(),
    )
