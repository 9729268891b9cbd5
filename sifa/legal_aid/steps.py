"""What each step of ``workflow.py`` requires and writes: ``*_pre(case, rec, on)``
decides from the case alone whether the step is offered; ``*_check(case, rec, v)``
needs the step's input; ``*_write(case, rec, v, actor)`` writes (``rec.put(...)``)
and returns what the timeline shows. ``rec`` is the line's ``LegalAid``, ``v``
the step form's cleaned data with its date ``on``. They run inside the engine's
one transaction: a refusal changes nothing."""

from __future__ import annotations

from sifa.cases import services as case_services

from . import conf
from .choices import MeansBasis, Outcome, Termination


def materials_write(case, rec, v, actor):
    return {"label": f"一次性告知补充材料：{v['missing'][:60]}", "event_data": {"missing": v["missing"]}}


NO_MEANS_TEST = ("s25", "s28", "s32")  # §25 通知辩护, §28 强制医疗, §32 不受经济困难条件限制


def grant_check(case, rec, v):
    """The means test: no test only on the statute's grounds; a stated income above the
    province's standard (``conf.MEANS_STANDARD``, §34) is not 经济困难 unless exempt (§42)."""
    basis = v.get("means_basis")
    if basis == MeansBasis.NOT_REQUIRED and rec.ground not in NO_MEANS_TEST:
        return "只有第二十五条、第二十八条、第三十二条规定的情形无需审查经济状况；请选择审查方式，或先在案件信息中注明援助依据。"
    standard = conf.get("MEANS_STANDARD")
    if basis in (MeansBasis.CHECKED, MeansBasis.PLEDGE) and standard and rec.income:
        try:
            income = float(rec.income)
        except ValueError:
            return None
        if income > float(standard):
            return (
                f"申请人家庭月人均收入{rec.income}元，高于本地经济困难标准{standard}元（第三十四条），不符合经济困难条件；"
                "属于第四十二条免予核查情形的，请选择“免予核查”。"
            )
    return None


def grant_write(case, rec, v, actor):
    number = (v.get("decision_number") or "").strip() or case_services.assign_doc_number(case, year=v["on"].year)
    if not case.doc_number:
        case.doc_number = number
    rec.put(
        means_basis=v["means_basis"],
        exemption=v.get("exemption") or "",
        first_provided=bool(v.get("first_provided")),
        decided_on=v["on"],
        decision_number=number,
    )
    first = "（先行提供）" if v.get("first_provided") else ""
    return {"label": f"决定给予法律援助{first}（{MeansBasis(v['means_basis']).label}），决定书 {number}", "event_data": {"decision_number": number}}


def refuse_write(case, rec, v, actor):
    number = case_services.assign_doc_number(case, year=v["on"].year)
    rec.put(decided_on=v["on"], decision_number=number)
    return {"label": f"决定不予法律援助，决定书 {number}", "outcome": "refused"}


def assign_check(case, rec, v):
    """§26: a case of possible life imprisonment or death penalty, or a death-penalty
    review, goes only to a lawyer with at least three years' relevant practice."""
    p = v.get("provider")
    if p is None:
        return "请选择承办人员。"
    years = int(conf.get("CAPITAL_YEARS"))
    if (rec.capital or rec.stage == "death_review") and (p.kind != "lawyer" or p.practice_years(v["on"]) < years):
        have = p.practice_years(v["on"])
        return f"可能判处无期徒刑、死刑的案件和死刑复核案件，应当指派具有{years}年以上相关执业经历的律师（法律援助法第二十六条）；{p.name}执业{have}年。"
    return None


def assign_write(case, rec, v, actor):
    p = v["provider"]
    rec.put(provider=p, assign_mode=v["assign_mode"], assign_reason=v.get("assign_reason") or "", assigned_on=v["on"])
    if p.user_id:
        from sifa.cases.models import CaseAssignment

        # The provider's own login sees the case from now on (援助律师: assigned cases only).
        CaseAssignment.objects.get_or_create(case=case, user=p.user, role="lawyer")
    return {"label": f"指派{p.name}（{p.firm or '—'}）承办", "event_data": {"provider": p.pk}}


def agreement_write(case, rec, v, actor):
    rec.put(agreement_on=v["agreement_on"])
    return {"label": f"签订委托/辩护协议（{v['agreement_on']:%Y-%m-%d}）"}


def progress_write(case, rec, v, actor):
    court = v.get("court_date")
    label = f"办理进展：{v['note'][:60]}" + (f"（开庭日期 {court:%Y-%m-%d}）" if court else "")
    return {"label": label, "event_data": {"note": v["note"], "court_date": court.isoformat() if court else ""}}


def end_write(case, rec, v, actor):
    rec.put(outcome=v["outcome"], ended_on=v["on"], fees_waived=v.get("fees_waived"), losses_recovered=v.get("losses_recovered"))
    return {"label": f"案件办结（{Outcome(v['outcome']).label}）"}


def closing_write(case, rec, v, actor):
    return {"label": "提交结案材料", "event_data": {"report": v["report"]}}


def close_write(case, rec, v, actor):
    rec.put(grade=v.get("grade") or "", satisfaction=v.get("satisfaction") or "")
    from .services import subsidies

    subsidies.on_closed(case, rec, actor)  # the provider's 办案补贴 from the standard table (§52)
    return {"label": "结案审查通过", "outcome": rec.outcome or "closed", "event_data": {"checklist": v["checklist"]}}


def terminate_write(case, rec, v, actor):
    return {"label": f"终止法律援助：{Termination(v['termination']).label}", "outcome": "terminated", "event_data": {"termination": v["termination"]}}


def corrected_pre(case, rec, on):
    """Offered only once the bureau, deciding an objection, ordered the centre to correct
    its refusal or termination (§49 责令改正), and not yet acted on."""
    from sifa.cases.models import Procedure

    last = Procedure.objects.filter(case=case, key="objection").order_by("-opened_on", "-id").first()
    if last is None or last.status != "corrected":
        return "只有司法行政部门审查异议后责令改正的，才能重新审查或恢复法律援助（第四十九条）。"
    if case.closed_on and last.closed_on and last.closed_on < case.closed_on:
        return "该异议审查早于本次决定，不能据此改正。"
    return None


def reconsider_write(case, rec, v, actor):
    rec.put(decided_on=None)
    return {"label": "依异议审查决定（责令改正），重新审查申请"}


def resume_write(case, rec, v, actor):
    return {"label": "依异议审查决定（责令改正），恢复法律援助"}


def withdrawn_write(case, rec, v, actor):
    return {"label": "补充材料期限届满未补充，视为撤回申请", "outcome": "withdrawn"}


def quality_write(case, proc, v, actor):
    """A quality assessment's scores, total and grade (on the procedure and the case's record)."""
    sheet = conf.get("QUALITY_SHEET")
    scores = {key: v[f"score_{key}"] for key, _label, _top in sheet}
    total = sum(scores.values())
    grade = next(g for floor, g in conf.get("QUALITY_GRADES") if total >= floor)
    proc.put(data=proc.data | {"scores": scores, "total": total, "grade": grade, "opinion": v["opinion"]})
    case.record.put(grade=grade)
    from .services import subsidies

    subsidies.on_closed(case, case.record, actor)  # a later grade adjusts a subsidy not yet approved
    from .choices import Grade

    return {"label": f"质量评估：{total}分，{Grade(grade).label}", "event_data": {"total": total, "grade": grade}}
