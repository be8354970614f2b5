"""Tokens for API clients and the caller's own account.

A token is issued only through `django.contrib.auth.authenticate`, so django-axes counts failures
and locks the username+IP out exactly as on the login page; roles that need a second factor send
a TOTP code with the password (demo accounts skip it only in demo mode and are refused outside it).

Role assignments (administrator only) are given and ended, never deleted.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django_filters.rest_framework import DjangoFilterBackend
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import filters, mixins, permissions, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from dangvu.accounts.models import RoleAssignment, User
from dangvu.accounts.roles import requires_otp
from dangvu.accounts.services import role_assign, role_assignment_update
from dangvu.api.base import PlainAPIMixin, ScopedViewSetMixin, service_errors

from ..filtersets import RoleAssignmentFilterSet
from .serializers import (
    MeSerializer,
    RoleAssignmentCreateSerializer,
    RoleAssignmentSerializer,
    RoleAssignmentUpdateSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)


def _otp_ok(user, token: str) -> bool:
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            return True
    return False


class ObtainTokenView(PlainAPIMixin, APIView):
    """Token API: POST tên đăng nhập + mật khẩu (+ mã TOTP nếu vai trò yêu cầu); DELETE thu hồi.

    Sai nhiều lần bị tạm khóa như ở trang đăng nhập (django-axes).
    """

    throttle_classes = []

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return super().get_permissions()

    def perform_authentication(self, request):
        # Obtaining a token needs no prior authentication (and no CSRF token with it).
        if request.method != "POST":
            super().perform_authentication(request)

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description=_l("Sai thông tin đăng nhập hoặc mã xác thực.")),
            429: OpenApiResponse(description=_l("Tài khoản tạm khóa do đăng nhập sai nhiều lần.")),
        },
        auth=[],
        summary=_l("Lấy token API"),
        tags=["auth"],
    )
    def post(self, request):
        ser = TokenRequestSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        username = ser.validated_data["username"]
        password = ser.validated_data["password"]
        django_request = request._request
        user = authenticate(request=django_request, username=username, password=password)
        if getattr(django_request, "axes_locked_out", False):
            # Answer in JSON here instead of letting the axes middleware render the HTML page.
            django_request.axes_locked_out = False
            return Response(
                {
                    "username": [
                        _(
                            "Tài khoản tạm khóa do đăng nhập sai quá nhiều lần. "
                            "Vui lòng thử lại sau hoặc liên hệ quản trị hệ thống."
                        )
                    ]
                },
                status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
            )
        if user is None:
            raise serializers.ValidationError(
                {"password": [_("Tên đăng nhập hoặc mật khẩu không đúng.")]}
            )
        if user.is_demo and not settings.DEMO_MODE:
            raise serializers.ValidationError(
                {"username": [_("Tài khoản trình diễn chỉ dùng được khi bật chế độ trình diễn.")]}
            )
        if requires_otp(user) and not (settings.DEMO_MODE and user.is_demo):
            otp_token = (ser.validated_data.get("otp_token") or "").strip()
            if not otp_token:
                raise serializers.ValidationError(
                    {"otp_token": [_("Tài khoản này cần mã xác thực hai lớp (TOTP).")]}
                )
            if not _otp_ok(user, otp_token):
                # A wrong code counts as a failed login for the lockout, like a wrong password.
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=django_request
                )
                if getattr(django_request, "axes_locked_out", False):
                    django_request.axes_locked_out = False
                raise serializers.ValidationError(
                    {"otp_token": [_("Mã xác thực không đúng hoặc đã hết hạn.")]}
                )
        token, _created = Token.objects.get_or_create(user=user)
        # A token is a login: last_login is updated and axes resets the failure count.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        return Response({"token": token.key})

    @extend_schema(
        request=None,
        responses={204: None},
        summary=_l("Thu hồi token API của chính mình"),
        tags=["auth"],
    )
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserViewSet(PlainAPIMixin, viewsets.GenericViewSet):
    """Tài khoản đang gọi API: vai trò (kèm tổ chức) và hồ sơ đảng viên gắn với tài khoản."""

    serializer_class = MeSerializer

    queryset = User.objects.none()  # `me` is always the caller

    @extend_schema(responses=MeSerializer, summary=_l("Tài khoản đang đăng nhập"))
    @action(detail=False, methods=["get"])
    def me(self, request):
        user = request.user
        today = timezone.localdate()
        roles = (
            RoleAssignment.objects.filter(user=user, valid_from__lte=today)
            .exclude(valid_to__isnull=False, valid_to__lte=today)
            .select_related("organization")
            .order_by("role", "organization__path")
        )
        member = getattr(user, "member", None) if _has_member(user) else None
        payload = {
            "id": user.pk,
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "is_demo": user.is_demo,
            "requires_otp": requires_otp(user),
            "roles": list(roles),
            "member": member.pk if member else None,
        }
        data = MeSerializer(payload, context={"request": request}).data
        return Response(data)


def _has_member(user) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return user.member is not None
    except ObjectDoesNotExist:
        return False


ROLE_TAG = ["role-assignments"]


@extend_schema_view(
    list=extend_schema(summary=_l("Phân quyền: vai trò của người dùng tại tổ chức"), tags=ROLE_TAG),
    retrieve=extend_schema(summary=_l("Một phân quyền"), tags=ROLE_TAG),
)
class RoleAssignmentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Vai trò của người dùng tại một tổ chức (phủ cả cấp dưới) trong một khoảng thời gian.

    Chỉ quản trị hệ thống (mô-đun tài khoản). Không xóa (DELETE: 405): kết thúc một vai trò bằng
    cách đặt `valid_to`, để lịch sử phân quyền còn nguyên.
    """

    queryset = RoleAssignment.objects.select_related("user", "organization")
    serializer_class = RoleAssignmentSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = RoleAssignmentFilterSet
    ordering_fields = ["valid_from", "role", "id"]
    ordering = ["user__username", "role", "valid_from", "id"]

    def _detail(self, assignment, status_code=status.HTTP_200_OK):
        assignment = self.queryset.get(pk=assignment.pk)
        return Response(RoleAssignmentSerializer(assignment).data, status=status_code)

    @extend_schema(
        request=RoleAssignmentCreateSerializer,
        responses={201: RoleAssignmentSerializer},
        summary=_l("Giao vai trò cho người dùng"),
        description=_l(
            "Vai trò gắn với một tổ chức và phủ các cấp dưới của nó; chỉ vai trò quản trị được "
            "để trống tổ chức."
        ),
        tags=ROLE_TAG,
    )
    def create(self, request, *args, **kwargs):
        ser = RoleAssignmentCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        ser.is_valid(raise_exception=True)
        with service_errors():
            assignment = role_assign(actor=request.user, **ser.validated_data)
        return self._detail(assignment, status.HTTP_201_CREATED)

    @extend_schema(
        request=RoleAssignmentUpdateSerializer,
        responses=RoleAssignmentSerializer,
        summary=_l("Kết thúc vai trò hoặc sửa ghi chú"),
        description=_l(
            "Đặt `valid_to` để kết thúc vai trò từ ngày đó; không sửa được người, "
            "vai trò, tổ chức hay ngày bắt đầu (giao vai trò mới thay vào)."
        ),
        tags=ROLE_TAG,
    )
    def partial_update(self, request, *args, **kwargs):
        assignment = self.get_object()
        ser = RoleAssignmentUpdateSerializer(assignment, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        with service_errors():
            assignment = role_assignment_update(
                actor=request.user, assignment=assignment, data=dict(ser.validated_data)
            )
        return self._detail(assignment)
