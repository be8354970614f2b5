"""Database-side helpers of member search, kept in step with `members_member.search_text` by
triggers, so every writer (ORM, bulk COPY, the dataset loader) updates them:

- PostgreSQL: `member_search_word`, the distinct words of the names (words with digits, i.e. card
  and citizen numbers, left out). The typo fallback of `MemberQuerySet.search` corrects a term
  against it (a few thousand words) instead of comparing the query with every member.
  Statement-level triggers add the words of each INSERT/UPDATE statement (one query per COPY
  chunk, not one per row). Words are never removed: a stale word only makes a correction find
  nothing.
- SQLite: `member_search_fts`, an FTS5 index of `search_text` with external content (no copy of
  the text). SQLite's LIKE is case-insensitive and cannot use the plain index on search_text;
  an FTS5 prefix query selects the candidate rows through an index instead of reading them all.

SQLite's ALTER TABLE rebuilds a table under a new name and drops its triggers, so `ensure()` runs
after every `migrate` (post_migrate) and reinstalls missing triggers, rebuilding the index.
"""

import itertools

from dangvu.core.text import one_edit_variants_by_kind

WORD_TABLE = "member_search_word"
FTS_TABLE = "member_search_fts"
SPACED_STATS = "member_search_spaced_stats"

_PG_CREATE = [
    f'CREATE TABLE IF NOT EXISTS {WORD_TABLE} (word text COLLATE "C" PRIMARY KEY)',
    f"""
    CREATE OR REPLACE FUNCTION member_search_words_add() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {WORD_TABLE} (word)
        SELECT DISTINCT w FROM new_rows, unnest(string_to_array(new_rows.search_text, ' ')) AS w
        WHERE w <> '' AND w !~ '[0-9]'
        ORDER BY 1
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$
    """,
    # statistics on the expression common name words are tested with (MemberQuerySet._match),
    # so the planner knows "% nguyen%" keeps ~38 % of the rows instead of guessing 0.5 %
    f"CREATE STATISTICS IF NOT EXISTS {SPACED_STATS} ON ((' ' || search_text)) FROM members_member",
]
# The keys index (migration 0011) keeps the frequencies of its 1,000 most common keys, not 100:
# with the default, a search for "ha chi" (the pairs of the 12 words "ha" begins and the 3 "chi"
# begins, 755 members) was guessed at 19,577 rows and its page joined all 304,000 organisations
# by hash (94 ms) instead of looking up the 50 it shows (3 ms). A bulk load that rebuilds the
# index loses the setting: `install` puts it back.
KEYS_STATISTICS = "ALTER INDEX IF EXISTS member_search_keys_idx ALTER COLUMN 1 SET STATISTICS 1000"
_PG_TRIGGERS = {
    "member_search_words_ins": "INSERT",
    "member_search_words_upd": "UPDATE",
}
_PG_FILL = f"""
    INSERT INTO {WORD_TABLE} (word)
    SELECT DISTINCT w FROM members_member, unnest(string_to_array(search_text, ' ')) AS w
    WHERE w <> '' AND w !~ '[0-9]'
    ON CONFLICT DO NOTHING
"""

_SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "search_text, content='members_member', content_rowid='id', prefix='2 3 4 5 6 7')"
)  # prefix indexes: a term is a word beginning; "nguyen"* reads 1 doclist, not a merge (5 vs 37 ms)
_SQLITE_TRIGGERS = {
    "member_search_fts_ai": (
        "AFTER INSERT ON members_member BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    "member_search_fts_ad": (
        "AFTER DELETE ON members_member BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    ),
    "member_search_fts_au": (
        "AFTER UPDATE OF search_text ON members_member BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}


def _pg_trigger_sql(name: str, event: str) -> str:
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON members_member "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION member_search_words_add()"
    )


def install(connection, *, fill: bool) -> None:
    """Create the table/index and its triggers; `fill` indexes the rows already there."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            for sql in [*_PG_CREATE, KEYS_STATISTICS]:
                c.execute(sql)
            for name, event in _PG_TRIGGERS.items():
                c.execute(f"DROP TRIGGER IF EXISTS {name} ON members_member")
                c.execute(_pg_trigger_sql(name, event))
            if fill:
                c.execute(_PG_FILL)
                c.execute("ANALYZE members_member")
        elif connection.vendor == "sqlite":
            c.execute(_SQLITE_CREATE)
            for name, body in _SQLITE_TRIGGERS.items():
                c.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            if fill:
                c.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
                # a table rebuild (what dropped the triggers) also drops the table's planner
                # statistics: without them a province's capped search page sorted every match
                # by name instead of walking the name index (23 → 31 ms at p95)
                c.execute("ANALYZE members_member")


def suspend(connection) -> None:
    """Drop the triggers only, for a bulk load that calls `install(connection, fill=True)` at
    its end: one pass over the loaded rows instead of a trigger per COPY chunk (PostgreSQL
    kept a transition table of every row) or per row (SQLite)."""
    names = _PG_TRIGGERS if connection.vendor == "postgresql" else _SQLITE_TRIGGERS
    if connection.vendor not in ("postgresql", "sqlite") or not installed(connection):
        return
    with connection.cursor() as c:
        for name in names:
            on = " ON members_member" if connection.vendor == "postgresql" else ""
            c.execute(f"DROP TRIGGER IF EXISTS {name}{on}")


def uninstall(connection) -> None:
    setattr(connection, _INSTALLED, False)
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            for name in _PG_TRIGGERS:
                c.execute(f"DROP TRIGGER IF EXISTS {name} ON members_member")
            c.execute("DROP FUNCTION IF EXISTS member_search_words_add()")
            c.execute(f"DROP TABLE IF EXISTS {WORD_TABLE}")
            c.execute(f"DROP STATISTICS IF EXISTS {SPACED_STATS}")
        elif connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                c.execute(f"DROP TRIGGER IF EXISTS {name}")
            c.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def ensure(connection) -> None:
    """After migrations: put back triggers a table rebuild dropped, and re-index if so."""
    if connection.vendor not in ("postgresql", "sqlite") or not installed(connection):
        return
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'members_member'::regclass "
                "AND tgname = ANY(%s)",
                [list(_PG_TRIGGERS)],
            )
            missing = c.fetchone()[0] < len(_PG_TRIGGERS)
        else:
            c.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'members_member' AND name LIKE 'member_search_fts_%'"
            )
            missing = c.fetchone()[0] < len(_SQLITE_TRIGGERS)
    if missing:
        install(connection, fill=True)


def on_post_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    ensure(connections[using])


_INSTALLED = "_dangvu_member_search_index"


def installed(connection) -> bool:
    """Whether migration 0006 created the search table; remembered on the connection once true."""
    if getattr(connection, _INSTALLED, False):
        return True
    table = WORD_TABLE if connection.vendor == "postgresql" else FTS_TABLE
    ok = table in connection.introspection.table_names()
    if ok:
        setattr(connection, _INSTALLED, True)
    return ok


def _fts_rowids_class():
    from django.db.models.expressions import RawSQL

    class FtsRowids(RawSQL):
        """The FTS5 sub-query, recognisable in a query's WHERE (`drive_by_name_order`)."""

    return FtsRowids


_FtsRowids = None


def fts_candidates(connection, terms):
    """SQLite: the ids whose FTS5 tokens begin with every term, as a sub-query for `pk__in`
    (a superset of the word-prefix LIKE match, which still filters them); None when unusable."""
    import re

    global _FtsRowids
    if _FtsRowids is None:
        _FtsRowids = _fts_rowids_class()
    phrases = []
    for t in terms:
        tokens = re.findall(r"[a-z0-9]+", t)
        if tokens:
            phrases.append('"' + " ".join(tokens) + '"*')
    if not phrases or not installed(connection):
        return None
    return _FtsRowids(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [" AND ".join(phrases)]
    )


def drive_by_name_order(qs):
    """SQLite, many matches: the same rows with the FTS5 test written `+id IN (…)`, which SQLite
    cannot use to drive the query, so it walks the name index and stops at a page (reading a
    few hundred rows) instead of sorting every match (77,000 for "nguyen" in a province)."""
    from django.db.models import Func

    if _FtsRowids is None:
        return qs
    qs = qs._chain()
    children = qs.query.where.children
    for i, child in enumerate(children):
        if isinstance(getattr(child, "rhs", None), _FtsRowids):
            plus = Func(child.lhs, template="+%(expressions)s", output_field=child.lhs.output_field)
            children[i] = child.__class__(plus, child.rhs)
    return qs


class Words:
    """PostgreSQL: the known name words, to tell typos from words and correct them."""

    def __init__(self, connection):
        self.connection = connection

    def known_prefixes(self, candidates) -> set[str]:
        """Those of `candidates` that begin some known word (one index probe each)."""
        candidates = sorted(set(candidates))
        if not candidates:
            return set()
        with self.connection.cursor() as c:
            c.execute(
                f"SELECT t FROM unnest(%s::text[]) AS t WHERE EXISTS (SELECT 1 FROM {WORD_TABLE} w "
                'WHERE w.word >= t COLLATE "C" AND w.word < (t || chr(127)) COLLATE "C")',
                [candidates],
            )
            return {row[0] for row in c.fetchall()}

    @staticmethod
    def _wordlike(term: str) -> bool:
        return not has_digit(term)

    def unknown(self, terms) -> list[str]:
        """The terms (without digits: numbers are not in the word list) that begin no known word."""
        wordlike = [t for t in dict.fromkeys(terms) if self._wordlike(t)]
        known = self.known_prefixes(wordlike)
        return [t for t in wordlike if t not in known]

    def expand(self, beginnings) -> dict[str, list[str]]:
        """{beginning: the known words it begins} for the given word beginnings, in one query:
        a search term stands for these words in the exact keys (`search_keys_condition`)."""
        beginnings = sorted(set(beginnings))
        out: dict[str, list[str]] = {b: [] for b in beginnings}
        if not beginnings:
            return out
        with self.connection.cursor() as c:
            c.execute(
                f"SELECT b, w.word FROM unnest(%s::text[]) AS b JOIN {WORD_TABLE} w "
                'ON w.word >= b COLLATE "C" AND w.word < (b || chr(127)) COLLATE "C"',
                [beginnings],
            )
            for b, word in c.fetchall():
                out[b].append(word)
        return out

    def known_words(self, candidates) -> set[str]:
        """Those of `candidates` that are known words."""
        candidates = sorted(set(candidates))
        if not candidates:
            return set()
        with self.connection.cursor() as c:
            c.execute(
                f"SELECT t FROM unnest(%s::text[]) AS t JOIN {WORD_TABLE} w "
                'ON w.word = t COLLATE "C"',
                [candidates],
            )
            return {row[0] for row in c.fetchall()}

    def corrections(self, terms, *, beginnings: bool) -> dict[str, list[str]]:
        """{term: [known words one slip away]} for the terms of 3+ letters that have any.

        Only the most likely kind of slip that gives known words counts (swapped letters, then
        a missing letter, one too many, a wrong one: "hah" is "hanh", not also "hai", "hau"),
        which keeps the corrected search narrow; and a slip rarely touches the first letter, so
        corrections keep it (or swap the first two): "hng" is "hang", "hong", "hung", not "ang".
        Whole words only; with `beginnings`, a term with no such word may be corrected to known
        word beginnings (a slip in a name typed halfway). Without it (the term is a known word
        beginning already), the term's own beginnings ("hun" for "hung") are left out: they
        would only widen it.
        """
        kinds = {}
        for t in dict.fromkeys(terms):
            if len(t) < 3 or not self._wordlike(t):
                continue
            swapped = t[1] + t[0] + t[2:]
            kinds[t] = [
                {
                    v
                    for v in kind
                    if len(v) >= 3
                    and (v[0] == t[0] or v == swapped)
                    and not v.startswith(t)
                    and (beginnings or not t.startswith(v))
                }
                for kind in one_edit_variants_by_kind(t)
            ]
        if not kinds:
            return {}
        every = set().union(*(v for ks in kinds.values() for v in ks))
        words = self.known_words(every)
        out = {}
        for t, ks in kinds.items():
            best = next((k & words for k in ks if k & words), None)
            if best:
                out[t] = sorted(best)
        rest = [t for t in kinds if t not in out] if beginnings else []
        if rest:
            known = self.known_prefixes(set().union(*(v for t in rest for v in kinds[t])))
            for t in rest:
                best = next((k & known for k in kinds[t] if k & known), None)
                if best:
                    out[t] = sorted(best)
        return out


# Past this many pair keys for two terms ("n" and "t" typed alone), the terms are looked up one
# by one: a GIN lookup per key costs more than the intersection it saves.
MAX_PAIR_KEYS = 2_000


def has_digit(term: str) -> bool:
    return any(ch.isdigit() for ch in term)


def search_keys_condition(words_of: dict, number_terms):
    """PostgreSQL: the rows whose name words begin with every term, through the GIN index on
    `member_search_keys(…)` (migration 0011); None when some term can match nothing.

    `words_of`: {term: the known words it stands for} for the terms without digits. Two terms
    are looked up as their pairs of words, a member holding both ("nguyen hung" is the key
    "hung nguyen"), or one word both begin ("ng nguyen"); consecutive terms are paired, so every
    term is in a pair. A term with digits is the start of a card or citizen number, or a whole
    word of the name ("Thử 812"). Returns (Q on the alias `_search_keys`, the keys expression).
    """
    from django.contrib.postgres.fields import ArrayField
    from django.db import models

    keys = models.Func(
        models.F("search_text"),
        models.F("card_number"),
        models.F("citizen_id"),
        function="member_search_keys",
        output_field=ArrayField(models.TextField()),
    )
    q = models.Q()
    terms = list(words_of)
    if any(not words_of[t] for t in terms):
        return None
    if len(terms) == 1:
        q &= models.Q(_search_keys__overlap=sorted(words_of[terms[0]]))
    for a, b in itertools.pairwise(terms):
        xa, xb = set(words_of[a]), set(words_of[b])
        if len(xa) * len(xb) > MAX_PAIR_KEYS:
            q &= models.Q(_search_keys__overlap=sorted(xa)) & models.Q(
                _search_keys__overlap=sorted(xb)
            )
            continue
        pairs = xa & xb
        pairs |= {f"{x} {y}" if x < y else f"{y} {x}" for x in xa for y in xb if x != y}
        q &= models.Q(_search_keys__overlap=sorted(pairs))
    for t in number_terms:
        q &= (
            models.Q(card_number__startswith=t)
            | models.Q(citizen_id__startswith=t)
            | models.Q(_search_keys__overlap=[t])
        )
    return q, keys


def share_of_members(qs) -> float:
    """The share of all members PostgreSQL's planner expects `qs` to return (its estimate, from
    the keys index's statistics; no rows read): the search picks its plan from it."""
    import json

    from django.db import connections

    connection = connections[qs.db]
    try:
        sql, params = qs.order_by().query.sql_with_params()
    except Exception:  # EmptyResultSet: nothing to read
        return 0.0
    with connection.cursor() as c:
        c.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = c.fetchone()[0]
        c.execute("SELECT reltuples FROM pg_class WHERE oid = 'members_member'::regclass")
        total = c.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    rows = plan[0]["Plan"]["Plan Rows"]
    return rows / total if total and total > 0 else 0.0
