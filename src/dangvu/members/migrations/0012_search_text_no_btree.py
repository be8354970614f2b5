"""search_text loses its B-tree indexes (on PostgreSQL two: plain and `_like`, 331 MB each
nationally, 11.5 s of the national load): the search reads it through the keys and trigram
indexes (PostgreSQL) or the FTS5 table (SQLite), whose LIKE cannot use a B-tree either."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0011_search_keys'),
    ]

    operations = [
        migrations.AlterField(
            model_name='member',
            name='search_text',
            field=models.CharField(default='', editable=False, max_length=400),
        ),
    ]
