"""The rulebook over the API: every dated value of every rule, and the administrator's two writes.

A new value from a date on (POST) goes through `rule_add_value`, which ends the value in force on
that date; a correction of one dated row (PATCH) goes through `rule_update`. Rows are never deleted
(DELETE: 405): an old value stays as the rule that applied then.
"""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, filters, mixins, status, viewsets
from rest_framework.response import Response

from dangvu.api.base import ScopedViewSetMixin, service_errors
from dangvu.core.scope import CHANGE, VIEW, can

from .. import workdays
from ..filtersets import HolidayFilterSet, RuleFilterSet
from ..forms import rule_add_value, rule_update
from ..models import Holiday, Rule
from .serializers import (
    HolidaySerializer,
    RuleAddSerializer,
    RuleSerializer,
    RuleUpdateSerializer,
)

TAG = ["rules"]


@extend_schema_view(
    list=extend_schema(summary=_("Sổ quy tắc: các giá trị theo ngày hiệu lực"), tags=TAG),
    retrieve=extend_schema(summary=_("Một giá trị của quy tắc"), tags=TAG),
)
class RuleViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Sổ quy tắc: mỗi dòng là một giá trị của quy tắc trong một khoảng thời gian, kèm văn bản nguồn.

    Không xóa (DELETE: 405): giá trị cũ vẫn là quy tắc áp dụng trong thời gian của nó.
    """

    queryset = Rule.objects.all()
    serializer_class = RuleSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = RuleFilterSet
    ordering_fields = ["key", "effective_from"]
    ordering = ["key", "effective_from"]

    def _detail(self, row, status_code=status.HTTP_200_OK):
        row = Rule.objects.get(pk=row.pk)
        return Response(RuleSerializer(row).data, status=status_code)

    @extend_schema(
        request=RuleAddSerializer,
        responses={201: RuleSerializer},
        summary=_("Thêm giá trị mới của quy tắc từ một ngày"),
        description=_(
            "Giá trị đang có hiệu lực tại ngày đó kết thúc ở ngày đó (`effective_to`); nếu đã có "
            "giá trị muộn hơn, giá trị mới kết thúc khi giá trị đó bắt đầu. Giá trị phải đúng "
            "dạng của đơn vị quy tắc."
        ),
        tags=TAG,
    )
    def create(self, request, *args, **kwargs):
        ser = RuleAddSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        current = self.restricted(VIEW).filter(key=data["key"]).order_by("-effective_from").first()
        if current is None:
            raise exceptions.ValidationError(
                {"key": [_("Không có quy tắc “%(key)s”.") % {"key": data["key"]}]}
            )
        if not can(request.user, CHANGE, current):
            self.permission_denied(request)
        with service_errors():
            row = rule_add_value(actor=request.user, **data)
        return self._detail(row, status.HTTP_201_CREATED)

    @extend_schema(
        request=RuleUpdateSerializer,
        responses=RuleSerializer,
        summary=_("Sửa một giá trị của quy tắc (đính chính)"),
        description=_(
            "Sửa tại chỗ một dòng (giá trị gõ sai, văn bản nguồn, dấu đã đối chiếu). Giá trị mới "
            "áp dụng từ một ngày thì dùng POST để giữ lịch sử."
        ),
        tags=TAG,
    )
    def partial_update(self, request, *args, **kwargs):
        row = self.get_object()
        ser = RuleUpdateSerializer(row, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        with service_errors():
            row = rule_update(actor=request.user, rule=row, data=dict(ser.validated_data))
        return self._detail(row)


HOLIDAY_TAG = ["holidays"]


@extend_schema_view(
    list=extend_schema(summary=_("Lịch ngày nghỉ lễ, nghỉ bù và làm bù"), tags=HOLIDAY_TAG),
    retrieve=extend_schema(summary=_("Một ngày trong lịch"), tags=HOLIDAY_TAG),
    create=extend_schema(summary=_("Thêm ngày nghỉ hoặc ngày làm bù"), tags=HOLIDAY_TAG),
    partial_update=extend_schema(summary=_("Sửa một ngày trong lịch"), tags=HOLIDAY_TAG),
    destroy=extend_schema(summary=_("Xóa một ngày khỏi lịch (lịch sử giữ lại)"), tags=HOLIDAY_TAG),
)
class HolidayViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Ngày nghỉ lễ (kể cả Tết, Giỗ Tổ theo âm lịch), nghỉ bù và ngày làm bù: các thời hạn tính
    theo ngày làm việc dùng lịch này. Mọi người có quyền xem sổ quy tắc đều đọc được; chỉ quản
    trị sửa."""

    queryset = Holiday.objects.all()
    serializer_class = HolidaySerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = HolidayFilterSet
    ordering_fields = ["date"]
    ordering = ["date"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _require_change(self):
        if not can(self.request.user, CHANGE, model=Holiday):
            self.permission_denied(self.request)

    def create(self, request, *args, **kwargs):
        self._require_change()
        ser = HolidaySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with service_errors():
            row = workdays.holiday_create(actor=request.user, **ser.validated_data)
        return Response(HolidaySerializer(row).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        row = self.get_object()
        self._require_change()
        ser = HolidaySerializer(row, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        with service_errors():
            row = workdays.holiday_update(
                actor=request.user, holiday=row, data=dict(ser.validated_data)
            )
        return Response(HolidaySerializer(row).data)

    def destroy(self, request, *args, **kwargs):
        row = self.get_object()
        self._require_change()
        workdays.holiday_delete(actor=request.user, holiday=row)
        return Response(status=status.HTTP_204_NO_CONTENT)
