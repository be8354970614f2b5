"""Menu entries of this app, collected by `dangvu.accounts.roles.navigation_for`."""

from django.utils.translation import gettext_lazy as _


def items(user) -> list[dict]:
    """[{"url": url name, "label": text, "icon": bootstrap icon name}] the user may open."""
    from dangvu.core.scope import scope_q

    from .models import Committee

    if scope_q(Committee, user) is None:
        return []
    return [{"url": "committees:index", "label": _("Cấp ủy, đại hội"), "icon": "people"}]
