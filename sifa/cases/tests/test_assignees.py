"""Who may be made a case's handler (承办人) or be assigned to it (issue 20, item 8):
only people who would see the case. Before, the page offered every user of the
bureau, so an office clerk could hand a case to another office's user who could
not open it. The rule (``cases.assignees``) is checked against ``visible_to`` for
every role, so the two cannot drift apart; refusals are audited and change nothing,
on the page and in the API."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sifa.accounts.roles import HANDLE, REPORT, SEE_CASES
from sifa.accounts.tests.factories import UserFactory
from sifa.audit.models import AuditEntry
from sifa.cases import assignees, selectors, services
from sifa.cases.models import Case, CaseAssignment
from sifa.common.errors import DomainError, PermissionRefused
from sifa.kit import registry

from .factories import make_case
from .matrix import ADMINS, ROLES, WRITERS, assert_like_missing, snapshot
from .matrix import world as world

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(orgs, users):
    """The fixture's users plus one of each line's own roles, and someone inactive."""
    extra = {
        "corrector_a": UserFactory(username="corrector_a", role="correction_officer", org=orgs.office_a),
        "resettler_a": UserFactory(username="resettler_a", role="resettlement_officer", org=orgs.office_a),
        "clerk_a": UserFactory(username="clerk_a", role="test_clerk", org=orgs.office_a),
        "clerk_b_a": UserFactory(username="clerk_b_a", role="test_clerk_b", org=orgs.office_a),
        "aid_staff": UserFactory(username="aid_staff", role="aid_staff", org=orgs.legal_aid),
        "operator": UserFactory(username="operator", role="hotline_operator", org=orgs.bureau),
        "gone_a": UserFactory(username="gone_a", role="office", org=orgs.office_a, is_active=False),
    }
    return {name: getattr(users, name) for name in vars(users)} | extra


@pytest.fixture
def cases(orgs, users):
    out = {
        "office_a": make_case(users.office_a, orgs.office_a, title="A所案件"),
        "office_b": make_case(users.office_b, orgs.office_b, title="B所案件"),
        "committee_a": make_case(users.office_a, orgs.committee_a, title="A调委会案件"),
        "bureau": make_case(users.staff, orgs.bureau, title="局本级案件"),
        "line_b": make_case(users.office_a, orgs.office_a, title="另一条线", case_type="testline_b"),
        "correction": make_case(users.office_a, orgs.office_a, title="矫正对象"),
        "sealed": make_case(users.office_a, orgs.office_a, title="未成年人案件"),
        "other_bureau": make_case(users.other_office, orgs.other_office, title="邻区案件"),
    }
    Case.objects.filter(pk=out["sealed"].pk).update(is_sealed=True)
    # A restricted line's case (社区矫正): only its type matters to who sees it.
    Case.objects.filter(pk=out["correction"].pk).update(case_type="correction")
    for case in out.values():
        case.refresh_from_db()
    return out


def _sees_once_assigned(user, case) -> bool:
    """The reference: assign for real (rolled back) and ask ``visible_to``."""
    spec = registry.role(user.role)
    if spec is None or SEE_CASES not in spec.caps or not spec.caps & {HANDLE, REPORT}:
        return False  # readers and administrators are never handlers
    if not user.org.path.startswith(case.bureau.path):
        return False  # never someone of another bureau
    sid = transaction.savepoint()
    try:
        CaseAssignment.objects.create(case=case, user=user, role="assistant")
        user.__dict__.pop("_sifa_shared", None)
        return selectors.visible_to(user).filter(pk=case.pk).exists()
    finally:
        transaction.savepoint_rollback(sid)


def test_candidates_are_exactly_those_who_would_see_the_case(people, cases):
    for key, case in cases.items():
        expected = {name for name, u in people.items() if _sees_once_assigned(u, case)}
        got = {u.username for u in assignees.assignable_users(case)}
        assert got == {people[n].username for n in expected}, key
        for name, u in people.items():
            assert assignees.may_be_assigned(case, u) is (name in expected), (key, name)


def test_the_rule_reads_as_the_security_table_says(people, cases):
    names = lambda case: {u.username for u in assignees.assignable_users(case)}  # noqa: E731
    own = names(cases["office_a"])
    assert {"office_a", "staff", "clerk_a", "lawyer"} <= own
    assert not own & {"office_b", "other_office", "leader", "stat_admin", "sysadmin", "mediator_a", "gone_a", "staff_x", "clerk_b_a"}
    assert "mediator_a" in names(cases["committee_a"]) and "mediator_a" not in names(cases["office_b"])
    # A restricted line (社区矫正): its own officers and the section, never the office's general staff.
    assert {"corrector_a", "staff"} <= names(cases["correction"]) and "office_a" not in names(cases["correction"])
    assert names(cases["other_bureau"]) == {"other_office"}


def test_candidates_take_a_fixed_number_of_queries(orgs, users, cases):
    case = Case.objects.get(pk=cases["office_a"].pk)
    with CaptureQueriesContext(connection) as few:
        list(assignees.assignable_users(case))
    for _ in range(15):
        UserFactory(role="office", org=orgs.office_a)
        UserFactory(role="section", org=orgs.bureau, lines=["testline"])
    case = Case.objects.get(pk=case.pk)
    with CaptureQueriesContext(connection) as many:
        found = list(assignees.assignable_users(case))
        [u.org.name for u in found]  # the page shows each one's organisation
    assert len(many) == len(few) <= 3


@pytest.mark.parametrize("target", ["office_b", "other_office", "leader", "sysadmin", "mediator_a", "gone_a"])
def test_service_refuses_someone_who_cannot_see_the_case(people, cases, target):
    case = cases["office_a"]
    before = snapshot(case)
    refusals = AuditEntry.objects.filter(action="case.assign", result="refused").count()
    with pytest.raises(DomainError) as exc:
        services.assign(people["office_a"], case, people[target], make_handler=True, reason="试图越权")
    why = {"leader": "不办理案件", "sysadmin": "不办理案件", "gone_a": "已停用"}.get(target, "无权查看本案")
    assert exc.value.field == "user" and "被指派人员" in exc.value.message and why in exc.value.message
    assert snapshot(case) == before
    assert Case.objects.get(pk=case.pk).handler_id == people["office_a"].pk
    entry = AuditEntry.objects.filter(action="case.assign", result="refused").order_by("-id").first()
    assert AuditEntry.objects.filter(action="case.assign", result="refused").count() == refusals + 1
    assert entry.object_id == str(case.pk) and entry.detail["user"] == people[target].username


def test_service_assigns_someone_who_can(people, cases):
    case = cases["committee_a"]
    services.assign(people["office_a"], case, people["mediator_a"], role="mediator", make_handler=True)
    case.refresh_from_db()
    assert case.handler == people["mediator_a"] and selectors.access_case(people["mediator_a"], case.pk) == case
    # A reader asking is refused as before (403), whoever the assignee.
    with pytest.raises(PermissionRefused):
        services.assign(people["leader"], case, people["office_a"])


def test_assign_page_offers_only_those_who_can_see_the_case(people, cases, client_for):
    case = cases["office_a"]
    client = client_for(people["office_a"])
    url = reverse("cases:assign", args=[case.pk])
    page = client.get(url).content.decode()
    offered = {u.pk for u in assignees.assignable_users(case)}
    for name, u in people.items():
        assert (f'<option value="{u.pk}">' in page) is (u.pk in offered), name
    assert people["office_b"].pk not in offered
    # A forged post naming another office's user: refused, explained, audited, nothing changed.
    before = snapshot(case)
    resp = client.post(url, {"user": str(people["office_b"].pk), "role": "handler", "make_handler": "1"})
    assert resp.status_code == 400 and "被指派人员" in resp.content.decode() and "无权查看本案" in resp.content.decode()
    assert snapshot(case) == before
    assert AuditEntry.objects.filter(action="case.assign", result="refused", object_id=str(case.pk)).exists()
    resp = client.post(url, {"user": str(people["staff"].pk), "role": "handler", "make_handler": "1"})
    assert resp.status_code == 302 and Case.objects.get(pk=case.pk).handler == people["staff"]


def test_api_lists_and_assigns_with_the_same_rule(people, cases, client_for):
    case = cases["office_a"]
    client = client_for(people["office_a"])
    url = reverse("api:cases-assignees", args=[case.pk])
    rows = client.get(url).json()
    assert {r["id"] for r in rows} == {u.pk for u in assignees.assignable_users(case)}
    assert all(r["name"] and r["org"] and r["role_label"] for r in rows)
    before = snapshot(case)
    for body, word in (
        ({"user": people["office_b"].pk, "make_handler": True}, "无权查看本案"),
        ({"user": people["other_office"].pk}, "无权查看本案"),
        ({"user": 987654321}, "不存在"),
        ({"user": int("9" * 25)}, ""),
        ({"user": "abc"}, ""),
        ({"user": people["staff"].pk, "role": "boss"}, "分工"),
    ):
        resp = client.post(url, body, content_type="application/json")
        assert resp.status_code == 400, (body, resp.content)
        assert word in resp.content.decode()
    assert snapshot(case) == before
    resp = client.post(url, {"user": people["staff"].pk, "make_handler": True, "reason": "交科室办理"}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["handler"] == people["staff"].display_name


@pytest.mark.parametrize("role", ROLES)
def test_api_assignees_route_for_every_role(world, client_for, role):
    client = client_for(world.user(role))
    own, other = world.own[role], world.other[role]

    def url(case):
        return reverse("api:cases-assignees", args=[case.pk if case else 987654321])

    for method, body in (("get", None), ("post", {"user": world.users.staff.pk, "role": "assistant"})):

        def call(case, method=method, body=body):
            return client.post(url(case), body, content_type="application/json") if method == "post" else client.get(url(case))

        before = snapshot(other)
        assert_like_missing(call(other), call(None))
        assert snapshot(other) == before
        before = snapshot(own)
        resp = call(own)
        expected = 404 if role in ADMINS else 200 if role in WRITERS else 403
        assert resp.status_code == expected, (method, resp.content[:200])
        assert (snapshot(own) != before) is (method == "post" and expected == 200)
