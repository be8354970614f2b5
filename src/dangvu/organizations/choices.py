from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrgType(models.TextChoices):
    SUPERIOR_COMMITTEE = "superior_committee", _("Đảng bộ cấp trên cơ sở")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Đảng bộ cơ sở")
    GRASSROOTS_CELL = "grassroots_cell", _("Chi bộ cơ sở")
    SUB_COMMITTEE = "sub_committee", _("Đảng bộ bộ phận")
    CELL = "cell", _("Chi bộ trực thuộc")


CELL_TYPES = {OrgType.GRASSROOTS_CELL, OrgType.CELL}
GRASSROOTS_TYPES = {OrgType.GRASSROOTS_COMMITTEE, OrgType.GRASSROOTS_CELL}

# Which types may sit under which (None = root).
ALLOWED_PARENTS = {
    OrgType.SUPERIOR_COMMITTEE: {None, OrgType.SUPERIOR_COMMITTEE},
    OrgType.GRASSROOTS_COMMITTEE: {OrgType.SUPERIOR_COMMITTEE},
    OrgType.GRASSROOTS_CELL: {OrgType.SUPERIOR_COMMITTEE},
    OrgType.SUB_COMMITTEE: {OrgType.GRASSROOTS_COMMITTEE},
    OrgType.CELL: {OrgType.GRASSROOTS_COMMITTEE, OrgType.SUB_COMMITTEE},
}


class OrgEventKind(models.TextChoices):
    # Context "organisation event": the same Vietnamese verbs label the action buttons; English
    # names the event with a noun (Establishment vs Establish).
    ESTABLISH = "establish", pgettext_lazy("organisation event", "Thành lập")
    RENAME = "rename", pgettext_lazy("organisation event", "Đổi tên")
    MOVE = "move", pgettext_lazy("organisation event", "Chuyển trực thuộc")
    MERGE = "merge", pgettext_lazy("organisation event", "Hợp nhất/sáp nhập")
    SPLIT = "split", pgettext_lazy("organisation event", "Chia tách")
    DISSOLVE = "dissolve", pgettext_lazy("organisation event", "Giải thể")
