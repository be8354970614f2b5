"""PostgreSQL: member search through exact keys instead of trigram patterns (issue 3: search p95).

`member_search_keys(search_text, card_number, citizen_id)` gives a member's name words (the card
and citizen numbers left out) and every pair of them ("hung nguyen", the two words in byte order).
A GIN index on it answers "a word beginning with each term" exactly, with no re-check of the
table: the terms are expanded to the known words they begin (members.search_index.Words) and
two terms become one key list of pairs, so "nguyen hung" reads the 71,000 postings of one pair
instead of intersecting the 2.1 million of "nguyen" with those of "hung", and "phan huu hai"
finds its 281 members without reading the 147,000 rows of "hai" (0.93 s with the trigram
index). The index is 99 MB nationally and builds in 26 s. The trigram index stays: it serves
the LIKE search where the word list is not installed, and the benchmark's hand-written SQL.

COST 10, above a LIKE's 1: a scan that filters row by row tests the search's LIKE on the text
first and calls this function (about 5 µs) only on the rows that pass (MemberQuerySet._match_keys).
PARALLEL RESTRICTED: a search runs in one process; starting parallel workers cost 14 ms of the
38 ms of a count of 1,001 matches, more than they saved.

Numbers typed in the search box go to the start of the card and citizen numbers through the
`varchar_pattern_ops` indexes Django already keeps on those unique columns (`…_like`).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION member_search_keys(search_text text, card text, citizen text)
RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL RESTRICTED COST 10 AS $$
DECLARE
    w text[] := array_remove(array_remove(string_to_array(search_text, ' '), lower(card)),
                             lower(citizen));
    n int := coalesce(array_length(w, 1), 0);
    keys text[] := w;
BEGIN
    FOR i IN 1..n LOOP
        FOR j IN i + 1..n LOOP
            IF w[i] COLLATE "C" < w[j] COLLATE "C" THEN
                keys := keys || (w[i] || ' ' || w[j]);
            ELSIF w[j] COLLATE "C" < w[i] COLLATE "C" THEN
                keys := keys || (w[j] || ' ' || w[i]);
            END IF;
        END LOOP;
    END LOOP;
    RETURN keys;
END $$
"""
KEYS_INDEX = (
    "CREATE INDEX IF NOT EXISTS member_search_keys_idx ON members_member "
    "USING gin (member_search_keys(search_text, card_number, citizen_id))"
)

def create(apps, schema_editor):
    from dangvu.members.search_index import KEYS_STATISTICS

    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (FUNCTION, KEYS_INDEX, KEYS_STATISTICS):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS member_search_keys_idx")
    schema_editor.execute("DROP FUNCTION IF EXISTS member_search_keys(text, text, text)")


class Migration(migrations.Migration):
    dependencies = [("members", "0010_admission_status_index")]
    operations = [migrations.RunPython(create, drop)]
