from django.db import models
from django.utils.translation import gettext_lazy as _


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
    ESTABLISH = "establish", _("Thành lập")
    RENAME = "rename", _("Đổi tên")
    MOVE = "move", _("Chuyển trực thuộc")
    MERGE = "merge", _("Hợp nhất/sáp nhập")
    SPLIT = "split", _("Chia tách")
    DISSOLVE = "dissolve", _("Giải thể")
