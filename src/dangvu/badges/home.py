"""This app's panel on the home page, collected by `dangvu.core.views.home_panels`."""

from django.template.loader import render_to_string


def panel(request, today) -> str:
    """Members of the user's scope due a badge at the next occasion, by tier, linking to the list.

    Counted, not listed (`selectors.due_counts`): nationally about 100,000 members are due at an
    occasion, and the figures come from a grouped count over the admission dates."""
    from dangvu.core.scope import scope_q
    from dangvu.organizations.models import Organization

    from .models import BadgeAward
    from .policy import badge_rules, next_occasion
    from .selectors import due_counts, whole_tree_or

    user = request.user
    if scope_q(BadgeAward, user) is None:
        return ""
    occasion = next_occasion(today, badge_rules(today).month_days())
    orgs = whole_tree_or(user, Organization.objects.restrict(user, "view", module="badges"))
    counts = due_counts(orgs, occasion)
    return render_to_string(
        "badges/home_panel.html",
        {
            "occasion": occasion,
            "counts": counts.tier_counts(),
            "total": counts.total,
            "held": counts.held,
        },
        request=request,
    )
