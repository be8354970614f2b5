"""Base pieces of the REST API: scope, second factor, service errors, Vietnamese messages.

Every viewset inherits `ScopedViewSetMixin`, so no endpoint restricts by hand:

- `get_queryset()` is `Model.objects.restrict(user, action)`: "view" for safe methods, "add" for
  create, "change" for update and custom write actions, "delete" for destroy;
- a write on one object looks it up among the rows the user may *see* (404 when outside, exactly
  like a missing row) and answers 403 when the user sees it but may not do the action;
- creating needs the action somewhere in the user's scope (403 otherwise); which organisations
  may receive the new row is the serializer's restricted choice (400 when outside);
- session-authenticated requests of users whose role needs a second factor are refused until
  TOTP is passed (the UI middleware exempts /api/, so the check lives here);
- services raise Django's ValidationError keyed by field: `service_errors()` turns it into DRF's
  400 with the same keys, and `handle_exception` does it for anything that escapes.
"""

import contextlib

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.settings import api_settings
from rest_framework.utils.formatting import lazy_format

from dangvu.core.scope import ADD, CHANGE, DELETE, VIEW, can, scope_q

# --------------------------------------------------------------------------------------------
# Service errors → DRF 400


def drf_validation_error(
    exc: DjangoValidationError, rename: dict[str, str] | None = None
) -> serializers.ValidationError:
    """The DRF ValidationError carrying the same field keys (renamed where the API differs)."""
    rename = rename or {}
    if hasattr(exc, "error_dict"):
        detail: dict[str, list[str]] = {}
        for field, errors in exc.message_dict.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
            key = rename.get(key, key)
            detail.setdefault(key, []).extend(str(m) for m in errors)
        return serializers.ValidationError(detail)
    return serializers.ValidationError(
        {api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in exc.messages]}
    )


@contextlib.contextmanager
def service_errors(rename: dict[str, str] | None = None):
    """Run a service call; its ValidationError becomes a 400 keyed by the same fields."""
    try:
        yield
    except DjangoValidationError as exc:
        raise drf_validation_error(exc, rename) from exc


# --------------------------------------------------------------------------------------------
# Vietnamese messages for DRF's own field errors (DRF ships only a few Vietnamese strings)

VI_MESSAGES = {
    "required": _("Trường này là bắt buộc."),
    "null": _("Trường này không được để trống."),
    "blank": _("Trường này không được để trống."),
    "max_length": _("Không được dài quá {max_length} ký tự."),
    "min_length": _("Phải có ít nhất {min_length} ký tự."),
    "max_value": _("Giá trị không được lớn hơn {max_value}."),
    "min_value": _("Giá trị không được nhỏ hơn {min_value}."),
    "max_string_length": _("Giá trị quá lớn."),
    "invalid_choice": _("“{input}” không phải là một lựa chọn hợp lệ."),
    "does_not_exist": _(
        "Không có đối tượng mã “{pk_value}” trong phạm vi bạn được phép (hoặc không tồn tại)."
    ),
    "incorrect_type": _("Sai kiểu dữ liệu: cần một mã số, nhận được {data_type}."),
    "not_a_list": _("Cần một danh sách, nhận được {input_type}."),
    "empty": _("Danh sách không được rỗng."),
    "datetime": _("Cần một ngày, nhận được ngày giờ."),
    "date": _("Cần một ngày giờ, nhận được ngày."),
    "make_aware": _("Ngày giờ không hợp lệ theo múi giờ {timezone}."),
    "overflow": _("Ngày giờ vượt quá giới hạn."),
}
VI_INVALID = [
    (serializers.BooleanField, _("Cần một giá trị đúng/sai hợp lệ.")),
    (serializers.IntegerField, _("Cần một số nguyên hợp lệ.")),
    (serializers.DecimalField, _("Cần một số hợp lệ.")),
    (serializers.FloatField, _("Cần một số hợp lệ.")),
    (
        serializers.DateTimeField,
        _("Ngày giờ sai định dạng. Dùng một trong các định dạng: {format}."),
    ),
    (serializers.DateField, _("Ngày sai định dạng. Dùng một trong các định dạng: {format}.")),
    (serializers.EmailField, _("Địa chỉ email không hợp lệ.")),
    (serializers.CharField, _("Cần một chuỗi ký tự hợp lệ.")),
    (
        serializers.BaseSerializer,
        _("Dữ liệu không hợp lệ: cần một đối tượng, nhận được {datatype}."),
    ),
]


def vietnamese_errors(field) -> None:
    """Replace DRF's English error messages of `field` (and its children) with Vietnamese ones."""
    messages = getattr(field, "error_messages", None)
    if messages is not None:
        for key in list(messages):
            if key in VI_MESSAGES:
                messages[key] = VI_MESSAGES[key]
        if "invalid" in messages:
            for cls, text in VI_INVALID:
                if isinstance(field, cls):
                    messages["invalid"] = text
                    break
    # min/max value and length: DRF bound these messages into the field's validators when the
    # field was built, in English, before the lines above ran
    for validator in getattr(field, "_validators", None) or ():
        key = _LIMIT_VALIDATORS.get(type(validator))
        if key and isinstance(validator.message, lazy_format):
            validator.message = lazy_format(VI_MESSAGES[key], **{key: validator.limit_value})
    child = getattr(field, "child", None) or getattr(field, "child_relation", None)
    if child is not None:
        vietnamese_errors(child)


