from django.db import models
from django.utils.translation import gettext_lazy as _


class StepKind(models.TextChoices):
    """The dated steps of an admission, in the order the regulations set (QĐ 24/232, HD 01)."""

    AWARENESS = "awareness", _("Học lớp bồi dưỡng nhận thức về Đảng")
    APPLICATION = "application", _("Đơn xin vào Đảng")
    INTRODUCERS = "introducers", _("Người giới thiệu")
    BACKGROUND_CHECK = "background_check", _("Thẩm tra lý lịch")
    CELL_VOTE = "cell_vote", _("Chi bộ xét, biểu quyết kết nạp")
    COMMITTEE_VOTE = "committee_vote", _("Đảng ủy cơ sở xét, biểu quyết")
    DECISION = "decision", _("Quyết định kết nạp")
    CEREMONY = "ceremony", _("Lễ kết nạp")
    RECOGNITION = "recognition", _("Xét công nhận đảng viên chính thức")


# The order of the steps (the grassroots committee vote is skipped for a grassroots cell).
STEP_ORDER = [
    StepKind.AWARENESS,
    StepKind.APPLICATION,
    StepKind.INTRODUCERS,
    StepKind.BACKGROUND_CHECK,
    StepKind.CELL_VOTE,
    StepKind.COMMITTEE_VOTE,
    StepKind.DECISION,
    StepKind.CEREMONY,
    StepKind.RECOGNITION,
]
VOTE_STEPS = {StepKind.CELL_VOTE, StepKind.COMMITTEE_VOTE, StepKind.RECOGNITION}


class CandidateStatus(models.TextChoices):
    ACTIVE = "active", _("Đang bồi dưỡng, xét kết nạp")
    ADMITTED = "admitted", _("Đã kết nạp (dự bị)")
    OFFICIAL = "official", _("Đã là đảng viên chính thức")
    REFUSED = "refused", _("Không kết nạp / không công nhận")
    ESCALATED = "escalated", _("Báo cáo cấp trên xem xét")
    WITHDRAWN = "withdrawn", _("Dừng (rút hồ sơ)")


OPEN_STATUSES = (CandidateStatus.ACTIVE, CandidateStatus.ADMITTED)
# A candidate closed by hand: the statuses the close action may set.
CLOSE_STATUSES = (CandidateStatus.REFUSED, CandidateStatus.WITHDRAWN)


class IntroducerKind(models.TextChoices):
    PARTY_MEMBER = "party_member", _("Đảng viên chính thức")
    YOUTH_UNION = "youth_union", _("Nghị quyết giới thiệu của Đoàn Thanh niên")
    TRADE_UNION = "trade_union", _("Nghị quyết giới thiệu của Công đoàn")


RESOLUTION_KINDS = (IntroducerKind.YOUTH_UNION, IntroducerKind.TRADE_UNION)

# Education levels in rank order (members.choices.GeneralEducation values).
EDUCATION_RANK = {"primary": 1, "thcs": 2, "thpt": 3}
