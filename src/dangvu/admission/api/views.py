"""Candidates for admission and yearly targets over the API.

Every write calls a service of `dangvu.admission.services`, which checks the rulebook and
cites it when refusing (400 keyed by field). Nothing is deleted (DELETE: 405): a candidate is
closed (refused / withdrawn). Scope: the organisation department and the grassroots secretaries
manage their subtree; a cell secretary prepares its cell's candidates and records the cell's
votes (the grassroots committee's vote and the decision need scope over the grassroots
organisation: 403 otherwise); whole-tree roles read.
"""

import contextlib

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangvu.api.base import ScopedViewSetMixin, service_errors
from dangvu.core.scope import VIEW, scope_q
from dangvu.organizations.models import Organization

from .. import selectors, services
from ..filtersets import AdmissionTargetFilterSet, CandidateFilterSet
from ..models import AdmissionTarget, Candidate
from .serializers import (
    AdmissionTargetSerializer,
    AdmissionTargetSetSerializer,
    AdmissionTargetUpdateSerializer,
    CandidateCloseSerializer,
    CandidateCreateSerializer,
    CandidateDetailSerializer,
    CandidateSerializer,
    CandidateWriteSerializer,
    IntroducerCreateSerializer,
    IntroducerSerializer,
    ProgressSerializer,
    StepCreateSerializer,
)

TAG = ["admission"]


class _ServiceMixin:
    @contextlib.contextmanager
    def calling(self):
        try:
            with service_errors():
                yield
        except DjangoPermissionDenied as exc:
            self.permission_denied(self.request, message=str(exc) or None)

    def _validated(self, serializer_class, **kwargs):
        ser = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        ser.is_valid(raise_exception=True)
        return ser


