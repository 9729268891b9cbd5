"""Fixtures of the mediation tests: office A's committee with profiles,
mediators and disputes (one assigned to mediator_a, one not), and office B's."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sifa.mediation.choices import Gender, Position

from .factories import make_dispute, mediator, profile, session_data, step, to_mediating

OTHER_A = [{"role": "applicant", "name": "王五", "phone": "13700002222"}, {"role": "respondent", "name": "赵六", "phone": "13600003333"}]
OTHER_B = [{"role": "applicant", "name": "钱七", "phone": "13500004444"}, {"role": "respondent", "name": "孙八", "phone": "13400005555"}]
RISK = {"risk_kind": "criminal", "risk_level": "serious", "risk_persons": 3, "risk_note": "一方扬言报复。"}


@pytest.fixture
def world(orgs, users):
    profile(orgs.committee_a)
    profile(orgs.committee_b)
    med_a = mediator(orgs.committee_a, "张调解", gender=Gender.MALE, position=Position.DIRECTOR, user=users.mediator_a, phone="13811112222")
    med_a2 = mediator(orgs.committee_a, "周调解")
    med_b = mediator(orgs.committee_b, "林调解")
    assigned = make_dispute(users.office_a, orgs.committee_a)
    to_mediating(users.office_a, assigned, [med_a])
    step(users.office_a, assigned, "record_session", session_data())
    step(users.office_a, assigned, "flag_risk", RISK)
    unassigned = make_dispute(users.office_a, orgs.committee_a, parties=[dict(p) for p in OTHER_A])
    other = make_dispute(users.office_b, orgs.committee_b, parties=[dict(p) for p in OTHER_B])
    step(users.office_b, other, "flag_risk", RISK)
    return SimpleNamespace(
        assigned=assigned,
        unassigned=unassigned,
        other=other,
        med_a=med_a,
        med_a2=med_a2,
        med_b=med_b,
        membership_a=med_a2.memberships.get(),
    )
