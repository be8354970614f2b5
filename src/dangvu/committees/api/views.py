"""Terms, congresses (with their preparation list), committees and seats over the API.

Every write calls a service of `dangvu.committees.services`, which checks the rules and explains a
refusal with its source. Nothing is deleted (DELETE: 405): a term closes, a congress is held or
cancelled, a seat ends with its reason. Scope: the organisation department and the grassroots
secretaries manage their subtree; whole-tree roles and cell secretaries read.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangvu.api.base import ScopedViewSetMixin, service_errors
from dangvu.core.scope import VIEW
from dangvu.organizations.models import Organization

from .. import selectors, services
from ..filtersets import (
    ChecklistItemFilterSet,
    CommitteeFilterSet,
    CommitteeSeatFilterSet,
    CongressFilterSet,
    TermFilterSet,
)
from ..models import Committee, CommitteeSeat, Congress, CongressChecklistItem, Term
from .serializers import (
    CommitteeCreateSerializer,
    CommitteeSerializer,
    CongressCancelSerializer,
    CongressChecklistItemSerializer,
    CongressChecklistItemUpdateSerializer,
    CongressCreateSerializer,
    CongressDetailSerializer,
    CongressDueSerializer,
    CongressHoldSerializer,
    CongressSerializer,
    SeatEndSerializer,
    SeatFillSerializer,
    SeatSerializer,
    TermCloseSerializer,
    TermCreateSerializer,
    TermSerializer,
    VacancySerializer,
    WithoutSecretarySerializer,
)

SUBTREE = OpenApiParameter(
    "organization", OpenApiTypes.INT, description=_("Tổ chức (cả cấp dưới); mặc định: cả phạm vi.")
)
ON = OpenApiParameter(
    "on", OpenApiTypes.DATE, description=_("Tại ngày (YYYY-MM-DD); mặc định: hôm nay.")
)
MONTHS = OpenApiParameter(
    "months", OpenApiTypes.INT, description=_("Trong bao nhiêu tháng tới (1–60, mặc định 6).")
)


class _Base(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    scope_module = "committees"

    def _validated(self, serializer_class):
        ser = serializer_class(data=self.request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        return dict(ser.validated_data)

    def _orgs(self):
        """The organisations of the scope, narrowed to `?organization=` (404 outside)."""
        orgs = Organization.objects.restrict(self.request.user, VIEW, "committees")
        raw = self.request.query_params.get("organization", "")
        if raw:
            if not raw.isdigit():
                raise exceptions.ValidationError({"organization": [_("Cần một mã số.")]})
            chosen = orgs.filter(pk=int(raw)).first()
            if chosen is None:
                raise exceptions.NotFound()
            orgs = orgs.filter(path__startswith=chosen.path)
        return orgs

    def _param_date(self, name: str) -> dt.date:
        raw = self.request.query_params.get(name, "")
        if not raw:
            return timezone.localdate()
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise exceptions.ValidationError(
                {name: [_("Ngày sai định dạng, dùng YYYY-MM-DD.")]}
            ) from None

    def _page(self, qs, serializer_class):
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(serializer_class(page, many=True).data)


TERM_TAG = ["terms"]


@extend_schema_view(
    list=extend_schema(summary=_("Các nhiệm kỳ trong phạm vi"), tags=TERM_TAG),
    retrieve=extend_schema(summary=_("Một nhiệm kỳ"), tags=TERM_TAG),
)
class TermViewSet(_Base):
    """Nhiệm kỳ của từng tổ chức đảng. Mở nhiệm kỳ mới thì nhiệm kỳ trước kết thúc (các chức
    danh còn giữ thôi vì hết nhiệm kỳ). Không xóa."""

    queryset = Term.objects.select_related("organization", "congress")
    serializer_class = TermSerializer
    filterset_class = TermFilterSet
    ordering_fields = ["start_date", "id"]
    ordering = ["organization__path", "-start_date", "-id"]

    @extend_schema(
        request=TermCreateSerializer,
        responses={201: TermSerializer},
        summary=_("Ghi nhận một nhiệm kỳ"),
        tags=TERM_TAG,
    )
    def create(self, request, *args, **kwargs):
        data = self._validated(TermCreateSerializer)
        with service_errors():
            term = services.term_open(actor=request.user, **data)
        return Response(
            TermSerializer(self.queryset.get(pk=term.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=TermCloseSerializer,
        responses=TermSerializer,
        summary=_("Kết thúc nhiệm kỳ"),
        tags=TERM_TAG,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        term = self.get_object()
        data = self._validated(TermCloseSerializer)
        with service_errors():
            services.term_close(actor=request.user, term=term, **data)
        return Response(TermSerializer(self.queryset.get(pk=term.pk)).data)


CONGRESS_TAG = ["congresses"]


@extend_schema_view(
    list=extend_schema(summary=_("Các đại hội trong phạm vi"), tags=CONGRESS_TAG),
    retrieve=extend_schema(summary=_("Một đại hội, kèm các việc chuẩn bị"), tags=CONGRESS_TAG),
)
class CongressViewSet(_Base):
    """Đại hội: dự kiến, đã tổ chức (mở nhiệm kỳ mới) hoặc hủy; danh mục việc chuẩn bị chép
    từ danh mục mặc định khi lập kế hoạch."""

    queryset = Congress.objects.select_related("organization").prefetch_related("checklist")
    serializer_class = CongressSerializer
    filterset_class = CongressFilterSet
    ordering_fields = ["planned_date", "id"]
    ordering = ["planned_date", "id"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CongressDetailSerializer
        return super().get_serializer_class()

    def _detail(self, congress, code=status.HTTP_200_OK):
        return Response(
            CongressDetailSerializer(self.queryset.get(pk=congress.pk)).data, status=code
        )

    @extend_schema(
        request=CongressCreateSerializer,
        responses={201: CongressDetailSerializer},
        summary=_("Lập kế hoạch đại hội"),
        tags=CONGRESS_TAG,
    )
    def create(self, request, *args, **kwargs):
        data = self._validated(CongressCreateSerializer)
        with service_errors():
            congress = services.congress_plan(actor=request.user, **data)
        return self._detail(congress, status.HTTP_201_CREATED)

    @extend_schema(
        request=CongressHoldSerializer,
        responses=CongressDetailSerializer,
        summary=_("Ghi nhận đã tổ chức đại hội (mở nhiệm kỳ mới)"),
        tags=CONGRESS_TAG,
    )
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        congress = self.get_object()
        data = self._validated(CongressHoldSerializer)
        with service_errors():
            services.congress_hold(actor=request.user, congress=congress, **data)
        return self._detail(congress)

    @extend_schema(
        request=CongressCancelSerializer,
        responses=CongressDetailSerializer,
        summary=_("Hủy đại hội dự kiến"),
        tags=CONGRESS_TAG,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        congress = self.get_object()
        data = self._validated(CongressCancelSerializer)
        with service_errors():
            services.congress_cancel(actor=request.user, congress=congress, **data)
        return self._detail(congress)

    @extend_schema(
        parameters=[SUBTREE, MONTHS],
        responses=CongressDueSerializer(many=True),
        summary=_("Tổ chức đến hạn đại hội trong N tháng tới"),
        description=_(
            "Kể cả tổ chức đã quá hạn và tổ chức chưa ghi nhiệm kỳ. Hạn = ngày bắt đầu nhiệm kỳ "
            "+ thời gian nhiệm kỳ theo sổ quy tắc (chi bộ trực thuộc: congress.cell_term_months; "
            "tổ chức khác: congress.grassroots_term_months), dung sai congress.tolerance_months."
        ),
        tags=CONGRESS_TAG,
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def due(self, request):
        today = timezone.localdate()
        raw = request.query_params.get("months", "6")
        if not raw.isdigit() or not 1 <= int(raw) <= 60:
            raise exceptions.ValidationError({"months": [_("Số tháng phải từ 1 đến 60.")]})
        qs = selectors.congresses_due(self._orgs(), today, int(raw))
        rows = [_due_row(o, today) for o in self.paginate_queryset(qs)]
        return self.get_paginated_response(CongressDueSerializer(rows, many=True).data)


def _due_row(org, today):
    due = selectors.describe_due(org, today)
    org.due_date = due.date if due else None
    org.earliest = due.earliest if due else None
    org.latest = due.latest if due else None
    org.status = due.status(today) if due else "no_term"
    return org


CHECKLIST_TAG = ["congress-checklist-items"]


@extend_schema_view(
    list=extend_schema(summary=_("Việc chuẩn bị đại hội"), tags=CHECKLIST_TAG),
    retrieve=extend_schema(summary=_("Một việc chuẩn bị đại hội"), tags=CHECKLIST_TAG),
)
class ChecklistItemViewSet(_Base):
    """Từng việc chuẩn bị của một đại hội: đã xong chưa, ngày nào, ai xác nhận."""

    queryset = CongressChecklistItem.objects.select_related("congress", "done_by")
    serializer_class = CongressChecklistItemSerializer
    filterset_class = ChecklistItemFilterSet
    ordering_fields = ["order", "id"]
    ordering = ["congress_id", "order", "id"]

    @extend_schema(
        request=CongressChecklistItemUpdateSerializer,
        responses=CongressChecklistItemSerializer,
        summary=_("Đánh dấu đã xong / chưa xong"),
        tags=CHECKLIST_TAG,
    )
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        ser = CongressChecklistItemUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        with service_errors():
            services.checklist_set(
                actor=request.user,
                item=item,
                done=d["done"],
                on=d.get("done_on"),
                note=d.get("note"),
            )
        return Response(CongressChecklistItemSerializer(self.queryset.get(pk=item.pk)).data)


COMMITTEE_TAG = ["committees"]


@extend_schema_view(
    list=extend_schema(summary=_("Các cấp ủy trong phạm vi"), tags=COMMITTEE_TAG),
    retrieve=extend_schema(summary=_("Một cấp ủy, kèm số lượng được duyệt"), tags=COMMITTEE_TAG),
)
class CommitteeViewSet(_Base):
    """Cấp ủy (chi ủy), Ban Thường vụ, Ủy ban Kiểm tra của một nhiệm kỳ, với số lượng được duyệt
    theo chức danh. Chi bộ dưới 9 đảng viên chính thức chỉ có bí thư, phó bí thư (theo sổ quy
    tắc)."""

    queryset = Committee.objects.select_related("organization", "term").prefetch_related("quotas")
    serializer_class = CommitteeSerializer
    filterset_class = CommitteeFilterSet
    ordering_fields = ["formed_on", "id"]
    ordering = ["organization__path", "body", "id"]

    @extend_schema(
        request=CommitteeCreateSerializer,
        responses={201: CommitteeSerializer},
        summary=_("Lập cấp ủy với số lượng được duyệt"),
        tags=COMMITTEE_TAG,
    )
    def create(self, request, *args, **kwargs):
        data = self._validated(CommitteeCreateSerializer)
        term = data.pop("term")
        data["quotas"] = {q["position"]: q["approved"] for q in data["quotas"]}
        with service_errors():
            committee = services.committee_create(
                actor=request.user, organization=term.organization, term=term, **data
            )
        return Response(
            CommitteeSerializer(self.queryset.get(pk=committee.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[SUBTREE, ON],
        responses=VacancySerializer(many=True),
        summary=_("Cấp ủy còn thiếu, khuyết"),
        description=_("Số được duyệt − số đang giữ chức tại ngày, theo cấp ủy của nhiệm kỳ đó."),
        tags=COMMITTEE_TAG,
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def vacancies(self, request):
        on = self._param_date("on")
        return self._page(selectors.committees_with_vacancies(self._orgs(), on), VacancySerializer)

    @extend_schema(
        parameters=[SUBTREE, ON],
        responses=WithoutSecretarySerializer(many=True),
        summary=_("Tổ chức chưa có bí thư"),
        tags=COMMITTEE_TAG,
    )
    @action(detail=False, methods=["get"], url_path="without-secretary", filter_backends=[])
    def without_secretary(self, request):
        on = self._param_date("on")
        return self._page(
            selectors.orgs_without_secretary(self._orgs(), on), WithoutSecretarySerializer
        )


SEAT_TAG = ["committee-seats"]


@extend_schema_view(
    list=extend_schema(summary=_("Cấp ủy viên (các chức danh đã và đang giữ)"), tags=SEAT_TAG),
    retrieve=extend_schema(summary=_("Một chức danh cấp ủy"), tags=SEAT_TAG),
)
class CommitteeSeatViewSet(_Base):
    """Ai giữ chức danh nào của cấp ủy, từ ngày nào đến ngày nào, bầu hay chỉ định, thôi vì lý
    do gì. Không xóa: thôi giữ chức qua `end`."""

    queryset = CommitteeSeat.objects.select_related("committee", "member")
    serializer_class = SeatSerializer
    filterset_class = CommitteeSeatFilterSet
    ordering_fields = ["start_date", "id"]
    ordering = ["committee_id", "start_date", "id"]

    @extend_schema(
        request=SeatFillSerializer,
        responses={201: SeatSerializer},
        summary=_("Bổ sung cấp ủy viên (bầu hoặc chỉ định)"),
        tags=SEAT_TAG,
    )
    def create(self, request, *args, **kwargs):
        data = self._validated(SeatFillSerializer)
        with service_errors():
            seat = services.seat_fill(actor=request.user, **data)
        return Response(
            SeatSerializer(self.queryset.get(pk=seat.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=SeatEndSerializer,
        responses=SeatSerializer,
        summary=_("Thôi giữ chức danh"),
        tags=SEAT_TAG,
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        seat = self.get_object()
        data = self._validated(SeatEndSerializer)
        with service_errors():
            services.seat_end(actor=request.user, seat=seat, **data)
        return Response(SeatSerializer(self.queryset.get(pk=seat.pk)).data)
