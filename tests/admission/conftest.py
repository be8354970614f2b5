"""Fixtures of the admission tests: a candidate in a cell with official members, and `walk` to
take a candidate through its steps with past dates (the services refuse future dates).

Default calendar of a walk (2024, working days counted with only the holidays a test adds):
awareness 10/01, application 20/01, introducers 01/02, background check 15/02, cell vote
01/03, committee vote 11/03, decision 01/04, ceremony 15/04/2024, recognition 15/04/2025.
"""

import datetime as dt

import pytest

from dangvu.admission import services
from dangvu.admission.choices import IntroducerKind, StepKind

D = dt.date
DATES = {
    StepKind.AWARENESS: D(2024, 1, 10),
    StepKind.APPLICATION: D(2024, 1, 20),
    StepKind.INTRODUCERS: D(2024, 2, 1),
    StepKind.BACKGROUND_CHECK: D(2024, 2, 15),
    StepKind.CELL_VOTE: D(2024, 3, 1),
    StepKind.COMMITTEE_VOTE: D(2024, 3, 11),
    StepKind.DECISION: D(2024, 4, 1),
    StepKind.CEREMONY: D(2024, 4, 15),
    StepKind.RECOGNITION: D(2025, 4, 15),
}


def candidate_data(**overrides):
    data = {
        "full_name": "Lê Thị Quần Chúng",
        "gender": "female",
        "date_of_birth": D(1998, 6, 15),
        "general_education": "thpt",
        "professional_degree": "bachelor",
        "occupation": "Chuyên viên",
        "workplace": "Văn phòng Sở Tài chính",
        "ethnicity": "Kinh",
        "religion": "Không",
    }
    data.update(overrides)
    return data


@pytest.fixture(scope="module")
def _shared_cell_staff(request, _shared_tree):
    """The nine members once for the module (tests/shared.py): their primary keys."""
    from tests.conftest import create_member, fetch_tree
    from tests.shared import build_shared

    def build():
        c11 = fetch_tree(_shared_tree)["C11"]
        return [create_member(c11).pk for _ in range(9)]

    return build_shared(request, "cell_staff", build, _shared_tree)


@pytest.fixture
def cell_staff(tree, make_member, _shared_cell_staff):
    """Nine official members in C11 (the default of the walks: 9 of 9 vote for)."""
    if _shared_cell_staff is None:
        return [make_member(tree["C11"]) for _ in range(9)]
    from dangvu.members.models import Member

    found = Member.objects.in_bulk(_shared_cell_staff)
    return [found[pk] for pk in _shared_cell_staff]


@pytest.fixture
def make_candidate(tree):
    def make(org=None, **overrides):
        return services.candidate_create(
            actor=None, organization=org or tree["C11"], data=candidate_data(**overrides)
        )

    return make


def step_fields(kind, candidate=None, **over):
    base = {"date": DATES[kind]}
    if kind == StepKind.AWARENESS:
        base["decision_number"] = "GCN-125"
    if kind == StepKind.BACKGROUND_CHECK:
        base["notes"] = "Lý lịch rõ ràng, đủ tiêu chuẩn."
    if kind in (StepKind.CELL_VOTE, StepKind.RECOGNITION):
        base["votes_for"] = 9
        base["votes_against"] = 0
    if kind == StepKind.COMMITTEE_VOTE:
        base.update(votes_for=7, votes_total=9)
    if kind == StepKind.DECISION:
        base.update(decision_number="125-QĐ/ĐUK", issuer="Ban Thường vụ Đảng ủy Khối")
    if kind == StepKind.RECOGNITION:
        base.update(decision_number="301-QĐ/ĐUK")
    base.update(over)
    return base


@pytest.fixture
def walk(cell_staff):
    """walk(candidate, upto=kind, **overrides per kind as dicts) records every step up to `upto`
    (inclusive), adding two official introducers before the introducers step."""
    from dangvu.admission.selectors import steps_for

    def do(candidate, upto=StepKind.CEREMONY, actor=None, over=None):
        over = over or {}
        for kind in steps_for(candidate):
            if kind == StepKind.INTRODUCERS and not candidate.introducers.exists():
                for m in cell_staff[:2]:
                    services.introducer_add(
                        actor=actor,
                        candidate=candidate,
                        kind=IntroducerKind.PARTY_MEMBER,
                        member=m,
                        months_together=24,
                    )
            services.step_record(
                actor=actor,
                candidate=candidate,
                kind=kind,
                **step_fields(kind, **over.get(kind, {})),
            )
            candidate.refresh_from_db()
            if kind == upto:
                break
        return candidate

    return do
