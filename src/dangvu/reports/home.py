"""This app's panel on the home page, collected by `dangvu.core.views.home_panels`."""


def panel(request, today) -> str:
    """Rendered HTML (render_to_string of this app's template) for the user's scope, or ""."""
    return ""
