from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangvu.accounts.models import User
from dangvu.api.base import ModelSerializer, ScopedPrimaryKeyField, Serializer
from dangvu.core.scope import ADD, CHANGE, VIEW, can
from dangvu.members.models import Member
from dangvu.organizations.api.serializers import scoped_orgs
from dangvu.organizations.models import Organization

from .. import services
from ..choices import AttendanceStatus, FindingCategory, MeetingKind, Quality
from ..models import (
    AgendaTemplate,
    Assignment,
    Attendance,
    Finding,
    FindingNote,
    Meeting,
    MeetingDocument,
    ObserverVisit,
)
from ..selectors import is_overdue

# ---- pieces ---------------------------------------------------------------------------------


class AgendaItemSerializer(Serializer):
    section = serializers.ChoiceField(
        choices=[
            ("opening", _("Khai mạc")),
            ("body", _("Nội dung")),
            ("closing", _("Bế mạc")),
        ],
        help_text=_(
            "Phần của chương trình: opening (khai mạc), body (nội dung), closing (bế mạc)."
        ),
    )
    title = serializers.CharField(max_length=500, help_text=_("Nội dung mục."))


class ChecklistItemSerializer(Serializer):
    code = serializers.CharField(
        max_length=40, allow_blank=True, help_text=_("Mã tiêu chí (theo bộ tiêu chí mặc định).")
    )
    title = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text=_("Nội dung tiêu chí; bỏ trống: lấy theo mã từ bộ tiêu chí mặc định."),
    )
    done = serializers.BooleanField(default=False, help_text=_("Đã thực hiện đúng."))
    note = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, help_text=_("Ghi chú của người dự.")
    )


class VoteResultSerializer(Serializer):
    official_on_roster = serializers.IntegerField(
        help_text=_(
            "Đảng viên chính thức trong danh sách (đảng viên miễn sinh hoạt chỉ tính khi có mặt)."
        )
    )
    official_present = serializers.IntegerField(
        help_text=_(
            "Đảng viên chính thức có mặt (được biểu quyết; đảng viên dự bị không biểu quyết)."
        )
    )
    votes_for = serializers.IntegerField(allow_null=True)
    votes_against = serializers.IntegerField(allow_null=True)
    votes_abstain = serializers.IntegerField(allow_null=True)
    needed = serializers.IntegerField(help_text=_("Số phiếu tán thành tối thiểu để thông qua."))
    passed = serializers.BooleanField(
        allow_null=True, help_text=_("Được thông qua; null khi chưa biểu quyết.")
    )
    citation = serializers.CharField(help_text=_("Căn cứ trong sổ quy tắc."))


def _member_choices(user):
    return Member.objects.restrict(user, VIEW)


def _meeting_choices(user):
    return Meeting.objects.restrict(user, VIEW)


def _template_choices(user):
    visible = Organization.objects.restrict(user, VIEW).values("pk")
    return AgendaTemplate.objects.filter(Q(organization__isnull=True) | Q(organization__in=visible))


def _active_users(user):
    return User.objects.filter(is_active=True)


# ---- meetings -------------------------------------------------------------------------------


class MeetingSerializer(ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    duration_minutes = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Thời lượng thực tế (phút).")
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organization",
            "organization_name",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "title",
            "scheduled_at",
            "location",
            "notice_sent_at",
            "started_at",
            "ended_at",
            "duration_minutes",
            "quality",
            "resolution_passed",
        ]
        read_only_fields = fields


