"""Writing an import's new members: the rows `members.services.member_create(origin="registry")`
writes (as `members.bulk.bulk_register_rows`), for a batch at once, with most of the work left to
the database.

- the members: one COPY (PostgreSQL) or multi-row INSERT … RETURNING id (SQLite) of rows built
  from the checked values, their search and sort columns computed with word caches
  (`search_text`: the same text as `core.text.normalize`, see below);
- their history, the events `admitted` / `recognised_official` and the open membership with
  their history: each one INSERT … SELECT from the members just written
  (`core.bulk.insert_select`, `insert_history_select`), so no row is built in Python and sent a
  second time. The event and membership values are those of `members.bulk` (`_admission_rows`,
  `_membership_row`), called once with column references in place of a member's values.
"""

import contextlib
import functools
import re

from django.db import connection
from django.utils.translation import gettext as _
from unidecode import unidecode

from dangvu.core.bulk import (
    Col,
    create_rows_with_history,
    ids_match,
    insert_history_select,
    insert_select,
)
from dangvu.core.text import name_sort_key
from dangvu.members.bulk import _admission_rows, _membership_row
from dangvu.members.models import Member, MemberEvent, Membership

_SPACES = re.compile(r"\s+")
SQLITE_CACHE_KIB = 256 * 1024


@functools.lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    return unidecode(word.replace("đ", "d").replace("Đ", "D")).lower()


def search_text(*parts: object) -> str:
    """`core.text.normalize(*parts)`, word by word through a cache (names reuse a few thousand
    words; unidecode costs about 10 µs a name). Exact: the replacement of đ, unidecode and the
    lower-casing of its ASCII output change each character on its own, so folding the pieces
    between spaces and joining them with spaces gives the folded whole."""
    text = " ".join(str(p) for p in parts if p not in (None, ""))
    if text.isascii():
        return _SPACES.sub(" ", text.lower()).strip()
    return _SPACES.sub(" ", " ".join(map(_fold, text.split(" ")))).strip()


class NewMemberWriter:
    """Writes batches of new members (values as `_check_new` gives them: the Member's field
    values with organisation and status) with their events, membership and history rows."""

    def __init__(self, *, user=None, history_attrs: dict | None = None):
        self.hist = {
            "default_user": user,
            "custom_historical_attrs": history_attrs or {},
        }
        note = _("Ghi nhận từ hồ sơ đảng viên.")
        member = (Col("id"), Col("organization_id"), Col("admission_date"))
        admitted = _admission_rows(*member, None, note=note)
        with_official = _admission_rows(*member, Col("official_date"), note=note)
        # the rows only a member with an official date gets (recognised_official)
        self.event_branches = [(row, "") for row in admitted] + [
            (row, "s.official_date IS NOT NULL") for row in with_official[len(admitted) :]
        ]
        self.membership_branches = [(_membership_row(*member), "")]

    def write(self, rows: list[dict]) -> list[int]:
        """Write the members of `rows` (dicts, completed in place with the derived columns)
        and everything member_create writes with them; returns their ids."""
        if not rows:
            return []
        for row in rows:
            row["search_text"] = search_text(
                row.get("full_name"),
                row.get("other_names"),
                row.get("card_number"),
                row.get("citizen_id"),
            )
            row["name_sort"] = name_sort_key(row.get("full_name", ""))
        ids = create_rows_with_history(rows, Member, **self.hist)
        by_member, params = ids_match("s.id", ids, Member._meta.pk)
        for model, branches in (
            (MemberEvent, self.event_branches),
            (Membership, self.membership_branches),
        ):
            insert_select(
                model, branches, source=Member, where=by_member, params=params, order_by="id"
            )
            where, p = ids_match("s.member_id", ids, Member._meta.pk)
            insert_history_select(model, where=where, params=p, order_by="id", **self.hist)
        return ids


@contextlib.contextmanager
def bulk_session():
    """SQLite: a page cache of `SQLITE_CACHE_KIB` for the import's connection while it writes.
    With the default 2 MiB the pages of the members' indexes do not fit: SQLite spills dirty
    pages to the WAL in the middle of the transaction and reads them back, a third of the
    writing time of a 100,000-row file. Spilling is off too (dirty pages stay in memory until
    the commit). The previous size and spilling are put back (the size is never lowered)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as c:
        c.execute("PRAGMA cache_size")
        before = c.fetchone()[0]
        c.execute("PRAGMA page_size")
        page = c.fetchone()[0]
        kib = -before if before < 0 else before * page // 1024
        if kib < SQLITE_CACHE_KIB:
            c.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
        c.execute("PRAGMA cache_spill")
        spill = c.fetchone()[0]
        c.execute("PRAGMA cache_spill = OFF")
    try:
        yield
    finally:
        with connection.cursor() as c:
            if kib < SQLITE_CACHE_KIB:
                c.execute(f"PRAGMA cache_size = {int(before)}")
            c.execute(f"PRAGMA cache_spill = {'ON' if spill else 'OFF'}")
