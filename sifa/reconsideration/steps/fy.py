"""What each step of the reconsideration workflow (``workflow/fy.py``) requires
and writes. ``*_pre(case, app, on)`` decides from the case alone whether the
step is offered; the checks that need the step's input take its cleaned data
``d``; each write (``name(case, app, d, actor)``) writes the line's rows and
returns what the timeline and the clocks need (dates as the law counts them).
``app`` is the case's ``Application``. All run inside the engine's transaction."""

from __future__ import annotations

from datetime import date

from sifa.cases import settle
from sifa.cases.services import assign_doc_number
from sifa.common.errors import DomainError
from sifa.common.models import put
from sifa.deadlines import calendar
from sifa.deadlines.selectors import met

from .. import selectors
from ..choices import INACTION_ONLY, ActivityKind, HearingStatus, OpinionKind, Outcome, Procedure, SuspensionGround, TerminationReason
from ..models import Activity, Opinion, Suspension


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


# --- preconditions and checks ----------------------------------------------------------------


def within_review_pre(case, app, on):
    dl = selectors.deadline(case, "review")
    if dl is not None and dl.is_open and on > dl.due_date:
        return f"受理审查期限已于{dl.due_date:%Y-%m-%d}届满，未作出不予受理决定的依法视为受理（第三十条第三款），不能再作出此决定；请执行“登记视为受理”。"
    return None


def copy_not_sent_pre(case, app, on):
    return "已经发送过申请书副本（答复通知）。" if app.copy_sent_on else None


def reply_expected_pre(case, app, on):
    if not app.copy_sent_on:
        return "尚未向被申请人发送申请书副本，请先执行“发送答复通知”。"
    if app.reply_received_on:
        return "已经登记过被申请人的书面答复。"
    return None


def hearing_notice_check(case, app, d):
    earliest = calendar.add_workdays(d["on"], 5)
    if d["hearing_date"] < earliest:
        raise DomainError(
            f"听证日期：应当于举行听证的5个工作日前书面通知当事人（第五十一条），按通知日期{d['on']:%Y-%m-%d}最早可定于{earliest:%Y-%m-%d}。",
            field="hearing_date",
        )
    return None


def hearing_scheduled_pre(case, app, on):
    return None if selectors.scheduled_hearing(case) is not None else "没有已通知待举行的听证，请先执行“听证通知”。"


def hearing_held_check(case, app, d):
    a = selectors.scheduled_hearing(case)
    if d["held_on"] < a.on or d["held_on"] > d["on"]:
        raise DomainError(f"举行日期：应在听证通知日期{a.on:%Y-%m-%d}之后、办理日期之前。", field="held_on")
    return None


def may_request_extension_pre(case, app, on):
    if app.procedure != Procedure.ORDINARY:
        return "简易程序案件的审理期限不能延长（第六十二条）；确需延长的，请先转为普通程序。"
    if app.extension_days:
        return "审理期限已经延长过一次，不能再次延长。"
    if app.extension_pending:
        return "已有待批准的延期申请。"
    return None


def extension_pending_pre(case, app, on):
    return None if app.extension_pending else "没有待批准的延期申请。"


def simplified_pre(case, app, on):
    return None if app.procedure == Procedure.SIMPLIFIED else "本案不是适用简易程序审理的案件。"


def no_open_review_pre(case, app, on):
    review = selectors.open_norm_review(case)
    if review is not None:
        return f"附带审查“{review.document}”尚未办结：其结果应在决定书中一并告知（第五十九条），请先登记附带审查结果。"
    return None


def decide_check(case, app, d):
    if d["kind"] in INACTION_ONLY and not app.is_inaction:
        return f"“{Outcome(d['kind']).label}”只适用于申请履行法定职责（不作为）的案件（第六十六条、第六十九条）。"
    if app.procedure == Procedure.ORDINARY and d["kind"] != Outcome.DISMISS_APPLICATION and not selectors.opinions_heard(case):
        return "适用普通程序审理的案件应当听取当事人意见（第四十九条）：请先登记“听取意见”（因当事人原因不能听取的，选择“书面审理”）。"
    return None


def terminate_check(case, app, d):
    if d["termination_reason"] == TerminationReason.SUSPENSION_EXPIRED:
        return settle.lapse_refusal(case, "terminate_after_suspension", d["on"])
    return None


def no_open_opinion_pre(case, app, on):
    return "已制发的意见书/建议书尚未反馈，请先登记反馈。" if selectors.open_opinion(case) else None


def open_opinion_pre(case, app, on):
    return None if selectors.open_opinion(case) else "没有待反馈的意见书/建议书。"


def not_served_pre(case, app, on):
    return "决定书已登记送达。" if app.decision_served_on else None


