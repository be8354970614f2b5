"""Organisations over the API: the tree, its history as of a date, and its dated changes.

Plain record fields (address, phone, email) change with PATCH; everything a decision governs
(establish, rename, move, merge, split, dissolve) is a POST calling the service, which records the
dated event with its decision number.
"""

import django_filters
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangvu.api.base import ScopedViewSetMixin, covers_everything, service_errors
from dangvu.core.audit import audit_context
from dangvu.core.scope import ADD, CHANGE, VIEW
from dangvu.members.api.serializers import MemberAsOfSerializer
from dangvu.members.selectors import members_as_of

from .. import services
from ..filtersets import (
    OrganizationEventFilterSet,
    OrganizationFilterSet,
    OrganizationTypeLabelFilterSet,
    OrganizationVersionFilterSet,
)
from ..models import Organization, OrganizationEvent, OrganizationTypeLabel, OrganizationVersion
from ..permissions import can_restructure
from ..selectors import tree_as_of
from .serializers import (
    DissolveSerializer,
    MembersAsOfQuerySerializer,
    MergeSerializer,
    MoveSerializer,
    OrganizationCreateSerializer,
    OrganizationDetailSerializer,
    OrganizationEventSerializer,
    OrganizationSerializer,
    OrganizationTypeLabelSerializer,
    OrganizationTypeLabelUpdateSerializer,
    OrganizationUpdateSerializer,
    OrganizationVersionSerializer,
    RenameSerializer,
    SplitSerializer,
    TreeQuerySerializer,
    TreeRowSerializer,
    with_parent,
)

TAG = ["organizations"]


@extend_schema_field(OpenApiTypes.INT)
class OrganizationIdFilter(django_filters.ModelChoiceFilter):
    """An organisation chosen by id (documented as an integer)."""


