"""Discipline decisions over the API: list, read, record, lift. Never deleted (DELETE: 405).

Recording an expulsion keeps the decision only: the member's status changes through the
members API (`member-events`, kind `expelled`)."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangvu.api.base import ScopedViewSetMixin, service_errors
from dangvu.core.scope import CHANGE

from .. import services
from ..filtersets import DisciplineCaseFilterSet
from ..models import DisciplineCase
from .serializers import (
    DisciplineCaseCreateSerializer,
    DisciplineCaseLiftSerializer,
    DisciplineCaseSerializer,
)

TAG = ["discipline-cases"]


@extend_schema_view(
    list=extend_schema(
        summary=_("Quyết định kỷ luật đảng viên trong phạm vi"),
        description=_(
            "Lọc theo tổ chức (cả cấp dưới), đảng viên, hình thức, còn hiệu lực, khoảng ngày "
            "quyết định."
        ),
        tags=TAG,
    ),
    retrieve=extend_schema(summary=_("Một quyết định kỷ luật"), tags=TAG),
)
class DisciplineCaseViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Quyết định kỷ luật đảng viên (khiển trách, cảnh cáo, cách chức, khai trừ).

    Ủy ban Kiểm tra ghi và ghi nhận hết hiệu lực; các vai trò khác được xem theo phạm vi.
    Không xóa (DELETE: 405)."""

    queryset = DisciplineCase.objects.select_related("member__organization")
    serializer_class = DisciplineCaseSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = DisciplineCaseFilterSet
    ordering_fields = ["decided_on", "id"]
    ordering = ["-decided_on", "-id"]
    scope_actions = {"lift": CHANGE}

    def _detail(self, case, status_code=status.HTTP_200_OK):
        return Response(
            DisciplineCaseSerializer(self.queryset.get(pk=case.pk)).data, status=status_code
        )

    @extend_schema(
        request=DisciplineCaseCreateSerializer,
        responses={201: DisciplineCaseSerializer},
        summary=_("Ghi một quyết định kỷ luật"),
        description=_(
            "Ngày quyết định không ở tương lai, trong thời gian đảng viên đang sinh hoạt; đảng "
            "viên dự bị chỉ bị khiển trách hoặc cảnh cáo. Quyết định khai trừ không đổi trạng "
            "thái đảng viên (ghi sự kiện `expelled` qua `member-events`)."
        ),
        tags=TAG,
    )
    def create(self, request, *args, **kwargs):
        ser = DisciplineCaseCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        ser.is_valid(raise_exception=True)
        with service_errors():
            case = services.discipline_case_create(actor=request.user, **ser.validated_data)
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(
        request=DisciplineCaseLiftSerializer,
        responses=DisciplineCaseSerializer,
        summary=_("Ghi nhận quyết định hết hiệu lực"),
        description=_("Ví dụ sau khi giải quyết khiếu nại; quyết định vẫn được lưu."),
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        case = self.get_object()
        ser = DisciplineCaseLiftSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            case = services.discipline_case_lift(
                actor=request.user, case=case, **ser.validated_data
            )
        return self._detail(case)
