from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit import audited_history
from .scope import RestrictedQuerySet


class Rule(models.Model):
    """One dated value of a regulation number, with the document it comes from."""

    key = models.CharField(_("Mã quy tắc"), max_length=100, db_index=True)
    value = models.CharField(_("Giá trị"), max_length=200)
    unit = models.CharField(_("Đơn vị"), max_length=30, blank=True)
    title = models.CharField(_("Nội dung"), max_length=300)
    source = models.CharField(_("Văn bản nguồn"), max_length=300)
    effective_from = models.DateField(_("Hiệu lực từ"))
    effective_to = models.DateField(_("Hiệu lực đến (không kể)"), null=True, blank=True)
    verified = models.BooleanField(_("Đã đối chiếu văn bản gốc"), default=False)
    note = models.TextField(_("Ghi chú"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "rulebook"
    scope_global = True

    class Meta:
        verbose_name = _("quy tắc")
        verbose_name_plural = _("sổ quy tắc")
        ordering = ["key", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="rule_key_from_unique"),
        ]

    def __str__(self):
        return f"{self.key} = {self.value} ({self.source})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.effective_to and self.effective_to <= self.effective_from:
            raise ValidationError(
                {"effective_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")}
            )


class Holiday(models.Model):
    """A day that breaks the usual working week: a public holiday or day off in lieu on a weekday,
    or a weekend day worked to make up for a bridge holiday (`is_day_off=False`).

    Seeded for the current and next year from the Labour Code (see `core.workdays`); the
    administrator edits them when the government announces the year's Tết and bridge days.
    """

    date = models.DateField(_("Ngày"), unique=True)
    name = models.CharField(_("Tên ngày nghỉ"), max_length=200)
    is_day_off = models.BooleanField(
        _("Ngày nghỉ"),
        default=True,
        help_text=_("Bỏ chọn nếu đây là ngày cuối tuần phải đi làm bù."),
    )
    # not "source": the audit columns of every history table already use that name
    basis = models.CharField(_("Căn cứ"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "rulebook"
    scope_global = True

    class Meta:
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("lịch ngày nghỉ lễ")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"
