"""Search helpers the database keeps in step with `members_member.search_text` by itself, whichever
writer changes it (ORM, bulk COPY, the dataset loader):

- PostgreSQL: `member_search_word`, the distinct words of the names (no digits). The typo fallback
  corrects a query term against these few thousand words and then searches the corrected terms
  through the trigram index, instead of comparing the query with every member.
- SQLite: `member_search_fts`, an FTS5 index of `search_text` (external content: it stores no
  copy of the text). SQLite's LIKE is case-insensitive and cannot use the plain index, so every
  search read the whole table; the FTS5 prefix query selects the candidate rows first.

The SQL lives in `members.search_index`, which also puts the SQLite triggers back after a
migration that rebuilt the table (SQLite's ALTER TABLE copies the table and drops its triggers).
"""

from django.db import migrations


def create(apps, schema_editor):
    from dangvu.members.search_index import install

    install(schema_editor.connection, fill=True)


def drop(apps, schema_editor):
    from dangvu.members.search_index import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("members", "0005_subtree_counts")]
    operations = [migrations.RunPython(create, drop)]
