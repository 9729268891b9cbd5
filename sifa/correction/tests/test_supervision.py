"""Daily supervision, approvals and the ladder: a recorded report fulfils the
grade's duty, a late return from an approved leave is a lost-contact warning,
electronic monitoring only in its five cases and for at most 3 months, and the
sanction proposals appear when, and only when, the record meets the thresholds."""

from datetime import timedelta

import pytest
from django.test import override_settings

from sifa.cases import procedures
from sifa.cases.models import Case, Procedure
from sifa.cases.services import today, transition
from sifa.common.errors import DomainError, PermissionRefused
from sifa.deadlines.models import Deadline

from ..choices import Grade, Sanction, Status
from ..models import Activity, Discipline, TeamMember
from ..selectors import proposals, warnings
from .conftest import ADULT_WOMAN, receive, supervise

pytestmark = pytest.mark.django_db


def _kinds(case):
    case.refresh_from_db()
    return [p.kind for p in proposals(case, case.record)]


def test_a_recorded_report_fulfils_the_weeks_duty_and_hours_fill_the_months(officer, orgs):
    start = today() - timedelta(days=10)
    case = supervise(officer, receive(officer, orgs.office_a, effective_on=start - timedelta(days=2)), on=start)
    first = Deadline.objects.get(case=case, key=f"weekly_report:{start + timedelta(days=7):%Y%m%d}")
    # Missed: the person's duty, now the office's to-do.
    assert first.kind == "duty" and first.completed_on is None
    second = Deadline.objects.get(case=case, duty="weekly_report", due_date=start + timedelta(days=14))
    transition(officer, case, "record", data={"kind": "report", "way": "video", "note": "视频报告近况"})
    second.refresh_from_db()
    assert second.completed_on == today() and Deadline.objects.get(pk=first.pk).completed_on is None
    month = Deadline.objects.get(case=case, duty="monthly_study")
    transition(officer, case, "record", data={"kind": "study", "hours": "8", "note": "法治教育"})
    assert Deadline.objects.get(pk=month.pk).completed_on is None  # 8 of the 12 hours of 严管
    transition(officer, case, "record", data={"kind": "study", "hours": "4", "note": "法治教育"})
    assert Deadline.objects.get(pk=month.pk).completed_on == today()
    assert Activity.objects.filter(case=case).count() == 3


def test_a_new_grade_brings_its_own_duties_from_its_own_day(officer, person):
    transition(officer, person, "regrade", data={"grade": Grade.NORMAL, "basis": "考核合格"})
    live = Deadline.objects.filter(case=person, completed_on__isnull=True, cancelled=False).exclude(duty="")
    assert set(live.values_list("duty", flat=True)) == {
        "biweekly_report",
        "monthly_written",
        "monthly_talk",
        "monthly_study",
        "monthly_service",
        "quarterly_visit",
    }
    with pytest.raises(DomainError, match="已是普管"):
        transition(officer, person, "regrade", data={"grade": Grade.NORMAL, "basis": "重复"})


def test_a_woman_has_a_woman_in_her_team_and_a_plan_needs_the_team(officer, orgs):
    case = supervise(officer, receive(officer, orgs.office_a, id_number=ADULT_WOMAN, name="王芳"))
    with pytest.raises(DomainError, match="不能执行|请先组建矫正小组"):
        transition(officer, case, "set_plan", data={"supervision": "每周报到", "education": "法治教育"})
    with pytest.raises(DomainError, match="应有女性成员"):
        transition(officer, case, "set_team", data={"members": "赵强，司法所工作人员，男\n钱进，志愿者，男"})
    assert not TeamMember.objects.filter(case=case).exists()
    transition(officer, case, "set_team", data={"members": "赵强，司法所工作人员，男\n孙丽，村（居）民委员会人员，女，幸福村"})
    transition(officer, case, "set_plan", data={"supervision": "每周报到", "education": "法治教育"})
    assert Case.objects.get(pk=case.pk).record.plan_on == today()


def _leave(officer, case, start, end):
    transition(officer, case, "apply", data={"kind": "leave", "start": start, "end": end, "destination": "福州市", "purpose": "探望病重母亲"})
    return Procedure.objects.get(case=case, key="leave", closed_on__isnull=True)


def test_a_leave_not_ended_by_a_return_report_is_a_lost_contact_warning(officer, person):
    start = today()
    proc = _leave(officer, person, start, start + timedelta(days=2))  # 3 days: the office decides
    procedures.take_step(officer, proc, "approve_office", data={"opinion": "同意"})
    clock = Deadline.objects.get(procedure=proc, key__endswith=":return")
    assert (clock.kind, clock.due_date >= start + timedelta(days=2)) == ("duty", True)
    after = clock.due_date + timedelta(days=1)
    # Contacts keep the person off the list up to then; the late return puts them on it.
    from ..models import Subject

    Subject.objects.filter(pk=person.pk).update(last_contact_on=after)
    assert person.pk not in {r.case_id for r in warnings(officer, clock.due_date)}
    assert person.pk in {r.case_id for r in warnings(officer, after)}
    procedures.take_step(officer, Procedure.objects.get(pk=proc.pk), "back", data={"note": "按时返回"})
    assert person.pk not in {r.case_id for r in warnings(officer, after)}


