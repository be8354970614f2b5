from django.db import models
from django.utils.translation import gettext_lazy as _


class EarlyReason(models.TextChoices):
    """Why an award comes before the member reaches the tier (HD 01-HD/TW mục 18)."""

    NONE = "none", _("Đủ tuổi đảng")
    SERIOUS_ILLNESS = "serious_illness", _("Xét sớm do bệnh nặng")
    POSTHUMOUS = "posthumous", _("Truy tặng (đảng viên từ trần)")


class Outcome(models.TextChoices):
    """Why a member who reaches a tier is not on the list of an occasion."""

    DEFERRED = "deferred", _("Chưa xét (hoãn do kỷ luật)")
    EXCLUDED = "excluded", _("Không xét")
    AWARDED = "awarded", _("Đã được tặng")
