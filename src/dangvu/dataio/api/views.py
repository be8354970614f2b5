"""Import jobs over the API: list/retrieve (progress, counts, errors, preview), upload, commit.

Upload (POST, multipart: file + organization) stores the file and queues its validation; the job
is then polled until `status` is "validated". Commit (POST …/commit/) queues the all-or-nothing
write of a job validated without errors.
"""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangvu.api.base import ScopedViewSetMixin, service_errors
from dangvu.core.audit import client_ip
from dangvu.core.scope import ADD

from ..filtersets import ImportJobFilterSet
from ..jobs import create_import_job, request_commit
from ..models import ImportJob
from .serializers import ImportJobListSerializer, ImportJobSerializer, ImportUploadSerializer

TAG = ["imports"]


@extend_schema_view(
    list=extend_schema(summary=_("Các lượt nhập danh sách đảng viên trong phạm vi"), tags=TAG),
    retrieve=extend_schema(
        summary=_("Một lượt nhập: tiến độ, số liệu, lỗi theo dòng và cột, xem trước"), tags=TAG
    ),
)
class ImportJobViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = ImportJob.objects.select_related("organization", "created_by", "committed_by").all()
    serializer_class = ImportJobSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = ImportJobFilterSet
    ordering_fields = ["created_at", "status", "total_rows"]
    ordering = ["-created_at", "-id"]
    scope_module = "members"
    scope_actions = {"commit": ADD}
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]

    def get_serializer_class(self):
        if self.action == "list":
            return ImportJobListSerializer
        if self.action == "create":
            return ImportUploadSerializer
        return super().get_serializer_class()

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={202: ImportJobSerializer},
        summary=_("Tải lên danh sách đảng viên để kiểm tra"),
        description=_(
            "Lưu tệp và xếp lịch kiểm tra. Chưa ghi gì vào hồ sơ đảng viên; theo dõi `status` "
            "của lượt nhập đến khi là “validated”, rồi gọi `commit`."
        ),
        tags=TAG,
    )
    def create(self, request, *args, **kwargs):
        ser = ImportUploadSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        with service_errors():
            job = create_import_job(
                actor=request.user,
                file=ser.validated_data["file"],
                organization=ser.validated_data["organization"],
                ip=client_ip(request),
            )
        job.refresh_from_db()
        return Response(
            ImportJobSerializer(job, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(
        request=None,
        responses={202: ImportJobSerializer},
        summary=_("Ghi vào hệ thống (tất cả hoặc không gì)"),
        description=_(
            "Chỉ cho lượt nhập đã kiểm tra xong, không có lỗi. Dữ liệu được kiểm tra lại và ghi "
            "trong một giao dịch; có lỗi thì không ghi gì và lượt nhập chuyển sang “failed”."
        ),
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        job = self.get_object()
        with service_errors():
            request_commit(job=job, actor=request.user, ip=client_ip(request))
        job.refresh_from_db()
        return Response(
            ImportJobSerializer(job, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
        )
