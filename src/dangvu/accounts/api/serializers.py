from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dangvu.api.base import ModelSerializer, ScopedPrimaryKeyField, Serializer
from dangvu.core.scope import ADD
from dangvu.organizations.api.serializers import scoped_orgs
from dangvu.organizations.models import Organization

from ..models import RoleAssignment, User


class TokenRequestSerializer(Serializer):
    username = serializers.CharField(label=_("Tên đăng nhập"), trim_whitespace=False)
    password = serializers.CharField(
        label=_("Mật khẩu"), trim_whitespace=False, style={"input_type": "password"}
    )
    otp_token = serializers.CharField(
        label=_("Mã xác thực hai lớp (TOTP)"),
        required=False,
        allow_blank=True,
        help_text=_("Bắt buộc với các vai trò cần xác thực hai lớp (quản trị, kiểm tra)."),
    )


class TokenSerializer(Serializer):
    token = serializers.CharField(read_only=True)


class RoleSerializer(ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, default=None
    )

    class Meta:
        model = RoleAssignment
        fields = [
            "role",
            "role_label",
            "organization",
            "organization_name",
            "valid_from",
            "valid_to",
        ]
        read_only_fields = fields


class MeSerializer(Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    is_demo = serializers.BooleanField(read_only=True)
    requires_otp = serializers.BooleanField(
        read_only=True, help_text=_("Vai trò của tài khoản cần xác thực hai lớp.")
    )
    roles = RoleSerializer(many=True, read_only=True, help_text=_("Vai trò đang có hiệu lực."))
    member = serializers.IntegerField(
        allow_null=True, read_only=True, help_text=_("Mã hồ sơ đảng viên gắn với tài khoản.")
    )


class RoleAssignmentSerializer(ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    user_full_name = serializers.CharField(source="user.full_name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, default=None
    )

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "user",
            "username",
            "user_full_name",
            "role",
            "role_label",
            "organization",
            "organization_name",
            "valid_from",
            "valid_to",
            "note",
        ]
        read_only_fields = fields


class RoleAssignmentCreateSerializer(ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        label=_("Người dùng"),
        help_text=_("Mã tài khoản đang hoạt động."),
    )
    organization = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=scoped_orgs(ADD, "accounts"),
        allow_null=True,
        required=False,
        label=_("Tại tổ chức"),
        help_text=_(
            "Tổ chức đang hoạt động; vai trò phủ tổ chức này và các cấp dưới. Bỏ trống chỉ với "
            "vai trò toàn hệ thống (quản trị)."
        ),
    )

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "organization", "valid_from", "valid_to", "note"]
        extra_kwargs = {
            "valid_to": {"help_text": _("Ngày kết thúc (không kể); bỏ trống nếu chưa hết.")}
        }


class RoleAssignmentUpdateSerializer(ModelSerializer):
    class Meta:
        model = RoleAssignment
        fields = ["valid_to", "note"]
        extra_kwargs = {
            "valid_to": {
                "help_text": _(
                    "Ngày kết thúc vai trò (không kể): từ ngày này vai trò hết hiệu lực."
                )
            }
        }
