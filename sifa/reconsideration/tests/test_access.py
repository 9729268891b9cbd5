"""The access matrix of every route of the line (access.py lists them): each role
against this bureau's case ("own": bureau-level, so offices, mediators and lawyers
must not see it) and a neighbouring bureau's case ("other"), plus anonymous.
A case one may not see answers exactly like a missing one."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sifa.accounts.roles import Role
from sifa.accounts.tests.factories import UserFactory
from sifa.cases.models import Case, CaseEvent
from sifa.reconsideration.choices import FY_KEY, YS_KEY

from .factories import accepted, fresh, make_application, make_suit

pytestmark = pytest.mark.django_db

ROLES = ("leader", "staff", "office_a", "office_b", "mediator_a", "lawyer", "sysadmin", "secadmin", "auditor", "staff_other_line")
LINE_READERS = {"leader", "staff"}
LINE_WRITERS = {"staff"}
MISSING = 987654321


@pytest.fixture
def world(orgs, users):
    neighbour = UserFactory(username="neighbour_staff", role=Role.SECTION, org=orgs.other_bureau, lines=[FY_KEY, YS_KEY])
    fy = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    ys = make_suit(users.staff, served_on=date(2026, 6, 1))
    other_fy = make_application(neighbour, received_on=date(2026, 3, 2))
    other_ys = make_suit(neighbour, served_on=date(2026, 6, 1))
    return {"fy": fy, "ys": ys, "other_fy": other_fy, "other_ys": other_ys, "neighbour": neighbour}


def client(client_for, users, role):
    from django.test import Client

    return Client() if role == "anonymous" else client_for(getattr(users, role))


def state(case):
    c = fresh(case)
    return (c.status, c.version, CaseEvent.objects.filter(case=c).count())


PAGES = {
    "reconsideration:list": (),
    "reconsideration:suit_list": (),
    "stats:line": ("reconsideration",),
    "reconsideration:create": (),
    "reconsideration:suit_create": (),
}


@pytest.mark.parametrize("role", (*ROLES, "anonymous"))
def test_pages(world, users, client_for, role):
    c = client(client_for, users, role)
    for name, args in PAGES.items():
        r = c.get(reverse(name, args=args))
        if role == "anonymous":
            assert r.status_code == 302 and "/accounts/login/" in r["Location"], name
            continue
        allowed = role in (LINE_WRITERS if name.endswith("create") else LINE_READERS)
        # Outside the line its pages answer like missing ones; a reader of the line may not register.
        assert r.status_code == (200 if allowed else 403 if role in LINE_READERS else 404), name
        page = r.content.decode()
        if allowed and name == "reconsideration:list":
            assert world["fy"].code in page and world["other_fy"].code not in page and world["ys"].code not in page
        if allowed and name == "reconsideration:suit_list":
            assert world["ys"].code in page and world["other_ys"].code not in page


@pytest.mark.parametrize("role", (*ROLES, "anonymous"))
def test_registration_post(world, users, client_for, role):
    before = Case.all_objects.count()
    data = {
        "party-TOTAL_FORMS": "1",
        "party-INITIAL_FORMS": "0",
        "party-0-role": "applicant",
        "party-0-kind": "natural",
        "party-0-name": "赵六",
        "channel": "post",
        "received_on": "2026-11-02",
        "respondent_agency": "market",
        "category": "penalty_fine",
        "contested_act": "罚款决定",
        "request": "撤销",
    }
    r = client(client_for, users, role).post(reverse("reconsideration:create"), data)
    if role in LINE_WRITERS:
        assert r.status_code == 302 and Case.all_objects.count() == before + 1
        return
    expected = 302 if role == "anonymous" else 403 if role in LINE_READERS else 404
    assert r.status_code == expected and Case.all_objects.count() == before


@pytest.mark.parametrize("role", (*ROLES, "anonymous"))
def test_api_list_and_detail(world, users, client_for, role):
    for line, own, other in (("reconsideration", world["fy"], world["other_fy"]), ("litigation", world["ys"], world["other_ys"])):
        _api_list_and_detail(client(client_for, users, role), role, line, own, other)


def _api_list_and_detail(c, role, line, own, other):
    r = c.get(f"/api/v1/{line}/")
    if role == "anonymous":
        assert r.status_code in (401, 403)
        assert c.get(f"/api/v1/{line}/{own.pk}/").status_code in (401, 403)
        return
    if role not in LINE_READERS:
        assert r.status_code == 404  # outside the line its API answers like a missing route
    else:
        assert r.status_code == 200 and {x["code"] for x in r.json()["results"]} == {own.code}
    r_own, r_other, r_missing = (c.get(f"/api/v1/{line}/{pk}/") for pk in (own.pk, other.pk, MISSING))
    assert r_own.status_code == (200 if role in LINE_READERS else 404)
    assert r_other.status_code == r_missing.status_code == 404 and r_other.content == r_missing.content


@pytest.mark.parametrize("shape", ("steps", "transitions"))  # the one step URL, and the old one kept for a release
@pytest.mark.parametrize("role", (*ROLES, "anonymous"))
def test_api_transitions(world, users, client_for, role, shape):
    c = client(client_for, users, role)
    fy, ys = world["fy"], world["ys"]
    before = (state(fy), state(ys), state(world["other_fy"]))
    r_fy = c.post(f"/api/v1/reconsideration/{fy.pk}/{shape}/send_copy/", {"on": "2026-03-04", "data": {}}, content_type="application/json")
    r_ys = c.post(f"/api/v1/litigation/{ys.pk}/{shape}/file_defence/", {"on": "2026-06-05", "data": {}}, content_type="application/json")
    r_other = c.post(f"/api/v1/reconsideration/{world['other_fy'].pk}/{shape}/deemed_accept/", {"data": {}}, content_type="application/json")
    r_missing = c.post(f"/api/v1/reconsideration/{MISSING}/{shape}/deemed_accept/", {"data": {}}, content_type="application/json")
    if role == "anonymous":
        assert {r_fy.status_code, r_ys.status_code, r_other.status_code} <= {401, 403}
    elif role in LINE_WRITERS:
        assert (r_fy.status_code, r_ys.status_code) == (200, 200)
        assert state(fy) != before[0]
    else:
        expected = 403 if role in LINE_READERS else 404
        assert (r_fy.status_code, r_ys.status_code) == (expected, expected)
    if role != "anonymous":
        assert r_other.status_code == r_missing.status_code == 404 and r_other.content == r_missing.content
    if role not in LINE_WRITERS:
        assert (state(fy), state(ys)) == before[:2]
    assert state(world["other_fy"]) == before[2]


@pytest.mark.parametrize("role", (*ROLES, "anonymous"))
def test_api_step_catalogue(world, users, client_for, role):
    c = client(client_for, users, role)
    for line, case in (("reconsideration", world["fy"]), ("litigation", world["ys"])):
        r = c.get(f"/api/v1/{line}/{case.pk}/steps/")
        if role == "anonymous":
            assert r.status_code in (401, 403)
            continue
        assert r.status_code == (200 if role in LINE_READERS else 404)
        r_other = c.get(f"/api/v1/{line}/{world['other_' + ('fy' if line == 'reconsideration' else 'ys')].pk}/steps/")
        r_missing = c.get(f"/api/v1/{line}/{MISSING}/steps/")
        assert r_other.status_code == r_missing.status_code == 404 and r_other.content == r_missing.content


@pytest.mark.parametrize("role", (*ROLES, "anonymous"))
def test_api_create(world, users, client_for, role):
    before = Case.all_objects.count()
    body = {"parties": [{"role": "plaintiff", "name": "钱七"}], "defendant_agency": "market", "court": "法院", "cause": "行政处罚", "contested_act": "罚款"}
    r = client(client_for, users, role).post("/api/v1/litigation/", body, content_type="application/json")
    if role in LINE_WRITERS:
        assert r.status_code == 201 and Case.all_objects.count() == before + 1
    else:
        assert r.status_code in ((401, 403) if role == "anonymous" else (403,)) and Case.all_objects.count() == before


def test_neighbouring_bureau_sees_only_its_own(world, client_for):
    c = client_for(world["neighbour"])
    assert {x["code"] for x in c.get("/api/v1/reconsideration/").json()["results"]} == {world["other_fy"].code}
    assert c.get(f"/api/v1/reconsideration/{world['fy'].pk}/").status_code == 404
    page = c.get(reverse("reconsideration:list")).content.decode()
    assert world["other_fy"].code in page and world["fy"].code not in page


def test_case_page_shows_the_line_part_to_readers_only(world, users, client_for):
    url = reverse("cases:detail", args=[world["fy"].pk])
    page = client_for(users.leader).get(url).content.decode()
    assert "被申请人" in page and "区市场监督管理局" in page and "审理中" in page
    assert client_for(users.office_a).get(url).status_code == 404
    page = client_for(users.staff).get(reverse("cases:detail", args=[world["ys"].pk])).content.decode()
    assert "测试区人民法院" in page and "开庭与负责人出庭" in page
