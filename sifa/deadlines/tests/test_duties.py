"""Recurring duties (kit.casework.RecurringDuty), on the test line: a weekly report
while a case is accepted (for cases titled "定期…"). Each occurrence is a clock of
the case: due every week from acceptance, done when marked done, missed (超期)
once its due date passed; leaving the state cancels those not yet due."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from sifa.cases import services as case_services
from sifa.cases.models import CaseEvent
from sifa.cases.tests.factories import make_case
from sifa.cases.tests.matrix import snapshot
from sifa.common.errors import DomainError, PermissionRefused
from sifa.deadlines import duties, selectors
from sifa.deadlines.models import Deadline
from sifa.stats.models import DirtyCase

pytestmark = pytest.mark.django_db


def _accepted(users, orgs, on, title="定期报告的案件"):
    case = make_case(users.office_a, orgs.office_a, title=title, opened_on=on)
    case_services.transition(users.office_a, case, "accept", on=on)
    return case


def test_a_duty_missed_yesterday_shows_as_missed_today(users, orgs, client_for):
    today = timezone.localdate()
    case = _accepted(users, orgs, today - timedelta(days=8))  # the first report was due yesterday
    weekly = list(Deadline.objects.filter(case=case, duty="weekly").order_by("due_date"))
    assert [d.due_date for d in weekly] == [today - timedelta(days=1), today + timedelta(days=6)]
    missed = weekly[0]
    assert selectors.light(missed, today) == selectors.OVERDUE and selectors.overdue(users.office_a, today).filter(pk=missed.pk).exists()
    page = client_for(users.office_a).get(reverse("cases:detail", args=[case.pk]) + "?tab=deadlines").content.decode()
    assert "周报告" in page and "超期" in page and 'data-testid="duty-done"' in page
    # Marked done (late): the warning goes, the timeline says so.
    r = client_for(users.office_a).post(reverse("deadlines:duty_done", args=[missed.pk]))
    assert r.status_code == 302
    missed.refresh_from_db()
    assert missed.completed_on == today and selectors.light(missed, today) == selectors.DONE
    assert CaseEvent.objects.filter(case=case, label__startswith="完成：周报告").exists()


def test_occurrences_follow_the_state_and_refusals_change_nothing(users, orgs, client_for):
    today = timezone.localdate()
    quiet = _accepted(users, orgs, today - timedelta(days=20), title="普通案件")
    assert not Deadline.objects.filter(case=quiet).exclude(duty="").exists()  # the duty's condition does not hold
    case = _accepted(users, orgs, today - timedelta(days=20))
    assert Deadline.objects.filter(case=case, duty="weekly").count() == 3  # due on days 7, 14 and 21
    case.refresh_from_db()  # ``_accepted``'s object predates the step: a stale state would cancel, not sync
    assert case.status == "accepted" and duties.sync(case) == 0 and duties.sync(case) == 0  # idempotent
    case_services.transition(users.office_a, case, "suspend", reason="等待鉴定")
    future = Deadline.objects.get(case=case, duty="weekly", due_date__gt=today)
    assert future.cancelled and not Deadline.objects.get(case=case, duty="weekly", due_date=today - timedelta(days=6)).cancelled
    missed = Deadline.objects.get(case=case, duty="weekly", due_date=today - timedelta(days=13))
    before = snapshot(case)
    with pytest.raises(PermissionRefused):  # a reader
        duties.mark_done(users.leader, missed)
    with pytest.raises(Http404):  # another office: as if it did not exist
        duties.mark_done(users.office_b, missed)
    with pytest.raises(DomainError):
        duties.mark_done(users.office_a, future)  # cancelled
    assert snapshot(case) == before
    assert client_for(users.office_b).post(reverse("api:deadlines-duty-done", args=[missed.pk])).status_code == 404
    assert client_for(users.office_b).post(reverse("deadlines:duty_done", args=[missed.pk])).status_code == 404
    assert client_for(users.office_a).post(reverse("api:deadlines-duty-done", args=[missed.pk])).status_code == 200


def test_the_nightly_job_makes_the_occurrences_that_fell_due(users, orgs):
    today = timezone.localdate()
    case = _accepted(users, orgs, today - timedelta(days=3))
    assert Deadline.objects.filter(case=case, duty="weekly").count() == 1
    DirtyCase.objects.all().delete()  # as after the figures' worker ran
    assert duties.sync_all(today + timedelta(days=15)) == 2 and Deadline.objects.filter(case=case, duty="weekly").count() == 3
    # No timeline entry: the job marks the case itself, for the dashboard's deadline counts.
    assert list(DirtyCase.objects.values_list("case_id", flat=True)) == [case.pk]
    DirtyCase.objects.all().delete()
    assert duties.sync_all(today + timedelta(days=15)) == 0 and not DirtyCase.objects.exists()  # nothing new, no mark
