"""In every state of the dispute workflow, and in the situations inside a state
that change what may be done (a risk flag, an agreement not yet followed up, a
confirmation before the court), the case page's buttons are exactly the API's
step catalogue, for everyone who sees the dispute; a step the dispute cannot
take now is not offered and says why."""

from __future__ import annotations

import pytest
from django.utils.timezone import localdate

from sifa.cases import selectors
from sifa.cases.tests.matrix import assert_buttons_are_the_catalogue
from sifa.kit import registry
from sifa.mediation.choices import CASE_TYPE

from .factories import make_dispute, mediator, profile, session_data, step, to_agreed, to_mediating

pytestmark = pytest.mark.django_db

RISK = {"risk_kind": "criminal", "risk_level": "serious", "risk_persons": 3, "risk_note": "扬言报复。"}
VISIT = {"visit_on": localdate(), "method": "phone", "visited": "张三", "performance": "performed", "satisfaction": "satisfied"}


def test_buttons_are_the_catalogue_in_every_state(orgs, users, client_for):
    profile(orgs.committee_a)
    team = [mediator(orgs.committee_a, "张调解", user=users.mediator_a)]
    office = users.office_a
    offered: dict[str, set] = {}

    def check(case, label):
        for user in (office, users.mediator_a, users.leader, users.staff):
            if selectors.visible_to(user).filter(pk=case.pk).exists():
                got = assert_buttons_are_the_catalogue(client_for(user), user, case)
                if user == office:
                    offered[label] = got
        return case

    check(make_dispute(office, orgs.committee_a), "registered")
    refused = make_dispute(office, orgs.committee_a)
    step(office, refused, "not_accept", {"not_accepted_reason": "party_refuses"}, reason="拒绝调解")
    check(refused, "not_accepted")
    accepted = make_dispute(office, orgs.committee_a)
    step(office, accepted, "accept")
    check(accepted, "accepted")
    mediating = check(to_mediating(office, make_dispute(office, orgs.committee_a), team), "mediating")
    step(office, mediating, "record_session", session_data())
    check(mediating, "mediating, met")
    step(office, mediating, "flag_risk", RISK)
    check(mediating, "mediating, risk flagged")
    agreed = check(to_agreed(office, make_dispute(office, orgs.committee_a), team), "agreed")
    step(office, agreed, "apply_confirmation", {"court": "测试区人民法院", "applied_on": localdate()})
    check(agreed, "agreed, confirmation applied")
    ended = to_mediating(office, make_dispute(office, orgs.committee_a), team)
    step(office, ended, "terminate", {"termination_reason": "no_agreement", "routes_told": True})
    check(ended, "terminated")
    archived = to_agreed(office, make_dispute(office, orgs.committee_a), team)
    step(office, archived, "record_visit", VISIT)
    check(archived, "agreed, visited")
    step(office, archived, "archive")
    check(archived, "archived")

    states = {label.split(",")[0] for label in offered}
    assert states == set(registry.case_type(CASE_TYPE).workflow.states), states
    assert offered["registered"] == {"accept", "not_accept", "flag_risk"}
    assert offered["accepted"] >= {"assign_mediators", "schedule_session"} and "succeed" not in offered["accepted"]
    assert "succeed" not in offered["mediating"] and "succeed" in offered["mediating, met"]
    assert "flag_risk" not in offered["mediating, risk flagged"] and {"report_risk", "resolve_risk"} <= offered["mediating, risk flagged"]
    assert "archive" not in offered["agreed"] and "apply_confirmation" in offered["agreed"]
    assert "apply_confirmation" not in offered["agreed, confirmation applied"] and "court_accept" in offered["agreed, confirmation applied"]
    assert "archive" in offered["agreed, visited"] and offered["archived"] == set() and offered["not_accepted"] == set()
