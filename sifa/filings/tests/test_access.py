"""The access matrix of 填报: every URL × every role. Anonymous users are sent to
log in; the statistics administrator of the bureau manages its indicators and
reviews; office and section staff fill their own organisation's figures; anyone
else gets 403 for a page of a role they do not hold and 404 (like a missing
record) for another bureau's indicator or another office's filing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sifa.cases.tests.matrix import assert_like_missing
from sifa.filings import services
from sifa.filings.models import Filing

from .access import COVERED_ROUTES
from .conftest import define, open_q

pytestmark = pytest.mark.django_db
MISSING = 987654321
ROLES = (
    "leader",
    "staff",
    "office_a",
    "office_b",
    "mediator_a",
    "lawyer",
    "sysadmin",
    "secadmin",
    "auditor",
    "other_office",
    "other_leader",
    "tongji",
    "tongji_x",
)
MANAGER = {"tongji"}
OTHER_MANAGER = {"tongji_x"}
FILLERS = {"staff", "office_a", "office_b", "other_office"}


@pytest.fixture
def world(orgs, users, stats_users):
    t = stats_users.tongji
    ind = define(t, key="publicity")
    rnd, _ = open_q(t, ind)
    a = Filing.objects.get(round=rnd, org=orgs.office_a)
    b = Filing.objects.get(round=rnd, org=orgs.office_b)
    services.save_filing(users.office_b, b.pk, value="4", submit=True)
    people = {r: getattr(users, r, None) for r in ROLES}
    people |= {"tongji": t, "tongji_x": stats_users.other}
    return {"ind": ind, "rnd": rnd, "a": a, "b": b, "people": people}


def routes(w) -> dict:
    """name -> (method, args, who gets 200/302 (the rest: 403 by role, or 404 by scope))."""
    ind, rnd, a, b = w["ind"], w["rnd"], w["a"], w["b"]
    return {
        "filings:mine": ("get", [], FILLERS),
        "filings:fill": ("get", [a.pk], {"office_a"}),
        "filings:indicators": ("get", [], MANAGER | OTHER_MANAGER),
        "filings:indicator_create": ("get", [], MANAGER | OTHER_MANAGER),
        "filings:indicator": ("get", [ind.pk], MANAGER),
        "filings:indicator_edit": ("get", [ind.pk], MANAGER),
        "filings:round_open": ("get", [ind.pk], MANAGER),
        "filings:round": ("get", [rnd.pk], MANAGER),
        "filings:return": ("get", [b.pk], MANAGER),
        "filings:lock": ("post", [b.pk], MANAGER),
        "filings:unlock": ("get", [b.pk], MANAGER),
    }


def expected(name: str, role: str, allowed: set) -> int:
    if role in allowed:
        return 302 if name == "filings:lock" else 200
    manager_page = name not in ("filings:mine", "filings:fill")
    holds_role = role in (MANAGER | OTHER_MANAGER) if manager_page else role in FILLERS
    # The role's pages but another bureau's / office's record: like a missing one.
    return 404 if holds_role else 403


def test_every_route_is_in_the_matrix(world):
    assert set(routes(world)) == COVERED_ROUTES


def test_anonymous_users_are_sent_to_log_in(client, world):
    for name, (method, args, _) in routes(world).items():
        resp = getattr(client, method)(reverse(name, args=args))
        assert resp.status_code == 302 and "/accounts/login/" in resp["Location"], name


@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_each_route(client_for, world, role):
    user = world["people"][role]
    c = client_for(user)
    before = sorted(Filing.objects.values_list("pk", "status", "value", "version"))
    for name, (method, args, allowed) in routes(world).items():
        if name == "filings:lock" and role in allowed:
            continue  # a write that succeeds; the flow tests cover it
        resp = getattr(c, method)(reverse(name, args=args))
        assert resp.status_code == expected(name, role, allowed), (name, role, resp.status_code)
        if resp.status_code == 404 and args:
            # Another's record answers exactly like a missing one.
            assert_like_missing(resp, getattr(c, method)(reverse(name, args=[MISSING])))
    assert sorted(Filing.objects.values_list("pk", "status", "value", "version")) == before


def test_an_office_may_not_fill_another_office_s_filing_through_the_page(client_for, users, world):
    b = world["b"]
    resp = client_for(users.office_a).post(reverse("filings:fill", args=[b.pk]), {"value": "99", "action": "submit"})
    assert resp.status_code == 404
    b.refresh_from_db()
    assert (b.value, b.status) == (4, "submitted")


def test_lock_is_a_post(client_for, world):
    c = client_for(world["people"]["tongji"])
    assert c.get(reverse("filings:lock", args=[world["b"].pk])).status_code == 405
