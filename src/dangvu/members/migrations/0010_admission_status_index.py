"""Admission date indexed with status, organisation and id: the badge tiers and "admitted this year"
count ranges of admission dates from the index alone (no table pages: 93,000 of them for the
national badge panel). Replaces the plain admission-date index, on the member and its history."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0009_history_without_number_indexes'),
        ('organizations', '0002_path_pattern_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalmember',
            name='admission_date',
            field=models.DateField(verbose_name='Ngày vào Đảng'),
        ),
        migrations.AlterField(
            model_name='member',
            name='admission_date',
            field=models.DateField(verbose_name='Ngày vào Đảng'),
        ),
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['admission_date', 'status', 'organization', 'id'], name='member_admission_status_idx'),
        ),
    ]
