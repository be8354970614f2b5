"""Admission reminders, collected by `dangvu.meetings.reminders.collect` (REMINDER_SOURCES).

To the secretaries (cell and grassroots) and the organisation department users whose role covers
the candidate's cell:
- probation ending within `PROBATION_NOTICE_DAYS` days (prepare the recognition vote);
- admission decision overdue (rulebook working days after the cell's resolution);
- ceremony overdue (working days after the decision);
- recognition overdue (working days after the probation ended).
Keys name the candidate and the deadline, so a run repeated the same day (or the next) adds
nothing; queries do not grow with the number of candidates or users.
"""

import datetime as dt

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from dangvu.core.dates import fmt
from dangvu.core.rulebook import rule

RECIPIENT_ROLES = ("cell_secretary", "grassroots_secretary", "organization_dept")
PROBATION_NOTICE_DAYS = 30


def _recipients(on: dt.date) -> list[tuple[int, str]]:
    from dangvu.accounts.models import RoleAssignment

    return list(
        RoleAssignment.objects.filter(
            Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on)),
            role__in=RECIPIENT_ROLES,
            organization__isnull=False,
            user__is_active=True,
        ).values_list("user_id", "organization__path")
    )


def _url(pk: int) -> str:
    try:
        return reverse("admission:detail", args=[pk])
    except NoReverseMatch:
        return ""


def collect(on: dt.date) -> list:
    """[meetings.reminders.Reminder] due on `on`."""
    from dangvu.core.workdays import cached_calendar
    from dangvu.meetings.reminders import Reminder

    from . import selectors
    from .choices import CandidateStatus, StepKind
    from .models import Candidate

    recipients = _recipients(on)
    if not recipients:
        return []
    out: list = []
    soon = on + dt.timedelta(days=PROBATION_NOTICE_DAYS)
    candidates = (
        Candidate.objects.filter(status__in=[CandidateStatus.ACTIVE, CandidateStatus.ADMITTED])
        .filter(
            selectors.overdue_q(on)
            | Q(status=CandidateStatus.ADMITTED, probation_end__gte=on, probation_end__lte=soon)
        )
        .select_related("organization")
        .order_by("pk")
    )
    with cached_calendar():
        for c in candidates:
            items = []
            if (
                c.status == CandidateStatus.ADMITTED
                and c.probation_end
                and on <= c.probation_end <= soon
            ):
                items.append(
                    (
                        "admission_probation_end",
                        f"adm-probation-end:{c.pk}:{c.probation_end:%Y-%m-%d}",
                        _(
                            "%(name)s (%(org)s) hết thời gian dự bị ngày %(end)s: chuẩn bị để chi "
                            "bộ xét công nhận đảng viên chính thức."
                        )
                        % {
                            "name": c.full_name,
                            "org": c.organization.name,
                            "end": fmt(c.probation_end),
                        },
                    )
                )
            if selectors.is_overdue(c, on):
                if c.status == CandidateStatus.ADMITTED:
                    kind, text = (
                        "admission_recognition_overdue",
                        _(
                            "%(name)s (%(org)s): quá hạn xét công nhận đảng viên chính thức (hạn %(due)s).%(cite)s"
                        ),
                    )
                    key_rule = "admission.recognition_working_days"
                elif c.current_step == StepKind.DECISION:
                    kind, text = (
                        "admission_ceremony_overdue",
                        _("%(name)s (%(org)s): quá hạn tổ chức lễ kết nạp (hạn %(due)s).%(cite)s"),
                    )
                    key_rule = "admission.ceremony_working_days"
                else:
                    kind, text = (
                        "admission_decision_overdue",
                        _("%(name)s (%(org)s): quá hạn quyết định kết nạp (hạn %(due)s).%(cite)s"),
                    )
                    key_rule = "admission.decision_working_days"
                cite = " " + rule(key_rule, on=on).citation + "."
                items.append(
                    (
                        kind,
                        f"adm-overdue:{kind}:{c.pk}:{c.next_due:%Y-%m-%d}",
                        text
                        % {
                            "name": c.full_name,
                            "org": c.organization.name,
                            "due": fmt(c.next_due),
                            "cite": cite,
                        },
                    )
                )
            users = {uid for uid, path in recipients if c.organization.path.startswith(path)}
            for kind, key, text in items:
                for uid in sorted(users):
                    out.append(Reminder(uid, kind, key, text, _url(c.pk)))
    return out
