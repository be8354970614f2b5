from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dangvu.api.base import ModelSerializer, ScopedPrimaryKeyField, Serializer
from dangvu.organizations.models import Organization

from ..models import ImportJob
from ..services import importable_organizations


class ImportErrorSerializer(Serializer):
    row = serializers.IntegerField(help_text=_("Số dòng trong tệp (như Excel hiển thị)"))
    column = serializers.CharField(help_text=_("Tiêu đề cột; rỗng nếu lỗi cả dòng"))
    message = serializers.CharField()


class ImportPreviewRowSerializer(Serializer):
    row = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["new", "update", "unchanged"])
    full_name = serializers.CharField()
    date_of_birth = serializers.CharField()
    card_number = serializers.CharField()
    citizen_id = serializers.CharField()
    organization = serializers.CharField()
    changes = serializers.ListField(child=serializers.CharField())


class ImportJobSerializer(ModelSerializer):
    organization_code = serializers.CharField(source="organization.code", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    committed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.SerializerMethodField()
    can_commit = serializers.BooleanField(read_only=True)
    errors = ImportErrorSerializer(many=True, read_only=True)
    preview = ImportPreviewRowSerializer(many=True, read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "original_name",
            "organization",
            "organization_code",
            "organization_name",
            "created_by",
            "created_at",
            "committed_by",
            "status",
            "status_display",
            "percent",
            "total_rows",
            "processed_rows",
            "new_count",
            "update_count",
            "unchanged_count",
            "error_count",
            "error_rows",
            "can_commit",
            "message",
            "errors",
            "preview",
            "ignored_headers",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_percent(self, obj) -> int | None:
        return obj.percent()


class ImportJobListSerializer(ImportJobSerializer):
    class Meta(ImportJobSerializer.Meta):
        fields = [f for f in ImportJobSerializer.Meta.fields if f not in ("errors", "preview")]
        read_only_fields = fields


class ImportUploadSerializer(Serializer):
    file = serializers.FileField(help_text=_("Tệp .xlsx hoặc .csv (UTF-8) theo tệp mẫu"))
    organization = ScopedPrimaryKeyField(
        queryset_for=importable_organizations,
        model=Organization,
        help_text=_(
            "Tổ chức mặc định cho các dòng để trống cột “Chi bộ” (trong phạm vi được thêm đảng viên)"
        ),
    )