# --- acceptance review (§30–§31) ---------------------------------------------------------------


def accept(case, app, d, actor):
    app.put(accepted_on=d["on"], deemed_accepted=False, procedure=d["procedure"], simplified_ground=d.get("simplified_ground") or "")
    assign_doc_number(case, year=d["on"].year)
    label = Procedure(app.procedure).label
    return {"label": f"受理（{label}）", "accepted_on": d["on"], "procedure": app.procedure, "event_data": {"procedure": app.procedure}}


def deemed_accept(case, app, d, actor):
    due = selectors.deadline(case, "review").due_date
    # §30 第三款: deemed accepted from the day the review period expired.
    app.put(accepted_on=due, deemed_accepted=True, procedure=app.procedure or Procedure.ORDINARY)
    assign_doc_number(case, year=due.year)
    return {
        "label": f"视为受理（受理审查期限{due:%Y-%m-%d}届满）",
        "accepted_on": due,
        "procedure": app.procedure,
        "event_data": {"accepted_on": _iso(due), "deemed": True},
    }


def not_accept(case, app, d, actor):
    app.put(refusal_reason=d["refusal_reason"], competent_organ=d["competent_organ"].strip(), decision_summary=d["explanation"].strip())
    assign_doc_number(case, year=d["on"].year)
    return {"outcome": Outcome.NOT_ACCEPTED, "event_data": {"refusal_reason": app.refusal_reason}}


def request_correction(case, app, d, actor):
    served = d.get("served_on") or d["on"]
    app.put(correction_items=d["items"].strip(), correction_notified_on=d["on"], correction_served_on=served)
    app.put(correction_received_on=None, correction_extended_days=0)
    assign_doc_number(case, year=d["on"].year)
    return {"served_on": served, "event_data": {"served_on": _iso(served)}}


def receive_correction(case, app, d, actor):
    app.put(correction_received_on=d["on"])
    return {}


def extend_correction(case, app, d, actor):
    app.put(correction_extended_days=app.correction_extended_days + d["days"])
    return {"label": f"延长补正期限{d['days']}个工作日", "days": d["days"], "event_data": {"days": d["days"], "grounds": d["grounds"]}}


def deemed_withdraw(case, app, d, actor):
    due = selectors.deadline(case, "correction").due_date
    return {"outcome": Outcome.ABANDONED, "label": f"视为放弃行政复议申请（补正期限{due:%Y-%m-%d}届满未补正）", "event_data": {"correction_due": _iso(due)}}


# --- review (§48–§52) --------------------------------------------------------------------------


def send_copy(case, app, d, actor):
    served = d.get("served_on") or d["on"]
    app.put(copy_sent_on=d["on"], copy_served_on=served)
    return {"served_on": served, "procedure": app.procedure, "event_data": {"served_on": _iso(served)}}


def record_reply(case, app, d, actor):
    app.put(reply_received_on=d["on"])
    return {"event_data": {"summary": d["summary"][:500]}}


def _activity(case, actor, kind, on, **fields) -> Activity:
    return Activity.objects.create(case=case, kind=kind, on=on, created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)


def hear(case, app, d, actor):
    a = _activity(case, actor, ActivityKind.HEAR, d["on"], method=d["method"], participants=d["participants"], summary=d["summary"])
    return {"label": f"听取意见（{a.get_method_display()}）", "event_data": {"activity": a.pk}}


def schedule_hearing(case, app, d, actor):
    a = _activity(
        case, actor, ActivityKind.HEARING, d["on"], scheduled_for=d["hearing_date"], place=d["place"], summary=d["matters"], status=HearingStatus.SCHEDULED
    )
    return {"label": f"发出听证通知（{d['hearing_date']:%Y-%m-%d}举行）", "event_data": {"activity": a.pk, "hearing_date": _iso(d["hearing_date"])}}


def record_hearing(case, app, d, actor):
    a = selectors.scheduled_hearing(case)
    summary = f"{a.summary}\n【听证笔录】{d['summary']}".strip()
    attended = d["respondent_head_attended"]
    put(a, status=HearingStatus.HELD, held_on=d["held_on"], respondent_head_attended=attended, participants=d["participants"], summary=summary)
    return {"event_data": {"activity": a.pk, "held_on": _iso(d["held_on"])}}


def investigate(case, app, d, actor):
    a = _activity(case, actor, ActivityKind.INVESTIGATION, d["on"], participants=d["investigators"], place=d["place"], summary=d["summary"])
    return {"event_data": {"activity": a.pk}}


def consult_committee(case, app, d, actor):
    a = _activity(case, actor, ActivityKind.COMMITTEE, d["on"], participants=d["participants"], summary=d["summary"])
    return {"event_data": {"activity": a.pk}}