def test_a_long_leave_is_the_bureaus_and_the_year_has_a_cap(officer, person, users):
    start = today()
    proc = _leave(officer, person, start, start + timedelta(days=9))
    assert [t.name for t in procedures.allowed(officer, proc)] == ["forward", "refuse_review"]
    procedures.take_step(officer, proc, "forward", data={"opinion": "情况属实"})
    proc.refresh_from_db()
    with pytest.raises(PermissionRefused):
        procedures.take_step(officer, proc, "approve", data={})
    procedures.take_step(users.staff, proc, "approve", data={"opinion": "同意"})
    assert Procedure.objects.get(pk=proc.pk).status == "approved"
    with pytest.raises(DomainError, match="已有办理中的外出审批"):
        transition(officer, person, "apply", data={"kind": "leave", "start": start, "end": start, "destination": "厦门市", "purpose": "务工"})
    procedures.take_step(officer, Procedure.objects.get(pk=proc.pk), "back", data={})
    with override_settings(SIFA_CORRECTION_LEAVE_YEAR_DAYS=15), pytest.raises(DomainError, match="本年度外出累计"):
        transition(
            officer, person, "apply", data={"kind": "leave", "start": start, "end": start + timedelta(days=9), "destination": "厦门市", "purpose": "务工"}
        )


def test_electronic_monitoring_only_in_its_five_cases_and_at_most_three_months(officer, person, users):
    def apply(**data):
        return transition(officer, person, "apply", data={"kind": "monitor", "purpose": "依法申请", **data})

    with pytest.raises(DomainError, match="不得超过3个月"):
        apply(monitor_case="left", months=4)
    with pytest.raises(DomainError, match="情形"):
        apply(monitor_case="curfew", months=1)
    with pytest.raises(DomainError, match="被给予警告的记录"):
        apply(monitor_case="refused", months=1)
    assert not Procedure.objects.filter(case=person).exists()
    apply(monitor_case="left", months=3)
    proc = Procedure.objects.get(case=person, key="monitor")
    procedures.take_step(officer, proc, "forward", data={})
    proc.refresh_from_db()
    with pytest.raises(PermissionRefused):  # the section may not: the bureau head approves
        procedures.take_step(users.staff, proc, "approve", data={})
    procedures.take_step(users.leader, proc, "approve", data={"opinion": "同意使用三个月"})
    clock = Deadline.objects.get(procedure=proc, key__endswith=":monitor")
    assert clock.unit == "month" and clock.amount == 3
    proc.refresh_from_db()
    with pytest.raises(DomainError, match="续期每次不得超过3个月"):
        procedures.take_step(users.leader, proc, "renew", data={"months": 4})
    procedures.take_step(users.leader, proc, "renew", data={"months": 2})
    proc.refresh_from_db()
    assert len(proc.data["renewals"]) == 1


def _sanction(officer, case, kind, on=None):
    transition(officer, case, "sanction", data={"kind": kind, "facts": "未按规定报告"}, on=on)
    return Discipline.objects.filter(case=case, kind=kind).latest("id")


def test_sanction_proposals_appear_when_and_only_when_the_thresholds_are_met(officer, person):
    assert _kinds(person) == []
    first = _sanction(officer, person, Sanction.ADMONISH)
    assert _kinds(person) == []
    _sanction(officer, person, Sanction.ADMONISH)
    # Two uncorrected 训诫 → a 警告 case; and 严管 is already the grade.
    assert _kinds(person) == [Sanction.WARN]
    transition(officer, person, "correct", data={"discipline": str(first.pk), "note": "已按时报告"})
    assert Discipline.objects.get(pk=first.pk).corrected_by == officer
    assert _kinds(person) == []
    _sanction(officer, person, Sanction.ADMONISH)
    assert _kinds(person) == [Sanction.WARN]
    _sanction(officer, person, Sanction.WARN)
    assert _kinds(person) == []  # acted on
    _sanction(officer, person, Sanction.WARN)
    assert _kinds(person) == [Sanction.REVOKE_PROBATION]
    with pytest.raises(DomainError, match="缓刑的对象应提请撤销缓刑"):
        _sanction(officer, person, Sanction.REVOKE_PAROLE)
    _sanction(officer, person, Sanction.REVOKE_PROBATION)
    assert _kinds(person) == []


