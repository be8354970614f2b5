"""This app's panel on the home page, collected by `dangvu.core.views.home_panels`."""

from django.template.loader import render_to_string


def panel(request, today) -> str:
    """Members of the user's scope due a badge at the next occasion, by tier, linking to the list."""
    from dangvu.core.scope import scope_q
    from dangvu.organizations.models import Organization

    from .models import BadgeAward
    from .policy import badge_rules, next_occasion
    from .selectors import due_for_occasion

    user = request.user
    if scope_q(BadgeAward, user) is None:
        return ""
    occasion = next_occasion(today, badge_rules(today).month_days())
    orgs = Organization.objects.restrict(user, "view", module="badges")
    due = due_for_occasion(orgs, occasion)
    return render_to_string(
        "badges/home_panel.html",
        {"occasion": occasion, "due": due, "counts": due.tier_counts(), "total": len(due.due)},
        request=request,
    )
