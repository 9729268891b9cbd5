"""What each step of ``workflow.py`` requires and writes: ``*_pre(case, d, on)``
decides from the dispute alone whether the step is offered; ``*_check(case, d, v)``
needs the step's input; ``*_write(case, d, v, actor)`` writes. ``d`` is the
dispute (the line record), ``v`` the step form's cleaned data with its date
``on``. They run inside the engine's one transaction: a refusal changes nothing.
"""

from __future__ import annotations

from datetime import date

from sifa.cases import services as case_services
from sifa.cases.choices import AssignmentRole
from sifa.deadlines import calendar

from . import conf
from .choices import (
    CONFIRMATION_PENDING,
    MEDIATOR,
    AgreementForm,
    ConfirmationStatus,
    MediatorChoice,
    NotAcceptedReason,
    Outcome,
    Performance,
    Result,
    RiskKind,
    RiskLevel,
    RiskStatus,
    Satisfaction,
    SessionKind,
    TerminationReason,
)
from .models import DisputeMediator, FollowUpVisit, JudicialConfirmation, RiskReport, Session

RISK_OPEN = (RiskStatus.ACTIVE, RiskStatus.REPORTED)


def _label(choices, value) -> str:
    return dict(choices.choices).get(value, value or "")


# --- acceptance --------------------------------------------------------------------------------


def accept_write(case, d, v, actor):
    d.put(accepted_on=v["on"])
    number = case_services.assign_doc_number(case, year=v["on"].year)
    return {"label": f"受理（{number}）", "event_data": {"doc_number": number}}


def not_accept_write(case, d, v, actor):
    d.put(not_accepted_reason=v["not_accepted_reason"])
    return {"outcome": Outcome.NOT_ACCEPTED, "label": f"不予受理：{_label(NotAcceptedReason, d.not_accepted_reason)}"}


# --- mediators and sessions ---------------------------------------------------------------------


def _default_lead(d, chosen, actor):
    """No lead named: keep the current lead if still chosen, else the actor's own profile, else the first."""
    current = d.mediator_links.filter(is_lead=True).values_list("mediator_id", flat=True).first()
    for test in (lambda m: m.pk == current, lambda m: m.user_id is not None and m.user_id == getattr(actor, "pk", None)):
        found = next((m for m in chosen if test(m)), None)
        if found is not None:
            return found
    return chosen[0]


def assign_write(case, d, v, actor):
    chosen = list(v["mediators"])
    lead = v.get("lead") or _default_lead(d, chosen, actor)
    for m in chosen:
        DisputeMediator.objects.update_or_create(dispute=d, mediator=m, defaults={"is_lead": m.pk == lead.pk, "assigned_on": v["on"]})
    d.mediator_links.exclude(mediator=lead).update(is_lead=False)
    d.put(mediator_choice=v["mediator_choice"])
    # Mediators who sign in see the dispute once assigned (SECURITY.md). Quietly: this
    # step's own entry names them, so the timeline says it once.
    for m in chosen:
        if m.user_id and m.user.is_active:
            case_services.assign(actor, case, m.user, role=MEDIATOR, reason="指派调解员", quiet=True)
    handover = ""
    if lead.user_id and lead.user.is_active and case.handler_id != lead.user_id:
        previous = case.handler
        case.handler = lead.user
        handover = f"；承办人变更为{lead.user.display_name}"
        if previous is not None and previous.is_active:
            # The clerk who registered it keeps it on their list (我的案件) as 协办人.
            case_services.assign(actor, case, previous, role=AssignmentRole.ASSISTANT, reason="承办人变更，原承办人协办", quiet=True)
            handover += f"，原承办人{previous.display_name}转为协办人"
    names = "、".join(m.name for m in sorted(chosen, key=lambda m: m.pk != lead.pk))
    return {
        "label": f"指派调解员：{names}（{_label(MediatorChoice, d.mediator_choice)}）{handover}",
        "event_data": {"mediators": [m.pk for m in chosen], "lead": lead.pk},
    }


def session_check(case, d, v):
    planned = v.get("planned")
    if planned is not None and planned.dispute_id != d.pk:
        return "所选的已安排调解不属于本案。"
    return None


def session_write(case, d, v, actor):
    fields = {
        "kind": v["kind"],
        "on": v["session_on"],
        "at_time": v.get("at_time"),
        "place": v["place"],
        "participants": v.get("participants", ""),
        "mediators": "、".join(m.name for m in v.get("mediators") or ()) or (actor.display_name if actor else ""),
        "record": v["record"],
        "held": True,
    }
    planned = v.get("planned")
    if planned is not None:
        Session.objects.filter(pk=planned.pk).update(**fields)
        session_id = planned.pk
    else:
        session_id = Session.objects.create(dispute=d, created_by=actor, **fields).pk
    kind = _label(SessionKind, v["kind"])
    return {"label": f"{kind}记录：{v['session_on']:%Y-%m-%d} {v['place']}", "event_data": {"session": session_id}}


