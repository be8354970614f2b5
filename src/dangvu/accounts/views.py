import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import LoginForm, OTPForm
from .middleware import second_factor_missing


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def otp(request):
    """Verify a TOTP code; on first use, enrol a device from a QR code shown here."""
    user = request.user
    if not second_factor_missing(request):
        return redirect("core:home")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(
            user=user, confirmed=False
        ).first() or TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Nhập sai nhiều lần: vui lòng đợi vài giây rồi thử lại."))
        elif device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Đã xác thực hai lớp."))
            return redirect(request.GET.get("next") or "core:home")
        else:
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
    qr = None
    if enrolling:
        svg = segno.make(device.config_url, micro=False).svg_inline(scale=4)
        qr = svg
    return render(
        request, "accounts/otp.html", {"form": form, "enrolling": enrolling, "qr_svg": qr}
    )
