"""The member history drops its indexes on the card and citizen numbers (and their LIKE twins):
unique on the member itself, never looked up in the history, written by every import and load
(700 MB nationally)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_subtree_active"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalmember",
            name="card_number",
            field=models.CharField(
                blank=True, max_length=20, null=True, verbose_name="Số thẻ đảng viên"
            ),
        ),
        migrations.AlterField(
            model_name="historicalmember",
            name="citizen_id",
            field=models.CharField(blank=True, max_length=12, null=True, verbose_name="Số CCCD"),
        ),
    ]
