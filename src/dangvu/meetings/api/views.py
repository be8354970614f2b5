"""Meetings, attendance and upper-level supervision over the API.

Every write calls a service of `dangvu.meetings.services`, which checks the rules; soft rules come
back as `warnings`. Nothing is deleted (DELETE: 405): a meeting is cancelled, an assignment ended,
a corrective action closed. Scope: cell and grassroots secretaries manage their organisations'
meetings; members see the meetings they are on the roster of and check in to them; the standing
committee and the organisation department see all and record supervision; an observer visit is
edited only by the observer who recorded it (403 for anyone else).
"""

import contextlib

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangvu.api.base import ScopedViewSetMixin, service_errors
from dangvu.core.scope import ADD, VIEW

from .. import services
from ..filtersets import (
    AssignmentFilterSet,
    AttendanceFilterSet,
    FindingFilterSet,
    MeetingFilterSet,
    ObserverVisitFilterSet,
)
from ..models import Assignment, Attendance, Finding, Meeting, ObserverVisit
from .serializers import (
    AssignmentCreateSerializer,
    AssignmentEndSerializer,
    AssignmentSerializer,
    AttendanceSerializer,
    AttendanceUpdateSerializer,
    CheckinCodeSerializer,
    CheckinOpenSerializer,
    CheckinSerializer,
    FindingCloseSerializer,
    FindingCreateSerializer,
    FindingDetailSerializer,
    FindingNoteCreateSerializer,
    FindingNoteSerializer,
    FindingSerializer,
    MeetingCancelSerializer,
    MeetingCloseSerializer,
    MeetingCreateSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    MeetingUpdateSerializer,
    ObserverVisitCreateSerializer,
    ObserverVisitSerializer,
    ObserverVisitUpdateSerializer,
    PlanYearSerializer,
    WarningsSerializer,
)


class _ServiceMixin:
    @contextlib.contextmanager
    def calling(self):
        """A service call: ValidationError → 400 keyed by field, PermissionDenied → 403."""
        try:
            with service_errors():
                yield
        except DjangoPermissionDenied as exc:
            self.permission_denied(self.request, message=str(exc) or None)


# ---- meetings -------------------------------------------------------------------------------

MEETING_TAG = ["meetings"]


