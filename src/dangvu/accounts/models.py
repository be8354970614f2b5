from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.core.audit import audited_history
from dangvu.core.scope import RestrictedQuerySet

from .roles import ROLE_CHOICES, ROLES


class User(AbstractUser):
    full_name = models.CharField(_("Họ và tên"), max_length=150, blank=True)
    is_demo = models.BooleanField(
        _("Tài khoản trình diễn"),
        default=False,
        help_text=_("Chỉ dùng được khi bật chế độ trình diễn; được bỏ qua bước xác thực hai lớp."),
    )

    history = audited_history(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """A role held by a user at a node of the tree, covering its subtree, for a period."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("Người dùng"),
    )
    role = models.CharField(_("Vai trò"), max_length=32, choices=ROLE_CHOICES)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("Tại tổ chức"),
    )
    valid_from = models.DateField(_("Từ ngày"))
    valid_to = models.DateField(_("Đến ngày (không kể)"), null=True, blank=True)
    note = models.CharField(_("Ghi chú"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "accounts"
    scope_org_field = "organization"

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        ordering = ["user__username", "role"]
        indexes = [models.Index(fields=["user", "valid_from"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organization or '—'}"

    def clean(self):
        role = ROLES.get(self.role)
        if role and not role.is_global and self.organization_id is None:
            raise ValidationError({"organization": _("Vai trò này phải gắn với một tổ chức đảng.")})
        if self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu.")})
