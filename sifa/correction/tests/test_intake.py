"""Receiving a person: the 10-day report window is the person's duty (待处理 the
next day it lapses), 报到 and 入矫宣告 start the grade's duties, a minor's file is
sealed, and a refusal writes nothing."""

from datetime import timedelta

import pytest

from sifa.cases.models import Case
from sifa.cases.selectors import visible_to
from sifa.cases.services import today, transition
from sifa.common.errors import DomainError
from sifa.deadlines import selectors as dl
from sifa.deadlines.models import Deadline

from ..choices import CASE_TYPE, Category, Grade, Status
from .conftest import MINOR, receive, supervise

pytestmark = pytest.mark.django_db


def test_receiving_a_person_writes_the_file_and_starts_the_report_window(officer, orgs):
    eff = today() - timedelta(days=2)
    case = receive(officer, orgs.office_a, effective_on=eff)
    case.refresh_from_db()
    assert (case.case_type, case.status, case.owner_org, case.handler) == (CASE_TYPE, Status.RECEIVED, orgs.office_a, officer)
    rec = case.record
    assert rec.crime == "危险驾驶罪" and not rec.is_minor and rec.gender == "M"
    clock = Deadline.objects.get(case=case, key="report")
    assert (clock.kind, clock.start_date) == ("duty", eff)
    assert clock.due_date >= eff + timedelta(days=10)
    # The offence is encrypted at rest: the stored column is not the text.
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT crime, sentence FROM correction_subject WHERE case_id = %s", [case.pk])
        stored = cur.fetchone()
    assert "危险驾驶" not in stored[0] and "缓刑" not in stored[1]


def test_a_lapsed_report_window_is_the_offices_to_do_the_next_day(officer, orgs):
    eff = today() - timedelta(days=30)
    case = receive(officer, orgs.office_a, effective_on=eff)
    clock = Deadline.objects.get(case=case, key="report")
    assert case.pk not in {d.case_id for d in dl.todos(officer, clock.due_date)}
    assert case.pk in {d.case_id for d in dl.todos(officer, clock.due_date + timedelta(days=1))}
    # The office's own clocks are not overdue because of it.
    assert not dl.open_for(officer).filter(case=case, key="report").exists()
    # Reporting (late) closes the window and tells the ladder: 报到迟延 > 10 days → 警告.
    transition(officer, case, "report", data={"way": "self", "identity_checked": True})
    assert Deadline.objects.get(case=case, key="report").completed_on == today()
    transition(officer, case, "declare", data={"place": "宣告室", "attendees": "司法所"})
    from ..selectors import proposals

    case.refresh_from_db()
    assert [p.kind for p in proposals(case, case.record)] == ["warn"]


def test_medical_parole_is_transferred_not_reported(officer, orgs):
    case = receive(officer, orgs.office_a, category=Category.MEDICAL)
    assert set(Deadline.objects.filter(case=case).values_list("key", flat=True)) == {"transfer"}
    before = Case.objects.get(pk=case.pk).version
    other = receive(officer, orgs.office_a, name="李四")
    with pytest.raises(DomainError, match="移送接收只适用于暂予监外执行"):
        transition(officer, other, "report", data={"way": "transfer", "identity_checked": True})
    assert Case.objects.get(pk=other.pk).status == Status.RECEIVED
    transition(officer, case, "report", data={"way": "transfer", "identity_checked": True})
    assert Case.objects.get(pk=case.pk).version == before + 1


def test_declaration_puts_the_person_under_strict_supervision_with_its_duties(officer, orgs):
    case = supervise(officer, receive(officer, orgs.office_a))
    rec = case.record
    assert (case.status, rec.grade, rec.grade_since, rec.last_contact_on) == (Status.SUPERVISING, Grade.STRICT, today(), today())
    duties = set(Deadline.objects.filter(case=case).exclude(duty="").values_list("duty", flat=True))
    assert duties == {"weekly_report", "weekly_written", "weekly_talk", "monthly_study", "monthly_service", "monthly_visit"}


def test_a_minors_file_is_sealed(officer, orgs, users):
    case = receive(officer, orgs.office_a, id_number=MINOR, name="小明")
    case.refresh_from_db()
    assert case.is_sealed and case.record.is_minor
    assert visible_to(officer).filter(pk=case.pk).exists()  # the officer it is assigned to
    for other in (users.leader, users.staff):
        assert not visible_to(other).filter(pk=case.pk).exists()


def test_refused_registration_writes_nothing(officer, orgs, users):
    before = Case.all_objects.count()
    with pytest.raises(DomainError, match="矫正期限止日"):
        receive(officer, orgs.office_a, term_days=0)
    with pytest.raises(DomainError):
        receive(officer, orgs.office_a, id_number="110101199003071234")
    # The office's general staff and another office's officer may not register here.
    from sifa.common.errors import PermissionRefused

    for who in (users.office_a,):
        with pytest.raises((PermissionRefused, DomainError)):
            receive(who, orgs.office_a)
    assert Case.all_objects.count() == before


def test_a_minor_is_counted_in_the_figures_but_never_named(officer, orgs, users):
    from sifa.kit.kpis import KPI, Measure
    from sifa.stats import engine
    from sifa.stats.periods import Period

    receive(officer, orgs.office_a, id_number=MINOR, name="小明", opened_on=today())
    receive(officer, orgs.office_a, opened_on=today())
    measure = Measure("接收", model="cases.Case", date_field="opened_on", case_types=(CASE_TYPE,))
    period = Period.year(today().year)
    assert engine.measure_value(measure, orgs.bureau, period, users.leader) == 2
    kpi = KPI(key="test.received", label="接收", unit="人", numerator=measure, line=CASE_TYPE, definition="测试")
    named = engine.cases_behind(kpi, orgs.bureau, period, users.leader)
    assert named.count() == 1


def test_the_report_period_ends_as_its_clock_counts_it(officer, orgs):
    """A 10th day on a rest day moves to the next working day: reporting then is on time
    (按期, no 报到迟延 for the ladder); one day later is late by one day."""
    from sifa.deadlines import calendar

    from ..selectors import proposals
    from ..services import report_due

    eff = today() - timedelta(days=40)
    while calendar.is_workday(eff + timedelta(days=10)):
        eff -= timedelta(days=1)
    due = report_due(eff)
    assert due > eff + timedelta(days=10)  # a rest day moved it
    on_time = receive(officer, orgs.office_a, effective_on=eff)
    assert Deadline.objects.get(case=on_time, key="report").due_date == due
    late = receive(officer, orgs.office_a, effective_on=eff, name="李四")
    for case, on in ((on_time, due), (late, due + timedelta(days=1))):
        transition(officer, case, "report", data={"way": "self", "identity_checked": True}, on=on)
        transition(officer, case, "declare", data={"place": "宣告室", "attendees": "司法所"}, on=on)
        case.refresh_from_db()
    assert (on_time.record.report_late_days, late.record.report_late_days) == (0, 1)
    assert proposals(on_time, on_time.record) == [] and [p.kind for p in proposals(late, late.record)] == ["admonish"]
