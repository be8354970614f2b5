"""Members and their lifecycle events over the API.

A member record is never deleted (DELETE answers 405): people leave the Party through dated events
(removed, expelled, died, transferred out), which keep the history. Creating an event dispatches
by `kind` to the lifecycle service in `dangvu.members.services`, which checks the rules.

Transfers: the receiving organisation of `transfer_in` and `readmitted` must be in your scope;
`transfer_out` may send a member to *any* active organisation of the system, inside or outside
your scope (the receiving side is usually someone else's), after which the member leaves your view.
"""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import filters, mixins, status, viewsets
from rest_framework.response import Response

from dangvu.api.base import ScopedViewSetMixin, service_errors
from dangvu.core.scope import CHANGE, VIEW, can
from dangvu.organizations.models import Organization

from .. import services
from ..filtersets import (
    MemberEventFilterSet,
    MemberFilterSet,
    MembershipFilterSet,
    OrganizationStatsFilterSet,
)
from ..models import Member, MemberEvent, Membership, OrganizationStats
from ..permissions import can_record_event
from ..selectors import known_large
from .serializers import (
    CREATE_ONLY_FIELDS,
    EVENT_KINDS,
    MemberCreateSerializer,
    MemberDetailSerializer,
    MemberEventHeadSerializer,
    MemberEventSerializer,
    MemberSerializer,
    MembershipSerializer,
    MemberUpdateSerializer,
    OrganizationStatsSerializer,
    member_list_rows,
)

# kind → the lifecycle service it calls (serializer fields are its keyword arguments)
EVENT_SERVICES = {
    "recognised_official": services.member_recognise_official,
    "transfer_out": services.member_transfer_out,
    "transfer_in": services.member_transfer_in,
    "temporary_end": services.member_end_temporary,
    "exemption_granted": services.member_grant_exemption,
    "exemption_ended": services.member_end_exemption,
    "removed": services.member_remove,
    "expelled": services.member_expel,
    "readmitted": services.member_readmit,
    "died": services.member_record_death,
    "card_reissued": services.member_reissue_card,
}
assert set(EVENT_SERVICES) == set(EVENT_KINDS)

MEMBER_TAG = ["members"]
# Query parameters that never filter: without any other, the filter set would return the rows as
# they are, so the list skips building it (its form and deep-copied filters cost CPU per request).
PAGE_PARAMS = frozenset({"page", "page_size", "format"})
EVENT_TAG = ["member-events"]


