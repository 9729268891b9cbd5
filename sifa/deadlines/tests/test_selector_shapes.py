"""The deadline reads in their fast shapes answer what the plain definitions
answer: ``mine`` (the bell, the home page) and the panels ``within`` an org."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sifa.cases import selectors as case_selectors
from sifa.cases import services as case_services
from sifa.cases.choices import AssignmentRole
from sifa.cases.models import Case, CaseAssignment
from sifa.cases.tests.factories import make_case
from sifa.deadlines import selectors
from sifa.deadlines.models import Deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(orgs, users):
    today = timezone.localdate()
    old = today - timedelta(days=30)
    make_case(users.office_a, orgs.office_a, opened_on=old, handler=users.office_a)
    both = make_case(users.office_a, orgs.committee_a, opened_on=old, handler=users.office_a)
    case_services.assign(users.office_a, both, users.office_a, role=AssignmentRole.ASSISTANT)  # handler and assistant
    assisted = make_case(users.office_b, orgs.office_b, opened_on=old, handler=users.office_b)
    # Outside office_a's scope (assign() now refuses it: an assignment from before that rule).
    CaseAssignment.objects.create(case=assisted, user=users.office_a, role=AssignmentRole.ASSISTANT)
    sealed = make_case(users.office_a, orgs.office_a, opened_on=old)
    Case.objects.filter(pk=sealed.pk).update(is_sealed=True)
    deleted = make_case(users.office_a, orgs.office_a, opened_on=old, handler=users.office_a)
    case_services.soft_delete(users.office_a, deleted, reason="误录")
    make_case(users.office_a, orgs.office_a, opened_on=today, handler=users.office_a)  # not due yet
    make_case(users.mediator_a, orgs.committee_a, opened_on=old, check_access=False)
    make_case(users.other_office, orgs.other_office, opened_on=old)
    return {"both": both}


def _reference_mine(user):
    """mine() as an OR across the assignments join, made distinct."""
    today = timezone.localdate()
    return set(
        selectors.open_for(user)
        .filter(Q(case__handler=user) | Q(case__assignments__user=user, case__assignments__active=True))
        .filter(due_date__lte=selectors.soon_threshold(today))
        .values_list("pk", flat=True)
        .distinct()
    )


@pytest.mark.parametrize("who", ("office_a", "office_b", "mediator_a", "leader", "lawyer", "other_office", "sysadmin"))
def test_mine_is_the_handled_or_assigned_open_deadlines(world, users, who):
    user = getattr(users, who)
    got = list(selectors.mine(user).values_list("pk", flat=True))
    assert len(got) == len(set(got))  # each deadline once, without DISTINCT
    assert set(got) == _reference_mine(user)
    waiting = case_selectors.intake(user).count() if case_selectors.may_take(user) else 0  # 待认领 rings too
    assert selectors.bell_count(user) == (len(got) + waiting if who != "sysadmin" else 0)


def test_a_case_both_handled_and_assigned_rings_once(world, users):
    assert selectors.mine(users.office_a).filter(case=world["both"]).count() == Deadline.objects.filter(case=world["both"], completed_on__isnull=True).count()


@pytest.mark.parametrize("who", ("leader", "office_a", "mediator_a", "staff"))
def test_panels_within_an_org_are_the_visible_ones_under_it(world, orgs, users, who):
    user = getattr(users, who)
    for org in (orgs.bureau, orgs.office_a, orgs.committee_a, orgs.office_b):
        for fn in (selectors.overdue, selectors.due_soon, selectors.open_for):
            ref = set(
                Deadline.objects.filter(
                    case__in=case_selectors.visible_to(user),
                    case__org_path__startswith=org.path,
                    completed_on__isnull=True,
                    cancelled=False,
                    paused_since__isnull=True,
                )
                .filter(pk__in=fn(user).values("pk"))
                .values_list("pk", flat=True)
            )
            assert set(fn(user, within=org).values_list("pk", flat=True)) == ref


def test_bell_query_count_does_not_grow(world, orgs, users):
    selectors.bell_count(users.office_a)
    with CaptureQueriesContext(connection) as small:
        selectors.bell_count(users.office_a)
    for _ in range(3):
        make_case(users.office_a, orgs.office_a, opened_on=timezone.localdate() - timedelta(days=40), handler=users.office_a)
    with CaptureQueriesContext(connection) as large:
        n = selectors.bell_count(users.office_a)
    # The user's deadlines (with their cases by one subquery) and the intake list's count.
    assert len(small.captured_queries) == len(large.captured_queries) <= 3
    assert n >= 5