def mediate(case, app, d, actor):
    a = _activity(case, actor, ActivityKind.MEDIATION, d["on"], mediation_result=d["result"], summary=d["summary"])
    return {"label": f"调解（{a.get_mediation_result_display()}）", "event_data": {"activity": a.pk}}


# --- extension, procedure, suspension (§39, §55, §62) -------------------------------------------


def request_extension(case, app, d, actor):
    app.put(extension_requested_days=d["days"], extension_reason=d["grounds"])
    return {"label": f"申请延长审理期限{d['days']}日（待批准）", "event_data": {"days": d["days"]}}


def approve_extension(case, app, d, actor):
    days = app.extension_requested_days
    app.put(extension_days=days, extension_approved_on=d["on"], extension_approved_by=actor)
    return {"label": f"批准延长审理期限{days}日", "extension_days": days, "event_data": {"days": days}}


def reject_extension(case, app, d, actor):
    days = app.extension_requested_days
    app.put(extension_requested_days=None, extension_reason="")
    return {"label": f"不批准延长审理期限（申请{days}日）", "event_data": {"days": days}}


def convert_to_ordinary(case, app, d, actor):
    # The clocks take the ordinary procedure's lengths (their rules' recount_on).
    app.put(procedure=Procedure.ORDINARY, converted_on=d["on"])
    return {"procedure": Procedure.ORDINARY}


def suspend(case, app, d, actor):
    s = Suspension.objects.create(case=case, ground=d["ground"], note=d["note"], started_on=d["on"])
    return {"label": f"中止审理：{SuspensionGround(s.ground).label}", "ground": s.ground, "event_data": {"ground": s.ground}}


def resume(case, app, d, actor):
    s = selectors.open_suspension(case)
    if s is not None:
        put(s, ended_on=d["on"])
    return {}


# --- conclusion (§41, §63–§76) -----------------------------------------------------------------


def decide(case, app, d, actor):
    on_time = met(case, "decision", d["on"])
    app.put(order_redo=d["order_redo"], compensation_awarded=d["compensation_awarded"], decision_summary=d["summary"].strip(), concluded_on_time=on_time)
    label = Outcome(d["kind"]).label + ("并责令重作" if app.order_redo else "")
    return {"outcome": d["kind"], "label": f"作出行政复议决定：{label}", "event_data": {"kind": d["kind"], "order_redo": app.order_redo}}


def mediate_close(case, app, d, actor):
    app.put(mediation_agreement=d["agreement"].strip(), concluded_on_time=met(case, "decision", d["on"]))
    return {"outcome": Outcome.MEDIATION, "label": "制作行政复议调解书结案"}


def _end_suspension(case, on: date) -> None:
    s = selectors.open_suspension(case)
    if s is not None:
        put(s, ended_on=on)


def terminate(case, app, d, actor):
    app.put(termination_reason=d["termination_reason"], decision_summary=d["note"].strip(), concluded_on_time=met(case, "decision", d["on"]))
    _end_suspension(case, d["on"])
    return {
        "outcome": Outcome.TERMINATE,
        "label": f"终止行政复议：{TerminationReason(app.termination_reason).label}",
        "event_data": {"reason": app.termination_reason},
    }


def terminate_after_suspension(case, app, d, actor):
    due = selectors.deadline(case, "suspension_limit").due_date
    app.put(termination_reason=TerminationReason.SUSPENSION_EXPIRED, concluded_on_time=met(case, "decision", d["on"]))
    _end_suspension(case, d["on"])
    return {
        "outcome": Outcome.TERMINATE,
        "label": f"终止行政复议：中止满六十日（{due:%Y-%m-%d}届满）原因仍未消除",
        "event_data": {"reason": app.termination_reason, "suspension_due": _iso(due)},
    }


def issue_opinion(case, app, d, actor):
    served = d.get("served_on") or d["on"]
    o = Opinion.objects.create(case=case, kind=d["kind"], addressee=d["addressee"], content=d["content"].strip(), issued_on=d["on"], served_on=served)
    name = "行政复议意见书" if o.kind == OpinionKind.OPINION else "行政复议建议书"
    return {"label": f"制发{name}", "served_on": served, "event_data": {"opinion": o.pk, "served_on": _iso(served)}}


def record_feedback(case, app, d, actor):
    o = selectors.open_opinion(case)
    put(o, feedback_on=d["on"], feedback=d["feedback"].strip(), rectified=d["rectified"])
    return {"event_data": {"opinion": o.pk, "rectified": o.rectified}}


def serve_decision(case, app, d, actor):
    app.put(decision_served_on=d["on"])
    return {}
