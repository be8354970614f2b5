from django.conf import settings
from django.shortcuts import redirect

from .roles import requires_otp

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/", "/api/")


class RequireSecondFactorMiddleware:
    """Administrator and inspection accounts must pass TOTP before any page.

    Demo accounts skip it only in demo mode; production accounts never do. The API checks the
    same rule when it issues tokens (see dangvu.api.views.ObtainTokenView).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(EXEMPT_PREFIXES):
            # Checked before the user: reading request.user loads the session and the OTP device,
            # which an API call authenticated by token never needs.
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and second_factor_missing(request):
            return redirect("accounts:otp")
        return self.get_response(request)


def second_factor_missing(request) -> bool:
    user = request.user
    if not requires_otp(user):
        return False
    if settings.DEMO_MODE and user.is_demo:
        return False
    return not user.is_verified()
