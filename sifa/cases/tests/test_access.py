"""The access matrix of the case pages and the cases API: every route × every
role × the role's own record and another office's record. Another office's
record answers exactly like a missing one; a refused request changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import NoReverseMatch, reverse

from sifa.cases import services
from sifa.cases.models import Case

from .matrix import ADMINS, CASE_ROLES, ID_A, MISSING_PK, PHONE_A, REVEALERS, ROLES, WRITERS, World, assert_like_missing, body, snapshot
from .matrix import world as world

pytestmark = pytest.mark.django_db

MISSING_CODE = "359901ZZ2026999999X"


def _pk(case):
    return case.pk if case is not None else MISSING_PK


def _party(w: World, case):
    return w.party(case).pk if case is not None else MISSING_PK


@dataclass
class Route:
    name: str
    method: str
    url: Callable[[World, Case | None], str]
    expect: Callable[[str], int]
    data: Callable[[World, Case], dict] | None = None
    changes: bool = False  # a success changes the record
    api: bool = False
    prepare: Callable[[World, Case], None] | None = None

    def call(self, client, w, case):
        url = self.url(w, case)
        data = self.data(w, case) if (self.data and case is not None) else (self.data(w, w.a) if self.data else {})
        if self.method == "get":
            return client.get(url)
        if self.api:
            return client.post(url, data, content_type="application/json")
        return client.post(url, data)


def read(role):
    return 404 if role in ADMINS else 200


def write(ok: int, refused: int = 403):
    return lambda role: 404 if role in ADMINS else (ok if role in WRITERS else refused)


def reveal(role):
    return 404 if role in ADMINS else (200 if role in REVEALERS else 403)


def _deleted(w, case):
    services.soft_delete(case.handler, case, reason="测试删除")


ROUTES = [
    Route("cases:detail", "get", lambda w, c: reverse("cases:detail", args=[_pk(c)]), read),
    Route("cases:qr", "get", lambda w, c: reverse("cases:qr", args=[_pk(c), "png"]), read),
    Route("cases:qr", "get", lambda w, c: reverse("cases:qr", args=[_pk(c), "svg"]), read),
    Route("cases:document", "get", lambda w, c: reverse("cases:document", args=[_pk(c), "notice"]), read),
    Route("cases:edit", "get", lambda w, c: reverse("cases:edit", args=[_pk(c)]), write(200)),
    Route("cases:assign", "get", lambda w, c: reverse("cases:assign", args=[_pk(c)]), write(200)),
    Route("cases:delete", "get", lambda w, c: reverse("cases:delete", args=[_pk(c)]), write(200)),
    Route("cases:party_add", "get", lambda w, c: reverse("cases:party_add", args=[_pk(c)]), write(200)),
    Route("cases:party_edit", "get", lambda w, c: reverse("cases:party_edit", args=[_pk(c), _party(w, c)]), write(200)),
    Route("cases:transition", "get", lambda w, c: reverse("cases:transition", args=[_pk(c), "accept"]), read),
    Route(
        "cases:transition",
        "post",
        lambda w, c: reverse("cases:transition", args=[_pk(c), "accept"]),
        write(302),
        data=lambda w, c: {"on": c.opened_on.isoformat(), "version": c.version, "reason": ""},
        changes=True,
    ),
    Route(
        "cases:edit",
        "post",
        lambda w, c: reverse("cases:edit", args=[_pk(c)]),
        write(302),
        data=lambda w, c: {"title": "改过的标题", "summary": "", "version": c.version},
        changes=True,
    ),
    Route(
        "cases:assign",
        "post",
        lambda w, c: reverse("cases:assign", args=[_pk(c)]),
        write(302),
        # Someone who sees every own case of the matrix (section staff of all lines).
        data=lambda w, c: {"user": w.users.staff.pk, "role": "assistant"},
        changes=True,
    ),
    Route(
        "cases:delete",
        "post",
        lambda w, c: reverse("cases:delete", args=[_pk(c)]),
        write(302),
        data=lambda w, c: {"reason": "重复登记", "version": c.version},
        changes=True,
    ),
    # Restore answers with a redirect either way (back to the recycle bin with the refusal message).
    Route("cases:restore", "post", lambda w, c: reverse("cases:restore", args=[_pk(c)]), write(302, 302), changes=True, prepare=_deleted),
    Route(
        "cases:party_add",
        "post",
        lambda w, c: reverse("cases:party_add", args=[_pk(c)]),
        write(302),
        data=lambda w, c: {"role": "respondent", "kind": "natural", "name": "赵六", "phone": "13700001111"},
        changes=True,
    ),
    Route(
        "cases:party_edit",
        "post",
        lambda w, c: reverse("cases:party_edit", args=[_pk(c), _party(w, c)]),
        write(302),
        data=lambda w, c: {"role": "applicant", "kind": "natural", "name": "张三丰"},
        changes=True,
    ),
    Route(
        "cases:party_delete",
        "post",
        lambda w, c: reverse("cases:party_delete", args=[_pk(c), _party(w, c)]),
        write(302, 302),
        data=lambda w, c: {"reason": "误录"},
        changes=True,
    ),
    Route("cases:party_reveal", "post", lambda w, c: reverse("cases:party_reveal", args=[_party(w, c), "id_number"]), reveal),
    Route("api:cases-detail", "get", lambda w, c: reverse("api:cases-detail", args=[_pk(c)]), read, api=True),
    Route("api:cases-by-code", "get", lambda w, c: reverse("api:cases-by-code", args=[c.code if c else MISSING_CODE]), read, api=True),
    Route("api:cases-timeline", "get", lambda w, c: reverse("api:cases-timeline", args=[_pk(c)]), read, api=True),
    Route(
        "api:cases-transition",
        "post",
        lambda w, c: reverse("api:cases-transition", args=[_pk(c), "accept"]),
        write(200),
        data=lambda w, c: {"version": c.version},
        changes=True,
        api=True,
    ),
    Route("api:parties-reveal", "post", lambda w, c: reverse("api:parties-reveal", args=[_party(w, c), "phone"]), reveal, api=True),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method}-{r.name}")
def test_case_route_matrix(world, client_for, role, route):
    client = client_for(world.user(role))
    own, other = world.own[role], world.other[role]
    for case in (own, other):
        if route.prepare:
            route.prepare(world, case)
    # Another office's record: exactly like a missing one, and nothing changes.
    before_other = snapshot(other)
    assert_like_missing(route.call(client, world, other), route.call(client, world, None))
    assert snapshot(other) == before_other
    # The role's own record.
    before = snapshot(own)
    resp = route.call(client, world, own)
    expected = route.expect(role)
    assert resp.status_code == expected, (route.name, role, resp.status_code, resp.content[:300])
    changed = snapshot(own) != before
    assert changed is (route.changes and role in WRITERS), (route.name, role)
    text = body(resp)
    if resp.status_code in (400, 403):
        # A refusal explains itself in Chinese.
        assert "您的角色" in text or "无权" in text
    if route.name in ("cases:party_reveal", "api:parties-reveal"):
        secret = ID_A if route.name == "cases:party_reveal" else PHONE_A
        if own.pk == world.a.pk:
            assert (secret in text) is (expected == 200)


def _codes(resp) -> str:
    return resp.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_own_records_and_never_another_offices(world, client_for, role):
    client = client_for(world.user(role))
    own, other = world.own[role], world.other[role]
    for name in ("cases:list", "cases:recycle_bin"):
        resp = client.get(reverse(name))
        assert resp.status_code == (404 if role in ADMINS else 200)
        if resp.status_code == 200:
            assert other.code not in _codes(resp)
            if name == "cases:list":
                assert own.code in _codes(resp)
    for name in ("home", "cases:home"):
        resp = client.get(reverse(name))
        assert resp.status_code == 200
        assert other.code not in _codes(resp)
    if role in ("office_a", "office_b"):
        assert own.code in _codes(client.get(reverse("home")))  # “我的在办案件”
    api = client.get(reverse("api:cases-list"))
    assert api.status_code == 200
    codes = {row["code"] for row in api.json()["results"]}
    assert other.code not in codes
    assert (own.code in codes) is (role in CASE_ROLES)
    types = client.get(reverse("api:cases-types"))
    assert types.status_code == 200 and any(t["letters"] == "ZZ" for t in types.json())


@pytest.mark.parametrize("role", ROLES)
def test_recycle_bin_lists_own_deleted_cases_only(world, client_for, role):
    services.soft_delete(world.users.office_a, world.a, reason="误录")
    services.soft_delete(world.users.office_b, world.b, reason="误录")
    services.soft_delete(world.users.other_office, world.x, reason="误录")
    resp = client_for(world.user(role)).get(reverse("cases:recycle_bin"))
    if role in ADMINS:
        assert resp.status_code == 404
        return
    text = _codes(resp)
    assert world.own[role].code in text and world.other[role].code not in text


@pytest.mark.parametrize("role", ROLES)
def test_qr_address_routes_staff_to_the_case_and_others_like_a_missing_code(world, client_for, role):
    client = client_for(world.user(role))
    own, other = world.own[role], world.other[role]
    r_other = client.get(reverse("case_by_code", args=[other.code]))
    r_missing = client.get(reverse("case_by_code", args=[MISSING_CODE]))
    assert r_other.status_code == r_missing.status_code
    assert r_other.get("Location", "").replace(other.code, "X") == r_missing.get("Location", "").replace(MISSING_CODE, "X")
    if r_other.status_code == 404:
        assert body(r_other) == body(r_missing)
    r_own = client.get(reverse("case_by_code", args=[own.code.lower()]))
    if role in CASE_ROLES:
        assert r_own.status_code == 302 and r_own["Location"] == reverse("cases:detail", args=[own.pk])
    else:
        assert r_own.status_code == r_missing.status_code


def test_qr_address_for_someone_signed_out(client, world):
    resp = client.get(reverse("case_by_code", args=[world.a.code]))
    assert resp.status_code == 302
    try:
        expected = reverse("portal:track")
    except NoReverseMatch:
        expected = reverse("accounts:login")
    assert resp["Location"].startswith(expected)


def test_signed_out_requests_go_to_login_or_401(client, world):
    for name, args in (("cases:list", []), ("cases:detail", [world.a.pk]), ("deadlines:list", []), ("attachments:download", [world.attachment(world.a).pk])):
        resp = client.get(reverse(name, args=args))
        assert resp.status_code == 302 and reverse("accounts:login") in resp["Location"]
    resp = client.get(reverse("api:cases-detail", args=[world.a.pk]))
    assert resp.status_code in (401, 403)
    assert world.a.code not in resp.content.decode()