class OrganizationAPIFilterSet(OrganizationFilterSet):
    """The shared filterset, with `parent` and `within` typed for the OpenAPI schema."""

    parent = OrganizationIdFilter(
        queryset=Organization.objects.all(), method="filter_parent", label=_("Trực thuộc")
    )
    within = OrganizationIdFilter(
        queryset=Organization.objects.all(),
        method="filter_within",
        label=_("Thuộc (cả cấp dưới)"),
    )


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách tổ chức đảng trong phạm vi"), tags=TAG),
    retrieve=extend_schema(summary=_("Chi tiết tổ chức đảng"), tags=TAG),
)
class OrganizationViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Tổ chức đảng trong phạm vi của bạn; ngoài phạm vi trả lời 404 như không tồn tại.

    Sửa địa chỉ, điện thoại, email bằng PATCH; thành lập, đổi tên, chuyển, hợp nhất, chia tách,
    giải thể là các thao tác có quyết định, ghi lại sự kiện có ngày hiệu lực.
    """

    queryset = with_parent(Organization.objects.all())
    serializer_class = OrganizationSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = OrganizationAPIFilterSet
    ordering_fields = ["path", "code", "name", "established_on"]
    ordering = ["path"]
    scope_actions = {"children": VIEW, "tree": VIEW, "members": VIEW}

    def get_serializer_class(self):
        if self.action == "retrieve":
            return OrganizationDetailSerializer
        return super().get_serializer_class()

    def _detail(self, org, status_code=status.HTTP_200_OK):
        org = with_parent(Organization.objects.all()).get(pk=org.pk)
        data = OrganizationDetailSerializer(org, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    # ---- writes -------------------------------------------------------------------------

    @extend_schema(
        request=OrganizationCreateSerializer,
        responses={201: OrganizationDetailSerializer},
        summary=_("Thành lập tổ chức đảng"),
        tags=TAG,
    )
    def create(self, request, *args, **kwargs):
        ser = OrganizationCreateSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        parent = data.pop("parent", None)
        if parent is None and not covers_everything(request.user, Organization, ADD):
            raise exceptions.ValidationError(
                {"parent": [_("Chọn tổ chức cấp trên trong phạm vi của bạn.")]}
            )
        with service_errors():
            org = services.organization_establish(actor=request.user, parent=parent, **data)
        return self._detail(org, status.HTTP_201_CREATED)

    @extend_schema(
        request=OrganizationUpdateSerializer,
        responses=OrganizationDetailSerializer,
        summary=_("Sửa địa chỉ, điện thoại, email"),
        description=_("Tên, loại và cấp trên chỉ đổi qua các thao tác có quyết định."),
        tags=TAG,
    )
    def partial_update(self, request, *args, **kwargs):
        org = self.get_object()
        ser = OrganizationUpdateSerializer(org, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        with service_errors():
            org = services.organization_update(
                actor=request.user, organization=org, data=ser.validated_data
            )
        return self._detail(org)

    def _restructurable(self):
        """The organisation, if the user may decide its restructuring (change on its parent)."""
        org = self.get_object()
        if not can_restructure(self.request.user, org):
            self.permission_denied(
                self.request, message=_("Việc này do cấp ủy cấp trên quyết định.")
            )
        return org

    def _event_action(self, request, serializer_class, call):
        org = self._restructurable()
        ser = serializer_class(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        with service_errors():
            event = call(org, dict(ser.validated_data))
        return Response(OrganizationEventSerializer(event).data)

    @extend_schema(
        request=RenameSerializer,
        responses=OrganizationEventSerializer,
        summary=_("Đổi tên"),
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def rename(self, request, pk=None):
        return self._event_action(
            request,
            RenameSerializer,
            lambda org, d: services.organization_rename(actor=request.user, organization=org, **d),
        )

    @extend_schema(
        request=MoveSerializer,
        responses=OrganizationEventSerializer,
        summary=_("Chuyển trực thuộc (cả nhánh)"),
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        return self._event_action(
            request,
            MoveSerializer,
            lambda org, d: services.organization_move(actor=request.user, organization=org, **d),
        )

    @extend_schema(
        request=MergeSerializer,
        responses=OrganizationEventSerializer,
        summary=_("Hợp nhất vào tổ chức khác"),
        description=_(
            "Đảng viên và tổ chức trực thuộc chuyển sang tổ chức nhận; tổ chức này kết thúc."
        ),
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        return self._event_action(
            request,
            MergeSerializer,
            lambda org, d: services.organization_merge(actor=request.user, source=org, **d),
        )

    @extend_schema(
        request=DissolveSerializer,
        responses=OrganizationEventSerializer,
        summary=_("Giải thể"),
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def dissolve(self, request, pk=None):
        return self._event_action(
            request,
            DissolveSerializer,
            lambda org, d: services.organization_dissolve(
                actor=request.user, organization=org, **d
            ),
        )

    @extend_schema(
        request=SplitSerializer,
        responses={201: OrganizationSerializer(many=True)},
        summary=_("Chia tách"),
        description=_(
            "Lập các tổ chức mới cùng cấp trên; mỗi phần nêu đảng viên chuyển sang. Trả về các "
            "tổ chức mới."
        ),
        tags=TAG,
    )
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        org = self._restructurable()
        ser = SplitSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["parts"] = [dict(p) for p in data["parts"]]
        with service_errors():
            new_orgs = services.organization_split(actor=request.user, source=org, **data)
        rows = with_parent(Organization.objects.all()).filter(pk__in=[o.pk for o in new_orgs])
        return Response(
            OrganizationSerializer(rows, many=True).data, status=status.HTTP_201_CREATED
        )

    # ---- reads beyond list/retrieve ----------------------------------------------------

    @extend_schema(
        responses=OrganizationSerializer(many=True),
        summary=_("Tổ chức trực thuộc trực tiếp"),
        tags=TAG,
    )
    @action(detail=True, methods=["get"])
    def children(self, request, pk=None):
        org = self.get_object()
        qs = self.restricted(VIEW).filter(path__startswith=org.path, depth=org.depth + 1)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(OrganizationSerializer(page, many=True).data)

    @extend_schema(
        parameters=[TreeQuerySerializer],
        responses=TreeRowSerializer(many=True),
        summary=_("Cây tổ chức tại một ngày"),
        description=_(
            "Theo lịch sử tổ chức: tên, loại và cấp trên như tại ngày `on`. Chỉ gồm các tổ chức "
            "trong phạm vi của bạn (theo vị trí hiện nay)."
        ),
        tags=TAG,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def tree(self, request):
        q = TreeQuerySerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        on = q.validated_data.get("on") or timezone.localdate()
        visible = Organization.objects.restrict(request.user, VIEW)
        root = None
        if "root" in q.validated_data:
            root = visible.filter(pk=q.validated_data["root"]).first()
            if root is None:
                raise exceptions.NotFound()
        rows = tree_as_of(on, root)
        if not covers_everything(request.user, Organization, VIEW):
            ids = {r.version.organization_id for r in rows}
            allowed = set(visible.filter(pk__in=ids).values_list("pk", flat=True))
            rows = [r for r in rows if r.version.organization_id in allowed]
        return Response(TreeRowSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[MembersAsOfQuerySerializer],
        responses=MemberAsOfSerializer(many=True),
        summary=_("Đảng viên của tổ chức tại một ngày"),
        tags=TAG,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def members(self, request, pk=None):
        org = self.get_object()
        q = MembersAsOfQuerySerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        on = q.validated_data.get("on") or timezone.localdate()
        qs = (
            members_as_of(
                org,
                on,
                subtree=q.validated_data["subtree"],
                include_temporary=q.validated_data["include_temporary"],
            )
            .restrict(request.user, VIEW)
            .select_related("organization")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(
            MemberAsOfSerializer(page, many=True, context=self.get_serializer_context()).data
        )


EVENT_TAG = ["organization-events"]
VERSION_TAG = ["organization-versions"]
TYPE_LABEL_TAG = ["organization-type-labels"]


@extend_schema_view(
    list=extend_schema(summary=_("Sự kiện của tổ chức đảng trong phạm vi"), tags=EVENT_TAG),
    retrieve=extend_schema(summary=_("Chi tiết sự kiện của tổ chức"), tags=EVENT_TAG),
)
class OrganizationEventViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Các thay đổi có quyết định của cây tổ chức (thành lập, đổi tên, chuyển, hợp nhất, chia tách,
    giải thể), mỗi sự kiện có ngày hiệu lực. Chỉ đọc: sự kiện được ghi qua các thao tác của
    organizations.
    """

    queryset = OrganizationEvent.objects.select_related("organization", "related")
    serializer_class = OrganizationEventSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = OrganizationEventFilterSet
    ordering_fields = ["date", "created_at", "id"]
    ordering = ["-date", "-id"]


