"""The dashboard's deadline counts (已超期, 即将到期) read from ``DeadlineFact``
(deadlinefacts.py): the same numbers as the live join for the viewers the facts serve,
kept up to date by the worker from the marks, folded each day, checked by stats_verify."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sifa.cases import movement, services
from sifa.cases.models import Case
from sifa.cases.tests.factories import make_case
from sifa.deadlines import selectors as dl
from sifa.deadlines import services as calendar_services
from sifa.deadlines.models import DayKind, Deadline
from sifa.stats import deadlinefacts, rollups
from sifa.stats.models import DeadlineFact, DirtyCase, RollupState
from sifa.stats.selectors import deadlines as panel

pytestmark = pytest.mark.django_db


def _accepted(user, org, days_ago: int) -> Case:
    """A test-line case accepted ``days_ago`` days ago: its 办理期限 (decide) runs."""
    on = timezone.localdate() - timedelta(days=days_ago)
    case = make_case(user, org, opened_on=on)
    services.transition(user, case, "accept", on=on)
    return case


def _cases(orgs, users) -> list[Case]:
    """Some long overdue, some about to fall due, in two offices."""
    return [
        _accepted(users.office_a if i % 2 else users.office_b, orgs.office_a if i % 2 else orgs.office_b, days_ago)
        for i, days_ago in enumerate((200, 120, 90, 65, 58, 56, 40, 10))
    ]


def _agree(user, org, days=(0, 1, 3, 7, 20, 60)) -> dict:
    """The facts' counts equal the live join's on today and days to come; today's counts."""
    today = timezone.localdate()
    for n in days:
        day = today + timedelta(days=n)
        got = deadlinefacts.counts(user, org, day)
        assert got is not None, "this viewer is served from the facts"
        assert got == dl.counts(user, day, within=org), day
    return deadlinefacts.counts(user, org, today)


def test_the_panel_counts_come_from_the_facts_and_equal_the_join(orgs, users):
    _cases(orgs, users)
    rollups.run()
    assert RollupState.objects.get().deadlines_on == timezone.localdate()
    counts = _agree(users.leader, orgs.bureau)
    assert counts["overdue"] >= 3 and sum(counts.values()) < Deadline.objects.count()
    _agree(users.leader, orgs.office_a)
    # The overdue ones are one row per organisation and case type: folded.
    today = timezone.localdate()
    assert DeadlineFact.objects.filter(due_date__lt=today).count() == 2
    # Read from the facts: a row changed by hand changes what the leader sees.
    DeadlineFact.objects.filter(due_date__lt=today, org=orgs.office_a).update(count=1000)
    assert panel(users.leader, orgs.bureau, limit=0)["overdue_count"] == counts["overdue"] + 1000 - _overdue_at(orgs.office_a)


def _overdue_at(org) -> int:
    return dl.running().filter(case__owner_org=org, due_date__lt=timezone.localdate()).count()


def test_narrower_viewers_and_unbuilt_facts_are_counted_live(orgs, users):
    _cases(orgs, users)
    assert deadlinefacts.counts(users.leader, orgs.bureau, timezone.localdate()) is None  # not built yet
    rollups.run()
    assert deadlinefacts.counts(users.staff_other_line, orgs.bureau, timezone.localdate()) is None
    assert deadlinefacts.counts(users.office_a, orgs.office_a, timezone.localdate()) is None  # a restricted line hidden from the role
    assert deadlinefacts.counts(users.other_leader, orgs.bureau, timezone.localdate()) is None  # not their subtree


