from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from dangvu.core.audit import audited_history
from dangvu.core.scope import RestrictedQuerySet
from dangvu.core.text import normalize

from .choices import OrgEventKind, OrgType


class OrganizationQuerySet(MP_NodeQuerySet, RestrictedQuerySet):
    def active(self, on=None):
        if on is None:
            return self.filter(dissolved_on__isnull=True)
        return self.filter(
            models.Q(established_on__isnull=True) | models.Q(established_on__lte=on)
        ).exclude(dissolved_on__isnull=False, dissolved_on__lte=on)


class OrganizationManager(MP_NodeManager):
    def get_queryset(self):
        return OrganizationQuerySet(self.model).order_by("path")

    def restrict(self, user, action="view", module=None):
        return self.get_queryset().restrict(user, action, module)


class Organization(MP_Node):
    """A party organisation, a node of the tree. Never deleted: dissolved ones keep their rows."""

    steplen = 4
    node_order_by = []

    code = models.CharField(_("Mã tổ chức"), max_length=32, unique=True)
    name = models.CharField(_("Tên tổ chức"), max_length=255)
    short_name = models.CharField(_("Tên viết tắt"), max_length=100, blank=True)
    org_type = models.CharField(_("Loại tổ chức"), max_length=32, choices=OrgType.choices)
    address = models.CharField(_("Địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("Email"), blank=True)
    established_on = models.DateField(_("Ngày thành lập"), null=True, blank=True)
    dissolved_on = models.DateField(_("Ngày giải thể/kết thúc"), null=True, blank=True)
    search_text = models.CharField(max_length=400, editable=False, db_index=True, default="")

    objects = OrganizationManager()
    history = audited_history(excluded_fields=["search_text", "numchild"])

    scope_module = "organizations"
    scope_org_field = ""

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
        indexes = [models.Index(fields=["org_type", "path"], name="org_type_path_idx")]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    @property
    def is_cell(self) -> bool:
        from .choices import CELL_TYPES

        return self.org_type in CELL_TYPES

    def save(self, *args, **kwargs):
        self.search_text = normalize(self.code, self.name, self.short_name)
        super().save(*args, **kwargs)

    def clean(self):
        if self.established_on and self.dissolved_on and self.dissolved_on < self.established_on:
            raise ValidationError(
                {"dissolved_on": _("Ngày giải thể không được trước ngày thành lập.")}
            )


class OrganizationVersion(models.Model):
    """What an organisation was (name, type, parent) during [valid_from, valid_to): the tree as of a date."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="versions"
    )
    valid_from = models.DateField(_("Từ ngày"))
    valid_to = models.DateField(_("Đến ngày (không kể)"), null=True, blank=True)
    parent = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="child_versions"
    )
    code = models.CharField(_("Mã tổ chức"), max_length=32)
    name = models.CharField(_("Tên tổ chức"), max_length=255)
    short_name = models.CharField(_("Tên viết tắt"), max_length=100, blank=True)
    org_type = models.CharField(_("Loại tổ chức"), max_length=32, choices=OrgType.choices)
    event = models.ForeignKey(
        "OrganizationEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "organizations"
    scope_org_field = "organization"

    class Meta:
        verbose_name = _("phiên bản tổ chức")
        verbose_name_plural = _("lịch sử tổ chức")
        ordering = ["organization", "valid_from"]
        indexes = [
            models.Index(fields=["parent", "valid_from"], name="orgver_parent_from_idx"),
            models.Index(fields=["organization", "valid_from"], name="orgver_org_from_idx"),
        ]

    def __str__(self):
        return (
            f"{self.name} ({self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y})"
            if self.valid_to
            else self.name
        )


class OrganizationEvent(models.Model):
    """A dated change of the tree with its decision: establish, rename, move, merge, split, dissolve."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="events", verbose_name=_("Tổ chức")
    )
    kind = models.CharField(_("Loại sự kiện"), max_length=16, choices=OrgEventKind.choices)
    date = models.DateField(_("Ngày hiệu lực"))
    decision_number = models.CharField(_("Số quyết định"), max_length=64)
    decision_date = models.DateField(_("Ngày quyết định"), null=True, blank=True)
    related = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="related_events",
        verbose_name=_("Tổ chức liên quan"),
        help_text=_(
            "Tổ chức nhận khi hợp nhất; tổ chức gốc khi chia tách; cấp trên mới khi chuyển."
        ),
    )
    old_value = models.CharField(_("Giá trị cũ"), max_length=255, blank=True)
    new_value = models.CharField(_("Giá trị mới"), max_length=255, blank=True)
    note = models.TextField(_("Ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "organizations"
    scope_org_field = "organization"

    class Meta:
        verbose_name = _("sự kiện tổ chức")
        verbose_name_plural = _("sự kiện tổ chức")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"], name="orgevent_org_date_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.organization} · {self.date:%d/%m/%Y}"


class OrganizationTypeLabel(models.Model):
    """Configurable display labels for organisation types (names changed in 2025)."""

    org_type = models.CharField(
        _("Loại tổ chức"), max_length=32, choices=OrgType.choices, unique=True
    )
    label = models.CharField(_("Tên hiển thị"), max_length=100)
    short_label = models.CharField(_("Tên ngắn"), max_length=40, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "organizations"
    scope_global = True

    class Meta:
        verbose_name = _("tên loại tổ chức")
        verbose_name_plural = _("tên loại tổ chức")

    def __str__(self):
        return self.label


def org_type_label(org_type: str) -> str:
    row = OrganizationTypeLabel.objects.filter(org_type=org_type).first()
    return row.label if row else str(OrgType(org_type).label)
