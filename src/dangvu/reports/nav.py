"""Menu entries of this app, collected by `dangvu.accounts.roles.navigation_for`."""


def items(user) -> list[dict]:
    """[{"url": url name, "label": text, "icon": bootstrap icon name}] the user may open."""
    return []
