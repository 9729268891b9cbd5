"""Deadline rules applied through the workflow door, on the test line "ZZ":
review = 5 working days from registration; decide = 60 days from acceptance,
paused by 中止, resumed by 恢复, extended 30 days by 延期, completed by 结案."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django import forms
from django.utils import timezone

from sifa.audit.models import AuditEntry
from sifa.cases import services as case_services
from sifa.cases.forms import StepForm
from sifa.cases.models import Case
from sifa.cases.tests import testline
from sifa.cases.tests.factories import make_case
from sifa.common.errors import DomainError
from sifa.deadlines import selectors, services
from sifa.deadlines.models import CalendarYear, Deadline, DeadlineSetting, Holiday
from sifa.kit.deadlines import DeadlineRule

pytestmark = pytest.mark.django_db
D = date


def dl(case, key):
    return Deadline.objects.get(case=case, key=key)


def next_due(case):
    return Case.all_objects.get(pk=case.pk).next_due


def test_review_counts_working_days_across_spring_festival(orgs, users):
    case = make_case(users.office_a, orgs.office_a, opened_on=D(2026, 2, 13))
    review = dl(case, "review")
    assert (review.start_date, review.amount, review.unit) == (D(2026, 2, 13), 5, "workday")
    assert review.due_date == D(2026, 2, 27)
    assert next_due(case) == D(2026, 2, 27)
    assert review.provisional is False


@pytest.mark.smoke
def test_decide_period_pause_resume_extend_and_close(orgs, users):
    a = users.office_a
    case = make_case(a, orgs.office_a, opened_on=D(2026, 3, 2))
    case_services.transition(a, case, "accept", on=D(2026, 3, 2))
    assert dl(case, "review").completed_on == D(2026, 3, 2)
    decide = dl(case, "decide")
    # The 60th day (2026-05-01) is Labour Day: the period ends on 05-06, the first working day after it.
    assert decide.due_date == D(2026, 5, 6)
    assert "顺延" in decide.rule_text
    assert next_due(case) == D(2026, 5, 6)

    case_services.transition(a, case, "suspend", reason="等待鉴定结论", on=D(2026, 3, 12))
    decide = dl(case, "decide")
    assert decide.paused_since == D(2026, 3, 12)
    assert selectors.light(decide, D(2026, 3, 13)) == selectors.PAUSED
    assert next_due(case) is None  # a paused period has no running due date

    case_services.transition(a, case, "resume", on=D(2026, 3, 22))
    decide = dl(case, "decide")
    assert (decide.paused_since, decide.paused_days) == (None, 10)
    assert decide.due_date == D(2026, 5, 11)  # 05-01 + 10 days
    assert next_due(case) == D(2026, 5, 11)

    case_services.transition(users.leader, case, "extend", on=D(2026, 3, 25))
    decide = dl(case, "decide")
    assert decide.extended == 30
    assert decide.due_date == D(2026, 6, 10)  # 03-02 + 60 + 30 + 10 days, a Wednesday
    assert next_due(case) == D(2026, 6, 10)

    case_services.transition(a, case, "close", data={"agreement": "和解"}, on=D(2026, 4, 1))
    decide = dl(case, "decide")
    assert decide.completed_on == D(2026, 4, 1)
    assert selectors.light(decide) == selectors.DONE
    assert next_due(case) is None


def test_completing_a_paused_period_counts_the_pause(orgs, users):
    a = users.office_a
    case = make_case(a, orgs.office_a, opened_on=D(2026, 3, 2))
    case_services.transition(a, case, "accept", on=D(2026, 3, 2))
    case_services.transition(a, case, "suspend", reason="中止", on=D(2026, 3, 12))
    # The test line cannot close from 中止; the trigger is applied directly.
    services.apply_trigger(Case.objects.get(pk=case.pk), "close", D(2026, 3, 20))
    decide = dl(case, "decide")
    assert decide.completed_on == D(2026, 3, 20) and decide.paused_since is None and decide.paused_days == 8


WORKDAY_RULE = DeadlineRule(
    "reply", "答复期限", 10, "workday", start_on=("accept",), complete_on=("close",), pause_on=("suspend",), resume_on=("resume",), basis="测试：工作日中止"
)


def test_a_working_day_period_pauses_in_working_days(orgs, users, monkeypatch):
    monkeypatch.setattr(testline.TYPE, "deadline_rules", testline.RULES + (WORKDAY_RULE,))
    a = users.office_a
    case = make_case(a, orgs.office_a, opened_on=D(2026, 2, 12))
    case_services.transition(a, case, "accept", on=D(2026, 2, 12))
    assert dl(case, "reply").due_date == D(2026, 3, 4)  # 13, 14, 24, 25, 26, 27, 28, 3-2, 3-3, 3-4
    case_services.transition(a, case, "suspend", reason="补正", on=D(2026, 2, 13))
    case_services.transition(a, case, "resume", on=D(2026, 2, 25))
    reply = dl(case, "reply")
    # Working days of the pause: 02-14 (make-up), 02-24, 02-25 → 3; the holiday days are not counted twice.
    assert reply.paused_days == 3
    assert reply.due_date == D(2026, 3, 9)
    assert "中止3个工作日" in reply.rule_text


class StartReplyForm(StepForm):
    start_reply = forms.CharField(required=False)


def test_a_rule_with_its_own_warning_and_a_condition(orgs, users, monkeypatch):
    warn = replace(WORKDAY_RULE, key="warned", warn_workdays=8, when=lambda case, data: data.get("start_reply") == "1")
    monkeypatch.setattr(testline.TYPE, "deadline_rules", testline.RULES + (warn,))
    # The rule's condition reads the step's input: give 受理 a form that asks for it.
    monkeypatch.setitem(testline.WORKFLOW._by_name, "accept", replace(testline.WORKFLOW.get("accept"), form=StartReplyForm))
    case = make_case(users.office_a, orgs.office_a, opened_on=D(2026, 11, 2))
    case_services.transition(users.office_a, case, "accept", on=D(2026, 11, 2))
    assert not Deadline.objects.filter(case=case, key="warned").exists()
    case2 = make_case(users.office_a, orgs.office_a, opened_on=D(2026, 11, 2))
    case_services.transition(users.office_a, case2, "accept", data={"start_reply": "1"}, on=D(2026, 11, 2))
    warned = dl(case2, "warned")
    assert warned.warn_workdays == 8 and warned.due_date == D(2026, 11, 16)
    # Six working days before the due date: amber for this rule (8), green under the default (3).
    today = D(2026, 11, 6)
    assert selectors.light(warned, today) == selectors.DUE_SOON
    assert selectors.light(replace_due(dl(case2, "decide"), D(2026, 11, 16)), today) == selectors.NORMAL


def replace_due(deadline, due):
    deadline.due_date = due
    return deadline


def test_unknown_year_is_provisional_until_confirmed(orgs, users):
    # The pinned chinese-calendar knows up to 2026: a 60-day period from November runs into 2027.
    case = make_case(users.office_a, orgs.office_a, opened_on=D(2026, 11, 2))
    case_services.transition(users.office_a, case, "accept", on=D(2026, 11, 2))
    decide = dl(case, "decide")
    year = decide.due_date.year
    assert year == 2027
    assert not CalendarYear.objects.filter(year=year).exists()
    assert decide.provisional is True
    services.confirm_year(users.sysadmin, year, note="国办发明电〔测试〕")
    assert dl(case, "decide").provisional is False
    assert AuditEntry.objects.filter(action="calendar.confirm_year", username="sysadmin").exists()


@pytest.mark.smoke
def test_manual_holiday_edit_recomputes_open_deadlines_and_next_due(orgs, users):
    # 2027 is not in the package: the administrator enters its 元旦 by hand.
    case = make_case(users.office_a, orgs.office_a, opened_on=D(2026, 11, 2))
    case_services.transition(users.office_a, case, "accept", on=D(2026, 11, 2))
    done = make_case(users.office_a, orgs.office_a, opened_on=D(2026, 11, 2))
    case_services.transition(users.office_a, done, "accept", on=D(2026, 11, 2))
    case_services.transition(users.office_a, done, "close", data={"agreement": "x"}, on=D(2026, 11, 3))
    decide = dl(case, "decide")
    assert decide.due_date == D(2027, 1, 1) and decide.provisional  # 11-02 + 60 days, a Friday
    services.set_day(users.sysadmin, D(2027, 1, 1), "holiday", "元旦")
    decide = dl(case, "decide")
    assert decide.due_date == D(2027, 1, 4)  # Fri 01-01 off → the weekend → Monday 01-04
    assert next_due(case) == D(2027, 1, 4)
    assert "顺延" in decide.rule_text
    assert dl(done, "decide").due_date == D(2027, 1, 1)  # a completed deadline keeps its date
    # A make-up Saturday right after brings it forward again.
    services.set_day(users.sysadmin, D(2027, 1, 2), "workday", "元旦调休")
    assert dl(case, "decide").due_date == D(2027, 1, 2)
    assert next_due(case) == D(2027, 1, 2)
    assert services.clear_day(users.sysadmin, D(2027, 1, 2)) is True
    assert services.clear_day(users.sysadmin, D(2027, 1, 2)) is False
    services.clear_day(users.sysadmin, D(2027, 1, 1))
    assert dl(case, "decide").due_date == D(2027, 1, 1)
    assert next_due(case) == D(2027, 1, 1)
    actions = list(AuditEntry.objects.filter(username="sysadmin").values_list("action", flat=True))
    assert actions.count("calendar.set_day") == 2 and actions.count("calendar.clear_day") == 2


def test_working_day_deadline_moves_when_a_day_becomes_a_holiday(orgs, users):
    case = make_case(users.office_a, orgs.office_a, opened_on=D(2026, 11, 20))
    assert dl(case, "review").due_date == D(2026, 11, 27)  # 23, 24, 25, 26, 27
    services.set_day(users.sysadmin, D(2026, 11, 25), "holiday", "测试假日")
    assert dl(case, "review").due_date == D(2026, 11, 30)
    assert next_due(case) == D(2026, 11, 30)
    services.set_day(users.sysadmin, D(2026, 11, 28), "workday", "测试调休")
    assert dl(case, "review").due_date == D(2026, 11, 28)


@pytest.mark.parametrize(
    "day,kind,field",
    [(D(2026, 12, 2), "workday", "date"), (D(2026, 12, 5), "nonsense", "kind")],
)
def test_bad_calendar_edit_is_refused_and_changes_nothing(users, day, kind, field):
    before = (Holiday.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as exc:
        services.set_day(users.sysadmin, day, kind)
    assert exc.value.field == field and exc.value.message
    assert (Holiday.objects.count(), AuditEntry.objects.count()) == before


def test_seeding_from_the_package_is_idempotent_and_keeps_manual_days(users):
    services.set_day(users.sysadmin, D(2026, 10, 8), "holiday", "地方假日")
    before = Holiday.objects.count()
    assert services.seed_from_package([2026]) == 0
    assert Holiday.objects.count() == before
    assert Holiday.objects.get(date=D(2026, 10, 8)).source == "manual"
    assert Holiday.objects.get(date=D(2026, 2, 14)).kind == "workday"


# --- lights and the bell ---------------------------------------------------------------------


def test_lights(orgs, users):
    case = make_case(users.office_a, orgs.office_a, opened_on=D(2026, 11, 20))
    review = dl(case, "review")  # due 2026-11-27 (Friday)
    assert selectors.light(review, D(2026, 11, 20)) == selectors.NORMAL
    # 临期 from 3 working days before: 11-24 + 3 working days = 11-27.
    assert selectors.light(review, D(2026, 11, 23)) == selectors.NORMAL
    assert selectors.light(review, D(2026, 11, 24)) == selectors.DUE_SOON
    assert selectors.light(review, D(2026, 11, 27)) == selectors.DUE_SOON
    assert selectors.light(review, D(2026, 11, 28)) == selectors.OVERDUE
    assert selectors.light_for_date(D(2026, 11, 27), D(2026, 11, 24)) == selectors.DUE_SOON
    assert selectors.light_for_date(D(2026, 11, 27), D(2026, 11, 30)) == selectors.OVERDUE
    assert selectors.light_for_date(None) == ""
    review.completed_on = D(2026, 11, 25)
    assert selectors.light(review, D(2026, 12, 25)) == selectors.DONE


def test_due_soon_setting_changes_the_lights_and_is_audited(orgs, users):
    case = make_case(users.office_a, orgs.office_a, opened_on=D(2026, 11, 20))
    review = dl(case, "review")
    assert selectors.due_soon_workdays() == 3
    services.set_due_soon_workdays(users.sysadmin, 5)
    assert selectors.due_soon_workdays() == 5
    assert selectors.light(review, D(2026, 11, 20)) == selectors.DUE_SOON
    entry = AuditEntry.objects.get(action="deadlines.settings")
    assert entry.username == "sysadmin" and entry.detail == {"due_soon_workdays": [3, 5]}
    services.set_due_soon_workdays(users.sysadmin, 0)
    assert selectors.light(review, D(2026, 11, 26)) == selectors.NORMAL
    assert selectors.light(review, D(2026, 11, 27)) == selectors.DUE_SOON


@pytest.mark.parametrize("value", [-1, 31, "3", None, True])
def test_bad_due_soon_setting_is_refused(users, value):
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        services.set_due_soon_workdays(users.sysadmin, value)
    assert exc.value.field == "due_soon_workdays" and "临期" in exc.value.message
    assert not DeadlineSetting.objects.exists()
    assert AuditEntry.objects.count() == before


def test_bell_counts_my_due_soon_and_overdue(orgs, users):
    today = timezone.localdate()
    overdue = make_case(users.office_a, orgs.office_a, opened_on=today - timedelta(days=30))
    make_case(users.office_a, orgs.office_a, opened_on=today)  # 5 working days ahead: green
    make_case(users.office_b, orgs.office_b, opened_on=today - timedelta(days=30))  # someone else's
    assert dl(overdue, "review").due_date < today
    assert selectors.bell_count(users.office_a) == 1
    assert selectors.bell_count(users.office_b) == 1
    assert selectors.bell_count(users.sysadmin) == 0
    assert selectors.bell_count(users.leader) == 0  # handles nothing
    services.set_due_soon_workdays(users.sysadmin, 10)
    assert selectors.bell_count(users.office_a) == 2


def test_a_step_no_clock_reacts_to_reads_and_writes_nothing(orgs, users, monkeypatch, django_assert_num_queries):
    case = make_case(users.office_a, orgs.office_a)
    monkeypatch.setattr("sifa.deadlines.duties._duties", lambda case: ())  # the test line's weekly duty aside
    with django_assert_num_queries(0):
        services.apply_trigger(case, "report", timezone.localdate())  # 提交报告: no rule starts, stops or moves a clock on it
    services.apply_trigger(case, "accept", timezone.localdate())
    assert Deadline.objects.filter(case=case, key="decide").exists()
    assert Case.all_objects.get(pk=case.pk).next_due == Deadline.objects.get(case=case, key="decide").due_date
