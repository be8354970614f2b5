"""Candidates for admission (quần chúng ưu tú), their dated steps and introducers, yearly targets.

Writes go through `admission.services` (every step checks the rulebook and names its source);
these models only hold the data. A candidate's profile uses the member record's field names and
choices, so the admission ceremony creates the member without retyping.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.core.audit import audited_history
from dangvu.core.scope import RestrictedQuerySet
from dangvu.core.text import name_sort_key, normalize
from dangvu.members.choices import (
    ETHNICITY_CHOICES,
    RELIGION_CHOICES,
    Gender,
    GeneralEducation,
    PoliticalTheory,
    ProfessionalDegree,
    StateManagement,
)

from .choices import CandidateStatus, IntroducerKind, StepKind


class CandidateQuerySet(RestrictedQuerySet):
    def search(self, query: str):
        from dangvu.core.text import search_terms

        qs = self
        for term in search_terms(query):
            qs = qs.filter(
                models.Q(search_text__startswith=term) | models.Q(search_text__contains=" " + term)
            )
        return qs


class Candidate(models.Model):
    """A non-member prepared for admission by a cell; moves through dated steps."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("Chi bộ bồi dưỡng, xét kết nạp"),
    )
    full_name = models.CharField(_("Họ và tên khai sinh"), max_length=120)
    other_names = models.CharField(_("Tên gọi khác"), max_length=120, blank=True)
    gender = models.CharField(_("Giới tính"), max_length=6, choices=Gender.choices)
    date_of_birth = models.DateField(_("Ngày sinh"))
    birth_place = models.CharField(_("Nơi sinh"), max_length=255, blank=True)
    hometown = models.CharField(_("Quê quán"), max_length=255, blank=True)
    ethnicity = models.CharField(
        _("Dân tộc"), max_length=40, choices=ETHNICITY_CHOICES, default="Kinh"
    )
    religion = models.CharField(
        _("Tôn giáo"), max_length=60, choices=RELIGION_CHOICES, default="Không"
    )
    citizen_id = models.CharField(_("Số CCCD"), max_length=12, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("Email"), blank=True)
    address = models.CharField(_("Nơi ở hiện nay"), max_length=255, blank=True)
    general_education = models.CharField(
        _("Giáo dục phổ thông"),
        max_length=10,
        choices=GeneralEducation.choices,
        default=GeneralEducation.THPT,
    )
    professional_degree = models.CharField(
        _("Trình độ chuyên môn"),
        max_length=12,
        choices=ProfessionalDegree.choices,
        default=ProfessionalDegree.NONE,
    )
    professional_field = models.CharField(_("Chuyên ngành"), max_length=120, blank=True)
    political_theory = models.CharField(
        _("Lý luận chính trị"),
        max_length=14,
        choices=PoliticalTheory.choices,
        default=PoliticalTheory.NONE,
    )
    state_management = models.CharField(
        _("Quản lý nhà nước"),
        max_length=12,
        choices=StateManagement.choices,
        default=StateManagement.NONE,
    )
    foreign_language = models.CharField(_("Ngoại ngữ"), max_length=120, blank=True)
    occupation = models.CharField(_("Nghề nghiệp"), max_length=120, blank=True)
    position = models.CharField(_("Chức vụ"), max_length=160, blank=True)
    workplace = models.CharField(_("Nơi làm việc"), max_length=255, blank=True)
    note = models.TextField(_("Ghi chú"), blank=True)

    status = models.CharField(
        _("Tình trạng"),
        max_length=12,
        choices=CandidateStatus.choices,
        default=CandidateStatus.ACTIVE,
    )
    current_step = models.CharField(
        _("Bước đã qua gần nhất"), max_length=20, choices=StepKind.choices, blank=True
    )
    # Dates of the steps that set deadlines (kept by the services; lists and reminders filter on
    # them without reading the steps).
    cell_vote_date = models.DateField(_("Ngày chi bộ biểu quyết"), null=True, blank=True)
    decision_date = models.DateField(_("Ngày quyết định kết nạp"), null=True, blank=True)
    ceremony_date = models.DateField(_("Ngày lễ kết nạp"), null=True, blank=True)
    probation_end = models.DateField(_("Hết thời gian dự bị"), null=True, blank=True)
    next_due = models.DateField(_("Hạn của bước tiếp theo"), null=True, blank=True, db_index=True)
    failed_recognitions = models.PositiveSmallIntegerField(
        _("Số lần biểu quyết công nhận chính thức không đạt"), default=0
    )
    closed_on = models.DateField(_("Ngày dừng / kết thúc"), null=True, blank=True)
    member = models.OneToOneField(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidate",
        verbose_name=_("Hồ sơ đảng viên"),
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True, default="")
    name_sort = models.CharField(max_length=255, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateQuerySet.as_manager()
    history = audited_history(excluded_fields=["search_text", "name_sort", "updated_at"])

    scope_module = "admission"
    scope_org_field = "organization"

    class Meta:
        verbose_name = _("quần chúng ưu tú")
        verbose_name_plural = _("quần chúng ưu tú")
        ordering = ["name_sort", "id"]
        indexes = [
            models.Index(fields=["organization", "status"], name="cand_org_status_idx"),
            models.Index(fields=["status", "current_step"], name="cand_status_step_idx"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_text = normalize(self.full_name, self.other_names, self.citizen_id)
        self.name_sort = name_sort_key(self.full_name)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in (CandidateStatus.ACTIVE, CandidateStatus.ADMITTED)


class AdmissionStep(models.Model):
    """One dated step of a candidate's admission, with its decision or vote."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="steps", verbose_name=_("Quần chúng")
    )
    kind = models.CharField(_("Bước"), max_length=20, choices=StepKind.choices)
    date = models.DateField(_("Ngày"))
    decision_number = models.CharField(
        _("Số quyết định / nghị quyết / giấy chứng nhận"), max_length=64, blank=True
    )
    issuer = models.CharField(_("Cơ quan ban hành"), max_length=255, blank=True)
    votes_for = models.PositiveIntegerField(_("Số tán thành"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("Số không tán thành"), null=True, blank=True)
    votes_total = models.PositiveIntegerField(
        _("Tổng số có quyền biểu quyết"),
        null=True,
        blank=True,
        help_text=_("Đảng viên chính thức của chi bộ hoặc số cấp ủy viên vào ngày biểu quyết."),
    )
    passed = models.BooleanField(_("Đạt"), null=True, blank=True)
    consent_reference = models.CharField(
        _("Văn bản đồng ý của cấp trên (tổ chức lễ muộn)"), max_length=120, blank=True
    )
    notes = models.TextField(_("Ghi chú"), blank=True)
    attachment = models.FileField(_("Tệp đính kèm"), upload_to="admission/steps/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "admission"
    scope_org_field = "candidate__organization"

    class Meta:
        verbose_name = _("bước kết nạp")
        verbose_name_plural = _("các bước kết nạp")
        ordering = ["candidate", "date", "id"]
        indexes = [models.Index(fields=["kind", "date"], name="admstep_kind_date_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.candidate} · {self.date:%d/%m/%Y}"


class Introducer(models.Model):
    """Who introduces a candidate: an official member, or a Youth Union / trade-union resolution."""

    candidate = models.ForeignKey(
        Candidate,
        on_delete=models.PROTECT,
        related_name="introducers",
        verbose_name=_("Quần chúng"),
    )
    kind = models.CharField(
        _("Hình thức giới thiệu"), max_length=14, choices=IntroducerKind.choices
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="introduced",
        verbose_name=_("Đảng viên giới thiệu"),
    )
    months_together = models.PositiveSmallIntegerField(
        _("Số tháng cùng công tác, học tập, sinh sống"), null=True, blank=True
    )
    is_replacement = models.BooleanField(
        _("Người giới thiệu thay thế (chi bộ phân công)"), default=False
    )
    resolution_number = models.CharField(_("Số nghị quyết giới thiệu"), max_length=64, blank=True)
    resolution_date = models.DateField(_("Ngày nghị quyết"), null=True, blank=True)
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "admission"
    scope_org_field = "candidate__organization"

    class Meta:
        verbose_name = _("người giới thiệu")
        verbose_name_plural = _("người giới thiệu")
        ordering = ["candidate", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "member"],
                condition=models.Q(member__isnull=False),
                name="introducer_member_once",
            )
        ]

    def __str__(self):
        if self.member_id:
            return str(self.member)
        return f"{self.get_kind_display()} {self.resolution_number}".strip()


class AdmissionTarget(models.Model):
    """The number of new members an organisation plans to admit in a year."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="admission_targets",
        verbose_name=_("Tổ chức đảng"),
    )
    year = models.PositiveSmallIntegerField(_("Năm"))
    number = models.PositiveIntegerField(_("Chỉ tiêu kết nạp"))
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "admission"
    scope_org_field = "organization"

    class Meta:
        verbose_name = _("chỉ tiêu phát triển đảng viên")
        verbose_name_plural = _("chỉ tiêu phát triển đảng viên")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="admission_target_once")
        ]
        indexes = [models.Index(fields=["year", "organization"], name="admtarget_year_org_idx")]

    def __str__(self):
        return f"{self.organization} · {self.year}: {self.number}"
