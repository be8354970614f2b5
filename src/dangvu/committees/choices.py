from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Cấp ủy / chi ủy")
    STANDING = "standing", _("Ban Thường vụ")
    INSPECTION = "inspection", _("Ủy ban Kiểm tra")


class Position(models.TextChoices):
    SECRETARY = "secretary", _("Bí thư")
    DEPUTY_SECRETARY = "deputy_secretary", _("Phó Bí thư")
    STANDING = "standing", _("Ủy viên Ban Thường vụ")
    MEMBER = "member", _("Cấp ủy viên")
    INSPECTION_CHAIR = "inspection_chair", _("Chủ nhiệm Ủy ban Kiểm tra")
    INSPECTION_DEPUTY = "inspection_deputy", _("Phó Chủ nhiệm Ủy ban Kiểm tra")
    INSPECTION_MEMBER = "inspection_member", _("Ủy viên Ủy ban Kiểm tra")


# Which positions each body has, in the order the pages list them. A person holds at most one
# position in a body; the secretary and deputies of a committee sit in its standing committee too.
BODY_POSITIONS = {
    BodyKind.PARTY_COMMITTEE: (Position.SECRETARY, Position.DEPUTY_SECRETARY, Position.MEMBER),
    BodyKind.STANDING: (Position.SECRETARY, Position.DEPUTY_SECRETARY, Position.STANDING),
    BodyKind.INSPECTION: (
        Position.INSPECTION_CHAIR,
        Position.INSPECTION_DEPUTY,
        Position.INSPECTION_MEMBER,
    ),
}
# Positions of which a body has at most one holder at a time.
SINGLE_POSITIONS = {Position.SECRETARY, Position.INSPECTION_CHAIR}
DEPUTY_POSITIONS = {Position.DEPUTY_SECRETARY}


class StartKind(models.TextChoices):
    ELECTED = "elected", _("Bầu")
    APPOINTED = "appointed", _("Chỉ định")


class EndReason(models.TextChoices):
    RESIGNED = "resigned", _("Thôi giữ chức / xin thôi")
    TRANSFERRED = "transferred", _("Chuyển công tác")
    DISCIPLINED = "disciplined", _("Bị kỷ luật")
    TERM_ENDED = "term_ended", _("Hết nhiệm kỳ")
    DECEASED = "deceased", _("Từ trần")
    OTHER = "other", _("Lý do khác")


class CongressKind(models.TextChoices):
    MEMBERS = "members", _("Đại hội đảng viên")
    DELEGATES = "delegates", _("Đại hội đại biểu")


class CongressStatus(models.TextChoices):
    PLANNED = "planned", _("Dự kiến")
    HELD = "held", _("Đã tổ chức")
    CANCELLED = "cancelled", _("Hủy")


class DueStatus(models.TextChoices):
    NO_TERM = "no_term", _("Chưa ghi nhiệm kỳ")
    UPCOMING = "upcoming", _("Sắp đến hạn")
    WINDOW = "window", _("Trong thời hạn tổ chức")
    OVERDUE = "overdue", _("Quá hạn")
