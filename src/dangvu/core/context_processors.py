from django.conf import settings


def navigation(request):
    user = getattr(request, "user", None)
    modules = []
    if user is not None and user.is_authenticated:
        from dangvu.accounts.roles import navigation_for

        modules = navigation_for(user)
    return {"nav_modules": modules, "demo_mode": settings.DEMO_MODE}