@extend_schema_view(
    list=extend_schema(
        summary=_("Các buổi sinh hoạt trong phạm vi"),
        description=_(
            "Tài khoản đảng viên thấy các buổi sinh hoạt mà mình có tên trong danh sách. Lọc "
            "theo tổ chức (cả cấp dưới), loại, trạng thái, khoảng ngày."
        ),
        tags=MEETING_TAG,
    ),
    retrieve=extend_schema(
        summary=_("Một buổi sinh hoạt"),
        description=_(
            "Gồm chương trình, tài liệu, kết quả biểu quyết (`vote_result`) và tỷ lệ có mặt "
            "(`attendance_rate`). Mã điểm danh chỉ hiện với người được sửa buổi sinh hoạt."
        ),
        tags=MEETING_TAG,
    ),
)
class MeetingViewSet(
    _ServiceMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Buổi sinh hoạt chi bộ: kế hoạch, thông báo, danh sách, điểm danh, biên bản.

    Không xóa (DELETE: 405): buổi sinh hoạt bị hủy qua `cancel`, có lý do.
    """

    queryset = Meeting.objects.select_related("organization", "chair", "minute_taker")
    serializer_class = MeetingSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = MeetingFilterSet
    ordering_fields = ["scheduled_at", "id"]
    ordering = ["-scheduled_at", "-id"]
    scope_actions = {"plan_year": ADD}

    def get_serializer_class(self):
        if self.action == "retrieve":
            return MeetingDetailSerializer
        return super().get_serializer_class()

    def _detail_data(self, meeting):
        meeting = (
            Meeting.objects.select_related("organization", "chair", "minute_taker")
            .prefetch_related("documents")
            .get(pk=meeting.pk)
        )
        return MeetingDetailSerializer(meeting, context=self.get_serializer_context()).data

    def _detail(self, meeting, status_code=status.HTTP_200_OK):
        return Response(self._detail_data(meeting), status=status_code)

    def _with_warnings(self, meeting, warnings):
        return Response({"meeting": self._detail_data(meeting), "warnings": warnings})

    def _validated(self, serializer_class):
        ser = serializer_class(data=self.request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        return dict(ser.validated_data)

    @extend_schema(
        request=MeetingCreateSerializer,
        responses={201: MeetingDetailSerializer},
        summary=_("Lập kế hoạch một buổi sinh hoạt"),
        description=_(
            "Chương trình chép từ mẫu (mặc định: mẫu của tổ chức, của cấp trên hoặc dùng chung). "
            "Loại sinh hoạt phải hợp với loại tổ chức."
        ),
        tags=MEETING_TAG,
    )
    def create(self, request, *args, **kwargs):
        data = self._validated(MeetingCreateSerializer)
        with self.calling():
            meeting = services.meeting_create(actor=request.user, **data)
        return self._detail(meeting, status.HTTP_201_CREATED)

    @extend_schema(
        request=MeetingUpdateSerializer,
        responses=MeetingDetailSerializer,
        summary=_("Sửa kế hoạch buổi sinh hoạt"),
        description=_(
            "Chủ đề, địa điểm, thời gian, chương trình, chủ trì, thư ký; không sửa được sau khi "
            "đã tổ chức hoặc đã hủy."
        ),
        tags=MEETING_TAG,
    )
    def partial_update(self, request, *args, **kwargs):
        meeting = self.get_object()
        ser = MeetingUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        if "agenda" in data:
            data["agenda"] = [dict(item) for item in data["agenda"]]
        with self.calling():
            meeting = services.meeting_update(actor=request.user, meeting=meeting, data=data)
        return self._detail(meeting)

    @extend_schema(
        request=PlanYearSerializer,
        responses={201: MeetingSerializer(many=True)},
        summary=_("Lập kế hoạch sinh hoạt cả năm"),
        description=_(
            "12 buổi thường kỳ (mỗi tháng một buổi) và một buổi chuyên đề mỗi quý; bỏ qua tháng "
            "(quý) đã có. Trả về các buổi mới lập."
        ),
        tags=MEETING_TAG,
    )
    @action(detail=False, methods=["post"], url_path="plan-year")
    def plan_year(self, request):
        data = self._validated(PlanYearSerializer)
        data["thematic_months"] = tuple(data["thematic_months"])
        with self.calling():
            created = services.meetings_plan_year(actor=request.user, **data)
        rows = self.queryset.filter(pk__in=[m.pk for m in created]).order_by("scheduled_at", "id")
        return Response(MeetingSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=WarningsSerializer,
        summary=_("Gửi thông báo sinh hoạt"),
        description=_(
            "Lập danh sách (nếu chưa có) rồi nhắc từng đảng viên có tài khoản và đồng chí cấp "
            "trên được phân công phụ trách. Cảnh báo khi tài liệu đăng chưa đủ thời gian quy định."
        ),
        tags=MEETING_TAG,
    )
    @action(detail=True, methods=["post"])
    def notice(self, request, pk=None):
        meeting = self.get_object()
        with self.calling():
            warnings = services.meeting_send_notice(actor=request.user, meeting=meeting)
        return self._with_warnings(meeting, warnings)

    @extend_schema(
        request=None,
        responses=AttendanceSerializer(many=True),
        summary=_("Lập (cập nhật) danh sách đảng viên của buổi sinh hoạt"),
        description=_(
            "Theo đảng viên của tổ chức tại ngày sinh hoạt: chính thức, dự bị, miễn sinh hoạt "
            "(ghi riêng), sinh hoạt tạm thời. Lập lại không xóa người đã điểm danh."
        ),
        tags=MEETING_TAG,
    )
    @action(detail=True, methods=["post"])
    def roster(self, request, pk=None):
        meeting = self.get_object()
        with self.calling():
            rows = services.roster_build(actor=request.user, meeting=meeting)
        return Response(AttendanceSerializer(rows, many=True).data)

    @extend_schema(
        request=CheckinOpenSerializer,
        responses=CheckinCodeSerializer,
        summary=_("Mở điểm danh bằng mã QR / mã ngắn"),
        description=_("Chỉ trong ngày sinh hoạt; mã có hiệu lực đến hết thời lượng dự kiến."),
        tags=MEETING_TAG,
    )
    @action(detail=True, methods=["post"], url_path="checkin-open")
    def checkin_open(self, request, pk=None):
        meeting = self.get_object()
        data = self._validated(CheckinOpenSerializer)
        with self.calling():
            meeting = services.checkin_open(
                actor=request.user, meeting=meeting, minutes=data.get("minutes")
            )
        try:
            url = reverse("meetings:checkin_token", args=[meeting.checkin_token])
        except NoReverseMatch:
            url = ""
        return Response(
            CheckinCodeSerializer(
                {
                    "checkin_code": meeting.checkin_code,
                    "checkin_token": meeting.checkin_token,
                    "checkin_open_until": meeting.checkin_open_until,
                    "checkin_url": request.build_absolute_uri(url) if url else "",
                }
            ).data
        )

    @extend_schema(
        request=MeetingCloseSerializer,
        responses=WarningsSerializer,
        summary=_("Ghi biên bản: buổi sinh hoạt đã tổ chức"),
        description=_(
            "Giờ bắt đầu, kết thúc, biên bản, nghị quyết và kết quả biểu quyết (đảng viên dự bị "
            "không biểu quyết), tự đánh giá chất lượng. Cảnh báo: thời lượng dưới mức tối thiểu, "
            "tỷ lệ dự họp thấp, còn người chưa điểm danh."
        ),
        tags=MEETING_TAG,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        meeting = self.get_object()
        data = self._validated(MeetingCloseSerializer)
        with self.calling():
            meeting, warnings = services.meeting_close(actor=request.user, meeting=meeting, **data)
        return self._with_warnings(meeting, warnings)

    @extend_schema(
        request=MeetingCancelSerializer,
        responses=MeetingDetailSerializer,
        summary=_("Hủy buổi sinh hoạt"),
        description=_("Những người đã nhận thông báo được nhắc việc hủy, kèm lý do."),
        tags=MEETING_TAG,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self.get_object()
        data = self._validated(MeetingCancelSerializer)
        with self.calling():
            meeting = services.meeting_cancel(actor=request.user, meeting=meeting, **data)
        return self._detail(meeting)


# ---- attendance -----------------------------------------------------------------------------

ATTENDANCE_TAG = ["attendances"]


@extend_schema_view(
    list=extend_schema(
        summary=_("Điểm danh các buổi sinh hoạt trong phạm vi"),
        description=_("Tài khoản đảng viên chỉ thấy dòng điểm danh của mình."),
        tags=ATTENDANCE_TAG,
    ),
    retrieve=extend_schema(summary=_("Một dòng điểm danh"), tags=ATTENDANCE_TAG),
)
class AttendanceViewSet(
    _ServiceMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Danh sách đảng viên của từng buổi sinh hoạt và tình trạng có mặt; lập qua
    `meetings/{id}/roster/`, không thêm hay xóa trực tiếp."""

    queryset = Attendance.objects.select_related("member", "meeting")
    serializer_class = AttendanceSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = AttendanceFilterSet
    ordering_fields = ["id", "checked_in_at"]
    ordering = ["meeting_id", "member__name_sort", "id"]
    # Checking in needs no write permission: the service checks the member is on the roster.
    scope_actions = {"checkin": VIEW}

    @extend_schema(
        request=AttendanceUpdateSerializer,
        responses=AttendanceSerializer,
        summary=_("Điểm danh một đảng viên"),
        description=_("Có mặt, vắng có lý do (ghi lý do), vắng không lý do."),
        tags=ATTENDANCE_TAG,
    )
    def partial_update(self, request, *args, **kwargs):
        row = self.get_object()
        ser = AttendanceUpdateSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        with self.calling():
            row = services.attendance_set(
                actor=request.user, meeting=row.meeting, member=row.member, **ser.validated_data
            )
        return Response(AttendanceSerializer(self.queryset.get(pk=row.pk)).data)

    @extend_schema(
        request=CheckinSerializer,
        responses=AttendanceSerializer,
        summary=_("Tự điểm danh bằng mã (đảng viên)"),
        description=_(
            "Đảng viên đã đăng nhập nhập mã ngắn (hoặc mã QR) khi điểm danh đang mở và được ghi "
            "có mặt. Lỗi 400: mã sai, hết hạn, hoặc không có tên trong danh sách."
        ),
        tags=ATTENDANCE_TAG,
    )
    @action(detail=False, methods=["post"])
    def checkin(self, request):
        ser = CheckinSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        meeting = None
        if data.get("meeting"):
            meeting = Meeting.objects.filter(pk=data["meeting"]).first()
            if meeting is None:
                raise serializers.ValidationError({"meeting": [_("Không có buổi sinh hoạt này.")]})
        with self.calling():
            row = services.checkin(
                user=request.user,
                code=data.get("code") or None,
                token=data.get("token") or None,
                meeting=meeting,
            )
        return Response(AttendanceSerializer(self.queryset.get(pk=row.pk)).data)


# ---- supervision ----------------------------------------------------------------------------

ASSIGNMENT_TAG = ["assignments"]


@extend_schema_view(
    list=extend_schema(summary=_("Phân công phụ trách tổ chức"), tags=ASSIGNMENT_TAG),
    retrieve=extend_schema(summary=_("Một phân công phụ trách"), tags=ASSIGNMENT_TAG),
)
class AssignmentViewSet(
    _ServiceMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Đồng chí cấp ủy cấp trên được phân công phụ trách tổ chức nào, trong thời gian nào
    (phụ trách cả các tổ chức trực thuộc). Không xóa: kết thúc bằng `valid_to`."""

    queryset = Assignment.objects.select_related("user", "organization")
    serializer_class = AssignmentSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = AssignmentFilterSet
    ordering_fields = ["valid_from", "id"]
    ordering = ["organization__path", "valid_from", "id"]
    # Ending an assignment is the assigning committee's decision, like giving it.
    scope_actions = {"partial_update": ADD}

    @extend_schema(
        request=AssignmentCreateSerializer,
        responses={201: AssignmentSerializer},
        summary=_("Phân công phụ trách"),
        tags=ASSIGNMENT_TAG,
    )
    def create(self, request, *args, **kwargs):
        ser = AssignmentCreateSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        with self.calling():
            assignment = services.assignment_create(actor=request.user, **ser.validated_data)
        return Response(
            AssignmentSerializer(self.queryset.get(pk=assignment.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=AssignmentEndSerializer,
        responses=AssignmentSerializer,
        summary=_("Kết thúc phân công phụ trách"),
        description=_("Đặt `valid_to` (không kể): từ ngày đó thôi phụ trách."),
        tags=ASSIGNMENT_TAG,
    )
    def partial_update(self, request, *args, **kwargs):
        assignment = self.get_object()
        ser = AssignmentEndSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with self.calling():
            assignment = services.assignment_end(
                actor=request.user, assignment=assignment, **ser.validated_data
            )
        return Response(AssignmentSerializer(self.queryset.get(pk=assignment.pk)).data)


VISIT_TAG = ["observer-visits"]


@extend_schema_view(
    list=extend_schema(summary=_("Các lần dự sinh hoạt chi bộ của cấp trên"), tags=VISIT_TAG),
    retrieve=extend_schema(summary=_("Một lần dự sinh hoạt"), tags=VISIT_TAG),
)
class ObserverVisitViewSet(
    _ServiceMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Cấp ủy viên cấp trên dự sinh hoạt chi bộ: kết quả theo tiêu chí, đánh giá, nhận xét,
    kiến nghị. Chỉ người dự đã ghi nhận được sửa (người khác: 403)."""

    queryset = ObserverVisit.objects.select_related("meeting__organization", "observer")
    serializer_class = ObserverVisitSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = ObserverVisitFilterSet
    ordering_fields = ["recorded_at", "id"]
    ordering = ["-meeting__scheduled_at", "-id"]

    def _detail(self, visit, status_code=status.HTTP_200_OK):
        return Response(
            ObserverVisitSerializer(self.queryset.get(pk=visit.pk)).data, status=status_code
        )

    @extend_schema(
        request=ObserverVisitCreateSerializer,
        responses={201: ObserverVisitSerializer},
        summary=_("Ghi nhận dự sinh hoạt"),
        description=_(
            "Người gọi là người dự: cần được xem buổi sinh hoạt và được ghi nhận giám sát tại tổ "
            "chức đó. Mỗi người dự ghi một lần cho một buổi."
        ),
        tags=VISIT_TAG,
    )
    def create(self, request, *args, **kwargs):
        ser = ObserverVisitCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["checklist"] = [dict(i) for i in data.get("checklist") or []]
        with self.calling():
            visit = services.visit_record(actor=request.user, **data)
        return self._detail(visit, status.HTTP_201_CREATED)

    @extend_schema(
        request=ObserverVisitUpdateSerializer,
        responses=ObserverVisitSerializer,
        summary=_("Sửa lần dự sinh hoạt (chỉ người dự)"),
        tags=VISIT_TAG,
    )
    def partial_update(self, request, *args, **kwargs):
        visit = self.get_object()
        ser = ObserverVisitUpdateSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        if "checklist" in data:
            data["checklist"] = [dict(i) for i in data["checklist"]]
        with self.calling():
            visit = services.visit_update(actor=request.user, visit=visit, data=data)
        return self._detail(visit)


FINDING_TAG = ["findings"]


@extend_schema_view(
    list=extend_schema(
        summary=_("Thiếu sót và biện pháp chấn chỉnh"),
        description=_("`overdue=true`: chưa khắc phục và đã quá hạn."),
        tags=FINDING_TAG,
    ),
    retrieve=extend_schema(summary=_("Một thiếu sót, kèm các ghi chú theo dõi"), tags=FINDING_TAG),
)
class FindingViewSet(
    _ServiceMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Thiếu sót phát hiện khi dự sinh hoạt; mỗi thiếu sót là một biện pháp chấn chỉnh có người
    chịu trách nhiệm và hạn, được theo dõi bằng ghi chú có ngày đến khi khắc phục xong.
    Người dự ghi thiếu sót; cấp ủy của tổ chức (bí thư) ghi theo dõi và kết thúc."""

    queryset = Finding.objects.select_related("visit__meeting__organization", "owner_user")
    serializer_class = FindingSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = FindingFilterSet
    ordering_fields = ["deadline", "id"]
    ordering = ["status", "deadline", "id"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return FindingDetailSerializer
        return super().get_serializer_class()

    def _detail(self, finding, status_code=status.HTTP_200_OK):
        finding = self.queryset.prefetch_related("notes__author").get(pk=finding.pk)
        return Response(FindingDetailSerializer(finding).data, status=status_code)

    @extend_schema(
        request=FindingCreateSerializer,
        responses={201: FindingDetailSerializer},
        summary=_("Ghi một thiếu sót (người dự)"),
        tags=FINDING_TAG,
    )
    def create(self, request, *args, **kwargs):
        ser = FindingCreateSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        with self.calling():
            finding = services.finding_add(actor=request.user, **ser.validated_data)
        return self._detail(finding, status.HTTP_201_CREATED)

    @extend_schema(
        request=FindingNoteCreateSerializer,
        responses={201: FindingNoteSerializer},
        summary=_("Ghi chú theo dõi việc khắc phục"),
        tags=FINDING_TAG,
    )
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        finding = self.get_object()
        ser = FindingNoteCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with self.calling():
            note = services.finding_note(actor=request.user, finding=finding, **ser.validated_data)
        return Response(FindingNoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=FindingCloseSerializer,
        responses=FindingDetailSerializer,
        summary=_("Kết thúc: đã khắc phục xong"),
        tags=FINDING_TAG,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        finding = self.get_object()
        ser = FindingCloseSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with self.calling():
            finding = services.finding_close(
                actor=request.user, finding=finding, **ser.validated_data
            )
        return self._detail(finding)
