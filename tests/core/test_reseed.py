"""Default rows added by data migrations come back after a flush (transactional tests flush the
database; the tests that run next on the same worker need the meeting checklist template)."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)
def test_defaults_are_back_after_a_flush():
    from dangvu.committees.models import ChecklistTemplateItem
    from dangvu.core.models import Holiday, Rule
    from dangvu.meetings.models import AgendaTemplate, ChecklistTemplate

    call_command("flush", interactive=False, verbosity=0)
    assert ChecklistTemplate.objects.filter(is_default=True).exists()
    assert AgendaTemplate.objects.exists()
    assert ChecklistTemplateItem.objects.exists()
    assert Rule.objects.filter(key="admission.probation_months").exists()
    assert Holiday.objects.exists()
