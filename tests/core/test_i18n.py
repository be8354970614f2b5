"""English UI: the language switch, key screens in English, and a complete English catalogue.

The catalogue tests read only the committed catalogue (django.po and the compiled django.mo),
never the source code: a new Vietnamese string added in code does not fail them until someone
runs `make messages`, and then the untranslated entries are listed by name.
"""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LOCALE_DIR / "django.po"
MO = LOCALE_DIR / "django.mo"

# Navigation and menu labels that must not be left in Vietnamese on an English page.
VI_NAV = ["Trang chủ", "Tổ chức đảng", ">Đảng viên<", "Sổ quy tắc", "Đăng xuất", "Ngôn ngữ"]
EN_NAV = ["Home", "Party organisations", ">Party members<", "Rulebook", "Sign out", "Language"]


@pytest.fixture(autouse=True)
def _restore_language():
    """Requests activate the language for the thread; later tests expect Vietnamese."""
    before = translation.get_language()
    yield
    if before:
        translation.activate(before)
    else:
        translation.deactivate()


def switch(client, language, next_url="/"):
    resp = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert resp.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    return client


def page(client, name, *args):
    resp = client.get(reverse(name, args=args))
    assert resp.status_code == 200
    return resp.content.decode()


def assert_english(html):
    assert '<html lang="en">' in html
    for label in EN_NAV:
        assert label in html, label
    left = [label for label in VI_NAV if label in html]
    assert not left, f"untranslated navigation labels: {left}"


# --- screens ---------------------------------------------------------------------------------------


def test_default_language_is_vietnamese(users, login):
    html = page(login(users["tochuc"]), "core:home")
    assert '<html lang="vi">' in html
    for label in VI_NAV:
        assert label in html


def test_home_in_english(users, login):
    html = page(switch(login(users["tochuc"]), "en"), "core:home")
    assert_english(html)
    for text in ["Active party members", "Official members", "Party members", "Figures as of"]:
        assert text in html, text
    for text in ["Đảng viên đang sinh hoạt", "Đảng viên chính thức", "Số liệu đến ngày"]:
        assert text not in html, text


def test_member_list_and_detail_in_english(users, login):
    client = switch(login(users["tochuc"]), "en")
    html = page(client, "members:list")
    assert_english(html)
    assert "Filters" in html and "Clear filters" in html
    assert '<span class="badge status-badge status-official">Official</span>' in html
    assert ">Chính thức<" not in html and "Bộ lọc" not in html

    member = users["dangvien"].member
    html = page(client, "members:detail", member.pk)
    assert_english(html)
    for text in ["Personal details", "Party age", "Timeline", "Party membership periods", "years"]:
        assert text in html, text
    # the event menu names events (context "member event"), the badge names the status
    assert "Removal from the rolls" in html and "Expulsion" in html
    for text in ["Sơ yếu lý lịch", "Tuổi đảng", " năm"]:
        assert text not in html, text


def test_organisation_tree_in_english(users, login):
    html = page(switch(login(users["tochuc"]), "en"), "organizations:tree")
    assert_english(html)
    assert "Find organisation" in html and "Show dissolved organisations" in html
    assert "Grassroots party committee" in html  # type label (badge title)
    assert "Tìm tổ chức" not in html and "Đảng bộ cơ sở<" not in html


def test_rulebook_in_english(users, login):
    html = page(switch(login(users["btv"]), "en"), "core:rulebook")
    assert_english(html)
    assert "Admission of party members" in html and "Cell meetings" in html
    assert '216</span> <span class="text-muted">months' in html
    # regulation names are citations and stay as written
    assert "Quy định 232-QĐ/TW" in html
    assert "Kết nạp đảng viên" not in html


def test_switching_back_to_vietnamese(users, login):
    client = switch(login(users["tochuc"]), "en")
    assert "Party organisations" in page(client, "core:home")
    html = page(switch(client, "vi"), "core:home")
    assert '<html lang="vi">' in html
    for label in VI_NAV:
        assert label in html
    assert "Party organisations" not in html and "Rulebook" not in html


# --- the catalogue ---------------------------------------------------------------------------------


def _unquote(text):
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], text[1:-1])


def parse_po(path):
    """Entries of a .po file: dicts with msgctxt, msgid, msgid_plural, msgstr {index: text}, flags."""
    entries, entry, field = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": {}, "flags": []}
        if line.startswith("#,"):
            entry["flags"] += [f.strip() for f in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            keyword, _, value = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match or keyword == "msgstr":
                field = ("msgstr", int(match.group(1)) if match else 0)
                entry["msgstr"][field[1]] = _unquote(value)
            else:
                assert keyword in ("msgctxt", "msgid", "msgid_plural"), line
                field = (keyword, None)
                entry[keyword] = _unquote(value)
    return entries


def label(entry):
    return (f"[{entry['msgctxt']}] " if entry["msgctxt"] else "") + entry["msgid"]


@pytest.fixture(scope="module")
def catalogue():
    entries = parse_po(PO)
    assert entries and entries[0]["msgid"] == ""
    return entries


def test_catalogue_header(catalogue):
    header = catalogue[0]["msgstr"][0]
    assert "Language: en\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header
    assert "charset=UTF-8" in header


def test_every_entry_is_translated(catalogue):
    missing = []
    for entry in catalogue[1:]:
        forms = entry["msgstr"]
        expected = {0, 1} if entry["msgid_plural"] is not None else {0}
        if set(forms) != expected or not all(forms.values()) or "fuzzy" in entry["flags"]:
            missing.append(label(entry))
    assert not missing, f"{len(missing)} untranslated or fuzzy entries in {PO.name}:\n" + "\n".join(
        missing
    )


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}|</?\w+>")


def test_translations_keep_placeholders_and_tags(catalogue):
    wrong = []
    for entry in catalogue[1:]:
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for text in entry["msgstr"].values():
            if text and sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"{label(entry)} → {text}")
    assert not wrong, "placeholders or tags differ:\n" + "\n".join(wrong)


def test_compiled_catalogue_matches_po(catalogue):
    """django.mo is committed so a fresh clone runs without gettext: it must be current."""
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog
    expected = {}
    for entry in catalogue[1:]:
        key = (entry["msgctxt"] + "\x04" if entry["msgctxt"] else "") + entry["msgid"]
        if entry["msgid_plural"] is not None:
            for i, text in entry["msgstr"].items():
                expected[(key, i)] = text
        else:
            expected[key] = entry["msgstr"][0]
    compiled = {k: v for k, v in compiled.items() if k != ""}
    stale = sorted(str(k) for k in expected.keys() ^ compiled.keys())
    stale += sorted(str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k])
    assert not stale, "django.mo is out of date; run `manage.py compilemessages`:\n" + "\n".join(
        stale[:50]
    )
