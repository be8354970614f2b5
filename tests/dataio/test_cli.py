"""manage.py import_members: exit codes, printed rows, nothing written on error or dry run."""

import pytest
from django.core.management import CommandError, call_command

from dangvu.members.models import Member

from .conftest import HEADERS, counts, row_dict, rows_from, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def write(tmp_path):
    def make(rows, headers=None, name="ds.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx_bytes(rows_from(rows, headers), headers))
        return str(path)

    return make


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_members", *args, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    return code, out.getvalue(), err.getvalue()


def test_valid_file_commits_and_exits_zero(tree, write):
    before = counts()
    code, out, err = run(write([row_dict(1), row_dict(2, **{"Chi bộ": "C12"})]), "--org", "C11")
    assert code == 0, err
    assert "Đã ghi vào hệ thống: 2 đảng viên mới" in out
    assert counts()[0] == before[0] + 2
    assert Member.objects.get(card_number="93000002").organization == tree["C12"]
    h = Member.history.filter(id=Member.objects.get(card_number="93000001").pk).get()
    assert h.source == "command" and h.history_user is None


def test_invalid_rows_are_printed_and_nothing_is_written(tree, write):
    before = counts()
    rows = [row_dict(1), row_dict(2, **{"Số CCCD": "999"}), row_dict(3, **{"Chi bộ": "KHONG"})]
    code, out, err = run(write(rows), "--org", "C11")
    assert code == 1
    assert "Dòng 3, cột Số CCCD: Số CCCD phải gồm đúng 12 chữ số." in err
    assert "Dòng 4, cột Chi bộ: Không tìm thấy tổ chức “KHONG”" in err
    assert "không ghi gì" in err
    assert counts() == before


def test_dry_run_prints_counts_and_writes_nothing(tree, write):
    before = counts()
    code, out, err = run(write([row_dict(1), row_dict(2)]), "--org", "C11", "--dry-run")
    assert code == 0
    assert "2 dòng: 2 thêm mới" in out and "--dry-run" in out
    assert counts() == before


def test_user_scope_applies(users, tree, write):
    code, out, err = run(
        write([row_dict(1, **{"Chi bộ": "C21"})]), "--org", "C11", "--user", "bithu"
    )
    assert code == 1 and "Dòng 2, cột Chi bộ" in err
    code, out, err = run(write([row_dict(1)]), "--org", "C11", "--user", "chibo")
    assert code == 1 and "phạm vi" in err
    code, out, err = run(write([row_dict(1)]), "--org", "C11", "--user", "bithu")
    assert code == 0
    h = Member.history.get(id=Member.objects.get(card_number="93000001").pk)
    assert h.history_user == users["bithu"]


def test_bad_files_and_arguments(tree, write, tmp_path):
    code, _o, err = run(
        write([row_dict(1)], [h for h in HEADERS if h != "Ngày sinh"]), "--org", "C11"
    )
    assert code == 1 and "Thiếu cột bắt buộc: Ngày sinh" in err
    garbage = tmp_path / "x.xlsx"
    garbage.write_bytes(b"PK\x03\x04 not a zip")
    code, _o, err = run(str(garbage), "--org", "C11")
    assert code == 1 and "Không đọc được tệp Excel" in err
    code, _o, err = run(str(tmp_path / "missing.xlsx"), "--org", "C11")
    assert code == 1 and "Không tìm thấy tệp" in err
    code, _o, err = run(write([row_dict(1)]), "--org", "NOPE")
    assert code == 1 and "Không có tổ chức mã “NOPE”" in err
    code, _o, err = run(write([]), "--org", "C11")
    assert code == 1 and "không có dòng dữ liệu" in err
