from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản đã bị khóa."),
    }

    def confirm_login_allowed(self, user):
        from django.conf import settings

        super().confirm_login_allowed(user)
        if user.is_demo and not settings.DEMO_MODE:
            raise forms.ValidationError(
                _("Tài khoản trình diễn chỉ dùng được ở chế độ trình diễn."), code="demo_disabled"
            )


class OTPForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực 6 số"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
