"""This app's panel on the home page, collected by `dangvu.core.views.home_panels`."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse


def panel(request, today) -> str:
    """Progress against this year's targets in the user's scope, open candidates and overdue
    ones, each linking to its list: three aggregate queries."""
    from dangvu.core.scope import scope_q, subtree_roots

    from . import selectors
    from .choices import CandidateStatus
    from .models import Candidate

    q = scope_q(Candidate, request.user)
    if q is None:
        return ""
    progress = selectors.progress(q, today.year, roots=subtree_roots(request.user, "admission"))
    counts = Candidate.objects.filter(q).aggregate(
        active=Count("pk", filter=Q(status=CandidateStatus.ACTIVE)),
        admitted=Count("pk", filter=Q(status=CandidateStatus.ADMITTED)),
        overdue=Count("pk", filter=selectors.overdue_q(today)),
    )
    url = reverse("admission:list")
    return render_to_string(
        "admission/includes/home_panel.html",
        {
            "year": today.year,
            "progress": progress,
            "targets_url": reverse("admission:targets") + "?" + urlencode({"year": today.year}),
            "active_url": url + "?status=active",
            "admitted_url": url + "?status=admitted",
            "overdue_url": url + "?overdue=true",
            **counts,
        },
        request=request,
    )
