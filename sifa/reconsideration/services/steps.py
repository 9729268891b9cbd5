"""The writes of each reconsideration step (``Transition.apply``), run by the core
``transition()`` inside its transaction after the state, permission and guard
checks. Each validates ``data`` through the step's form again (the API sends
raw JSON), writes the line's rows and returns what the timeline and the
deadline rules need (dates as the law counts them)."""

from __future__ import annotations

from datetime import date

from sifa.cases.services import assign_doc_number
from sifa.deadlines import calendar
from sifa.deadlines.models import Deadline

from .. import selectors
from ..choices import ActivityKind, HearingStatus, OpinionKind, Outcome, Procedure, SuspensionGround, TerminationReason
from ..forms import steps as f
from ..forms.common import validated
from ..models import Activity, Application, Opinion, Suspension
from ..rules import ORDINARY_AMOUNTS


def _app(case) -> Application:
    return Application.objects.select_for_update().get(case=case)


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _on_time(case, on: date) -> bool | None:
    """Concluded within the decision period (extension and 中止 included)?"""
    dl = Deadline.objects.filter(case=case, key="decision").first()
    if dl is None:
        return None
    due = dl.due_date
    if dl.paused_since is not None:
        # Concluded while suspended: the clock has stood still since the suspension.
        due += on - dl.paused_since
    return on <= due


def _save(app: Application, *fields: str) -> None:
    app.save(update_fields=list(fields))


# --- acceptance review (§30–§31) ---------------------------------------------------------------


def accept(case, data, actor):
    d = validated(f.AcceptForm, case, data)
    app = _app(case)
    app.accepted_on, app.deemed_accepted = d["on"], False
    app.procedure, app.simplified_ground = d["procedure"], d.get("simplified_ground") or ""
    _save(app, "accepted_on", "deemed_accepted", "procedure", "simplified_ground")
    assign_doc_number(case, year=d["on"].year)
    label = Procedure(app.procedure).label
    return {"label": f"受理（{label}）", "accepted_on": d["on"], "procedure": app.procedure, "event_data": {"procedure": app.procedure}}


def deemed_accept(case, data, actor):
    due = selectors.deadline(case, "review").due_date
    app = _app(case)
    # §30 第三款: deemed accepted from the day the review period expired.
    app.accepted_on, app.deemed_accepted = due, True
    app.procedure = app.procedure or Procedure.ORDINARY
    _save(app, "accepted_on", "deemed_accepted", "procedure")
    assign_doc_number(case, year=due.year)
    return {
        "label": f"视为受理（受理审查期限{due:%Y-%m-%d}届满）",
        "accepted_on": due,
        "procedure": app.procedure,
        "event_data": {"accepted_on": _iso(due), "deemed": True},
    }


def not_accept(case, data, actor):
    d = validated(f.NotAcceptForm, case, data)
    app = _app(case)
    app.refusal_reason, app.competent_organ, app.decision_summary = d["refusal_reason"], d["competent_organ"].strip(), d["explanation"].strip()
    _save(app, "refusal_reason", "competent_organ", "decision_summary")
    assign_doc_number(case, year=d["on"].year)
    return {"outcome": Outcome.NOT_ACCEPTED, "event_data": {"refusal_reason": app.refusal_reason}}


def request_correction(case, data, actor):
    d = validated(f.CorrectionForm, case, data)
    served = d.get("served_on") or d["on"]
    app = _app(case)
    app.correction_items, app.correction_notified_on, app.correction_served_on = d["items"].strip(), d["on"], served
    app.correction_received_on, app.correction_extended_days = None, 0
    _save(app, "correction_items", "correction_notified_on", "correction_served_on", "correction_received_on", "correction_extended_days")
    assign_doc_number(case, year=d["on"].year)
    return {"served_on": served, "event_data": {"served_on": _iso(served)}}


def receive_correction(case, data, actor):
    app = _app(case)
    app.correction_received_on = data["on"]
    _save(app, "correction_received_on")
    return {}


def extend_correction(case, data, actor):
    d = validated(f.ExtendCorrectionForm, case, data)
    app = _app(case)
    app.correction_extended_days += d["days"]
    _save(app, "correction_extended_days")
    return {"label": f"延长补正期限{d['days']}个工作日", "days": d["days"], "event_data": {"days": d["days"], "grounds": d["grounds"]}}


def deemed_withdraw(case, data, actor):
    due = selectors.deadline(case, "correction").due_date
    return {"outcome": Outcome.ABANDONED, "label": f"视为放弃行政复议申请（补正期限{due:%Y-%m-%d}届满未补正）", "event_data": {"correction_due": _iso(due)}}


# --- review (§48–§52) --------------------------------------------------------------------------