class MeetingDocumentSerializer(ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text=_("Đường dẫn tải tài liệu (trang web, cần đăng nhập).")
    )

    class Meta:
        model = MeetingDocument
        fields = ["id", "kind", "kind_label", "title", "posted_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, obj):
        try:
            return reverse("meetings:document", args=[obj.meeting_id, obj.pk])
        except NoReverseMatch:
            return ""


class MeetingDetailSerializer(MeetingSerializer):
    chair_name = serializers.CharField(source="chair.full_name", read_only=True, default=None)
    minute_taker_name = serializers.CharField(
        source="minute_taker.full_name", read_only=True, default=None
    )
    agenda = AgendaItemSerializer(many=True, read_only=True)
    documents = MeetingDocumentSerializer(many=True, read_only=True)
    vote_result = serializers.SerializerMethodField(
        help_text=_("Kết quả biểu quyết nghị quyết theo sổ quy tắc.")
    )
    attendance_rate = serializers.SerializerMethodField(
        help_text=_(
            "Tỷ lệ có mặt (0–1): có mặt / (danh sách − miễn sinh hoạt vắng − sinh hoạt tạm thời); "
            "null khi chưa có danh sách."
        )
    )
    checkin_code = serializers.SerializerMethodField(
        help_text=_("Mã điểm danh ngắn (chỉ người được sửa buổi sinh hoạt thấy).")
    )
    checkin_token = serializers.SerializerMethodField(
        help_text=_("Mã QR điểm danh (chỉ người được sửa buổi sinh hoạt thấy).")
    )

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "agenda",
            "chair",
            "chair_name",
            "minute_taker",
            "minute_taker_name",
            "minutes",
            "resolution",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "minutes_approved",
            "documents",
            "vote_result",
            "attendance_rate",
            "checkin_code",
            "checkin_token",
            "checkin_open_until",
            "created_at",
        ]
        read_only_fields = fields

    def _may_change(self, obj) -> bool:
        cache = self.context.setdefault("_may_change", {})
        if obj.pk not in cache:
            request = self.context.get("request")
            cache[obj.pk] = bool(request) and can(request.user, CHANGE, obj)
        return cache[obj.pk]

    @extend_schema_field(VoteResultSerializer)
    def get_vote_result(self, obj):
        vr = services.vote_result(obj)
        return VoteResultSerializer(vr.__dict__).data

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_attendance_rate(self, obj):
        return services.attendance_rate(obj)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_checkin_code(self, obj):
        return obj.checkin_code or None if self._may_change(obj) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_checkin_token(self, obj):
        return obj.checkin_token or None if self._may_change(obj) else None


class MeetingCreateSerializer(Serializer):
    organization = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=scoped_orgs(ADD, "meetings"),
        label=_("Chi bộ / tổ chức"),
        help_text=_(
            "Tổ chức đang hoạt động mà bạn được lập kế hoạch sinh hoạt. Chi bộ sinh hoạt thường "
            "kỳ, chuyên đề; đảng bộ cơ sở họp toàn thể đảng viên."
        ),
    )
    kind = serializers.ChoiceField(choices=MeetingKind.choices, label=_("Loại sinh hoạt"))
    scheduled_at = serializers.DateTimeField(label=_("Thời gian dự kiến"))
    title = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    agenda_template = ScopedPrimaryKeyField(
        model=AgendaTemplate,
        queryset_for=_template_choices,
        required=False,
        allow_null=True,
        default=None,
        label=_("Mẫu chương trình"),
        help_text=_("Bỏ trống: mẫu mặc định của tổ chức (hoặc cấp trên, hoặc dùng chung)."),
    )


class MeetingUpdateSerializer(Serializer):
    title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    location = serializers.CharField(max_length=255, required=False, allow_blank=True)
    scheduled_at = serializers.DateTimeField(required=False, label=_("Thời gian dự kiến"))
    agenda = AgendaItemSerializer(many=True, required=False, help_text=_("Chương trình mới."))
    chair = ScopedPrimaryKeyField(
        model=Member,
        queryset_for=_member_choices,
        required=False,
        allow_null=True,
        label=_("Chủ trì"),
    )
    minute_taker = ScopedPrimaryKeyField(
        model=Member,
        queryset_for=_member_choices,
        required=False,
        allow_null=True,
        label=_("Thư ký ghi biên bản"),
    )


class PlanYearSerializer(Serializer):
    organization = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=scoped_orgs(ADD, "meetings"),
        label=_("Chi bộ"),
        help_text=_("Chi bộ mà bạn được lập kế hoạch sinh hoạt."),
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100, label=_("Năm"))
    day = serializers.IntegerField(
        min_value=1,
        max_value=31,
        default=5,
        help_text=_("Ngày trong tháng (tháng ngắn hơn: ngày cuối tháng)."),
    )
    hour = serializers.IntegerField(min_value=0, max_value=23, default=8)
    minute = serializers.IntegerField(min_value=0, max_value=59, default=0)
    thematic_months = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=12),
        default=[3, 6, 9, 12],
        help_text=_("Các tháng sinh hoạt chuyên đề (mỗi quý một buổi)."),
    )


class WarningsSerializer(Serializer):
    meeting = MeetingDetailSerializer()
    warnings = serializers.ListField(
        child=serializers.CharField(), help_text=_("Cảnh báo theo sổ quy tắc (không chặn).")
    )


