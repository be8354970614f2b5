"""Generated reports over the API: list and read (within scope), ask for one (queued as a
background job), download the file. Nothing is changed or deleted (405)."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dangvu.api.base import ScopedViewSetMixin, service_errors
from dangvu.core.audit import client_ip
from dangvu.core.scope import scope_q

from .. import services
from ..choices import MIME, ReportStatus
from ..filtersets import ReportFilterSet
from ..models import GeneratedReport
from .serializers import GeneratedReportCreateSerializer, GeneratedReportSerializer

TAG = ["reports"]


@extend_schema_view(
    list=extend_schema(
        summary=_("Báo cáo đã tạo trong phạm vi"),
        description=_("Lọc theo tổ chức (cả cấp dưới), loại, tình trạng, định dạng."),
        tags=TAG,
    ),
    retrieve=extend_schema(summary=_("Một báo cáo đã tạo (tình trạng, tiến độ)"), tags=TAG),
)
class GeneratedReportViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Báo cáo sơ kết, tổng kết, thống kê: yêu cầu tạo (chạy nền), theo dõi tiến độ, tải tệp."""

    queryset = GeneratedReport.objects.select_related("organization", "created_by")
    serializer_class = GeneratedReportSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReportFilterSet
    # asking for a report needs the members figures of the organisation, not a write right
    scope_actions = {"create": "view", "download": "view"}

    @extend_schema(
        request=GeneratedReportCreateSerializer,
        responses={201: GeneratedReportSerializer},
        summary=_("Yêu cầu tạo một báo cáo"),
        description=_(
            "Ghi yêu cầu và đưa vào hàng đợi xử lý nền; theo dõi `status`, `progress` rồi tải "
            "tệp ở `download_url`. Báo cáo chỉ tính những gì người yêu cầu được phép xem."
        ),
        tags=TAG,
    )
    def create(self, request, *args, **kwargs):
        if scope_q(GeneratedReport, request.user) is None:
            raise PermissionDenied  # no members figures anywhere (a member's own account)
        ser = GeneratedReportCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        ser.is_valid(raise_exception=True)
        with service_errors():
            report = services.report_request(
                actor=request.user, ip=client_ip(request), **ser.validated_data
            )
        return Response(
            GeneratedReportSerializer(self.queryset.get(pk=report.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary=_("Tải tệp báo cáo"),
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description=_("Báo cáo chưa tạo xong hoặc không có.")),
        },
        tags=TAG,
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = self.get_object()
        if report.status != ReportStatus.DONE or not report.file:
            raise Http404
        try:
            fh = report.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(
            fh,
            as_attachment=True,
            filename=report.file_name,
            content_type=MIME.get(report.format, "application/octet-stream"),
        )
