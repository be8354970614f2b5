"""On PostgreSQL, subtree filters (`path LIKE 'prefix%'`) need a pattern-ops index to use an index
whatever the database collation; SQLite compares paths bytewise already."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS org_path_pattern_idx "
            "ON organizations_organization (path varchar_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS org_path_pattern_idx")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
