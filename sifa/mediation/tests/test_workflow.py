"""Every transition of the dispute lifecycle: what it writes, and that each
refusal says why in Chinese and changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils.timezone import localdate

from sifa.cases.models import Case, CaseAssignment, CaseEvent
from sifa.cases.services import allowed_steps
from sifa.common.errors import DomainError, PermissionRefused
from sifa.deadlines.models import Deadline
from sifa.mediation import selectors
from sifa.mediation.models import Dispute, DisputeMediator, FollowUpVisit, JudicialConfirmation, RiskReport, Session
from sifa.mediation.workflow import WORKFLOW

from .factories import agreement_data, make_dispute, mediator, profile, session_data, step, to_agreed, to_mediating

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 2)


def snapshot(case):
    """Everything a step may touch; a refused step leaves it identical."""
    c = Case.all_objects.get(pk=case.pk)
    d = Dispute.objects.get(pk=case.pk)
    rows = (Session, FollowUpVisit, RiskReport, JudicialConfirmation, DisputeMediator, CaseAssignment)
    return (
        (c.status, c.version, c.closed_on, c.outcome, c.doc_number, c.handler_id, c.next_due),
        {f.name: getattr(d, f.name) for f in Dispute._meta.concrete_fields},
        CaseEvent.objects.filter(case=case).count(),
        sorted(Deadline.objects.filter(case=case).values_list("key", "due_date", "completed_on", "cancelled", "extended")),
        [m.objects.count() for m in rows],
    )


def refused(actor, case, name, data=None, on=None, match="", reason="", exc=DomainError):
    before = snapshot(case)
    with pytest.raises(exc) as info:
        step(actor, case, name, data, on=on, reason=reason)
    assert match in info.value.message, info.value.message
    assert snapshot(case) == before
    return info.value.message


@pytest.fixture
def team(orgs, users):
    profile(orgs.committee_a)
    return [mediator(orgs.committee_a, "张调解", user=users.mediator_a), mediator(orgs.committee_a, "周调解")]


@pytest.fixture
def case(orgs, users):
    return make_dispute(users.office_a, orgs.committee_a, opened_on=MARCH)


def deadline(case, key):
    return Deadline.objects.get(case=case, key=key)


def events(case):
    return list(CaseEvent.objects.filter(case=case).order_by("at", "id").values_list("transition", flat=True))


def test_every_transition_is_tested_here():
    from pathlib import Path

    names = {t.name for t in WORKFLOW.steps}
    source = Path(__file__).read_text(encoding="utf-8")
    tested = {n for n in names if f"def test_{n}(" in source}
    assert tested == names


# --- acceptance -------------------------------------------------------------------------------------------


def test_accept(case, users, orgs):
    step(users.office_a, case, "accept", on=MARCH)
    case.refresh_from_db()
    d = case.dispute
    assert case.status == "accepted" and d.accepted_on == MARCH
    assert case.doc_number == "A调人调字〔2026〕第1号"
    term = deadline(case, "mediation_term")
    assert (term.start_date, term.due_date, term.unit) == (MARCH, date(2026, 4, 2), "month")
    assert events(case) == ["", "accept"]
    # The next committee number continues the committee's own sequence.
    other = make_dispute(users.office_a, orgs.committee_a, opened_on=MARCH, parties=[{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}])
    step(users.office_a, other, "accept", on=MARCH)
    assert Case.objects.get(pk=other.pk).doc_number == "A调人调字〔2026〕第2号"
    refused(users.office_a, case, "accept", match="不能执行“受理”")


def test_not_accept(case, users):
    refused(users.office_a, case, "not_accept", {"not_accepted_reason": "party_refuses"}, match="请填写不予受理的理由")
    refused(users.office_a, case, "not_accept", {"not_accepted_reason": "nonsense"}, reason="拒绝", match="不予受理原因")
    step(users.office_a, case, "not_accept", {"not_accepted_reason": "party_refuses"}, reason="被申请人明确拒绝调解。")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on is not None) == ("not_accepted", "not_accepted", True)
    assert case.dispute.not_accepted_reason == "party_refuses"
    assert case.outcome_label == "不予受理"
    refused(users.office_a, case, "accept", match="不予受理")


def test_leader_reads_but_cannot_step(case, users):
    assert allowed_steps(users.leader, case) == []
    refused(users.leader, case, "accept", match="您的角色不能执行", exc=PermissionRefused)


# --- mediators and sessions ---------------------------------------------------------------------------------


def test_assign_mediators(case, users, team, orgs):
    step(users.office_a, case, "accept")
    refused(users.office_a, case, "assign_mediators", {"mediators": [], "mediator_choice": "designated"}, match="请选择调解员")
    stranger = mediator(orgs.committee_b, "外所调解员")
    refused(users.office_a, case, "assign_mediators", {"mediators": [stranger.pk], "mediator_choice": "designated"}, match="调解员")
    refused(users.office_a, case, "assign_mediators", {"mediators": [team[1].pk], "lead": team[0].pk, "mediator_choice": "chosen"}, match="主持调解的调解员")
    step(users.office_a, case, "assign_mediators", {"mediators": [t.pk for t in team], "lead": team[0].pk, "mediator_choice": "chosen"})
    case.refresh_from_db()
    assert case.status == "mediating" and case.handler == users.mediator_a
    assert case.dispute.mediator_choice == "chosen"
    assert list(case.dispute.mediator_links.values_list("mediator__name", "is_lead")) == [("张调解", True), ("周调解", False)]
    # The mediator with an account now sees the dispute (assignment), the other has no account.
    assert CaseAssignment.objects.filter(case=case, user=users.mediator_a, role="mediator", active=True).exists()
    assert selectors.disputes(users.mediator_a).filter(pk=case.pk).exists()
    assert not selectors.disputes(users.mediator_a2).filter(pk=case.pk).exists()
    label = CaseEvent.objects.filter(case=case, transition="assign_mediators").get().label
    clerk = users.office_a.display_name
    assert label == f"指派调解员：张调解、周调解（当事人选择）；承办人变更为{users.mediator_a.display_name}，原承办人{clerk}转为协办人"
    # The clerk who registered it keeps it on their list, as 协办人.
    assert CaseAssignment.objects.filter(case=case, user=users.office_a, role="assistant", active=True).exists()
    from sifa.cases.selectors import handled_ids

    assert Case.objects.filter(pk__in=handled_ids(users.office_a), id=case.pk).exists()
    # One timeline entry for the step, not one more per person it assigned.
    assert not CaseEvent.objects.filter(case=case, kind="assignment").exists()


def test_schedule_session(case, users, team):
    to_mediating(users.office_a, case, team)
    refused(
        users.office_a, case, "schedule_session", {"kind": "mediation", "session_on": localdate() - timedelta(days=1), "place": "村委会"}, match="不能早于今天"
    )
    soon = localdate() + timedelta(days=2)
    step(users.office_a, case, "schedule_session", {"kind": "mediation", "session_on": soon, "at_time": "09:30", "place": "村委会"})
    s = Session.objects.get(dispute=case.dispute)
    assert (s.held, s.on, s.at_time.strftime("%H:%M")) == (False, soon, "09:30")
    assert list(selectors.next_sessions(users.mediator_a)) == [s]
    assert list(selectors.next_sessions(users.mediator_a2)) == []


def test_record_session(case, users, team):
    to_mediating(users.office_a, case, team)
    soon = localdate() + timedelta(days=2)
    step(users.office_a, case, "schedule_session", {"kind": "mediation", "session_on": soon, "place": "村委会"})
    planned = Session.objects.get()
    refused(users.office_a, case, "record_session", session_data(on=soon), match="日期不能晚于今天")
    refused(users.office_a, case, "record_session", session_data(record=""), match="调查/调解情况记录")
    refused(users.office_a, case, "record_session", session_data(on=MARCH - timedelta(days=1)), match="不能早于纠纷登记日期")
    step(users.office_a, case, "record_session", session_data(kind="investigation", place="当事人家中"))
    step(users.office_a, case, "record_session", session_data(planned=planned.pk))
    planned.refresh_from_db()
    assert planned.held and planned.on == localdate() and planned.record
    assert Session.objects.filter(held=True).count() == 2
    assert list(selectors.next_sessions(users.mediator_a)) == []
    labels = list(CaseEvent.objects.filter(case=case, transition="record_session").values_list("label", flat=True))
    assert labels[0].startswith("调查记录：") and labels[1].startswith("调解记录：")


def test_a_scheduled_session_fills_its_record_and_mediators_come_from_those_assigned(case, users, team, orgs):
    to_mediating(users.office_a, case, team)
    soon = localdate() + timedelta(days=1)
    step(
        users.office_a,
        case,
        "schedule_session",
        {"kind": "investigation", "session_on": soon, "at_time": "09:30", "place": "村委会", "participants": "张三、李四"},
    )
    planned = Session.objects.get()
    # Held today as planned except for the date: the form leaves place, time, kind and
    # participants empty and they come from the schedule.
    Session.objects.filter(pk=planned.pk).update(on=localdate())
    step(users.office_a, case, "record_session", {"planned": planned.pk, "kind": "", "session_on": "", "record": "走访。", "mediators": [team[1].pk]})
    planned.refresh_from_db()
    assert (planned.held, planned.kind, planned.place, planned.participants, planned.at_time.strftime("%H:%M")) == (
        True,
        "investigation",
        "村委会",
        "张三、李四",
        "09:30",
    )
    assert planned.mediators == "周调解"
    # Without a scheduled session the date and place are needed, and only assigned mediators may be named.
    refused(users.office_a, case, "record_session", {"kind": "mediation", "record": "x"}, match="请填写调查/调解日期")
    stranger = mediator(orgs.committee_a, "未指派调解员")
    refused(users.office_a, case, "record_session", session_data(mediators=[stranger.pk]), match="调解员/调查人")
    # Not named: the assigned mediators are offered ticked on the page; the API records the actor.
    step(users.office_a, case, "record_session", session_data())
    assert Session.objects.filter(held=True).order_by("-id").first().mediators == users.office_a.display_name


def test_the_session_page_offers_the_schedule_and_the_assigned_mediators(case, users, team, client_for):
    from django.urls import reverse

    to_mediating(users.office_a, case, team)
    soon = localdate() + timedelta(days=3)
    step(users.office_a, case, "schedule_session", {"kind": "mediation", "session_on": soon, "place": "调解室", "participants": "双方"})
    page = client_for(users.office_a).get(reverse("cases:transition", args=[case.pk, "record_session"])).content.decode()
    assert 'data-fills=""' in page and f'data-fill-session_on="{soon:%Y-%m-%d}"' in page and 'data-fill-place="调解室"' in page
    assert "张调解" in page and "周调解" in page and "请选择" in page and "---------" not in page


def test_extend(case, users, team, settings):
    to_mediating(users.office_a, case, team, on=MARCH)
    refused(users.office_a, case, "extend", {"consent": False}, match="须经双方当事人同意")
    step(users.office_a, case, "extend", {"consent": True, "note": "双方要求延长"}, on=date(2026, 3, 20))
    term = deadline(case, "mediation_term")
    from sifa.deadlines.calendar import next_workday_on_or_after

    assert term.extended == 1 and term.due_date == next_workday_on_or_after(date(2026, 5, 2))
    assert Dispute.objects.get(pk=case.pk).extensions == 1
    refused(users.office_a, case, "extend", {"consent": True}, match="应当终止调解")
    # The extension length and the number allowed are rule parameters.
    settings.SIFA_MEDIATION_MAX_EXTENSIONS = 2
    settings.SIFA_MEDIATION_EXTENSION_MONTHS = 2
    step(users.office_a, case, "extend", {"consent": True})
    assert deadline(case, "mediation_term").extended == 3


# --- outcomes ------------------------------------------------------------------------------------------------


def test_succeed(case, users, team):
    to_mediating(users.office_a, case, team, on=MARCH)
    agreed, effective = date(2026, 3, 10), date(2026, 3, 11)
    data = agreement_data(on=agreed, effective_on=effective)
    # Not offered before a mediation session is recorded (the precondition), whatever is sent.
    refused(users.office_a, case, "succeed", {}, match="尚未记录调解情况")
    refused(users.office_a, case, "succeed", data, match="尚未记录调解情况")
    step(users.office_a, case, "record_session", session_data(kind="investigation", on=MARCH), on=MARCH)
    refused(users.office_a, case, "succeed", data, match="尚未记录调解情况")
    step(users.office_a, case, "record_session", session_data(on=agreed), on=agreed)
    refused(users.office_a, case, "succeed", data | {"agreement_content": ""}, match="没有调解协议内容，不能以调解成功结案")
    refused(users.office_a, case, "succeed", data | {"facts": ""}, match="纠纷的主要事实")
    refused(users.office_a, case, "succeed", data | {"performance_manner": ""}, match="履行方式")
    refused(users.office_a, case, "succeed", data | {"performance_deadline": None}, match="履行期限")
    refused(users.office_a, case, "succeed", data | {"effective_on": agreed - timedelta(days=1)}, match="生效日期不能早于")
    refused(users.office_a, case, "succeed", data | {"agreement_amount": "-1"}, match="协议涉及金额")
    step(users.office_a, case, "succeed", data, on=agreed)
    case.refresh_from_db()
    d = case.dispute
    assert case.status == "agreed" and case.closed_on is None
    assert (d.result, d.outcome_on, d.agreement_form, d.effective_on, str(d.agreement_amount), d.performance) == (
        "success",
        agreed,
        "written",
        effective,
        "3000.00",
        "pending",
    )
    assert deadline(case, "mediation_term").completed_on == agreed
    window = deadline(case, "confirmation_window")
    assert (window.start_date, window.due_date) == (effective, date(2026, 4, 10))
    follow = deadline(case, "followup")
    assert (follow.start_date, follow.due_date) == (agreed, date(2026, 4, 9))
    assert CaseEvent.objects.get(case=case, transition="succeed").label == "调解成功（书面调解协议书）"


def test_succeed_oral_on_the_spot(case, users, team):
    to_mediating(users.office_a, case, team)
    step(users.office_a, case, "record_session", session_data())
    step(
        users.office_a,
        case,
        "succeed",
        {"agreement_form": "oral", "agreement_content": "李四当场赔偿二百元。", "agreed_on": localdate(), "performed_on_spot": True},
    )
    d = Dispute.objects.get(pk=case.pk)
    assert (d.agreement_form, d.performance, d.performed_on, d.effective_on) == ("oral", "performed", localdate(), localdate())
    assert not Deadline.objects.filter(case=case, key="confirmation_window").exists()
    # Performed on the spot: archiving needs no follow-up visit; the follow-up clock is cancelled.
    step(users.office_a, case, "archive")
    assert deadline(case, "followup").cancelled


def test_terminate(case, users, team):
    to_mediating(users.office_a, case, team)
    refused(users.office_a, case, "terminate", {"termination_reason": "no_agreement"}, match="告知当事人")
    step(users.office_a, case, "terminate", {"termination_reason": "no_agreement", "routes_told": True})
    case.refresh_from_db()
    assert case.status == "terminated" and case.dispute.result == "failed" and case.dispute.outcome_on == localdate()
    assert deadline(case, "mediation_term").completed_on == localdate()
    assert CaseEvent.objects.get(case=case, transition="terminate").label == "终止调解：经调解未能达成协议"
    refused(users.office_a, case, "succeed", agreement_data(), match="不能执行")


# --- follow-up and archive -----------------------------------------------------------------------------------------


def test_record_visit(case, users, team):
    to_agreed(users.office_a, case, team, on=MARCH)
    refused(
        users.office_a,
        case,
        "record_visit",
        {"visit_on": MARCH - timedelta(days=1), "method": "phone", "visited": "张三", "performance": "performed", "satisfaction": "satisfied"},
        match="不能早于",
    )
    refused(
        users.office_a,
        case,
        "record_visit",
        {"visit_on": MARCH, "method": "phone", "visited": "张三", "performance": "pending", "satisfaction": "satisfied"},
        match="协议履行情况",
    )
    refused(
        users.office_a,
        case,
        "record_visit",
        {"visit_on": MARCH, "method": "phone", "visited": "张三", "performance": "partly", "satisfaction": "basic", "new_risk": True},
        match="回访情况",
    )
    visit_on = date(2026, 3, 20)
    step(
        users.office_a,
        case,
        "record_visit",
        {
            "visit_on": visit_on,
            "method": "home",
            "visited": "张三、李四",
            "performance": "partly",
            "satisfaction": "basic",
            "new_risk": True,
            "notes": "李四仅付一半，双方又起争执。",
        },
        on=visit_on,
    )
    d = Dispute.objects.get(pk=case.pk)
    assert (d.performance, d.visit_count, d.last_visit_on, d.performed_on) == ("partly", 1, visit_on, None)
    assert d.risk_flag and d.risk_status == "active" and d.risk_flagged_on == visit_on
    assert deadline(case, "followup").completed_on == visit_on
    assert "发现激化隐患" in CaseEvent.objects.get(case=case, transition="record_visit").label
    step(users.office_a, case, "resolve_risk", {"risk_status": "defused"})
    step(
        users.office_a,
        case,
        "record_visit",
        {"visit_on": localdate(), "method": "phone", "visited": "张三", "performance": "performed", "satisfaction": "satisfied"},
    )
    d.refresh_from_db()
    assert (d.performance, d.visit_count, d.performed_on) == ("performed", 2, localdate())


def test_archive(case, users, team):
    to_agreed(users.office_a, case, team, on=MARCH)
    refused(users.office_a, case, "archive", match="尚未回访")
    step(
        users.office_a,
        case,
        "record_visit",
        {"visit_on": date(2026, 4, 1), "method": "phone", "visited": "张三", "performance": "performed", "satisfaction": "satisfied"},
        on=date(2026, 4, 1),
    )
    step(users.office_a, case, "flag_risk", {"risk_kind": "public_order", "risk_level": "general", "risk_persons": 2, "risk_note": "邻里口角。"})
    refused(users.office_a, case, "archive", match="风险预警")
    step(users.office_a, case, "resolve_risk", {"risk_status": "defused"})
    step(users.office_a, case, "archive")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on, case.outcome_label) == ("archived", "success", localdate(), "调解成功")
    window = deadline(case, "confirmation_window")
    assert window.cancelled and window.completed_on is None
    assert case.next_due is None
    refused(
        users.office_a,
        case,
        "record_visit",
        {"visit_on": localdate(), "method": "phone", "visited": "张三", "performance": "performed", "satisfaction": "satisfied"},
        match="本案已归档，只能查看",  # read-only until reopened (cases.archive)
    )


def test_archive_terminated(case, users, team):
    to_mediating(users.office_a, case, team)
    refused(users.office_a, case, "archive", match="当前为“调解中”，不能执行“结案归档”")
    step(users.office_a, case, "terminate", {"termination_reason": "party_refuses", "routes_told": True})
    step(users.office_a, case, "archive")
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("archived", "failed")


# --- judicial confirmation ------------------------------------------------------------------------------------------


def _confirmable(case, users, team):
    to_mediating(users.office_a, case, team, on=MARCH)
    agreed, effective = date(2026, 3, 10), date(2026, 3, 11)
    step(users.office_a, case, "record_session", session_data(on=agreed), on=agreed)
    step(users.office_a, case, "succeed", agreement_data(on=agreed, effective_on=effective), on=agreed)


def test_apply_confirmation(case, users, team):
    _confirmable(case, users, team)
    refused(users.office_a, case, "apply_confirmation", {"court": "演示区人民法院", "applied_on": date(2026, 4, 13)}, match="已超过司法确认申请期限")
    refused(users.office_a, case, "apply_confirmation", {"court": "演示区人民法院", "applied_on": date(2026, 3, 10)}, match="不能早于调解协议生效日期")
    refused(users.office_a, case, "apply_confirmation", {"court": "", "applied_on": date(2026, 3, 20)}, match="受理法院")
    step(users.office_a, case, "apply_confirmation", {"court": "演示区人民法院", "applied_on": date(2026, 4, 10)}, on=date(2026, 4, 10))
    c = JudicialConfirmation.objects.get()
    assert (c.status, c.applied_on, c.court) == ("applied", date(2026, 4, 10), "演示区人民法院")
    assert deadline(case, "confirmation_window").completed_on == date(2026, 4, 10)
    refused(users.office_a, case, "apply_confirmation", {"court": "演示区人民法院", "applied_on": date(2026, 4, 10)}, match="已申请司法确认")
    # The court's own periods are shown for information: 3 days to accept.
    info = selectors.detail(case)
    assert info["court_accept_due"] == date(2026, 4, 13) and info["court_decide_due"] is None


def test_apply_confirmation_needs_a_written_agreement(case, users, team):
    to_mediating(users.office_a, case, team)
    step(users.office_a, case, "record_session", session_data())
    step(users.office_a, case, "succeed", {"agreement_form": "oral", "agreement_content": "口头约定。", "agreed_on": localdate()})
    refused(users.office_a, case, "apply_confirmation", {"court": "演示区人民法院", "applied_on": localdate()}, match="没有书面调解协议书")


def test_court_accept(case, users, team):
    _confirmable(case, users, team)
    refused(
        users.office_a,
        case,
        "court_accept",
        {"decision": "accepted", "court_on": date(2026, 3, 20), "court_case_number": "（2026）演0101民特1号"},
        match="没有待法院受理",
    )
    step(users.office_a, case, "apply_confirmation", {"court": "演示区人民法院", "applied_on": date(2026, 3, 20)}, on=date(2026, 3, 20))
    refused(users.office_a, case, "court_accept", {"decision": "accepted", "court_on": date(2026, 3, 21)}, match="调确字")
    refused(users.office_a, case, "court_accept", {"decision": "accepted", "court_on": date(2026, 3, 19), "court_case_number": "x"}, match="不能早于申请日期")
    step(
        users.office_a,
        case,
        "court_accept",
        {"decision": "accepted", "court_on": date(2026, 3, 23), "court_case_number": "（2026）演0101民特1号"},
        on=date(2026, 3, 23),
    )
    c = JudicialConfirmation.objects.get()
    assert (c.status, c.accepted_on) == ("accepted", date(2026, 3, 23))
    info = selectors.detail(case)
    # 15 days from acceptance (2026-04-07), extendable by 10 days (2026-04-17).
    assert (info["court_decide_due"], info["court_decide_due_extended"]) == (date(2026, 4, 7), date(2026, 4, 17))
    refused(users.office_a, case, "archive", match="司法确认尚在法院审查中")


def test_court_accept_refuses_application(case, users, team):
    _confirmable(case, users, team)
    step(users.office_a, case, "apply_confirmation", {"court": "演示区人民法院", "applied_on": date(2026, 3, 20)}, on=date(2026, 3, 20))
    step(users.office_a, case, "court_accept", {"decision": "not_accepted", "court_on": date(2026, 3, 22)}, on=date(2026, 3, 22))
    c = JudicialConfirmation.objects.get()
    assert (c.status, c.decided_on) == ("not_accepted", date(2026, 3, 22))
    # Not accepted: the parties may apply again within the window.
    step(users.office_a, case, "apply_confirmation", {"court": "演示区人民法院东湖法庭", "applied_on": date(2026, 3, 25)}, on=date(2026, 3, 25))
    assert JudicialConfirmation.objects.get().status == "applied"


def test_court_decide(case, users, team):
    _confirmable(case, users, team)
    step(users.office_a, case, "apply_confirmation", {"court": "演示区人民法院", "applied_on": date(2026, 3, 20)}, on=date(2026, 3, 20))
    refused(users.office_a, case, "court_decide", {"decision": "confirmed", "court_on": date(2026, 3, 25)}, match="法院尚未受理")
    step(
        users.office_a,
        case,
        "court_accept",
        {"decision": "accepted", "court_on": date(2026, 3, 23), "court_case_number": "（2026）演0101民特1号"},
        on=date(2026, 3, 23),
    )
    refused(users.office_a, case, "court_decide", {"decision": "confirmed", "court_on": date(2026, 3, 22)}, match="不能早于受理日期")
    step(users.office_a, case, "court_decide", {"decision": "confirmed", "court_on": date(2026, 4, 3)}, on=date(2026, 4, 3))
    c = JudicialConfirmation.objects.get()
    assert (c.status, c.decided_on) == ("confirmed", date(2026, 4, 3))
    assert CaseEvent.objects.filter(case=case, transition="court_decide").get().label == "司法确认结果：确认有效"


# --- risk (防止民转刑) ---------------------------------------------------------------------------------------------------

RISK = {"risk_kind": "criminal", "risk_level": "major", "risk_persons": 6, "risk_note": "双方家族纠集人员，扬言械斗。"}


def test_flag_risk(case, users):
    # A flag can be raised at any open step, even before acceptance.
    refused(users.office_a, case, "flag_risk", RISK | {"risk_persons": 0}, match="涉及人数")
    step(users.office_a, case, "flag_risk", RISK)
    d = Dispute.objects.get(pk=case.pk)
    assert (d.risk_flag, d.risk_status, d.risk_kind, d.risk_persons, d.risk_flagged_on) == (True, "active", "criminal", 6, localdate())
    assert list(selectors.risk_list(users.leader)) == [Case.objects.get(pk=case.pk)]
    refused(users.office_a, case, "flag_risk", RISK, match="已有在办的风险预警")
    assert set(WORKFLOW.get("flag_risk").sources) == set(WORKFLOW.states) - set(WORKFLOW.final_states)


def test_report_risk(case, users):
    refused(users.office_a, case, "report_risk", {"reported_to": "东湖派出所"}, match="没有在办的风险预警")
    step(users.office_a, case, "flag_risk", RISK)
    step(users.office_a, case, "report_risk", {"reported_to": "东湖派出所", "contact": "值班民警", "measures": "专人稳控"})
    d = Dispute.objects.get(pk=case.pk)
    assert d.risk_status == "reported" and RiskReport.objects.get().reported_to == "东湖派出所"


def test_resolve_risk(case, users):
    refused(users.office_a, case, "resolve_risk", {"risk_status": "defused"}, match="没有在办的风险预警")
    step(users.office_a, case, "flag_risk", RISK)
    refused(users.office_a, case, "resolve_risk", {"risk_status": "active"}, match="处置结果")
    step(users.office_a, case, "resolve_risk", {"risk_status": "defused", "note": "经疏导化解"})
    d = Dispute.objects.get(pk=case.pk)
    assert (d.risk_status, d.risk_resolved_on) == ("defused", localdate())
    assert list(selectors.risk_list(users.leader)) == []
    assert list(selectors.risk_list(users.leader, include_resolved=True)) == [Case.objects.get(pk=case.pk)]


def test_timeline_has_every_step(case, users, team):
    to_agreed(users.office_a, case, team)
    step(
        users.office_a,
        case,
        "record_visit",
        {"visit_on": localdate(), "method": "phone", "visited": "张三", "performance": "performed", "satisfaction": "satisfied"},
    )
    step(users.office_a, case, "archive")
    assert [e for e in events(case) if e] == ["accept", "assign_mediators", "record_session", "succeed", "record_visit", "archive"]


def test_clocks_warn_like_the_foundation(orgs, users, team):
    """An accepted dispute past its month is 超期 on the deadline list and the mediator's bell."""
    from sifa.deadlines import selectors as dl

    old = localdate() - timedelta(days=60)
    case = make_dispute(users.office_a, orgs.committee_a, opened_on=old)
    to_mediating(users.office_a, case, team, on=old)
    term = deadline(case, "mediation_term")
    assert dl.light(term) == "overdue"
    assert term in dl.overdue(users.office_a) and term in dl.mine(users.mediator_a)
    assert dl.bell_count(users.mediator_a) >= 1 and dl.bell_count(users.mediator_a2) == 0
    assert Case.objects.get(pk=case.pk).next_due == term.due_date


