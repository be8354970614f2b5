"""This app's panel on the home page, collected by `dangvu.core.views.home_panels`."""

from urllib.parse import urlencode


def panel(request, today) -> str:
    """Rendered HTML (render_to_string of this app's template) for the user's scope, or ""."""
    from django.template.loader import render_to_string
    from django.urls import reverse

    from dangvu.core.rulebook import cached_rules
    from dangvu.core.scope import VIEW, scope_q
    from dangvu.organizations.models import Organization

    from . import selectors
    from .models import Committee

    user = request.user
    if scope_q(Committee, user) is None:
        return ""
    orgs = Organization.objects.restrict(user, VIEW, "committees")
    months = 6
    base = reverse("committees:index")
    with cached_rules():
        vacancy = selectors.vacancy_total(orgs, today)
        no_secretary = selectors.orgs_without_secretary(orgs, today).order_by()[:10_001].count()
        due = selectors.congresses_due(orgs, today, months).order_by()[:10_001].count()
    return render_to_string(
        "committees/includes/home_panel.html",
        {
            "vacancy": vacancy,
            "no_secretary": no_secretary,
            "due": due,
            "months": months,
            "vacancies_url": base + "?" + urlencode({"tab": "vacancies"}),
            "secretary_url": base + "?" + urlencode({"tab": "secretary"}),
            "due_url": base + "?" + urlencode({"tab": "due", "months": months}),
        },
        request=request,
    )
