"""Party membership badges (Huy hiệu Đảng): awards, and proposals to award early for illness.

Writes go through `badges.services`; who is due at an occasion is `badges.selectors`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.core.audit import audited_history
from dangvu.core.scope import RestrictedQuerySet

from .choices import EarlyReason


class BadgeAward(models.Model):
    """A badge of `tier` years of party age awarded to a member at an occasion (Mẫu 6-HHD)."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="badge_awards",
        verbose_name=_("Đảng viên"),
    )
    tier = models.PositiveSmallIntegerField(_("Huy hiệu (năm tuổi đảng)"))
    occasion = models.DateField(_("Dịp trao"))
    decision_number = models.CharField(_("Số quyết định"), max_length=64)
    awarded_on = models.DateField(_("Ngày quyết định"))
    early_reason = models.CharField(
        _("Trường hợp"), max_length=16, choices=EarlyReason.choices, default=EarlyReason.NONE
    )
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "badges"
    scope_org_field = "member__organization"

    class Meta:
        verbose_name = _("Huy hiệu Đảng đã trao")
        verbose_name_plural = _("Huy hiệu Đảng đã trao")
        ordering = ["-occasion", "tier", "member__name_sort", "id"]
        indexes = [models.Index(fields=["occasion", "tier"], name="badge_occasion_tier_idx")]
        constraints = [
            models.UniqueConstraint(fields=["member", "tier"], name="badge_one_per_tier")
        ]

    def __str__(self):
        return f"Huy hiệu {self.tier} năm · {self.member} · {self.occasion:%d/%m/%Y}"


class BadgeProposalQuerySet(RestrictedQuerySet):
    def open_on(self, on):
        """Proposals made by `on` and not closed (withdrawn, or used by an award) by then."""
        return self.filter(proposed_on__lte=on).exclude(closed_on__isnull=False, closed_on__lte=on)


class BadgeProposal(models.Model):
    """The organisation proposes to award a seriously ill member before the tier is reached.

    While open, the due list considers the member for the next tier early (within
    `badge.early_months_*`); it closes when the award is recorded, or is withdrawn."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="badge_proposals",
        verbose_name=_("Đảng viên"),
    )
    proposed_on = models.DateField(_("Ngày đề nghị"))
    note = models.CharField(_("Tình trạng bệnh, căn cứ đề nghị"), max_length=500)
    closed_on = models.DateField(_("Kết thúc ngày"), null=True, blank=True)
    close_note = models.CharField(_("Lý do kết thúc"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BadgeProposalQuerySet.as_manager()
    history = audited_history()

    scope_module = "badges"
    scope_org_field = "member__organization"

    class Meta:
        verbose_name = _("đề nghị xét tặng sớm Huy hiệu Đảng")
        verbose_name_plural = _("đề nghị xét tặng sớm Huy hiệu Đảng")
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["member", "proposed_on"], name="badgeprop_member_idx")]

    def __str__(self):
        return f"Đề nghị xét sớm · {self.member} · {self.proposed_on:%d/%m/%Y}"