def schedule_write(case, d, v, actor):
    s = Session.objects.create(
        dispute=d,
        kind=v["kind"],
        on=v["session_on"],
        at_time=v.get("at_time"),
        place=v["place"],
        participants=v.get("participants", ""),
        held=False,
        created_by=actor,
    )
    when = f"{s.on:%Y-%m-%d}" + (f" {s.at_time:%H:%M}" if s.at_time else "")
    return {"label": f"安排{_label(SessionKind, s.kind)}：{when} {s.place}", "event_data": {"session": s.pk}}


def extend_pre(case, d, on):
    if d.extensions >= conf.get("MAX_EXTENSIONS"):
        return f"本案已延期{d.extensions}次；延期后仍不能达成协议的，应当终止调解（宁波市人民调解条例第二十七条）。"
    return None


def extend_check(case, d, v):
    return None if v.get("consent") else "延长调解期限须经双方当事人同意。"


def extend_write(case, d, v, actor):
    d.put(extensions=d.extensions + 1)
    return {"label": f"延期调解（双方当事人同意，延长{conf.get('EXTENSION_MONTHS')}个月）", "event_data": {"note": v.get("note", "")}}


# --- outcomes ---------------------------------------------------------------------------------------


def succeed_pre(case, d, on):
    if not d.sessions.filter(held=True, kind=SessionKind.MEDIATION).exists():
        return "尚未记录调解情况（人民调解法第二十七条），不能登记调解成功。"
    return None


def succeed_write(case, d, v, actor):
    on_spot = bool(v.get("performed_on_spot"))
    d.result = Result.SUCCESS
    d.outcome_on = v["agreed_on"]
    d.agreement_form = v["agreement_form"]
    d.facts = v.get("facts", "")
    d.agreement_content = v["agreement_content"]
    d.performance_manner = v.get("performance_manner", "")
    d.performance_deadline = v.get("performance_deadline")
    d.agreement_amount = v.get("agreement_amount")
    d.agreed_on = v["agreed_on"]
    d.effective_on = v.get("effective_on") or v["agreed_on"]
    d.performance = Performance.PERFORMED if on_spot else Performance.PENDING
    d.performed_on = v["agreed_on"] if on_spot else None
    d.save()
    label = f"调解成功（{_label(AgreementForm, d.agreement_form)}）" + ("，已当场履行完毕" if on_spot else "")
    return {"label": label, "event_data": {"agreement_form": d.agreement_form, "amount": str(d.agreement_amount or "")}}


def terminate_check(case, d, v):
    if not v.get("routes_told"):
        return "终止调解时须告知当事人可以依法通过仲裁、行政、司法等途径维护权利（人民调解法第二十六条）。"
    return None


def terminate_write(case, d, v, actor):
    d.put(result=Result.FAILED, outcome_on=v["on"], termination_reason=v["termination_reason"], routes_told=True)
    return {"label": f"终止调解：{_label(TerminationReason, d.termination_reason)}"}


# --- performance and follow-up -------------------------------------------------------------------------


def visit_check(case, d, v):
    if d.agreed_on and v["visit_on"] < d.agreed_on:
        return "回访日期不能早于达成协议日期。"
    return None


def visit_write(case, d, v, actor):
    visit = FollowUpVisit.objects.create(
        dispute=d,
        on=v["visit_on"],
        method=v["method"],
        visited=v["visited"],
        performance=v["performance"],
        satisfaction=v["satisfaction"],
        sued=bool(v.get("sued")),
        new_risk=bool(v.get("new_risk")),
        notes=v.get("notes", ""),
        measures=v.get("measures", ""),
        visitor=getattr(actor, "display_name", "") or "",
    )
    d.performance = visit.performance
    if visit.performance == Performance.PERFORMED and d.performed_on is None:
        d.performed_on = visit.on
    d.visit_count += 1
    d.last_visit_on = max(filter(None, [d.last_visit_on, visit.on]))
    label = f"回访：{_label(Performance, visit.performance)}，{_label(Satisfaction, visit.satisfaction)}"
    if visit.new_risk and d.risk_status not in RISK_OPEN:
        d.risk_flag, d.risk_status, d.risk_flagged_on = True, RiskStatus.ACTIVE, visit.on
        d.risk_note, d.risk_resolved_on = visit.notes, None
        label += "（发现激化隐患，已列入风险预警）"
    d.save()
    return {"label": label, "event_data": {"visit": visit.pk}}


# --- judicial confirmation ------------------------------------------------------------------------------


def confirmation_due(effective_on: date) -> date:
    return calendar.compute_due(effective_on, conf.get("CONFIRMATION_DAYS"), "day").due


def confirmation_apply_pre(case, d, on):
    if d.result != Result.SUCCESS or d.agreement_form != AgreementForm.WRITTEN:
        return "本案没有书面调解协议书，不能申请司法确认。"
    existing = JudicialConfirmation.objects.filter(dispute=d).first()
    if existing is not None and existing.status not in (ConfirmationStatus.NOT_ACCEPTED, ConfirmationStatus.WITHDRAWN):
        return f"本案已申请司法确认（{existing.get_status_display()}）。"
    return None


