"""An exported list re-imports unchanged: 0 new, N updates without changes, identical data."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse

from dangvu.dataio.services import commit_import, preview_import
from dangvu.members.models import Member

from .conftest import counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied(tree, make_member):
    """Members with every kind of value: blanks, leading zeros, choices, probationary."""
    return [
        make_member(
            tree["C11"],
            full_name="Đặng Thị Ánh Tuyết",
            other_names="Tuyết",
            gender="female",
            phone="0912000111",
            email="tuyet@example.vn",
            birth_place="Hà Nội",
            hometown="Xã Đông Hội, huyện Đông Anh",
            ethnicity="Ê Đê",
            religion="Phật giáo Hòa Hảo",
            general_education="thcs",
            professional_degree="vocational",
            professional_field="Kế toán",
            political_theory="bachelor",
            state_management="principal",
            foreign_language="Tiếng Anh B1",
            occupation="Công chức",
            position="Phó Chánh Văn phòng",
            workplace="Sở Tài chính",
            admission_place="Chi bộ Văn phòng",
            introducers="Nguyễn Văn A, Lê Thị B",
        ),
        make_member(tree["C11"], full_name="Ông Văn Dự Bị", official_date=None),
        make_member(tree["C12"], full_name="Bùi Văn Không Thẻ", card_number=None),
        make_member(tree["C21"], full_name="Người Ngoài Phạm Vi"),
    ]


def snapshot():
    skip = {"search_text", "name_sort", "updated_at", "created_at"}
    return {
        m.pk: {k: v for k, v in model_to_dict(m).items() if k not in skip}
        for m in Member.objects.all()
    }


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_is_unchanged(users, tree, login, varied, fmt):
    client = login(users["bithu"])
    response = client.get(
        reverse("dataio:export_members"), {"format": fmt, "organization": tree["GC1"].pk}
    )
    content = b"".join(response.streaming_content)
    exported = SimpleUploadedFile(f"xuat.{fmt}", content)
    before, before_counts = snapshot(), counts()

    result = preview_import(exported, actor=users["bithu"], default_organization=tree["C11"])
    assert result.ok, result.errors
    # bithu's subtree: the three members made here and the fixture's own member.
    assert (result.total_rows, result.new_count) == (4, 0)
    assert result.update_count == result.unchanged_count == 4
    assert {p["action"] for p in result.preview} == {"unchanged"}

    exported.seek(0)
    result = commit_import(exported, actor=users["bithu"], default_organization=tree["C11"])
    assert result.committed and result.changed_count == 0
    assert snapshot() == before
    assert counts() == before_counts  # not even a history row


def test_export_with_a_change_reimports_as_one_update(users, tree, login, varied):
    import openpyxl

    client = login(users["tochuc"])
    content = b"".join(client.get(reverse("dataio:export_members")).streaming_content)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb.active
    phone_col = [c.value for c in ws[1]].index("Điện thoại") + 1
    for row in ws.iter_rows(min_row=2):
        if row[1].value == "Ông Văn Dự Bị":
            row[phone_col - 1].value = "0988777666"
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    result = commit_import(buf, actor=users["tochuc"], default_organization=None)
    assert result.committed and result.new_count == 0
    assert result.changed_count == 1 and result.unchanged_count == 4
    assert Member.objects.get(full_name="Ông Văn Dự Bị").phone == "0988777666"
