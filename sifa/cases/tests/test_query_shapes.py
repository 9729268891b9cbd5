"""The fast query shapes of scoping and search answer exactly what the plain
definitions answer (benchmarks/ measures the speed; this checks the rows):
``visible_q`` through a relation and with ``within`` against ``visible_to``,
``search`` against the OR of its conditions."""

import pytest
from django.db.models import Exists, OuterRef, Q

from sifa.cases import selectors, services
from sifa.cases.models import Case, Party
from sifa.deadlines.models import Deadline

from .factories import make_case

pytestmark = pytest.mark.django_db

WHO = ("leader", "staff", "staff_other_line", "office_a", "office_b", "mediator_a", "mediator_a2", "lawyer", "sysadmin", "other_office", "other_leader")


@pytest.fixture
def world(orgs, users):
    a = make_case(users.office_a, orgs.office_a, title="A所邻里纠纷", parties=[{"name": "张三"}, {"name": "李小明"}])
    make_case(users.office_b, orgs.office_b, title="B所Zhang案", parties=[{"name": "张三丰"}])
    committee = make_case(users.mediator_a, orgs.committee_a, title="调委会100%案_", parties=[{"name": "王五"}], check_access=False)
    sealed = make_case(users.office_a, orgs.committee_a, title="封存案件", parties=[{"name": "赵六"}])
    deleted = make_case(users.office_a, orgs.office_a, title="误录案件", parties=[{"name": "张三"}])
    make_case(users.other_office, orgs.other_office, title="邻区张三案", parties=[{"name": "孙七"}])
    make_case(users.staff, orgs.bureau, title="局本级案件", parties=[{"name": "周八"}])
    services.assign(users.office_a, a, users.lawyer, role="lawyer")
    services.assign(users.office_a, sealed, users.mediator_a2, role="mediator")
    Case.objects.filter(pk=sealed.pk).update(is_sealed=True)
    services.soft_delete(users.office_a, deleted, reason="误录")
    return {"a": a, "committee": committee, "sealed": sealed}


@pytest.mark.parametrize("who", WHO)
def test_visible_q_through_a_relation_is_visible_to(world, users, who):
    user = getattr(users, who)
    cond = selectors.visible_q(user, "case__")
    for model in (Party, Deadline):
        reference = set(model.objects.filter(case__in=selectors.visible_to(user)).values_list("pk", flat=True))
        got = set() if cond is None else set(model.objects.filter(cond, case__is_deleted=False).values_list("pk", flat=True))
        assert got == reference, model


@pytest.mark.parametrize("who", WHO)
def test_within_is_the_subtree_of_what_the_user_sees(world, orgs, users, who):
    user = getattr(users, who)
    for org in (orgs.bureau, orgs.office_a, orgs.committee_a, orgs.office_b, orgs.other_office, orgs.other_bureau):
        reference = set(selectors.visible_to(user).filter(org_path__startswith=org.path).values_list("pk", flat=True))
        assert set(selectors.visible_to(user, within=org).values_list("pk", flat=True)) == reference, org.name


def _reference_search(user, q):
    """search() as the plain OR of its conditions (before the index-friendly shape)."""
    party = Party.objects.filter(case=OuterRef("pk"))
    cond = Q(title__icontains=q) | Exists(party.filter(name__icontains=q))
    if selectors._INITIALS.match(q):
        cond |= Exists(party.filter(Q(name_initials__startswith=q.lower()) | Q(name_pinyin__startswith=q.lower())))
    return set(selectors.visible_to(user).filter(cond).values_list("pk", flat=True))


@pytest.mark.parametrize("who", ("leader", "office_a", "mediator_a2", "lawyer", "other_leader"))
def test_search_finds_what_the_plain_conditions_find(world, users, who):
    user = getattr(users, who)
    for q in ("张三", "张", "三丰", "zs", "ZS", "zhang", "Zhang", "lxm", "A所", "a所", "100%", "%", "_", "案_", "邻里纠纷", "不存在的词"):
        assert set(selectors.search(user, q).values_list("pk", flat=True)) == _reference_search(user, q), q


def test_search_result_is_each_case_once(world, users):
    # 张三 names a party of case a and is in no title there; two parties of one case match "张".
    found = list(selectors.search(users.leader, "张").values_list("pk", flat=True))
    assert len(found) == len(set(found)) and world["a"].pk in found


def test_search_page_query_count_does_not_grow(orgs, users, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    c = client_for(users.leader)
    make_case(users.office_a, orgs.office_a, parties=[{"name": "张三"}])
    c.get(reverse("home"))  # warm the calendar cache

    def count():
        counts = []
        for q in ("张三", "zs", "张"):
            with CaptureQueriesContext(connection) as ctx:
                assert c.get(reverse("cases:list"), {"q": q}).status_code == 200
            counts.append(len(ctx))
        return counts

    few = count()
    for i in range(32):
        make_case(users.office_a if i % 2 else users.office_b, orgs.office_a if i % 2 else orgs.office_b, title=f"张三案{i}", parties=[{"name": "张三"}])
    c.get(reverse("home"))  # the new cases' clocks start a new count of the bell (deadlines.selectors.frame_bell_count)
    assert count() == few