def test_the_confirmation_window_is_the_parties_right_never_overdue(orgs, users):
    """人民调解法第三十三条: applying for 司法确认 is the parties' right; the committee is never 超期 on it."""
    from sifa.deadlines import selectors as dl

    profile(orgs.committee_a)
    team = [mediator(orgs.committee_a, "张调解", user=users.mediator_a)]
    case = to_agreed(users.office_a, make_dispute(users.office_a, orgs.committee_a, opened_on=MARCH), team, on=MARCH)
    window = Deadline.objects.get(case=case, key="confirmation_window")
    assert window.kind == "right" and dl.light(window, window.due_date + timedelta(days=30)) == dl.LAPSED
    assert not dl.overdue(users.office_a, window.due_date + timedelta(days=30)).filter(key="confirmation_window").exists()
    running = Deadline.objects.filter(case=case, kind="organ", completed_on__isnull=True, cancelled=False).order_by("due_date")
    assert Case.all_objects.get(pk=case.pk).next_due == (running[0].due_date if running else None)  # the committee's own clocks only
    # Nor on the mediator's list and bell, nor among the dashboard's overdue figures.
    from sifa.stats import selectors as stats

    assert window.due_date < localdate() and not dl.mine(users.mediator_a).filter(key="confirmation_window").exists()
    assert dl.bell_count(users.mediator_a) == dl.mine(users.mediator_a).count() + dl.todos(users.mediator_a).count()
    dash = stats.deadlines(users.leader, orgs.bureau)
    assert all(d.key != "confirmation_window" for d in dash["overdue"]) and dash["overdue_count"] == dl.overdue(users.leader, within=orgs.bureau).count()
