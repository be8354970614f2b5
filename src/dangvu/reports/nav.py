"""Menu entries of this app, collected by `dangvu.accounts.roles.navigation_for`."""

from django.utils.translation import gettext_lazy as _


def items(user) -> list[dict]:
    """[{"url": url name, "label": text, "icon": bootstrap icon name}] the user may open."""
    from dangvu.core.scope import scope_q

    from .models import GeneratedReport

    if scope_q(GeneratedReport, user) is None:
        return []
    return [
        {"url": "reports:index", "label": _("Báo cáo, thống kê"), "icon": "file-earmark-bar-graph"}
    ]
