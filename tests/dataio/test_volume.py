"""A generated 2,000-row file imports in reasonable time, with a fixed number of queries per batch."""

import datetime as dt
import io
import time

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.dataio.columns import MEMBER_COLUMNS
from dangvu.dataio.services import commit_import, preview_import
from dangvu.members.models import Member, MemberEvent, Membership
from dangvu.members.validators import citizen_id_for

pytestmark = pytest.mark.django_db

N = 2000


def generated_file(n: int) -> io.BytesIO:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách đảng viên")
    headers = [c.header for c in MEMBER_COLUMNS]
    ws.append(headers)
    cells = ["C11", "C12"]
    for i in range(n):
        dob = dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
        gender = "female" if i % 2 else "male"
        row = {
            "STT": i + 1,
            "Họ và tên": f"Nguyễn Văn Khối {i}",
            "Giới tính": "Nữ" if gender == "female" else "Nam",
            "Ngày sinh": dob,
            "Quê quán": "Xã Đông Hội, huyện Đông Anh",
            "Dân tộc": "Kinh",
            "Tôn giáo": "Không",
            "Số CCCD": citizen_id_for("001", gender, dob.year, 700000 + i),
            "Điện thoại": "0912345678",
            "Giáo dục phổ thông": "12/12",
            "Trình độ chuyên môn": "Đại học",
            "Lý luận chính trị": "Trung cấp",
            "Số thẻ đảng viên": str(60000000 + i),
            "Ngày vào Đảng": dt.date(2000 + i % 20, 5, 19),
            "Ngày chính thức": dt.date(2001 + i % 20, 5, 19) if i % 5 else None,
            "Chi bộ": cells[i % 2],
        }
        ws.append([row.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_two_thousand_rows(users, tree):
    data = generated_file(N)
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        result = preview_import(data, actor=users["bithu"], default_organization=tree["C11"])
    preview_seconds = time.monotonic() - started
    assert result.ok and result.new_count == N
    # A fixed number of queries per batch of 500 rows, not per row (rules are memoised per date).
    assert len(queries) < 250, len(queries)

    data.seek(0)
    started = time.monotonic()
    result = commit_import(data, actor=users["bithu"], default_organization=tree["C11"])
    commit_seconds = time.monotonic() - started
    assert result.committed
    assert Member.objects.filter(card_number__startswith="6").count() == N
    assert MemberEvent.objects.filter(member__card_number__startswith="6").count() == N + N * 4 // 5
    assert Membership.objects.filter(member__card_number__startswith="6").count() == N
    assert Member.history.filter(card_number__startswith="6").count() == N
    assert preview_seconds + commit_seconds < 20, (preview_seconds, commit_seconds)

    # Re-importing the same file: every row is an unchanged update.
    data.seek(0)
    result = preview_import(data, actor=users["bithu"], default_organization=tree["C11"])
    assert (result.new_count, result.update_count, result.unchanged_count) == (0, N, N)