class CheckinOpenSerializer(Serializer):
    minutes = serializers.IntegerField(
        min_value=1,
        max_value=services.CHECKIN_MAX_MINUTES,
        required=False,
        allow_null=True,
        help_text=_(
            "Mở trong số phút này kể từ bây giờ; bỏ trống: đến hết thời lượng dự kiến của buổi "
            "sinh hoạt."
        ),
    )


class CheckinCodeSerializer(Serializer):
    checkin_code = serializers.CharField(help_text=_("Mã ngắn để đảng viên nhập."))
    checkin_token = serializers.CharField(help_text=_("Mã trong QR."))
    checkin_open_until = serializers.DateTimeField()
    checkin_url = serializers.CharField(help_text=_("Trang điểm danh mà mã QR trỏ tới."))


class MeetingCloseSerializer(Serializer):
    started_at = serializers.DateTimeField(label=_("Bắt đầu lúc"))
    ended_at = serializers.DateTimeField(label=_("Kết thúc lúc"))
    minutes = serializers.CharField(required=False, allow_blank=True, default="")
    resolution = serializers.CharField(required=False, allow_blank=True, default="")
    votes_for = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    votes_against = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    votes_abstain = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    quality = serializers.ChoiceField(
        choices=Quality.choices, required=False, allow_blank=True, default=""
    )
    minutes_approved = serializers.BooleanField(required=False, default=False)
    chair = ScopedPrimaryKeyField(
        model=Member, queryset_for=_member_choices, required=False, allow_null=True, default=None
    )
    minute_taker = ScopedPrimaryKeyField(
        model=Member, queryset_for=_member_choices, required=False, allow_null=True, default=None
    )


class MeetingCancelSerializer(Serializer):
    reason = serializers.CharField(max_length=500, label=_("Lý do hủy"))


# ---- attendance -----------------------------------------------------------------------------


class AttendanceSerializer(ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "meeting",
            "member",
            "member_name",
            "category",
            "category_label",
            "status",
            "status_label",
            "reason",
            "checked_in_at",
            "method",
        ]
        read_only_fields = fields


class AttendanceUpdateSerializer(Serializer):
    status = serializers.ChoiceField(choices=AttendanceStatus.choices, label=_("Điểm danh"))
    reason = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Bắt buộc khi vắng có lý do."),
    )


class CheckinSerializer(Serializer):
    code = serializers.CharField(
        max_length=8, required=False, allow_blank=True, help_text=_("Mã ngắn bí thư đưa ra.")
    )
    token = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text=_("Mã trong QR.")
    )
    meeting = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Buổi sinh hoạt (mã), nếu biết.")
    )


# ---- supervision ----------------------------------------------------------------------------