@extend_schema_view(
    list=extend_schema(
        summary=_("Quần chúng ưu tú trong phạm vi"),
        description=_(
            "Lọc theo tổ chức (cả cấp dưới), bước đã qua (`step`), tình trạng, quá hạn, tên."
        ),
        tags=TAG,
    ),
    retrieve=extend_schema(
        summary=_("Một hồ sơ quần chúng"),
        description=_("Gồm các bước đã ghi và người giới thiệu."),
        tags=TAG,
    ),
)
class CandidateViewSet(
    _ServiceMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Quần chúng ưu tú qua các bước kết nạp; không xóa (DELETE: 405)."""

    queryset = Candidate.objects.select_related("organization")
    serializer_class = CandidateSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = CandidateFilterSet
    ordering_fields = ["name_sort", "next_due", "id"]
    ordering = ["name_sort", "id"]
    scope_actions = {"steps": "change", "introducers": "change", "close": "change"}

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CandidateDetailSerializer
        return super().get_serializer_class()

    def _detail(self, candidate, code=status.HTTP_200_OK):
        candidate = Candidate.objects.select_related("organization").get(pk=candidate.pk)
        return Response(
            CandidateDetailSerializer(candidate, context=self.get_serializer_context()).data,
            status=code,
        )

    @extend_schema(
        request=CandidateCreateSerializer,
        responses={201: CandidateDetailSerializer},
        summary=_("Thêm quần chúng ưu tú"),
        description=_(
            "Hồ sơ dùng tên trường của hồ sơ đảng viên; chi bộ bồi dưỡng phải là chi bộ."
        ),
        tags=TAG,
    )
    def create(self, request, *args, **kwargs):
        data = dict(self._validated(CandidateCreateSerializer).validated_data)
        org = data.pop("organization")
        with self.calling():
            candidate = services.candidate_create(actor=request.user, organization=org, data=data)
        return self._detail(candidate, status.HTTP_201_CREATED)

    @extend_schema(
        request=CandidateWriteSerializer,
        responses=CandidateDetailSerializer,
        summary=_("Sửa hồ sơ quần chúng"),
        description=_("Trước khi kết nạp; sau lễ kết nạp sửa trong hồ sơ đảng viên."),
        tags=TAG,
    )
    def partial_update(self, request, *args, **kwargs):
        candidate = self.get_object()
        data = dict(self._validated(CandidateWriteSerializer, partial=True).validated_data)
        with self.calling():
            candidate = services.candidate_update(
                actor=request.user, candidate=candidate, data=data
            )
        return self._detail(candidate)

    @extend_schema(
        request=StepCreateSerializer,
        responses={201: CandidateDetailSerializer},
        summary=_("Ghi bước tiếp theo"),
        description=_(
            "Theo thứ tự: awareness, application, introducers, background_check, cell_vote, "
            "committee_vote (không có với chi bộ cơ sở), decision, ceremony (tạo hồ sơ đảng "
            "viên dự bị), recognition (công nhận chính thức; không đạt thì đếm số lần). Bị từ "
            "chối khi trái quy định: 400 kèm căn cứ trong sổ quy tắc."
        ),
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        candidate = self.get_object()
        ser = self._validated(StepCreateSerializer)
        with self.calling():
            services.step_record(
                actor=request.user,
                candidate=candidate,
                kind=ser.validated_data["kind"],
                **ser.service_data(),
            )
        return self._detail(candidate, status.HTTP_201_CREATED)

    @extend_schema(
        request=IntroducerCreateSerializer,
        responses={201: IntroducerSerializer},
        summary=_("Thêm người giới thiệu"),
        description=_(
            "Đảng viên chính thức cùng công tác, sinh sống ≥ số tháng theo quy định (người thay "
            "thế được miễn), hoặc nghị quyết giới thiệu của Đoàn/Công đoàn."
        ),
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def introducers(self, request, pk=None):
        candidate = self.get_object()
        data = self._validated(IntroducerCreateSerializer).validated_data
        with self.calling():
            intro = services.introducer_add(actor=request.user, candidate=candidate, **data)
        return Response(IntroducerSerializer(intro).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CandidateCloseSerializer,
        responses=CandidateDetailSerializer,
        summary=_("Kết thúc hồ sơ (không kết nạp / dừng)"),
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        candidate = self.get_object()
        data = self._validated(CandidateCloseSerializer).validated_data
        with self.calling():
            candidate = services.candidate_close(actor=request.user, candidate=candidate, **data)
        return self._detail(candidate)


@extend_schema_view(
    list=extend_schema(summary=_("Chỉ tiêu phát triển đảng viên"), tags=TAG),
    retrieve=extend_schema(summary=_("Một chỉ tiêu"), tags=TAG),
)
class AdmissionTargetViewSet(
    _ServiceMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Chỉ tiêu kết nạp của từng tổ chức theo năm; tiến độ của một cây tổ chức."""

    queryset = AdmissionTarget.objects.select_related("organization")
    serializer_class = AdmissionTargetSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AdmissionTargetFilterSet
    scope_actions = {"progress": VIEW}

    @extend_schema(
        request=AdmissionTargetSetSerializer,
        responses={201: AdmissionTargetSerializer},
        summary=_("Giao (hoặc sửa) chỉ tiêu của một tổ chức trong năm"),
        tags=TAG,
    )
    def create(self, request, *args, **kwargs):
        data = self._validated(AdmissionTargetSetSerializer).validated_data
        with self.calling():
            target = services.target_set(actor=request.user, **data)
        return Response(AdmissionTargetSerializer(target).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AdmissionTargetUpdateSerializer,
        responses=AdmissionTargetSerializer,
        summary=_("Sửa số chỉ tiêu"),
        tags=TAG,
    )
    def partial_update(self, request, *args, **kwargs):
        target = self.get_object()
        data = self._validated(AdmissionTargetUpdateSerializer).validated_data
        with self.calling():
            target = services.target_set(
                actor=request.user,
                organization=target.organization,
                year=target.year,
                number=data["number"],
                note=data.get("note", target.note),
            )
        return Response(AdmissionTargetSerializer(target).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "organization",
                OpenApiTypes.INT,
                description=_("Gốc của cây tổ chức (bỏ trống: cả phạm vi của bạn)."),
            ),
            OpenApiParameter("year", OpenApiTypes.INT, description=_("Năm (mặc định năm nay).")),
        ],
        responses=ProgressSerializer,
        summary=_("Tiến độ so với chỉ tiêu"),
        description=_(
            "Tổng chỉ tiêu và số đảng viên kết nạp trong năm của một cây tổ chức (hoặc cả phạm vi)."
        ),
        tags=TAG,
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def progress(self, request):
        year = request.query_params.get("year") or ""
        year = int(year) if year.isdigit() else timezone.localdate().year
        org_id = request.query_params.get("organization") or ""
        q = scope_q(AdmissionTarget, request.user, VIEW)
        org = None
        if org_id:
            org = (
                Organization.objects.restrict(request.user, VIEW, module="admission")
                .filter(pk=org_id if org_id.isdigit() else 0)
                .first()
            )
            if org is None:
                from rest_framework.exceptions import NotFound

                raise NotFound()
            q = selectors.subtree_q(org)
        p = selectors.progress(q, year) if q is not None else selectors.Progress(0, 0)
        return Response(
            ProgressSerializer(
                {
                    "organization": org.pk if org else None,
                    "year": year,
                    "target": p.target,
                    "admitted": p.admitted,
                    "percent": p.percent,
                }
            ).data
        )


__all__ = ["AdmissionTargetViewSet", "CandidateViewSet"]
