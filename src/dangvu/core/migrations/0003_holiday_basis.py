from django.db import migrations


class Migration(migrations.Migration):
    """The holiday's legal basis was called "source", the name of the audit channel column of
    every history table: in the history the channel overwrote it."""

    dependencies = [("core", "0002_holiday")]

    operations = [
        migrations.RenameField(model_name="holiday", old_name="source", new_name="basis"),
        migrations.RenameField(model_name="historicalholiday", old_name="source", new_name="basis"),
    ]
