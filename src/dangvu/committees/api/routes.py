"""API routes of this app, registered on the project router by `dangvu.api.urls`."""


def register(router) -> None:
    from .views import (
        ChecklistItemViewSet,
        CommitteeSeatViewSet,
        CommitteeViewSet,
        CongressViewSet,
        TermViewSet,
    )

    router.register("terms", TermViewSet, basename="term")
    router.register("congresses", CongressViewSet, basename="congress")
    router.register(
        "congress-checklist-items", ChecklistItemViewSet, basename="congress-checklist-item"
    )
    router.register("committees", CommitteeViewSet, basename="committee")
    router.register("committee-seats", CommitteeSeatViewSet, basename="committee-seat")
