"""Demo discipline decisions, loaded by `manage.py seed_demo` after the meetings.

Deterministic for a seed and a demo today: the expulsions the member generator made get their
decision recorded here (a week before the lifecycle event); a handful of other official members
get reprimands, warnings (an old one, a recent one, one lifted on appeal) and a dismissal, one of
them in the demo grassroots committee. The badges demo adds a recent warning on a member who
would otherwise be due a badge at the next occasion.
"""

import datetime as dt
import random

from django.core.exceptions import ValidationError

from dangvu.core.audit import audit_context
from dangvu.members.choices import EventKind, MemberStatus
from dangvu.members.models import Member, MemberEvent

from . import services
from .choices import DisciplineForm
from .models import DisciplineCase

UBKT = "Ủy ban Kiểm tra Đảng ủy Khối"
REASONS = {
    DisciplineForm.REPRIMAND: [
        "Không thực hiện đúng chế độ sinh hoạt đảng: vắng sinh hoạt 2 kỳ không có lý do.",
        "Chậm nộp đảng phí nhiều tháng, đã được nhắc nhở nhưng chưa khắc phục.",
        "Vi phạm quy định về trách nhiệm nêu gương, thiếu tinh thần tự phê bình.",
    ],
    DisciplineForm.WARNING: [
        "Thiếu trách nhiệm trong quản lý, để xảy ra sai phạm trong công tác tài chính của đơn vị.",
        "Vi phạm quy định về những điều đảng viên không được làm.",
    ],
    DisciplineForm.DISMISSAL: [
        "Vi phạm quy định trong công tác cán bộ, gây hậu quả nghiêm trọng.",
    ],
}
# (form, days before the demo today, lifted that many days later or None, in the demo committee)
PLAN = [
    (DisciplineForm.REPRIMAND, 120, None, True),
    (DisciplineForm.REPRIMAND, 400, None, False),
    (DisciplineForm.REPRIMAND, 610, None, False),
    (DisciplineForm.WARNING, 430, None, False),
    (DisciplineForm.WARNING, 250, None, False),
    (DisciplineForm.WARNING, 300, 170, False),
    (DisciplineForm.DISMISSAL, 240, None, False),
]


def _create(**kw):
    try:
        return services.discipline_case_create(actor=None, **kw)
    except ValidationError:
        return None


def load(plan) -> str:
    """Write this app's demo rows for `plan` (core.demo.generator.Plan); return a report line."""
    from dangvu.core.demo.agencies import DEMO_COMMITTEE
    from dangvu.organizations.models import Organization

    if DisciplineCase.objects.exists():
        return ""
    rng = random.Random(f"discipline-{plan.seed}")
    today = plan.today
    written = []
    with audit_context(actor=None, source="command"):
        for ev in (
            MemberEvent.objects.filter(kind=EventKind.EXPELLED)
            .select_related("member__organization")
            .order_by("date", "id")
        ):
            decided = ev.decision_date or (ev.date - dt.timedelta(days=7))
            case = _create(
                member=ev.member,
                form=DisciplineForm.EXPULSION,
                decided_on=min(decided, ev.date - dt.timedelta(days=1)),
                decision_number=ev.decision_number or f"{rng.randint(10, 90)}-QĐ/ĐUK",
                deciding_body=UBKT,
                reason="Vi phạm đặc biệt nghiêm trọng, không còn đủ tư cách đảng viên.",
            )
            if case:
                written.append(case)
        committee = Organization.objects.filter(code=DEMO_COMMITTEE).first()
        officials = Member.objects.filter(
            status=MemberStatus.OFFICIAL, admission_date__lt=today - dt.timedelta(days=5 * 365)
        )
        pool = list(officials.order_by("pk").values_list("pk", flat=True))
        local = (
            list(
                officials.filter(organization__path__startswith=committee.path)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if committee
            else []
        )
        used: set[int] = set()
        for form, days_ago, lifted_after, in_committee in PLAN:
            choices = [pk for pk in (local if in_committee and local else pool) if pk not in used]
            if not choices:
                continue
            pk = rng.choice(choices)
            used.add(pk)
            member = Member.objects.select_related("organization").get(pk=pk)
            decided = today - dt.timedelta(days=days_ago)
            body = (
                UBKT if form == DisciplineForm.DISMISSAL else f"Chi bộ {member.organization.name}"
            )
            if body.startswith("Chi bộ Chi bộ"):
                body = member.organization.name
            case = _create(
                member=member,
                form=form,
                decided_on=decided,
                decision_number=f"{rng.randint(10, 250)}-QĐ/{'UBKT' if form == DisciplineForm.DISMISSAL else 'CB'}",
                deciding_body=body,
                reason=rng.choice(REASONS[form]),
            )
            if case is None:
                continue
            if lifted_after:
                services.discipline_case_lift(
                    actor=None,
                    case=case,
                    lifted_on=decided + dt.timedelta(days=lifted_after),
                    note=f"Quyết định giải quyết khiếu nại số {rng.randint(5, 60)}-QĐ/UBKT",
                )
            written.append(case)
    by_form = {}
    for c in written:
        by_form[c.get_form_display().lower()] = by_form.get(c.get_form_display().lower(), 0) + 1
    parts = ", ".join(f"{k}: {v}" for k, v in by_form.items())
    return f"  {len(written)} quyết định kỷ luật ({parts})"