def test_the_worker_follows_steps_deletions_transfers_and_direct_saves(orgs, users):
    cases = _cases(orgs, users)
    rollups.run()
    before = _agree(users.leader, orgs.bureau)
    # A step that stops a clock and a deletion, not yet rolled up: the facts still say what they said.
    services.transition(users.office_a, cases[1], "suspend", reason="等待鉴定")
    services.soft_delete(users.office_b, cases[0], reason="重复登记")
    assert deadlinefacts.counts(users.leader, orgs.bureau, timezone.localdate()) == before
    rollups.run()
    _agree(users.leader, orgs.bureau)
    # A transfer moves the case's deadlines from one office's rows to the other's.
    movement.transfer(users.office_a, cases[3], orgs.office_b, reason="属地管辖")
    rollups.run()
    _agree(users.leader, orgs.office_a)
    _agree(users.leader, orgs.office_b)
    _agree(users.leader, orgs.bureau)
    # A holiday edit moves a clock without a timeline entry, and marks its case itself.
    fresh = make_case(users.office_a, orgs.office_a)  # 受理审查: five working days from today
    rollups.run()
    review = Deadline.objects.get(case=fresh, key="review")
    day = next(review.start_date + timedelta(days=n) for n in range(1, 8) if (review.start_date + timedelta(days=n)).weekday() < 5)
    calendar_services.set_day(users.sysadmin, day, DayKind.HOLIDAY, "测试假日")
    assert Deadline.objects.get(pk=review.pk).due_date > review.due_date
    assert DirtyCase.objects.filter(case_id=fresh.pk).exists()
    rollups.run()
    _agree(users.leader, orgs.bureau)
    assert rollups.verify(timezone.localdate(), timezone.localdate()) == []


def test_sealed_cases_count_for_the_viewer_who_handles_them(orgs, users):
    cases = _cases(orgs, users)
    rollups.run()
    before = deadlinefacts.counts(users.leader, orgs.bureau, timezone.localdate())
    Case.objects.filter(pk=cases[1].pk).update(is_sealed=True, handler=users.leader)
    Case.objects.filter(pk=cases[2].pk).update(is_sealed=True, handler=users.office_b)
    rollups.mark([cases[1].pk, cases[2].pk])  # update() is not a step: marked here as a step would
    rollups.run()
    assert DeadlineFact.objects.filter(sealed=True).exists()
    got = _agree(users.leader, orgs.bureau)  # the one they handle counts, the other does not
    assert got["overdue"] == before["overdue"] - 1
    _agree(users.leader, orgs.office_a)
    _agree(users.leader, orgs.office_b)


def test_a_new_day_folds_and_the_counts_stay_right_meanwhile(orgs, users):
    _cases(orgs, users)
    rollups.run()
    today = timezone.localdate()
    # Days later with no run: the rows counted today still give that day's numbers.
    for n in (1, 15, 45):
        day = today + timedelta(days=n)
        assert deadlinefacts.counts(users.leader, orgs.bureau, day) == dl.counts(users.leader, day, within=orgs.bureau)
    # The next day's first run folds what has fallen due into one row per organisation and type.
    later = today + timedelta(days=45)
    unfolded = DeadlineFact.objects.count()
    assert deadlinefacts.fold_if_new_day(RollupState.objects.get(), later)
    assert not deadlinefacts.fold_if_new_day(RollupState.objects.get(), later)  # once a day
    assert DeadlineFact.objects.count() < unfolded
    assert not DeadlineFact.objects.filter(due_date__lt=later - timedelta(days=1)).exists()
    assert deadlinefacts.counts(users.leader, orgs.bureau, later) == dl.counts(users.leader, later, within=orgs.bureau)


def test_stats_verify_names_a_wrong_deadline_row(orgs, users):
    _cases(orgs, users)
    rollups.run()
    out = StringIO()
    call_command("stats_verify", stdout=out)
    assert "在办期限汇总" in out.getvalue()
    row = DeadlineFact.objects.filter(due_date__gte=timezone.localdate()).first()
    DeadlineFact.objects.filter(pk=row.pk).update(count=row.count + 2)
    wrong = deadlinefacts.verify()
    assert len(wrong) == 1 and wrong[0]["org"] == row.org_id and wrong[0]["fact"] == (row.count + 2, None)
    assert wrong[0]["day"] == f"{row.due_date:%Y-%m-%d}到期"
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("stats_verify", "--no-run", stdout=StringIO(), stderr=err)
    assert "在办期限" in err.getvalue() and f"{row.due_date:%Y-%m-%d}到期" in err.getvalue()
