"""A case changing hands and reaching beyond its owner (``cases.movement``), on the
test line: the intake list, transfer, sharing, hand-over to another line, and a
role limited to one line. Every refusal changes nothing; another office's case
answers like a missing one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sifa.cases import movement, selectors, services
from sifa.cases.models import Case, CaseEvent, CaseLink, CaseShare
from sifa.common.errors import Conflict, DomainError, PermissionRefused
from sifa.deadlines import selectors as dl

from .factories import make_case
from .matrix import ADMINS, ROLES, assert_like_missing, snapshot
from .matrix import world as world
from .testline.line import KEY_B

pytestmark = pytest.mark.django_db
TAKERS = {"staff", "office_a", "office_b"}  # handle cases and are not given them by assignment


def _unhandled(orgs, org=None, title="网上申请的案件"):
    """A case nobody handles yet, as the portal registers one."""
    return services.create_case(None, case_type="testline", owner_org=org or orgs.office_a, title=title, parties=[{"name": "赵六"}], check_access=False)


def _client(client_for, user):
    return client_for(user)


# --- the intake list ---------------------------------------------------------------------------------


def test_an_unhandled_case_waits_in_the_intake_list_until_someone_takes_it(orgs, users, client_for):
    case = _unhandled(orgs)
    assert list(selectors.intake(users.office_a)) == [case] and selectors.intake(users.staff).filter(pk=case.pk).exists()
    assert not selectors.intake(users.office_b).exists() and not selectors.intake(users.mediator_a).exists()
    page = client_for(users.office_a).get(reverse("cases:intake")).content.decode()
    assert case.code in page and 'data-testid="intake-count">1<' in page
    assert 'data-testid="menu-badge">1<' in client_for(users.office_a).get(reverse("cases:home")).content.decode()
    r = client_for(users.office_a).post(reverse("cases:take", args=[case.pk]))
    assert r.status_code == 302 and Case.objects.get(pk=case.pk).handler == users.office_a
    assert not selectors.intake(users.office_a).exists() and case.code not in client_for(users.office_a).get(reverse("cases:intake")).content.decode()
    before = snapshot(case)
    with pytest.raises(Conflict):
        movement.take(users.staff, case)
    assert snapshot(case) == before


@pytest.mark.parametrize("role", ROLES)
def test_intake_routes_for_every_role(world, client_for, role, orgs):
    user = world.user(role)
    own = _unhandled(orgs, org=orgs.office_b if role == "office_b" else orgs.office_a)
    other = _unhandled(orgs, org=orgs.other_office, title="邻区网上申请")
    c = client_for(user)
    assert c.get(reverse("cases:intake")).status_code == (200 if role in TAKERS else 404)
    api = c.get(reverse("api:cases-intake"))
    assert api.status_code == 200 and {x["code"] for x in api.json()["results"]} == ({own.code} if role in TAKERS else set())
    # Taking another bureau's case: like a missing one, nothing changes.
    before = snapshot(other)
    assert_like_missing(c.post(reverse("api:cases-take", args=[other.pk])), c.post(reverse("api:cases-take", args=[987654321])))
    assert_like_missing(c.post(reverse("cases:take", args=[other.pk])), c.post(reverse("cases:take", args=[987654321])))
    assert snapshot(other) == before
    before = snapshot(own)
    r = c.post(reverse("api:cases-take", args=[own.pk]))
    if role in TAKERS:
        assert r.status_code == 200 and Case.objects.get(pk=own.pk).handler == user
    else:
        assert r.status_code in (403, 404) and snapshot(own) == before


# --- transfer and sharing ------------------------------------------------------------------------------


def test_a_transferred_case_keeps_its_history_and_lands_in_the_receivers_intake(orgs, users, client_for):
    case = make_case(users.office_a, orgs.office_a)
    services.transition(users.office_a, case, "accept")
    events, code = CaseEvent.objects.filter(case=case).count(), case.code
    r = client_for(users.office_a).post(
        reverse("cases:transfer", args=[case.pk]), {"org": orgs.office_b.pk, "reason": "当事人居住在B所辖区", "keep_sight": "on"}
    )
    assert r.status_code == 302
    moved = Case.objects.get(pk=case.pk)
    assert (moved.owner_org, moved.code, moved.handler, moved.status) == (orgs.office_b, code, None, "accepted")
    assert CaseEvent.objects.filter(case=case).count() == events + 1 and moved.deadlines.filter(key="decide").exists()
    assert list(selectors.intake(users.office_b)) == [moved]
    # The sender keeps a read-only view: no buttons, and a step is refused without changing anything.
    page = client_for(users.office_a).get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200 and "/do/" not in page.content.decode()
    before = snapshot(case)
    refused = client_for(users.office_a).post(reverse("api:cases-transition", args=[case.pk, "note"]), {}, content_type="application/json")
    assert refused.status_code == 403 and "只能查看" in refused.json()["detail"] and snapshot(case) == before
    assert client_for(users.other_office).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_a_transfer_is_refused_to_a_wrong_org_and_changes_nothing(orgs, users):
    case = make_case(users.office_a, orgs.office_a)
    before = snapshot(case)
    for org, reason in ((orgs.committee_a, "x"), (orgs.office_b, " ")):
        with pytest.raises(DomainError):
            movement.transfer(users.office_a, case, org, reason=reason)
    with pytest.raises(PermissionRefused):
        movement.transfer(users.leader, case, orgs.office_b, reason="领导不办理")
    assert snapshot(case) == before and not CaseShare.objects.exists()


def test_a_shared_case_is_read_there_unless_granted(orgs, users, client_for):
    case = make_case(users.office_a, orgs.office_a)
    services.transition(users.office_a, case, "accept")
    assert client_for(users.office_b).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    s = movement.share(users.office_a, case, orgs.office_b, reason="户籍地司法所掌握情况")
    b = client_for(users.office_b)
    page = b.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200 and "/do/" not in page.content.decode()
    assert case.code in b.get(reverse("cases:list")).content.decode()
    before = snapshot(case)
    assert b.post(reverse("api:cases-transition", args=[case.pk, "note"]), {}, content_type="application/json").status_code == 403
    assert snapshot(case) == before
    # Figures and the clocks' lists stay with the owner.
    assert not dl.open_for(users.office_b).filter(case=case).exists() and dl.open_for(users.office_a).filter(case=case).exists()
    assert client_for(users.other_office).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    movement.share(users.office_a, case, orgs.office_b, reason="共同办理", can_write=True)
    assert b.post(reverse("api:cases-transition", args=[case.pk, "note"]), {}, content_type="application/json").status_code == 200
    movement.end_share(users.office_a, s)
    assert b.get(reverse("cases:detail", args=[case.pk])).status_code == 404


# --- hand-over between lines ------------------------------------------------------------------------------


def test_a_case_handed_over_to_another_line_links_both_ways(orgs, users, client_for):
    source = make_case(
        users.office_a, orgs.office_a, parties=[{"name": "张三", "role": "applicant", "id_number": "11010519491231002X", "phone": "13812345678"}]
    )
    a = client_for(users.office_a)
    r = a.post(reverse("cases:handover", args=[source.pk, "to_b"]), {"owner_org": orgs.office_a.pk})
    assert r.status_code == 302
    target = Case.objects.get(case_type=KEY_B)
    assert [(p.name, p.id_number) for p in target.parties.all()] == [("张三", "11010519491231002X")] and target.title == source.title
    assert CaseLink.objects.filter(source=source, target=target, kind="to_b").exists()
    src_page, tgt_page = a.get(reverse("cases:detail", args=[source.pk])).content.decode(), a.get(reverse("cases:detail", args=[target.pk])).content.decode()
    assert target.code in src_page and "办理中" in src_page  # the other side's code and status
    assert source.code in tgt_page
    for case in (source, target):
        assert client_for(users.office_b).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    before = snapshot(source)
    with pytest.raises(Conflict):
        movement.hand_over(users.office_a, source, "to_b", owner_org=orgs.office_a)
    assert snapshot(source) == before and Case.objects.filter(case_type=KEY_B).count() == 1


def test_a_refused_hand_over_creates_nothing(orgs, users, client_for):
    source = make_case(users.office_a, orgs.office_a)
    before = snapshot(source)
    with pytest.raises(PermissionRefused):
        movement.hand_over(users.office_a, source, "to_b", owner_org=orgs.office_b)  # not an org office A may register under
    r = client_for(users.leader).post(reverse("api:cases-handover", args=[source.pk, "to_b"]), {"owner_org": orgs.office_a.pk}, content_type="application/json")
    assert r.status_code == 403
    assert snapshot(source) == before and not Case.objects.filter(case_type=KEY_B).exists() and not CaseLink.objects.exists()


# --- a role limited to one line -----------------------------------------------------------------------------


def test_a_role_limited_to_one_line_never_sees_another_lines_case_in_its_own_office(orgs, users, client_for):
    from sifa.accounts.tests.factories import UserFactory

    clerk = UserFactory(username="clerk_a", role="test_clerk", org=orgs.office_a)
    ours = make_case(users.office_a, orgs.office_a)
    theirs = services.create_case(users.office_a, case_type=KEY_B, owner_org=orgs.office_a, title="乙类", parties=[{"name": "李四"}])
    c = client_for(clerk)
    assert c.get(reverse("cases:detail", args=[ours.pk])).status_code == 200
    routes = [
        reverse("cases:detail", args=[theirs.pk]),
        reverse("cases:qr", args=[theirs.pk, "svg"]),
        reverse("cases:transition", args=[theirs.pk, "close"]),
        reverse("api:cases-detail", args=[theirs.pk]),
        reverse("api:cases-timeline", args=[theirs.pk]),
        reverse("api:cases-by-code", args=[theirs.code]),
        reverse(f"api:{KEY_B}-steps", args=[theirs.pk]),
        reverse("cases:transfer", args=[theirs.pk]),
        reverse("cases:share", args=[theirs.pk]),
    ]
    for url in routes:
        assert c.get(url).status_code == 404, url
    before = snapshot(theirs)
    assert c.post(reverse(f"api:{KEY_B}-step", args=[theirs.pk, "close"]), {"data": {}}, content_type="application/json").status_code == 404
    assert snapshot(theirs) == before
    listed = c.get(reverse("cases:list") + "?q=").content.decode()
    assert ours.code in listed and theirs.code not in listed
    assert not selectors.search(clerk, theirs.code).exists()


@pytest.mark.parametrize("role", sorted(set(ROLES) - ADMINS))
def test_move_pages_for_every_role(world, client_for, role):
    """移送 / 共享 / 移交 pages and their API: writers of the case get the form, readers
    403, and another office's case answers like a missing one."""
    c = client_for(world.user(role))
    own, other = world.own[role], world.other[role]
    writer = role in {"staff", "office_a", "office_b", "mediator_a"}
    for name, args in (("cases:transfer", ()), ("cases:share", ()), ("cases:handover", ("to_b",))):
        assert_like_missing(c.get(reverse(name, args=[other.pk, *args])), c.get(reverse(name, args=[987654321, *args])))
        expected = 200 if writer else 403
        if name == "cases:handover" and role == "mediator_a":
            expected = 403  # a mediator registers no 测试乙类 case
        assert c.get(reverse(name, args=[own.pk, *args])).status_code == expected, (name, role)
    for name, args, body in (("api:cases-transfer", (), {"org": "", "reason": ""}), ("api:cases-share", (), {}), ("api:cases-handover", ("to_b",), {})):
        before = snapshot(other)
        assert_like_missing(
            c.post(reverse(name, args=[other.pk, *args]), body, content_type="application/json"),
            c.post(reverse(name, args=[987654321, *args]), body, content_type="application/json"),
        )
        assert snapshot(other) == before
        before = snapshot(own)
        r = c.post(reverse(name, args=[own.pk, *args]), body, content_type="application/json")
        assert r.status_code in (400, 403) and snapshot(own) == before, (name, role, r.status_code)
    s = CaseShare.objects.create(case=other, org=world.orgs.office_c, org_path=world.orgs.office_c.path, reason="x")
    before = snapshot(other)
    assert c.post(reverse("api:cases-share-end", args=[s.pk])).status_code in (403, 404)
    assert c.post(reverse("cases:share_end", args=[s.pk])).status_code in (302, 404) and CaseShare.objects.get(pk=s.pk).active and snapshot(other) == before
