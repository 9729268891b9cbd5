"""Three kinds of period (kit.deadlines): the organ's duty can be 超期; a
party's right is information only and never overdue; a party's duty is never
the organ's 超期 either, but once it lapses it becomes the organ's to-do (待处理).
On the test line: 异议期 (right, 10 days) and 补充材料 (duty, 5 working days)
both start at 受理; 记录 fulfils the duty."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from sifa.cases import services as case_services
from sifa.cases.models import Case
from sifa.cases.tests.factories import make_case
from sifa.deadlines import selectors
from sifa.deadlines.models import Deadline, Kind

pytestmark = pytest.mark.django_db
D = date


def _accepted(users, orgs, on=D(2026, 3, 2)):
    case = make_case(users.office_a, orgs.office_a, opened_on=on)
    case_services.transition(users.office_a, case, "accept", on=on)
    return case


def test_a_partys_periods_are_never_overdue_for_the_organ(users, orgs):
    case = _accepted(users, orgs)
    right, duty = Deadline.objects.get(case=case, key="objection"), Deadline.objects.get(case=case, key="materials")
    assert (right.kind, duty.kind) == (Kind.RIGHT, Kind.DUTY)
    assert (right.due_date, duty.due_date) == (D(2026, 3, 12), D(2026, 3, 9))
    # Long after both lapsed: neither is 超期, neither sets the case's 最近期限, neither is in the overdue lists.
    assert selectors.light(right, D(2026, 3, 5)) == selectors.RIGHT and selectors.light(right, D(2026, 6, 1)) == selectors.LAPSED
    assert selectors.light(duty, D(2026, 3, 5)) == selectors.WAITING and selectors.light(duty, D(2026, 6, 1)) == selectors.TODO
    assert Case.all_objects.get(pk=case.pk).next_due == Deadline.objects.get(case=case, key="decide").due_date
    overdue_keys = set(selectors.overdue(users.office_a, D(2026, 6, 1)).filter(case=case).values_list("key", flat=True))
    assert overdue_keys == {"decide"}
    # The dashboard's one-pass counts are the two lists' counts, on any day (the party's periods left out).
    decide = Deadline.objects.get(case=case, key="decide").due_date
    for day in (D(2026, 3, 5), decide - timedelta(days=1), decide, decide + timedelta(days=1), D(2026, 6, 1)):
        lists = {"overdue": selectors.overdue, "due_soon": selectors.due_soon}
        got = selectors.counts(users.office_a, day, within=orgs.office_a)
        assert got == {k: f(users.office_a, day, within=orgs.office_a).count() for k, f in lists.items()}
    assert selectors.counts(users.office_a, D(2026, 6, 1), within=orgs.office_a)["overdue"] == 1


def test_a_lapsed_duty_is_a_todo_until_fulfilled(users, orgs, client_for):
    case = _accepted(users, orgs)  # the duty lapsed on 2026-03-09
    assert [d.key for d in selectors.todos(users.office_a)] == ["materials"]
    assert not selectors.todos(users.office_b).exists()  # another office's case is not theirs to do
    bell = selectors.bell_count(users.office_a)
    page = client_for(users.office_a).get(reverse("cases:detail", args=[case.pk]) + "?tab=deadlines").content.decode()
    assert "待处理" in page and "当事人" in page
    case_services.transition(users.office_a, case, "note")
    assert not selectors.todos(users.office_a).exists() and selectors.bell_count(users.office_a) == bell - 1