@extend_schema_view(
    list=extend_schema(
        summary=_("Lịch sử tổ chức: tên, loại, cấp trên theo từng khoảng thời gian"),
        description=_(
            "Với `on`, danh sách là cây tổ chức như tại ngày đó (mỗi tổ chức một phiên bản, "
            "`parent` là cấp trên khi đó)."
        ),
        tags=VERSION_TAG,
    ),
    retrieve=extend_schema(summary=_("Một phiên bản của tổ chức"), tags=VERSION_TAG),
)
class OrganizationVersionViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Phiên bản của tổ chức trong phạm vi của bạn (theo vị trí hiện nay); chỉ đọc."""

    queryset = OrganizationVersion.objects.select_related("organization")
    serializer_class = OrganizationVersionSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = OrganizationVersionFilterSet
    ordering_fields = ["valid_from", "organization__path", "id"]
    ordering = ["organization__path", "valid_from", "id"]


@extend_schema_view(
    list=extend_schema(summary=_("Tên hiển thị của các loại tổ chức"), tags=TYPE_LABEL_TAG),
    retrieve=extend_schema(summary=_("Tên hiển thị của một loại tổ chức"), tags=TYPE_LABEL_TAG),
)
class OrganizationTypeLabelViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Tên hiển thị cấu hình được của các loại tổ chức (tên gọi đổi từ năm 2025).

    Áp dụng cho cả hệ thống, nên chỉ quyền toàn hệ thống (quản trị) được sửa.
    """

    queryset = OrganizationTypeLabel.objects.all()
    serializer_class = OrganizationTypeLabelSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = OrganizationTypeLabelFilterSet
    ordering_fields = ["org_type", "label"]
    ordering = ["org_type"]

    @extend_schema(
        request=OrganizationTypeLabelUpdateSerializer,
        responses=OrganizationTypeLabelSerializer,
        summary=_("Sửa tên hiển thị của loại tổ chức"),
        description=_("Chỉ quyền toàn hệ thống (quản trị)."),
        tags=TYPE_LABEL_TAG,
    )
    def partial_update(self, request, *args, **kwargs):
        row = self.get_object()
        if not covers_everything(request.user, Organization, CHANGE):
            self.permission_denied(
                request, message=_("Tên loại tổ chức áp dụng cho cả hệ thống: chỉ quản trị sửa.")
            )
        ser = OrganizationTypeLabelUpdateSerializer(row, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        with audit_context(actor=request.user), transaction.atomic():
            for field, value in ser.validated_data.items():
                setattr(row, field, value)
            row.full_clean()
            row.save()
        return Response(
            OrganizationTypeLabelSerializer(OrganizationTypeLabel.objects.get(pk=row.pk)).data
        )