_LIMIT_VALIDATORS = {
    MaxValueValidator: "max_value",
    MinValueValidator: "min_value",
    MaxLengthValidator: "max_length",
    MinLengthValidator: "min_length",
}


class VietnameseErrorsMixin:
    """Serializer mixin: every field (and the serializer itself) speaks Vietnamese."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            vietnamese_errors(field)
        return fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vietnamese_errors(self)


class Serializer(VietnameseErrorsMixin, serializers.Serializer):
    pass


class ModelSerializer(VietnameseErrorsMixin, serializers.ModelSerializer):
    pass


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A choice among the rows the requesting user may `action` (out of scope = not found).

    `queryset_for(user)` builds the allowed rows; the field asks it at validation time.
    """

    def __init__(self, *, queryset_for, model, **kwargs):
        self.queryset_for = queryset_for
        self.model = model
        super().__init__(queryset=model._default_manager.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return self.queryset_for(user) if user is not None else self.model._default_manager.none()


# --------------------------------------------------------------------------------------------
# Permissions


class SecondFactorVerified(permissions.BasePermission):
    """Session-authenticated API calls need the second factor when the user's roles require it.

    Token-authenticated calls passed it when the token was issued (POST /api/auth/token/).
    """

    message = _("Tài khoản này cần xác thực hai lớp (mã TOTP) trước khi dùng API.")

    def has_permission(self, request, view):
        from dangvu.accounts.middleware import second_factor_missing

        if not isinstance(request.successful_authenticator, SessionAuthentication):
            return True
        return not second_factor_missing(request._request)


class ScopedActionPermission(permissions.BasePermission):
    """Collection-level check: the user may do the view's action somewhere in the tree.

    Reads are never refused here (an empty list is the answer). Actions on one object are decided
    in `ScopedViewSetMixin.get_object()` against that object, so that an object outside the scope
    answers 404 even to a user who may not write anywhere.
    """

    message = _("Bạn không có quyền thực hiện thao tác này.")

    def has_permission(self, request, view):
        action = view.scope_action()
        if action is None or action == VIEW:
            return True
        if view.kwargs.get(view.lookup_url_kwarg or view.lookup_field) is not None:
            return True  # object-level: get_object() answers 404 or 403
        return scope_q(view.scope_model(), request.user, action, view.scope_module) is not None


def covers_everything(user, model, action: str, module: str | None = None) -> bool:
    """True when the user's scope for `action` is every row (global roles, superusers)."""
    return scope_q(model, user, action, module) == Q()


API_PERMISSIONS = [permissions.IsAuthenticated, SecondFactorVerified]


# --------------------------------------------------------------------------------------------
# Viewsets

ACTION_SCOPES = {
    "list": VIEW,
    "retrieve": VIEW,
    "create": ADD,
    "update": CHANGE,
    "partial_update": CHANGE,
    "destroy": DELETE,
}


class ScopedViewSetMixin:
    """Every queryset through `restrict()`; 404 outside the scope, 403 for refused writes.

    Set `queryset` (the base rows, with select_related), optionally `scope_module`, and in
    `scope_actions` the scope action of custom actions (default: "view" for safe methods,
    "change" otherwise).
    """

    scope_module: str | None = None
    scope_actions: dict[str, str] = {}
    permission_classes = [*API_PERMISSIONS, ScopedActionPermission]

    def scope_model(self):
        return self.queryset.model

    def scope_action(self) -> str | None:
        name = getattr(self, "action", None)
        if name is None:
            return None  # method not allowed: let DRF answer 405
        if name in self.scope_actions:
            return self.scope_actions[name]
        if name in ACTION_SCOPES:
            return ACTION_SCOPES[name]
        return VIEW if self.request.method in permissions.SAFE_METHODS else CHANGE

    def restricted(self, action: str):
        return self.queryset.all().restrict(self.request.user, action, self.scope_module)

    def get_queryset(self):
        return self.restricted(self.scope_action() or VIEW)

    def get_object(self):
        """The object among the visible rows (404 otherwise); 403 if the action is refused on it."""
        action = self.scope_action() or VIEW
        queryset = self.filter_queryset(self.restricted(VIEW))
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        obj = queryset.filter(**{self.lookup_field: self.kwargs[lookup_url_kwarg]}).first()
        if obj is None:
            raise exceptions.NotFound()
        if action != VIEW and not can(self.request.user, action, obj, module=self.scope_module):
            self.permission_denied(self.request, message=ScopedActionPermission.message)
        self.check_object_permissions(self.request, obj)
        return obj

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(
                _("Chưa đăng nhập: dùng phiên đăng nhập hoặc `Authorization: Token …`.")
            )
        raise exceptions.PermissionDenied(detail=message or ScopedActionPermission.message)

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = drf_validation_error(exc)
        return super().handle_exception(exc)


class PlainAPIMixin:
    """For API views not tied to one model (token, users/me): same messages and error handling."""

    permission_classes = API_PERMISSIONS

    def permission_denied(self, request, message=None, code=None):
        return ScopedViewSetMixin.permission_denied(self, request, message, code)

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = drf_validation_error(exc)
        return super().handle_exception(exc)
