from django.db import models
from django.utils.translation import gettext_lazy as _


class DisciplineForm(models.TextChoices):
    """Forms of discipline of a member (glossary; QĐ 69-QĐ/TW art. 7), lightest first."""

    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DISMISSAL = "dismissal", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")


# Heavier forms rank higher ("cảnh cáo trở lên" = SEVERITY >= SEVERITY[WARNING]).
SEVERITY = {
    DisciplineForm.REPRIMAND: 1,
    DisciplineForm.WARNING: 2,
    DisciplineForm.DISMISSAL: 3,
    DisciplineForm.EXPULSION: 4,
}
# A probationary member can only be reprimanded or warned (QĐ 69-QĐ/TW art. 7).
PROBATIONARY_FORMS = (DisciplineForm.REPRIMAND, DisciplineForm.WARNING)