def test_lost_contact_over_ten_days_proposes_a_warning_and_over_a_month_revocation(officer, person):
    transition(officer, person, "lose_contact", data={"circumstances": "电话关机，住所无人"})
    assert Case.objects.get(pk=person.pk).status == Status.LOST
    person.refresh_from_db()
    rec = person.record
    assert [p.kind for p in proposals(person, rec, today() + timedelta(days=5))] == []
    assert [p.kind for p in proposals(person, rec, today() + timedelta(days=11))] == [Sanction.WARN]
    assert [p.kind for p in proposals(person, rec, today() + timedelta(days=40))] == [Sanction.REVOKE_PROBATION]
    assert person.pk in {r.case_id for r in warnings(officer)}
    transition(officer, person, "found", data={"search": "在外地务工，已联系返回"})
    assert Case.objects.get(pk=person.pk).status == Status.SUPERVISING


def test_release_needs_the_term_and_the_appraisal(officer, orgs):
    eff = today() - timedelta(days=200)
    case = supervise(officer, receive(officer, orgs.office_a, effective_on=eff, term_days=190), on=eff + timedelta(days=3))
    from sifa.deadlines import selectors as dl

    assert case.pk in {d.case_id for d in dl.todos(officer)}  # 197 days of missed weekly reports
    notices = {"notified_court": True, "notified_procuratorate": True, "notified_police": True}
    with pytest.raises(DomainError, match="期满鉴定"):
        transition(officer, case, "release", data={"kind": "expiry", **notices})
    transition(officer, case, "summarize", data={"personal_summary": "遵纪守法", "appraisal": "表现良好", "resettlement_advice": "建议就业帮扶"})
    with pytest.raises(DomainError, match="已通知人民检察院"):
        transition(officer, case, "release", data={"kind": "expiry", "notified_court": True, "notified_police": True})
    transition(officer, case, "release", data={"kind": "expiry", **notices})
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.record.release_kind) == (Status.RELEASED, today(), "expiry")
    assert not Deadline.objects.filter(case=case, completed_on__isnull=True, cancelled=False, due_date__gt=today()).exclude(duty="").exists()
    # The missed ones stay on the file as missed, but a closed file is no longer a to-do.
    assert Deadline.objects.filter(case=case, completed_on__isnull=True, cancelled=False).exclude(duty="").exists()
    assert case.pk not in {d.case_id for d in dl.todos(officer)} | {d.case_id for d in dl.open_for(officer)}


def test_a_refused_step_changes_nothing(officer, person):
    version = Case.objects.get(pk=person.pk).version
    with pytest.raises(DomainError):
        transition(officer, person, "assess", data={"month": "2000-01", "result": "good"})
    with pytest.raises(DomainError):
        transition(officer, person, "terminate", data={"kind": "revoke_parole"})
    assert Case.objects.get(pk=person.pk).version == version and Case.objects.get(pk=person.pk).status == Status.SUPERVISING
    assert not Discipline.objects.filter(case=person).exists()


def test_grade_proposals_follow_the_provinces_rules(officer, orgs):
    from ..models import Subject

    start = today() - timedelta(days=70)
    case = supervise(officer, receive(officer, orgs.office_a, effective_on=start - timedelta(days=3)), on=start)
    assert _kinds(case) == ["grade:normal"]  # 严管 for the first two months, no sanction
    _sanction(officer, case, Sanction.ADMONISH)
    assert _kinds(case) == []
    transition(officer, case, "regrade", data={"grade": Grade.NORMAL, "basis": "考核合格"})
    Subject.objects.filter(pk=case.pk).update(grade_since=today() - timedelta(days=200))
    assert _kinds(case) == ["grade:lenient"]
    Subject.objects.filter(pk=case.pk).update(grade_since=today() - timedelta(days=20))
    assert _kinds(case) == []
    _sanction(officer, case, Sanction.WARN)
    assert _kinds(case) == ["grade:strict"]


def test_the_monthly_form_suggests_last_months_result(officer, person):
    from ..forms import MonthForm

    form = MonthForm(case=person, record=person.record)
    assert form.initial["result"] == "pass"


def test_the_warnings_reach_the_officers_desk_and_the_leaders_dashboard(officer, person, users, client_for):
    from django.urls import reverse

    transition(officer, person, "lose_contact", data={"circumstances": "电话关机"})
    home = client_for(officer).get(reverse("cases:home")).content.decode()
    assert "社区矫正脱管预警" in home and 'data-testid="alerts"' in home
    dashboard = client_for(users.leader).get(reverse("stats:dashboard")).content.decode()
    assert "社区矫正脱管预警：1" in dashboard
    # Not for the office's general staff, who do not see the line.
    assert "社区矫正脱管预警" not in client_for(users.office_a).get(reverse("cases:home")).content.decode()