def send_copy(case, data, actor):
    d = validated(f.SendCopyForm, case, data)
    served = d.get("served_on") or d["on"]
    app = _app(case)
    app.copy_sent_on, app.copy_served_on = d["on"], served
    _save(app, "copy_sent_on", "copy_served_on")
    return {"served_on": served, "procedure": app.procedure, "event_data": {"served_on": _iso(served)}}


def record_reply(case, data, actor):
    d = validated(f.ReplyForm, case, data)
    app = _app(case)
    app.reply_received_on = d["on"]
    _save(app, "reply_received_on")
    return {"event_data": {"summary": d["summary"][:500]}}


def _activity(case, actor, kind, on, **fields) -> Activity:
    return Activity.objects.create(case=case, kind=kind, on=on, created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)


def hear(case, data, actor):
    d = validated(f.HearForm, case, data)
    a = _activity(case, actor, ActivityKind.HEAR, d["on"], method=d["method"], participants=d["participants"], summary=d["summary"])
    return {"label": f"听取意见（{a.get_method_display()}）", "event_data": {"activity": a.pk}}


def schedule_hearing(case, data, actor):
    d = validated(f.ScheduleHearingForm, case, data)
    a = _activity(
        case, actor, ActivityKind.HEARING, d["on"], scheduled_for=d["hearing_date"], place=d["place"], summary=d["matters"], status=HearingStatus.SCHEDULED
    )
    return {"label": f"发出听证通知（{d['hearing_date']:%Y-%m-%d}举行）", "event_data": {"activity": a.pk, "hearing_date": _iso(d["hearing_date"])}}


def record_hearing(case, data, actor):
    d = validated(f.RecordHearingForm, case, data)
    a = selectors.scheduled_hearing(case)
    a.status, a.held_on = HearingStatus.HELD, d["held_on"]
    a.respondent_head_attended, a.participants = d["respondent_head_attended"], d["participants"]
    a.summary = f"{a.summary}\n【听证笔录】{d['summary']}".strip()
    a.save(update_fields=["status", "held_on", "respondent_head_attended", "participants", "summary"])
    return {"event_data": {"activity": a.pk, "held_on": _iso(d["held_on"])}}


def investigate(case, data, actor):
    d = validated(f.InvestigateForm, case, data)
    a = _activity(case, actor, ActivityKind.INVESTIGATION, d["on"], participants=d["investigators"], place=d["place"], summary=d["summary"])
    return {"event_data": {"activity": a.pk}}


def consult_committee(case, data, actor):
    d = validated(f.CommitteeForm, case, data)
    a = _activity(case, actor, ActivityKind.COMMITTEE, d["on"], participants=d["participants"], summary=d["summary"])
    return {"event_data": {"activity": a.pk}}


def mediate(case, data, actor):
    d = validated(f.MediateForm, case, data)
    a = _activity(case, actor, ActivityKind.MEDIATION, d["on"], mediation_result=d["result"], summary=d["summary"])
    return {"label": f"调解（{a.get_mediation_result_display()}）", "event_data": {"activity": a.pk}}


# --- extension, procedure, suspension (§39, §55, §62) -------------------------------------------


def request_extension(case, data, actor):
    d = validated(f.RequestExtensionForm, case, data)
    app = _app(case)
    app.extension_requested_days, app.extension_reason = d["days"], d["grounds"]
    _save(app, "extension_requested_days", "extension_reason")
    return {"label": f"申请延长审理期限{d['days']}日（待批准）", "event_data": {"days": d["days"]}}


def approve_extension(case, data, actor):
    app = _app(case)
    days = app.extension_requested_days
    app.extension_days, app.extension_approved_on, app.extension_approved_by = days, data["on"], actor
    _save(app, "extension_days", "extension_approved_on", "extension_approved_by")
    return {"label": f"批准延长审理期限{days}日", "extension_days": days, "event_data": {"days": days}}


def reject_extension(case, data, actor):
    app = _app(case)
    days = app.extension_requested_days
    app.extension_requested_days, app.extension_reason = None, ""
    _save(app, "extension_requested_days", "extension_reason")
    return {"label": f"不批准延长审理期限（申请{days}日）", "event_data": {"days": days}}


def _set_amount(case, key: str, amount: int) -> None:
    """Give an open clock the ordinary procedure's length, keeping its start,
    pauses and extension (a converted case is still counted from acceptance)."""
    dl = Deadline.objects.filter(case=case, key=key, completed_on__isnull=True, cancelled=False).first()
    if dl is None or dl.amount == amount:
        return
    dl.amount = amount
    res = calendar.compute_due(dl.start_date, dl.amount + dl.extended, dl.unit, paused_days=dl.paused_days)
    dl.due_date, dl.rule_text, dl.provisional = res.due, res.rule[:200], res.provisional
    dl.save(update_fields=["amount", "due_date", "rule_text", "provisional", "updated_at"])