def confirmation_apply_check(case, d, v):
    applied = v["applied_on"]
    if applied < d.effective_on:
        return "申请日期不能早于调解协议生效日期。"
    due = confirmation_due(d.effective_on)
    if applied > due:
        return f"已超过司法确认申请期限（自协议生效之日起{conf.get('CONFIRMATION_DAYS')}日，届满日{due:%Y-%m-%d}），不能申请（人民调解法第三十三条）。"
    return None


def confirmation_apply_write(case, d, v, actor):
    JudicialConfirmation.objects.update_or_create(
        dispute=d,
        defaults={
            "court": v["court"],
            "applied_on": v["applied_on"],
            "status": ConfirmationStatus.APPLIED,
            "accepted_on": None,
            "court_case_number": "",
            "decided_on": None,
            "note": "",
        },
    )
    return {"label": f"申请司法确认（{v['court']}）"}


def court_accept_pre(case, d, on):
    c = JudicialConfirmation.objects.filter(dispute=d).first()
    return None if c is not None and c.status == ConfirmationStatus.APPLIED else "本案没有待法院受理的司法确认申请。"


def court_accept_check(case, d, v):
    c = JudicialConfirmation.objects.get(dispute=d)
    if v["court_on"] < c.applied_on:
        return "法院决定日期不能早于申请日期。"
    return None


def court_accept_write(case, d, v, actor):
    c = JudicialConfirmation.objects.get(dispute=d)
    c.status = v["decision"]
    c.accepted_on = v["court_on"] if c.status == ConfirmationStatus.ACCEPTED else None
    c.court_case_number = v.get("court_case_number", "")
    if c.status == ConfirmationStatus.NOT_ACCEPTED:
        c.decided_on = v["court_on"]
    c.save()
    if c.status == ConfirmationStatus.ACCEPTED:
        return {"label": f"法院受理司法确认申请（{c.court_case_number}）"}
    return {"label": "法院不予受理司法确认申请"}


def court_decide_pre(case, d, on):
    c = JudicialConfirmation.objects.filter(dispute=d).first()
    return None if c is not None and c.status == ConfirmationStatus.ACCEPTED else "法院尚未受理司法确认申请，不能登记确认结果。"


def court_decide_check(case, d, v):
    c = JudicialConfirmation.objects.get(dispute=d)
    if v["court_on"] < c.accepted_on:
        return "法院决定日期不能早于受理日期。"
    return None


def court_decide_write(case, d, v, actor):
    c = JudicialConfirmation.objects.get(dispute=d)
    c.status, c.decided_on, c.note = v["decision"], v["court_on"], v.get("note", "")
    c.save()
    return {"label": f"司法确认结果：{c.get_status_display()}"}


# --- risk of turning criminal (防止民转刑) -------------------------------------------------------------


def flag_pre(case, d, on):
    if d.risk_flag and d.risk_status in RISK_OPEN:
        return "本纠纷已有在办的风险预警，请登记报告或处置结果。"
    return None


def flag_write(case, d, v, actor):
    d.risk_flag = True
    d.risk_kind, d.risk_level, d.risk_persons, d.risk_note = v["risk_kind"], v["risk_level"], v["risk_persons"], v["risk_note"]
    d.risk_status, d.risk_flagged_on, d.risk_resolved_on = RiskStatus.ACTIVE, v["on"], None
    d.save()
    return {"label": f"风险预警：{_label(RiskKind, d.risk_kind)}（{_label(RiskLevel, d.risk_level)}）"}


def open_risk_pre(case, d, on):
    if not d.risk_flag or d.risk_status not in RISK_OPEN:
        return "本纠纷没有在办的风险预警，请先登记风险预警。"
    return None


def report_write(case, d, v, actor):
    RiskReport.objects.create(dispute=d, reported_on=v["on"], reported_to=v["reported_to"], contact=v.get("contact", ""), measures=v.get("measures", ""))
    d.put(risk_status=RiskStatus.REPORTED)
    return {"label": f"风险报告：已报告{v['reported_to']}（人民调解法第二十五条）"}


def resolve_write(case, d, v, actor):
    d.put(risk_status=v["risk_status"], risk_resolved_on=v["on"])
    return {"label": f"风险处置：{_label(RiskStatus, d.risk_status)}", "event_data": {"note": v.get("note", "")}}


# --- archive -----------------------------------------------------------------------------------------------


def archive_pre(case, d, on):
    if d.risk_flag and d.risk_status in RISK_OPEN:
        return "本纠纷尚有未处置的风险预警，请先登记处置结果再归档。"
    if d.result == Result.SUCCESS:
        c = JudicialConfirmation.objects.filter(dispute=d).first()
        if c is not None and c.status in CONFIRMATION_PENDING:
            return "司法确认尚在法院审查中，待法院作出决定后再归档。"
        if d.performance != Performance.PERFORMED and d.visit_count == 0:
            return "调解协议尚未回访，也未记录履行完毕，不能结案归档（人民调解法第三十一条）。"
    return None


def archive_write(case, d, v, actor):
    outcome = Outcome.SUCCESS if d.result == Result.SUCCESS else Outcome.FAILED
    return {"outcome": outcome, "label": f"结案归档（{outcome.label}）"}
