from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dangvu.api.base import ModelSerializer, ScopedPrimaryKeyField, Serializer
from dangvu.organizations.models import Organization

from ..choices import NARRATIVE_SECTIONS
from ..models import GeneratedReport


def _report_orgs(user):
    return Organization.objects.restrict(user, "view", module="members")


class GeneratedReportSerializer(ModelSerializer):
    # Plain strings (values listed in help_text) so the schema's enum names stay unique.
    kind = serializers.CharField(
        read_only=True, help_text=_("half_year (sơ kết 6 tháng), annual, statistics.")
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    format = serializers.CharField(read_only=True, help_text=_("docx, pdf, xlsx."))
    status = serializers.CharField(read_only=True, help_text=_("queued, running, done, failed."))
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    period_label = serializers.CharField(read_only=True)
    created_by_name = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedReport
        fields = [
            "id",
            "kind",
            "kind_label",
            "organization",
            "organization_name",
            "year",
            "half",
            "date_from",
            "date_to",
            "as_of",
            "period_label",
            "format",
            "parameters",
            "status",
            "status_label",
            "progress",
            "error",
            "file_name",
            "created_by",
            "created_by_name",
            "created_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_created_by_name(self, obj) -> str:
        u = obj.created_by
        return (u.full_name or u.get_username()) if u else ""

    def get_download_url(self, obj) -> str | None:
        if obj.status != "done":
            return None
        return f"/api/reports/{obj.pk}/download/"


class GeneratedReportCreateSerializer(Serializer):
    organization = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=_report_orgs,
        label=_("Tổ chức đảng"),
        help_text=_("Mã tổ chức, trong phạm vi bạn được xem số liệu đảng viên."),
    )
    kind = serializers.CharField(
        label=_("Loại báo cáo"), help_text=_("half_year, annual hoặc statistics.")
    )
    format = serializers.CharField(
        label=_("Định dạng"),
        help_text=_("docx hoặc pdf (sơ kết, tổng kết); xlsx hoặc pdf (thống kê)."),
    )
    year = serializers.IntegerField(
        label=_("Năm"), required=False, allow_null=True, help_text=_("Sơ kết, tổng kết.")
    )
    half = serializers.IntegerField(
        label=_("Kỳ 6 tháng"),
        required=False,
        allow_null=True,
        help_text=_("1: 6 tháng đầu năm; 2: 6 tháng cuối năm (sơ kết)."),
    )
    as_of = serializers.DateField(
        label=_("Số liệu tính đến ngày"), required=False, allow_null=True, help_text=_("Thống kê.")
    )
    narratives = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        label=_("Nhận định theo mục"),
        help_text=_("Khóa: %(keys)s.") % {"keys": ", ".join(c for c, _h in NARRATIVE_SECTIONS)},
    )