class AssignmentSerializer(ModelSerializer):
    user_name = serializers.CharField(source="user.__str__", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    in_force = serializers.SerializerMethodField(help_text=_("Còn hiệu lực hôm nay."))

    class Meta:
        model = Assignment
        fields = [
            "id",
            "user",
            "user_name",
            "organization",
            "organization_name",
            "valid_from",
            "valid_to",
            "decision_number",
            "note",
            "in_force",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_in_force(self, obj):
        today = timezone.localdate()
        return obj.valid_from <= today and (obj.valid_to is None or obj.valid_to > today)


class AssignmentCreateSerializer(Serializer):
    user = ScopedPrimaryKeyField(
        model=User,
        queryset_for=_active_users,
        label=_("Đồng chí phụ trách"),
        help_text=_("Mã tài khoản đang hoạt động."),
    )
    organization = ScopedPrimaryKeyField(
        model=Organization,
        queryset_for=scoped_orgs(ADD, "supervision"),
        label=_("Tổ chức được phân công"),
        help_text=_("Phụ trách cả các tổ chức trực thuộc."),
    )
    valid_from = serializers.DateField(label=_("Từ ngày"))
    valid_to = serializers.DateField(
        required=False, allow_null=True, default=None, label=_("Đến ngày (không kể)")
    )
    decision_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class AssignmentEndSerializer(Serializer):
    valid_to = serializers.DateField(
        label=_("Đến ngày (không kể)"), help_text=_("Từ ngày này thôi phụ trách.")
    )


class ObserverVisitSerializer(ModelSerializer):
    observer_name = serializers.CharField(source="observer.__str__", read_only=True)
    organization = serializers.IntegerField(source="meeting.organization_id", read_only=True)
    organization_name = serializers.CharField(source="meeting.organization.name", read_only=True)
    meeting_scheduled_at = serializers.DateTimeField(source="meeting.scheduled_at", read_only=True)
    assessment_label = serializers.CharField(source="get_assessment_display", read_only=True)
    checklist = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ObserverVisit
        fields = [
            "id",
            "meeting",
            "meeting_scheduled_at",
            "organization",
            "organization_name",
            "observer",
            "observer_name",
            "checklist",
            "assessment",
            "assessment_label",
            "comments",
            "recommendations",
            "recorded_at",
        ]
        read_only_fields = fields


class ObserverVisitCreateSerializer(Serializer):
    meeting = ScopedPrimaryKeyField(
        model=Meeting,
        queryset_for=_meeting_choices,
        label=_("Buổi sinh hoạt"),
        help_text=_("Buổi sinh hoạt đã diễn ra mà bạn dự."),
    )
    checklist = ChecklistItemSerializer(
        many=True,
        required=False,
        default=list,
        help_text=_("Bỏ trống: các tiêu chí của bộ mặc định, chưa đánh dấu."),
    )
    assessment = serializers.ChoiceField(
        choices=Quality.choices, required=False, allow_blank=True, default=""
    )
    comments = serializers.CharField(required=False, allow_blank=True, default="")
    recommendations = serializers.CharField(required=False, allow_blank=True, default="")


class ObserverVisitUpdateSerializer(Serializer):
    checklist = ChecklistItemSerializer(many=True, required=False)
    assessment = serializers.ChoiceField(choices=Quality.choices, required=False, allow_blank=True)
    comments = serializers.CharField(required=False, allow_blank=True)
    recommendations = serializers.CharField(required=False, allow_blank=True)


class FindingNoteSerializer(ModelSerializer):
    author_name = serializers.CharField(source="author.__str__", read_only=True)

    class Meta:
        model = FindingNote
        fields = ["id", "finding", "date", "text", "author", "author_name"]
        read_only_fields = fields


class FindingSerializer(ModelSerializer):
    meeting = serializers.IntegerField(source="visit.meeting_id", read_only=True)
    organization = serializers.IntegerField(source="visit.meeting.organization_id", read_only=True)
    organization_name = serializers.CharField(
        source="visit.meeting.organization.name", read_only=True
    )
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.SerializerMethodField(help_text=_("Chưa khắc phục và đã quá hạn."))

    class Meta:
        model = Finding
        fields = [
            "id",
            "visit",
            "meeting",
            "organization",
            "organization_name",
            "category",
            "category_label",
            "description",
            "action",
            "owner",
            "owner_user",
            "deadline",
            "status",
            "status_label",
            "closed_on",
            "overdue",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, obj):
        return is_overdue(obj)


class FindingDetailSerializer(FindingSerializer):
    notes = FindingNoteSerializer(many=True, read_only=True)

    class Meta(FindingSerializer.Meta):
        fields = [*FindingSerializer.Meta.fields, "notes"]
        read_only_fields = fields


class FindingCreateSerializer(Serializer):
    visit = ScopedPrimaryKeyField(
        model=ObserverVisit,
        queryset_for=lambda user: ObserverVisit.objects.restrict(user, VIEW),
        label=_("Lần dự"),
        help_text=_("Lần dự sinh hoạt do chính bạn ghi nhận."),
    )
    category = serializers.ChoiceField(choices=FindingCategory.choices, label=_("Nhóm thiếu sót"))
    description = serializers.CharField(label=_("Thiếu sót"))
    action = serializers.CharField(label=_("Biện pháp chấn chỉnh"))
    owner = serializers.CharField(max_length=200, label=_("Người/đơn vị chịu trách nhiệm"))
    owner_user = ScopedPrimaryKeyField(
        model=User,
        queryset_for=_active_users,
        required=False,
        allow_null=True,
        default=None,
        label=_("Tài khoản chịu trách nhiệm"),
    )
    deadline = serializers.DateField(label=_("Hạn khắc phục"))


class FindingNoteCreateSerializer(Serializer):
    date = serializers.DateField(label=_("Ngày"))
    text = serializers.CharField(label=_("Nội dung theo dõi"))


class FindingCloseSerializer(Serializer):
    date = serializers.DateField(label=_("Ngày khắc phục xong"))
    text = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("Ghi chú khi kết thúc.")
    )
