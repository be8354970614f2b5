"""A discipline decision on a member (thi hành kỷ luật), recorded as decided.

Minimal on purpose: the inspection module later adds the procedure (votes, authority, appeal,
limitation periods). This record is what other modules read: the badges module defers members
disciplined with a warning or heavier. Recording an expulsion here does NOT change the member's
status: the members app records the `expelled` lifecycle event (with its own decision) and that is
the only way a status changes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.core.audit import audited_history
from dangvu.core.scope import RestrictedQuerySet

from .choices import DisciplineForm


class DisciplineCaseQuerySet(RestrictedQuerySet):
    def in_force(self, on):
        """Decided on or before `on` and not lifted by then."""
        return self.filter(decided_on__lte=on).exclude(lifted_on__isnull=False, lifted_on__lte=on)


class DisciplineCase(models.Model):
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="discipline_cases",
        verbose_name=_("Đảng viên"),
    )
    form = models.CharField(_("Hình thức kỷ luật"), max_length=12, choices=DisciplineForm.choices)
    decided_on = models.DateField(_("Ngày quyết định"))
    decision_number = models.CharField(_("Số quyết định"), max_length=64)
    deciding_body = models.CharField(_("Cấp quyết định"), max_length=255)
    reason = models.TextField(_("Nội dung vi phạm, lý do"))
    lifted_on = models.DateField(_("Hết hiệu lực / được xóa từ ngày"), null=True, blank=True)
    lift_note = models.CharField(_("Căn cứ hết hiệu lực"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DisciplineCaseQuerySet.as_manager()
    history = audited_history()

    scope_module = "discipline"
    scope_org_field = "member__organization"

    class Meta:
        verbose_name = _("quyết định kỷ luật")
        verbose_name_plural = _("quyết định kỷ luật")
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["member", "decided_on"], name="disc_member_date_idx"),
            models.Index(fields=["form", "decided_on"], name="disc_form_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "decision_number"], name="disc_one_decision_per_member"
            )
        ]

    def __str__(self):
        return f"{self.get_form_display()} · {self.member} · {self.decided_on:%d/%m/%Y}"

    def in_force_on(self, on) -> bool:
        return self.decided_on <= on and (self.lifted_on is None or self.lifted_on > on)