@extend_schema_view(
    list=extend_schema(summary=_("Danh sách đảng viên trong phạm vi"), tags=MEMBER_TAG),
    retrieve=extend_schema(summary=_("Hồ sơ đảng viên (có tuổi đảng)"), tags=MEMBER_TAG),
)
class MemberViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Hồ sơ đảng viên trong phạm vi của bạn; ngoài phạm vi trả lời 404.

    Không xóa hồ sơ (DELETE: 405): đảng viên ra khỏi danh sách qua sự kiện (member-events).
    """

    queryset = Member.objects.select_related("organization")
    serializer_class = MemberSerializer
    filter_backends = [DjangoFilterBackend]  # MemberFilterSet brings its own `ordering`
    filterset_class = MemberFilterSet

    def get_serializer_class(self):
        if self.action == "retrieve":
            return MemberDetailSerializer
        return super().get_serializer_class()

    def filter_queryset(self, queryset):
        if self.action == "list" and PAGE_PARAMS.issuperset(self.request.query_params):
            return known_large(queryset, self.request.user)  # unfiltered: maybe no count
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        """ListModelMixin.list with MemberSerializer's output written by `member_list_rows`."""
        queryset = self.filter_queryset(self.get_queryset())
        paginator = self.paginator
        page = None if paginator is None else paginator.paginate_lazily(queryset, request, self)
        if page is not None:
            return self.get_paginated_response(member_list_rows(page))
        return Response(member_list_rows(queryset))

    def _detail(self, member, status_code=status.HTTP_200_OK):
        member = Member.objects.select_related("organization").get(pk=member.pk)
        data = MemberDetailSerializer(member, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(
        request=MemberCreateSerializer,
        responses={201: MemberDetailSerializer},
        summary=_("Nhập hồ sơ đảng viên"),
        description=_(
            "Chỉ vào tổ chức mà bạn được thêm đảng viên; sự kiện kết nạp (và công nhận chính "
            "thức nếu có ngày chính thức) được ghi kèm."
        ),
        tags=MEMBER_TAG,
    )
    def create(self, request, *args, **kwargs):
        ser = MemberCreateSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        organization = data.pop("organization")
        extra = {k: data.pop(k) for k in CREATE_ONLY_FIELDS if k in data}
        with service_errors():
            member = services.member_create(
                actor=request.user, organization=organization, data=data, **extra
            )
        return self._detail(member, status.HTTP_201_CREATED)

    @extend_schema(
        request=MemberUpdateSerializer,
        responses=MemberDetailSerializer,
        summary=_("Sửa hồ sơ đảng viên"),
        description=_("Trạng thái và tổ chức sinh hoạt chỉ đổi qua sự kiện (member-events)."),
        tags=MEMBER_TAG,
    )
    def update(self, request, *args, partial=False, **kwargs):
        member = self.get_object()
        ser = MemberUpdateSerializer(
            member, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        ser.is_valid(raise_exception=True)
        with service_errors():
            member = services.member_update(
                actor=request.user, member=member, data=dict(ser.validated_data)
            )
        return self._detail(member)

    @extend_schema(
        request=MemberUpdateSerializer,
        responses=MemberDetailSerializer,
        summary=_("Sửa một phần hồ sơ đảng viên"),
        tags=MEMBER_TAG,
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class ScopedMemberEventFilterSet(MemberEventFilterSet):
    """The organisation filter offers only organisations the user may see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        user = getattr(request, "user", None)
        if user is not None:
            self.filters["organization"].queryset = Organization.objects.restrict(user, VIEW)


@extend_schema_view(
    list=extend_schema(summary=_("Sự kiện của đảng viên trong phạm vi"), tags=EVENT_TAG),
    retrieve=extend_schema(summary=_("Chi tiết sự kiện"), tags=EVENT_TAG),
)
class MemberEventViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Sự kiện của đảng viên (kết nạp, chuyển sinh hoạt, miễn, xóa tên, từ trần…), mỗi sự kiện
    có ngày hiệu lực và quyết định; chỉ thêm, không sửa hay xóa.
    """

    queryset = MemberEvent.objects.select_related("member", "organization", "to_organization")
    serializer_class = MemberEventSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = ScopedMemberEventFilterSet
    ordering_fields = ["date", "created_at", "id"]
    # Recording an event changes the member: "change" on members, checked on that member.
    scope_actions = {"create": CHANGE}

    def scope_model(self):
        return Member

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="MemberEventCreate",
            serializers={kind: ser for kind, ser in EVENT_KINDS.items()},
            resource_type_field_name="kind",
        ),
        responses={201: MemberEventSerializer},
        summary=_("Ghi một sự kiện của đảng viên"),
        description=_(
            "Trường `kind` chọn sự kiện và các trường cần nhập. Đảng viên phải trong phạm vi bạn "
            "được sửa hồ sơ (ngoài phạm vi nhìn thấy: 400; nhìn thấy nhưng không được sửa: 403). "
            "Chuyển sinh hoạt đi (`transfer_out`) được chọn bất kỳ tổ chức đang hoạt động nào; "
            "tổ chức nhận của `transfer_in` và `readmitted` phải trong phạm vi của bạn."
        ),
        tags=EVENT_TAG,
    )
    def create(self, request, *args, **kwargs):
        context = self.get_serializer_context()
        head = MemberEventHeadSerializer(data=request.data, context=context)
        head.is_valid(raise_exception=True)
        kind = head.validated_data["kind"]
        member = head.validated_data["member"]
        if not can(request.user, CHANGE, member):
            self.permission_denied(request)
        if not can_record_event(request.user, member, kind):
            self.permission_denied(
                request, message=_("Sự kiện này do cấp ủy cơ sở hoặc cấp trên quyết định.")
            )
        serializer_class = EVENT_KINDS[kind]
        ser = serializer_class(data=request.data, context=context)
        ser.is_valid(raise_exception=True)
        rename = getattr(serializer_class, "service_rename", {})
        kwargs = {
            rename.get(k, k): v
            for k, v in ser.validated_data.items()
            if k not in ("kind", "member") and v is not None
        }
        with service_errors(rename={v: k for k, v in rename.items()}):
            event = EVENT_SERVICES[kind](actor=request.user, member=member, **kwargs)
        event = self.queryset.get(pk=event.pk)
        return Response(MemberEventSerializer(event).data, status=status.HTTP_201_CREATED)


MEMBERSHIP_TAG = ["memberships"]


@extend_schema_view(
    list=extend_schema(
        summary=_("Quá trình sinh hoạt đảng của đảng viên trong phạm vi"),
        description=_(
            "Mỗi dòng: đảng viên sinh hoạt ở tổ chức nào, chính thức hay tạm thời, từ ngày đến "
            "ngày. Với `on`: nơi sinh hoạt tại ngày đó. Tài khoản đảng viên chỉ thấy của mình."
        ),
        tags=MEMBERSHIP_TAG,
    ),
    retrieve=extend_schema(summary=_("Một quá trình sinh hoạt"), tags=MEMBERSHIP_TAG),
)
class MembershipViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Quá trình sinh hoạt (chỉ đọc): ghi qua các sự kiện của đảng viên (member-events)."""

    queryset = Membership.objects.select_related("member", "organization")
    serializer_class = MembershipSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = MembershipFilterSet
    ordering_fields = ["valid_from", "id"]
    ordering = ["member__name_sort", "member_id", "valid_from", "id"]


class OrganizationStatsViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Số đảng viên trực tiếp của mỗi tổ chức (chỉ đọc; hệ thống tự cập nhật khi hồ sơ thay đổi)."""

    queryset = OrganizationStats.objects.select_related("organization")
    serializer_class = OrganizationStatsSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = OrganizationStatsFilterSet
    ordering_fields = ["active", "official", "organization__path"]
    ordering = ["organization__path"]
