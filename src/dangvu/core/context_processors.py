from django.conf import settings

# Pages that belong to another menu entry than their URL namespace suggests.
CLAIMS = {
    "meetings:supervision": (
        "meetings:supervision",
        "meetings:assignment_",
        "meetings:visit_",
        "meetings:finding",
    ),
    "core:rulebook": ("core:rule",),
}


def navigation(request):
    user = getattr(request, "user", None)
    modules = []
    if user is not None and user.is_authenticated:
        from dangvu.accounts.roles import navigation_for

        modules = navigation_for(user)
        _mark_active(modules, getattr(request, "resolver_match", None))
        modules = _grouped(modules)
        from dangvu.meetings.models import Notification

        unread = Notification.objects.restrict(user).filter(read_at__isnull=True).count()
    else:
        unread = 0
    return {"nav_modules": modules, "demo_mode": settings.DEMO_MODE, "unread_notifications": unread}


def _mark_active(items: list[dict], match) -> None:
    """Exactly one menu entry is active: the page's own, else the one claiming it, else the
    first entry of the page's namespace."""
    if match is None:
        return
    view = match.view_name or ""
    chosen = next((i for i in items if i["url"] == view), None)
    if chosen is None:
        chosen = next(
            (i for i in items if any(view.startswith(p) for p in CLAIMS.get(i["url"], ()))), None
        )
    if chosen is None and match.namespace not in ("", "core"):
        chosen = next(
            (
                i
                for i in items
                if i["url"].startswith(match.namespace + ":") and i["url"] not in CLAIMS
            ),
            None,
        )
    for i in items:
        i["active"] = i is chosen


def _grouped(items: list[dict]) -> list[dict]:
    """Entries with the same "group" become one dropdown (placed where the first of them is), so
    the menu fits one line on a desktop as modules are added."""
    out: list[dict] = []
    groups: dict[str, dict] = {}
    for item in items:
        label = item.get("group")
        if not label:
            out.append(item)
            continue
        if label not in groups:
            groups[label] = {"group": label, "children": [], "active": False}
            out.append(groups[label])
        groups[label]["children"].append(item)
        groups[label]["active"] |= bool(item.get("active"))
    return out