def convert_to_ordinary(case, data, actor):
    app = _app(case)
    app.procedure, app.converted_on = Procedure.ORDINARY, data["on"]
    _save(app, "procedure", "converted_on")
    for key, amount in ORDINARY_AMOUNTS.items():
        _set_amount(case, key, amount)
    return {"procedure": Procedure.ORDINARY}


def suspend(case, data, actor):
    d = validated(f.SuspendForm, case, data)
    s = Suspension.objects.create(case=case, ground=d["ground"], note=d["note"], started_on=d["on"])
    return {"label": f"中止审理：{SuspensionGround(s.ground).label}", "ground": s.ground, "event_data": {"ground": s.ground}}


def resume(case, data, actor):
    s = selectors.open_suspension(case)
    if s is not None:
        s.ended_on = data["on"]
        s.save(update_fields=["ended_on"])
    return {}


# --- conclusion (§41, §63–§76) -----------------------------------------------------------------


def decide(case, data, actor):
    d = validated(f.DecideForm, case, data)
    app = _app(case)
    app.order_redo, app.compensation_awarded, app.decision_summary = d["order_redo"], d["compensation_awarded"], d["summary"].strip()
    app.concluded_on_time = _on_time(case, d["on"])
    _save(app, "order_redo", "compensation_awarded", "decision_summary", "concluded_on_time")
    label = Outcome(d["kind"]).label + ("并责令重作" if app.order_redo else "")
    return {"outcome": d["kind"], "label": f"作出行政复议决定：{label}", "event_data": {"kind": d["kind"], "order_redo": app.order_redo}}


def mediate_close(case, data, actor):
    d = validated(f.MediateCloseForm, case, data)
    app = _app(case)
    app.mediation_agreement = d["agreement"].strip()
    app.concluded_on_time = _on_time(case, d["on"])
    _save(app, "mediation_agreement", "concluded_on_time")
    return {"outcome": Outcome.MEDIATION, "label": "制作行政复议调解书结案"}


def _end_suspension(case, on: date) -> None:
    s = selectors.open_suspension(case)
    if s is not None:
        s.ended_on = on
        s.save(update_fields=["ended_on"])


def terminate(case, data, actor):
    d = validated(f.TerminateForm, case, data)
    app = _app(case)
    app.termination_reason = d["termination_reason"]
    app.decision_summary = d["note"].strip()
    app.concluded_on_time = _on_time(case, d["on"])
    _save(app, "termination_reason", "decision_summary", "concluded_on_time")
    _end_suspension(case, d["on"])
    return {
        "outcome": Outcome.TERMINATE,
        "label": f"终止行政复议：{TerminationReason(app.termination_reason).label}",
        "event_data": {"reason": app.termination_reason},
    }


def terminate_after_suspension(case, data, actor):
    due = selectors.deadline(case, "suspension_limit").due_date
    app = _app(case)
    app.termination_reason = TerminationReason.SUSPENSION_EXPIRED
    app.concluded_on_time = _on_time(case, data["on"])
    _save(app, "termination_reason", "concluded_on_time")
    _end_suspension(case, data["on"])
    return {
        "outcome": Outcome.TERMINATE,
        "label": f"终止行政复议：中止满六十日（{due:%Y-%m-%d}届满）原因仍未消除",
        "event_data": {"reason": app.termination_reason, "suspension_due": _iso(due)},
    }


def issue_opinion(case, data, actor):
    d = validated(f.OpinionForm, case, data)
    served = d.get("served_on") or d["on"]
    o = Opinion.objects.create(case=case, kind=d["kind"], addressee=d["addressee"], content=d["content"].strip(), issued_on=d["on"], served_on=served)
    name = "行政复议意见书" if o.kind == OpinionKind.OPINION else "行政复议建议书"
    return {"label": f"制发{name}", "served_on": served, "event_data": {"opinion": o.pk, "served_on": _iso(served)}}


def record_feedback(case, data, actor):
    d = validated(f.FeedbackForm, case, data)
    o = selectors.open_opinion(case)
    o.feedback_on, o.feedback, o.rectified = d["on"], d["feedback"].strip(), d["rectified"]
    o.save(update_fields=["feedback_on", "feedback", "rectified"])
    return {"event_data": {"opinion": o.pk, "rectified": o.rectified}}


def serve_decision(case, data, actor):
    app = _app(case)
    app.decision_served_on = data["on"]
    _save(app, "decision_served_on")
    return {}
