"""Every mediation route × every role (tests/access.py), and office B seeing
nothing of office A anywhere: lists, search, risk list, registry, API,
the generic case page, documents and steps."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from sifa.cases.models import CaseEvent
from sifa.mediation.models import Committee, Mediator, Membership, Session, Training
from sifa.orgs.models import Org

from .access import ROLES, ROUTES

pytestmark = pytest.mark.django_db


def fingerprint():
    return (
        CaseEvent.objects.count(),
        Session.objects.count(),
        sorted(Membership.objects.values_list("pk", "active", "position")),
        sorted(Org.objects.values_list("pk", "name")),
        sorted(Committee.objects.values_list("pk", "term_years", "note")),
        sorted(Mediator.objects.values_list("pk", "name", "level")),
        Training.objects.count(),
    )


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_access_matrix(route, world, users, client_for):
    method, url_for, expected, payload = ROUTES[route]
    url = url_for(world)
    # Refusals first, so a successful write cannot mask a refused one.
    for role in sorted(ROLES, key=lambda r: expected[r] < 400):
        client = client_for(getattr(users, role))
        before = fingerprint()
        data = payload(world) if callable(payload) else payload
        if method == "GET":
            resp = client.get(url)
        elif route.startswith("api:"):
            resp = client.generic(method, url, data=json.dumps(data), content_type="application/json")
        else:
            resp = client.post(url, data)
        assert resp.status_code == expected[role], f"{route} as {role}: {resp.status_code}"
        if resp.status_code >= 400:
            assert fingerprint() == before, f"{route} as {role} changed something"


def test_anonymous_is_sent_to_login_or_refused(world, client):
    assert client.get(reverse("mediation:home")).status_code == 302
    assert client.get(reverse("api:mediation-disputes")).status_code in (401, 403)


def _codes(resp):
    return resp.content.decode()


def test_office_b_sees_nothing_of_office_a(world, users, orgs, client_for):
    b = client_for(users.office_b)
    a_codes = [world.assigned.code, world.unassigned.code]
    pages = [
        reverse("mediation:list"),
        reverse("mediation:list") + "?q=张三",
        reverse("mediation:risks") + "?all=1",
        reverse("mediation:home"),
        reverse("mediation:committees"),
        reverse("mediation:mediators"),
        reverse("cases:list") + "?case_type=mediation",
    ]
    for url in pages:
        body = _codes(b.get(url))
        assert not any(code in body for code in a_codes), url
        assert "A调委会" not in body and "张调解" not in body, url
    assert world.other.code in _codes(b.get(reverse("mediation:list")))
    api = b.get(reverse("api:mediation-disputes")).json()
    assert [r["code"] for r in api["results"]] == [world.other.code]
    assert [r["code"] for r in b.get(reverse("api:mediation-risks")).json()["results"]] == [world.other.code]
    assert [r["name"] for r in b.get(reverse("api:mediation-committees")).json()] == ["B调委会"]
    assert [r["name"] for r in b.get(reverse("api:mediation-mediators")).json()["results"]] == ["林调解"]
    # The generic case page, its documents, steps and QR answer 404 like a missing case.
    pk = world.assigned.pk
    before = CaseEvent.objects.count()
    for url in (
        reverse("cases:detail", args=[pk]),
        reverse("cases:document", args=[pk, "registration"]),
        reverse("cases:transition", args=[pk, "flag_risk"]),
        reverse("api:cases-detail", args=[pk]),
        reverse("cases:qr", args=[pk, "svg"]),
    ):
        assert b.get(url).status_code == 404, url
    assert b.post(reverse("cases:transition", args=[pk, "accept"]), {"on": "2026-01-01", "version": 1}).status_code == 404
    assert CaseEvent.objects.count() == before


def test_mediator_sees_only_assigned_disputes(world, users, client_for):
    c = client_for(users.mediator_a)
    codes = [r["code"] for r in c.get(reverse("api:mediation-disputes")).json()["results"]]
    assert codes == [world.assigned.code]
    c2 = client_for(users.mediator_a2)
    assert c2.get(reverse("api:mediation-disputes")).json()["results"] == []
    # mediator_a2 still sees their own committee in the registry (not case data).
    assert c2.get(reverse("mediation:committee", args=[world.assigned.owner_org_id])).status_code == 200
    assert c2.get(reverse("mediation:committee", args=[world.other.owner_org_id])).status_code == 404


def test_bureau_sees_all_offices(world, users, client_for):
    for who in ("leader", "staff"):
        codes = {r["code"] for r in client_for(getattr(users, who)).get(reverse("api:mediation-disputes")).json()["results"]}
        assert codes == {world.assigned.code, world.unassigned.code, world.other.code}
    risks = {r["code"] for r in client_for(users.leader).get(reverse("api:mediation-risks")).json()["results"]}
    assert risks == {world.assigned.code, world.other.code}


def test_section_staff_of_another_line_sees_no_mediation(world, users, client_for):
    c = client_for(users.staff_other_line)
    assert c.get(reverse("mediation:home")).status_code == 404
    assert c.get(reverse("api:mediation-disputes")).status_code == 404


def test_neighbouring_bureau_sees_nothing(world, users, client_for):
    c = client_for(users.other_leader)
    assert c.get(reverse("api:mediation-disputes")).json()["results"] == []
    assert c.get(reverse("mediation:committee", args=[world.assigned.owner_org_id])).status_code == 404
    assert c.get(reverse("api:mediation-mediator", args=[world.med_a.pk])).status_code == 404


def test_open_dispute_counts_are_scoped(world, users, orgs):
    from sifa.mediation import selectors

    committees = [orgs.committee_a, orgs.committee_b]
    assert selectors.open_dispute_counts(users.leader, committees) == {orgs.committee_a.pk: 2, orgs.committee_b.pk: 1}
    assert selectors.open_dispute_counts(users.mediator_a, committees) == {orgs.committee_a.pk: 1}
    assert selectors.open_dispute_counts(users.office_b, committees) == {orgs.committee_b.pk: 1}
