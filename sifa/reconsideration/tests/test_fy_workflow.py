"""Every step of the reconsideration workflow, and refusals that change nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sifa.audit.models import AuditEntry
from sifa.cases import settle
from sifa.cases.models import CaseEvent
from sifa.common.errors import DomainError, PermissionRefused
from sifa.deadlines.models import Deadline
from sifa.reconsideration.choices import FyStatus, Outcome, TerminationReason
from sifa.reconsideration.models import Activity, Application, Opinion, Suspension

from .factories import accepted, fresh, heard, make_application, step

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 3, 2)  # a Monday; review due 2026-03-09


def snapshot(case):
    case = fresh(case)
    app = Application.objects.get(case=case)
    return (
        case.status,
        case.version,
        case.outcome,
        case.closed_on,
        case.doc_number,
        CaseEvent.objects.filter(case=case).count(),
        {k: v for k, v in app.__dict__.items() if not k.startswith("_")},
        list(Deadline.objects.filter(case=case).order_by("key").values_list("key", "due_date", "completed_on", "cancelled", "paused_since", "extended")),
        Activity.objects.filter(case=case).count(),
        Suspension.objects.filter(case=case).count(),
        Opinion.objects.filter(case=case).count(),
    )


def refused(actor, case, name, on=None, match="", reason="", **data):
    """The step is refused with a Chinese message, and nothing at all changed."""
    before = snapshot(case)
    with pytest.raises(DomainError) as exc:
        step(actor, case, name, on, reason=reason, **data)
    assert snapshot(case) == before
    assert match in exc.value.message, exc.value.message
    return exc.value


def test_registration_starts_the_review(users):
    case = make_application(users.staff, received_on=RECEIVED)
    assert case.status == FyStatus.RECEIVED and case.code[6:8] == "FY"
    assert case.owner_org == users.staff.org and case.title == "张三不服区市场监督管理局罚款"
    review = Deadline.objects.get(case=case, key="review")
    assert (review.amount, review.unit, review.due_date) == (5, "workday", date(2026, 3, 9))


def test_accept_assigns_the_document_number_and_starts_the_clocks(users):
    case = make_application(users.staff, received_on=RECEIVED)
    step(users.staff, case, "accept", date(2026, 3, 4), procedure="ordinary")
    case = fresh(case)
    app = case.application
    assert case.status == FyStatus.REVIEWING and app.accepted_on == date(2026, 3, 4) and not app.deemed_accepted
    assert case.doc_number == "测司行复〔2026〕第1号"
    dls = {d.key: d for d in Deadline.objects.filter(case=case)}
    assert dls["review"].completed_on == date(2026, 3, 4)
    assert dls["copy"].due_date == date(2026, 3, 13)  # 7 working days
    assert dls["decision"].due_date == date(2026, 5, 6)  # 3-4 + 60 = 5-3 (Sunday, and 5-1..5-5 Labour Day) → 5-6


def test_simplified_procedure_needs_a_ground_and_the_amount_limit(users):
    case = make_application(users.staff, received_on=RECEIVED, amount="5000")
    refused(users.staff, case, "accept", date(2026, 3, 3), "适用简易程序的情形", procedure="simplified")
    refused(users.staff, case, "accept", date(2026, 3, 3), "超过3,000元", procedure="simplified", simplified_ground="small_amount")
    step(users.staff, case, "accept", date(2026, 3, 3), procedure="simplified", simplified_ground="warning")
    dls = {d.key: d for d in Deadline.objects.filter(case=case)}
    assert dls["copy"].amount == 3 and dls["decision"].amount == 30


def test_not_accept_names_the_competent_organ_when_no_jurisdiction(users):
    case = make_application(users.staff, received_on=RECEIVED)
    refused(users.staff, case, "not_accept", date(2026, 3, 4), "有管辖权的行政复议机关", refusal_reason="no_jurisdiction", explanation="不属于本机关管辖。")
    refused(users.staff, case, "not_accept", date(2026, 3, 4), "不予受理理由：", refusal_reason="nonsense", explanation="x")
    step(
        users.staff, case, "not_accept", date(2026, 3, 4), refusal_reason="no_jurisdiction", competent_organ="测试市人民政府", explanation="不属于本机关管辖。"
    )
    case = fresh(case)
    assert (case.status, case.outcome, case.closed_on) == (FyStatus.NOT_ACCEPTED, Outcome.NOT_ACCEPTED, date(2026, 3, 4))
    assert case.application.competent_organ == "测试市人民政府" and case.doc_number


def test_decisions_of_the_review_stage_are_refused_after_the_review_period(users):
    case = make_application(users.staff, received_on=RECEIVED)
    for name, data in (
        ("accept", {"procedure": "ordinary"}),
        ("request_correction", {"items": "补充材料"}),
        ("not_accept", {"refusal_reason": "out_of_time", "explanation": "超期"}),
    ):
        refused(users.staff, case, name, date(2026, 3, 10), "视为受理", **data)


def test_correction_round_trip_and_extension(users):
    case = make_application(users.staff, received_on=RECEIVED)
    refused(users.staff, case, "request_correction", date(2026, 3, 3), "需要补正的事项")
    step(users.staff, case, "request_correction", date(2026, 3, 3), items="1. 身份证明\n2. 行政处罚决定书", served_on=date(2026, 3, 5))
    case = fresh(case)
    assert case.status == FyStatus.CORRECTING
    corr = Deadline.objects.get(case=case, key="correction")
    assert (corr.start_date, corr.due_date) == (date(2026, 3, 5), date(2026, 3, 19))  # 10 working days from receipt
    refused(users.staff, case, "extend_correction", date(2026, 3, 10), "延长补正期限", days=40, grounds="住院")
    step(users.staff, case, "extend_correction", date(2026, 3, 10), days=3, grounds="申请人住院")
    assert Deadline.objects.get(case=case, key="correction").due_date == date(2026, 3, 24)
    refused(users.staff, case, "deemed_withdraw", date(2026, 3, 20), "尚未届满")
    step(users.staff, case, "receive_correction", date(2026, 3, 20))
    case = fresh(case)
    assert case.status == FyStatus.RECEIVED and case.application.correction_received_on == date(2026, 3, 20)
    review = Deadline.objects.get(case=case, key="review")
    assert (review.start_date, review.due_date, review.completed_on) == (date(2026, 3, 20), date(2026, 3, 27), None)
    step(users.staff, case, "accept", date(2026, 3, 26), procedure="ordinary")
    assert fresh(case).status == FyStatus.REVIEWING


def test_copy_and_reply(users):
    case = accepted(users, RECEIVED, on=date(2026, 3, 3))
    refused(users.staff, case, "record_reply", date(2026, 3, 4), "尚未向被申请人发送")
    step(users.staff, case, "send_copy", date(2026, 3, 4), served_on=date(2026, 3, 5))
    refused(users.staff, case, "send_copy", date(2026, 3, 5), "已经发送过")
    reply = Deadline.objects.get(case=case, key="reply")
    assert (reply.start_date, reply.due_date) == (date(2026, 3, 5), date(2026, 3, 19))
    assert Deadline.objects.get(case=case, key="copy").completed_on == date(2026, 3, 4)
    step(users.staff, case, "record_reply", date(2026, 3, 16), summary="提交了答复和证据。")
    assert Deadline.objects.get(case=case, key="reply").completed_on == date(2026, 3, 16)
    refused(users.staff, case, "record_reply", date(2026, 3, 17), "已经登记过")


def test_review_activities(users):
    case = accepted(users, RECEIVED, on=date(2026, 3, 3))
    heard(users, case, date(2026, 3, 5))
    # Hearing notice at least 5 working days ahead (§51).
    refused(users.staff, case, "schedule_hearing", date(2026, 3, 6), "最早可定于2026-03-13", hearing_date=date(2026, 3, 12), place="听证室", matters="程序")
    refused(users.staff, case, "record_hearing", date(2026, 3, 13), "没有已通知待举行的听证", held_on=date(2026, 3, 13), participants="x", summary="x")
    step(users.staff, case, "schedule_hearing", date(2026, 3, 6), hearing_date=date(2026, 3, 13), place="听证室", matters="程序是否合法")
    refused(users.staff, case, "record_hearing", date(2026, 3, 13), "举行日期", held_on=date(2026, 3, 5), participants="x", summary="x")
    step(
        users.staff,
        case,
        "record_hearing",
        date(2026, 3, 13),
        held_on=date(2026, 3, 13),
        respondent_head_attended=True,
        participants="主持人等",
        summary="质证",
    )
    hearing = Activity.objects.get(case=case, kind="hearing")
    assert hearing.status == "held" and hearing.respondent_head_attended and "质证" in hearing.summary
    refused(users.staff, case, "investigate", date(2026, 3, 16), "不得少于两人", investigators="李科员", place="现场", summary="x")
    step(users.staff, case, "investigate", date(2026, 3, 16), investigators="李科员，王科员", place="现场", summary="核实")
    assert Activity.objects.get(case=case, kind="investigation").participants == "李科员、王科员"
    step(users.staff, case, "consult_committee", date(2026, 3, 17), participants="委员五人", summary="建议撤销")
    step(users.staff, case, "mediate", date(2026, 3, 18), result="failed", summary="未达成")
    assert Activity.objects.filter(case=case).count() == 5


def test_extension_is_requested_by_staff_and_approved_by_the_leader(users):
    case = accepted(users, RECEIVED, on=date(2026, 3, 3))
    due = Deadline.objects.get(case=case, key="decision").due_date
    refused(users.leader, case, "approve_extension", date(2026, 4, 1), "没有待批准的延期申请")
    refused(users.staff, case, "request_extension", date(2026, 4, 1), "申请延长天数", days=31, grounds="复杂")
    step(users.staff, case, "request_extension", date(2026, 4, 1), days=20, grounds="需要鉴定")
    refused(users.staff, case, "request_extension", date(2026, 4, 2), "待批准", days=10, grounds="x")
    with pytest.raises(PermissionRefused):
        step(users.staff, case, "approve_extension", date(2026, 4, 2))
    assert Deadline.objects.get(case=case, key="decision").due_date == due
    with pytest.raises(PermissionRefused):
        step(users.leader, case, "request_extension", date(2026, 4, 2), days=5, grounds="x")
    step(users.leader, case, "approve_extension", date(2026, 4, 2))
    app = fresh(case).application
    assert app.extension_days == 20 and app.extension_approved_by == users.leader
    dl = Deadline.objects.get(case=case, key="decision")
    assert dl.extended == 20 and dl.due_date == date(2026, 5, 22)  # 3-3 + 80 days
    refused(users.staff, case, "request_extension", date(2026, 4, 3), "已经延长过一次", days=5, grounds="x")


def test_extension_rejected(users):
    case = accepted(users, RECEIVED, on=date(2026, 3, 3))
    step(users.staff, case, "request_extension", date(2026, 4, 1), days=30, grounds="需要鉴定")
    refused(users.leader, case, "reject_extension", date(2026, 4, 2), "不批准的理由")
    step(users.leader, case, "reject_extension", date(2026, 4, 2), reason="理由不充分")
    app = fresh(case).application
    assert app.extension_requested_days is None and app.extension_days is None
    assert Deadline.objects.get(case=case, key="decision").extended == 0


def test_simplified_case_cannot_be_extended_but_can_be_converted(users):
    case = accepted(users, RECEIVED, on=date(2026, 3, 3), procedure="simplified", ground="info_disclosure", category="info_disclosure")
    refused(users.staff, case, "request_extension", date(2026, 3, 10), "简易程序", days=10, grounds="x")
    with pytest.raises(PermissionRefused):
        step(users.staff, case, "convert_to_ordinary", date(2026, 3, 10), reason="复杂")
    step(users.leader, case, "convert_to_ordinary", date(2026, 3, 10), reason="案情复杂")
    app = fresh(case).application
    assert app.procedure == "ordinary" and app.converted_on == date(2026, 3, 10)
    dl = Deadline.objects.get(case=case, key="decision")
    assert (dl.amount, dl.start_date, dl.due_date) == (60, date(2026, 3, 3), date(2026, 5, 6))
    refused(users.leader, case, "convert_to_ordinary", date(2026, 3, 11), "不是适用简易程序", reason="x")


def test_suspend_and_resume_pause_the_decision_clock(users):
    case = accepted(users, RECEIVED, on=date(2026, 3, 3))
    step(users.staff, case, "suspend", date(2026, 3, 10), ground="force_majeure", note="申请人出国")
    case = fresh(case)
    assert case.status == FyStatus.SUSPENDED
    assert Deadline.objects.get(case=case, key="decision").paused_since == date(2026, 3, 10)
    assert not Deadline.objects.filter(case=case, key="suspension_limit").exists()  # item 5: no 60-day limit
    step(users.staff, case, "resume", date(2026, 3, 30))
    dl = Deadline.objects.get(case=case, key="decision")
    assert dl.paused_days == 20 and dl.due_date == date(2026, 5, 22)  # 3-3 + 60 + 20
    assert Suspension.objects.get(case=case).ended_on == date(2026, 3, 30)


def test_decide_checks_hearing_and_inaction(users):
    case = accepted(users, RECEIVED, on=date(2026, 3, 3))
    refused(users.staff, case, "decide", date(2026, 4, 1), "应当听取当事人意见", kind="revoke", summary="理由")
    heard(users, case, date(2026, 3, 20))
    refused(users.staff, case, "decide", date(2026, 4, 1), "不作为", kind="order_perform", summary="理由")
    refused(users.staff, case, "decide", date(2026, 4, 1), "责令重作", kind="uphold", order_redo=True, summary="理由")
    refused(users.staff, case, "decide", date(2026, 4, 1), "决定类型", kind="mediation", summary="理由")
    step(users.staff, case, "decide", date(2026, 4, 1), kind="revoke", order_redo=True, summary="事实不清")
    case = fresh(case)
    assert (case.status, case.outcome, case.closed_on) == (FyStatus.CLOSED, Outcome.REVOKE, date(2026, 4, 1))
    assert case.application.order_redo and case.application.concluded_on_time is True
    assert all(not d.is_open for d in Deadline.objects.filter(case=case) if d.key in ("decision", "copy"))


def test_dismissing_an_inaction_claim(users):
    case = accepted(users, RECEIVED, on=date(2026, 3, 3), category="inaction")
    assert case.application.is_inaction
    step(users.staff, case, "hear", date(2026, 3, 9), method="written", participants="申请人", summary="申请人拒绝陈述，书面审理")
    step(users.staff, case, "decide", date(2026, 4, 1), kind="dismiss_claim", summary="被申请人已履行")
    assert fresh(case).outcome == Outcome.DISMISS_CLAIM


def test_late_decision_is_not_on_time(users):
    case = accepted(users, RECEIVED, on=date(2026, 3, 3))
    heard(users, case, date(2026, 3, 9))
    step(users.staff, case, "decide", date(2026, 5, 7), kind="uphold", summary="维持")
    assert fresh(case).application.concluded_on_time is False


def test_mediation_close_and_termination(users):
    a = accepted(users, RECEIVED, on=date(2026, 3, 3))
    step(users.staff, a, "suspend", date(2026, 3, 10), ground="mediation")
    step(users.staff, a, "mediate_close", date(2026, 3, 20), agreement="被申请人退还罚款一半。")
    a = fresh(a)
    assert (a.status, a.outcome) == (FyStatus.CLOSED, Outcome.MEDIATION) and a.application.mediation_agreement
    b = accepted(users, RECEIVED, on=date(2026, 3, 3))
    refused(users.staff, b, "terminate", date(2026, 3, 20), "不能以此终止", termination_reason="suspension_expired")
    step(users.staff, b, "terminate", date(2026, 3, 20), termination_reason="settled", note="和解")
    b = fresh(b)
    assert (b.status, b.outcome, b.application.termination_reason) == (FyStatus.CLOSED, Outcome.TERMINATE, TerminationReason.SETTLED)


def test_opinion_and_its_feedback_and_service(users):
    case = accepted(users, RECEIVED, on=date(2026, 3, 3))
    heard(users, case, date(2026, 3, 9))
    step(users.staff, case, "decide", date(2026, 4, 1), kind="confirm_illegal", summary="程序违法")
    refused(users.staff, case, "record_feedback", date(2026, 4, 2), "没有待反馈", feedback="x")
    step(users.staff, case, "issue_opinion", date(2026, 4, 2), kind="opinion", addressee="market", content="规范执法", served_on=date(2026, 4, 3))
    dl = Deadline.objects.get(case=case, key="opinion_feedback")
    assert (dl.start_date, dl.due_date) == (date(2026, 4, 3), date(2026, 6, 2))
    refused(users.staff, case, "issue_opinion", date(2026, 4, 3), "尚未反馈", kind="suggestion", addressee="market", content="x")
    step(users.staff, case, "record_feedback", date(2026, 5, 20), feedback="已整改", rectified=True)
    assert Opinion.objects.get(case=case).rectified and Deadline.objects.get(case=case, key="opinion_feedback").completed_on == date(2026, 5, 20)
    step(users.staff, case, "serve_decision", date(2026, 4, 3))
    refused(users.staff, case, "serve_decision", date(2026, 4, 4), "已登记送达")
    assert fresh(case).application.decision_served_on == date(2026, 4, 3)


def test_read_only_and_other_roles_are_refused(users):
    case = make_application(users.staff, received_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(PermissionRefused):
        step(users.leader, case, "accept", procedure="ordinary")
    from django.http import Http404

    for who in ("office_a", "mediator_a", "lawyer", "sysadmin", "staff_other_line"):
        with pytest.raises(Http404):
            step(getattr(users, who), case, "accept", procedure="ordinary")
    assert fresh(case).status == FyStatus.RECEIVED
    assert AuditEntry.objects.filter(action="case.transition", result="refused").exists()


def test_stage_is_the_status_label_while_nothing_lapsed(users):
    case = make_application(users.staff)
    assert settle.stage(case).label == "待审查"


def test_buttons_offer_only_the_steps_that_can_be_taken_now(users):
    from sifa.cases.services import allowed_steps

    def offered(user, case):
        return {t.name for t in allowed_steps(user, fresh(case))}

    new = make_application(users.staff, received_on=timezone.localdate() - timedelta(days=1))
    assert offered(users.staff, new) == {"accept", "not_accept", "request_correction"}
    lapsed = make_application(users.staff, received_on=RECEIVED)
    assert offered(users.staff, lapsed) == {"deemed_accept"}
    case = accepted(users, RECEIVED, on=date(2026, 3, 3))
    steps = offered(users.staff, case)
    assert {"send_copy", "request_extension", "issue_opinion", "decide"} <= steps
    assert not steps & {"record_reply", "record_hearing", "record_feedback", "approve_extension", "convert_to_ordinary"}
    assert offered(users.leader, case) == set()
    step(users.staff, case, "send_copy", date(2026, 3, 4))
    step(users.staff, case, "request_extension", date(2026, 3, 5), days=10, grounds="复杂")
    steps = offered(users.staff, case)
    assert "record_reply" in steps and "send_copy" not in steps and "request_extension" not in steps
    assert offered(users.leader, case) == {"approve_extension", "reject_extension"}
