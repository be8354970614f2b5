from django.db import migrations

WRONG = "03-02,05-19,09-02,11-07"
RIGHT = "02-03,05-19,09-02,11-07"


def fix(apps, schema_editor):
    """The seed had 3 February as "03-02" (2 March) in a month-day list; correct the seeded
    value where the administrator has not changed it."""
    Rule = apps.get_model("core", "Rule")
    Rule.objects.filter(key="badge.occasions", value=WRONG).update(value=RIGHT)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_historicalholiday_audit_source")]

    operations = [migrations.RunPython(fix, migrations.RunPython.noop)]
