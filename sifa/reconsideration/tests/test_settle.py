"""Consequences of elapsed time: shown at once (selectors), recorded by the
idempotent job through the workflow door, dated as the law dates them."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from sifa.cases.models import CaseEvent
from sifa.cases.settle import settle as settle_all
from sifa.cases.settle import stage
from sifa.deadlines.models import Deadline
from sifa.reconsideration import selectors
from sifa.reconsideration.choices import FY_KEY, FyStatus, Outcome, TerminationReason

from .factories import accepted, fresh, make_application, step


def settle(today=None) -> dict:
    """The kernel's nightly settlement (``manage.py settle``), as it touched this line."""
    return {name: n for (key, name), n in settle_all(today).items() if key == FY_KEY}


pytestmark = pytest.mark.django_db


def test_deemed_acceptance_shows_before_any_job_and_proceeds_from_the_lapse_date(users):
    case = make_application(users.staff, received_on=date(2026, 2, 12))  # review due 2026-02-26
    st = stage(case)
    assert st.key == "deemed_accepted" and st.label == "视为受理" and "2026-02-26" in st.note
    assert selectors.public_progress(case).stage.startswith("受理审查期限届满，依法视为受理")
    # The job runs much later; the clocks still start on the day the review period expired.
    assert settle(date(2026, 3, 20)) == {"deemed_accept": 1, "deemed_withdraw": 0, "terminate_after_suspension": 0}
    case = fresh(case)
    app = case.application
    assert case.status == FyStatus.REVIEWING and app.accepted_on == date(2026, 2, 26) and app.deemed_accepted
    assert app.procedure == "ordinary" and case.doc_number.endswith("〔2026〕第1号")
    dls = {d.key: d for d in Deadline.objects.filter(case=case)}
    assert dls["review"].completed_on == date(2026, 2, 26)
    assert (dls["copy"].start_date, dls["copy"].due_date) == (date(2026, 2, 26), date(2026, 3, 6))
    assert (dls["decision"].start_date, dls["decision"].due_date) == (date(2026, 2, 26), date(2026, 4, 27))
    event = CaseEvent.objects.filter(case=case, transition="deemed_accept").get()
    assert event.actor is None and event.actor_name == "系统" and "2026-02-26" in event.label and event.data["on"] == "2026-02-26"
    # Idempotent: a second run changes nothing.
    before = fresh(case).version
    assert settle() == {"deemed_accept": 0, "deemed_withdraw": 0, "terminate_after_suspension": 0}
    assert fresh(case).version == before


def test_nothing_lapses_before_the_end_of_the_period(users):
    case = make_application(users.staff, received_on=timezone.localdate())
    assert stage(case).key == FyStatus.RECEIVED
    assert settle()["deemed_accept"] == 0
    with pytest.raises(Exception, match="尚未届满"):
        step(users.staff, case, "deemed_accept")
    assert fresh(case).status == FyStatus.RECEIVED


def test_staff_may_record_the_deemed_acceptance_themselves(users):
    case = make_application(users.staff, received_on=date(2026, 2, 12))
    with pytest.raises(Exception, match="尚未届满"):
        step(users.staff, case, "deemed_accept", date(2026, 2, 25))
    step(users.staff, case, "deemed_accept")
    case = fresh(case)
    assert case.status == FyStatus.REVIEWING and case.application.accepted_on == date(2026, 2, 26)
    assert Deadline.objects.get(case=case, key="decision").start_date == date(2026, 2, 26)
    assert settle()["deemed_accept"] == 0


def test_correction_lapse_is_deemed_withdrawal(users):
    case = make_application(users.staff, received_on=date(2026, 3, 2))
    step(users.staff, case, "request_correction", date(2026, 3, 3), items="补充材料", served_on=date(2026, 3, 5))  # due 3-19
    assert stage(fresh(case)).key == "deemed_abandoned"
    assert settle()["deemed_withdraw"] == 1
    case = fresh(case)
    assert (case.status, case.outcome, case.closed_on) == (FyStatus.ABANDONED, Outcome.ABANDONED, date(2026, 3, 20))
    assert Deadline.objects.get(case=case, key="correction").completed_on == date(2026, 3, 20)


def test_sixty_days_of_suspension_on_items_1_2_4_terminate(users):
    a = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    step(users.staff, a, "suspend", date(2026, 3, 10), ground="incapacity")  # limit 5-9 (make-up Saturday)
    b = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    step(users.staff, b, "suspend", date(2026, 3, 10), ground="force_majeure")  # item 5: no limit
    assert stage(fresh(a)).key == "to_terminate" and stage(fresh(b)).key == FyStatus.SUSPENDED
    assert settle()["terminate_after_suspension"] == 1
    a, b = fresh(a), fresh(b)
    assert (a.status, a.outcome, a.closed_on) == (FyStatus.CLOSED, Outcome.TERMINATE, date(2026, 5, 10))
    assert a.application.termination_reason == TerminationReason.SUSPENSION_EXPIRED
    assert a.fy_suspensions.get().ended_on == date(2026, 5, 10)
    assert Deadline.objects.get(case=a, key="decision").completed_on == date(2026, 5, 10)
    assert b.status == FyStatus.SUSPENDED


def test_resumed_suspension_does_not_terminate(users):
    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    step(users.staff, case, "suspend", date(2026, 3, 10), ground="death")
    step(users.staff, case, "resume", date(2026, 4, 1))
    assert settle()["terminate_after_suspension"] == 0
    assert Deadline.objects.get(case=case, key="suspension_limit").completed_on == date(2026, 4, 1)


def test_management_command(users):
    make_application(users.staff, received_on=timezone.localdate() - timedelta(days=30))
    out = StringIO()
    call_command("settle", stdout=out)
    assert "视为受理 1 件" in out.getvalue()
    out = StringIO()
    call_command("settle", stdout=out)
    assert "视为受理 0 件" in out.getvalue()


def test_a_lapsed_correction_is_the_organs_todo_not_its_overdue(users):
    """补正 is the applicant's duty (§31): never 超期 for the organ; once lapsed it is a
    to-do (record 视为放弃申请), until the nightly job or a person records it."""
    from sifa.deadlines import selectors as dl

    case = make_application(users.staff, received_on=date(2026, 3, 2))
    step(users.staff, case, "request_correction", date(2026, 3, 3), items="身份证明")
    later = date(2026, 4, 1)
    assert not dl.overdue(users.staff, later).filter(case=case).exists()
    assert [d.key for d in dl.todos(users.staff, later)] == ["correction"]
    settle(later)
    assert not dl.todos(users.staff, later).exists() and fresh(case).status == FyStatus.ABANDONED
