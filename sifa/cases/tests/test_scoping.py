"""visible_to / access_case: the SECURITY.md table, role by role."""

import pytest
from django.http import Http404

from sifa.audit.models import AuditEntry
from sifa.cases import selectors, services

from .factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(orgs, users):
    a = make_case(users.office_a, orgs.office_a, title="A所案件")
    b = make_case(users.office_b, orgs.office_b, title="B所案件")
    # A mediator registers only mediation disputes; this test-line case stands for one (registered as theirs).
    committee = make_case(users.mediator_a, orgs.committee_a, title="A调委会案件", check_access=False)
    unassigned = make_case(users.office_a, orgs.committee_a, title="A调委会未指派")
    other = make_case(users.other_office, orgs.other_office, title="邻区案件")
    return {"a": a, "b": b, "committee": committee, "unassigned": unassigned, "other": other}


EXPECTED = {
    "leader": {"a", "b", "committee", "unassigned"},
    "staff": {"a", "b", "committee", "unassigned"},
    "staff_other_line": set(),
    "office_a": {"a", "committee", "unassigned"},
    "office_b": {"b"},
    "mediator_a": {"committee"},
    "mediator_a2": set(),
    "lawyer": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditor": set(),
    "other_office": {"other"},
    "other_leader": {"other"},
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_visibility_matrix(cases, users, who):
    user = getattr(users, who)
    seen = set(selectors.visible_to(user).values_list("pk", flat=True))
    expected = {cases[k].pk for k in EXPECTED[who]}
    assert seen == expected
    for key, case in cases.items():
        if key in EXPECTED[who]:
            assert selectors.access_case(user, case.pk) == case
        else:
            with pytest.raises(Http404):
                selectors.access_case(user, case.pk)


def test_refused_access_is_audited_but_missing_is_not(cases, users):
    with pytest.raises(Http404):
        selectors.access_case(users.office_b, cases["a"].pk)
    with pytest.raises(Http404):
        selectors.access_case(users.office_b, 99999999)
    refusals = AuditEntry.objects.filter(action="case.access", result="refused")
    assert refusals.count() == 1 and refusals.get().object_id == str(cases["a"].pk)


def test_assignment_opens_a_case_to_a_mediator_and_a_lawyer(cases, users):
    services.assign(users.office_a, cases["unassigned"], users.mediator_a2, role="mediator")
    assert selectors.access_case(users.mediator_a2, cases["unassigned"].pk)
    services.assign(users.office_a, cases["a"], users.lawyer, role="lawyer")
    assert set(selectors.visible_to(users.lawyer).values_list("pk", flat=True)) == {cases["a"].pk}


def test_sealed_case_only_for_those_assigned(cases, users):
    from sifa.cases.models import Case

    Case.objects.filter(pk=cases["a"].pk).update(is_sealed=True, handler=users.office_a)
    assert selectors.visible_to(users.office_a).filter(pk=cases["a"].pk).exists()
    for who in ("leader", "staff"):
        assert not selectors.visible_to(getattr(users, who)).filter(pk=cases["a"].pk).exists()


def test_deleted_cases_leave_every_list(cases, users):
    services.soft_delete(users.office_a, cases["a"], reason="误录")
    assert not selectors.visible_to(users.leader).filter(pk=cases["a"].pk).exists()
    assert selectors.visible_to(users.office_a, include_deleted=True).filter(pk=cases["a"].pk).exists()
    assert not selectors.visible_to(users.office_b, include_deleted=True).filter(pk=cases["a"].pk).exists()


def test_search_by_code_name_pinyin_and_id(orgs, users):
    c = make_case(users.office_a, orgs.office_a, parties=[{"name": "张三", "id_number": "11010519491231002X"}, {"name": "李小明"}])
    make_case(users.office_a, orgs.office_a, parties=[{"name": "王五"}])
    u = users.office_a
    assert list(selectors.search(u, c.code)) == [c]
    assert list(selectors.search(u, c.code[:12])) and c in selectors.search(u, c.code[:12])
    assert list(selectors.search(u, "张三")) == [c]
    assert list(selectors.search(u, "zs")) == [c]
    assert list(selectors.search(u, "ZS")) == [c]
    assert list(selectors.search(u, "lixiaoming")) == [c]
    assert list(selectors.search(u, "11010519491231002x")) == [c]
    # The 15-digit legacy form of the same number finds the same person.
    assert list(selectors.search(u, "110105491231002")) == [c]
    assert list(selectors.search(u, "110105491231003")) == []
    assert list(selectors.search(users.office_b, "张三")) == []
