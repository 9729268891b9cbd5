"""What each step of ``workflow.py`` requires and writes: ``*_pre(case, rec, on)``
decides from the case alone whether the step is offered; ``*_check(case, rec, v)``
needs the step's input; ``*_write(case, rec, v, actor)`` writes (``rec.put(...)``)
and returns what the timeline shows. ``rec`` is the ``Releasee``, ``v`` the step
form's cleaned data with its date ``on``. They run inside the engine's one
transaction: a refusal changes nothing."""

from __future__ import annotations

from sifa.cases import movement
from sifa.cases.models import CaseShare

from . import conf
from .choices import AssistanceKind, ContactKind, EndKind, HandoverWay, Placement, Verification
from .models import Assessment, Assistance, Contact, Helper, SearchRequest
from .services import fulfil_contact, is_seamless, note_contact, period_end, release_day, report_due

# --- 摸排, 衔接, 未衔接, 协查 --------------------------------------------------------------------------


def verify_write(case, rec, v, actor):
    """摸排: local, 人户分离 (the residence office shares the file: 双列管, one owner), or not found."""
    result, org = v["result"], v.get("residence_org")
    old = rec.residence_org
    if old is not None and old != org:
        # The person no longer lives there: that office's part in the file ends.
        for share in CaseShare.objects.filter(case=case, org=old, active=True):
            movement.end_share(actor, share)
    rec.put(verification=result, verified_on=v["on"], residence=(v.get("residence") or "").strip(), residence_org=org)
    if org is not None and old != org:
        movement.share(actor, case, org, reason="人户分离，双列管：居住地司法所共同帮教", can_write=True, checked=True)
    label = f"摸排核实：{Verification(result).label}"
    if org is not None:
        label += f"，与{org.name}双列管"
    return {"label": label, "event_data": {"result": result, "note": v.get("note", "")}}


def handover_check(case, rec, v):
    if v["released_on"] > v["on"]:
        return "实际释放日期不能晚于衔接日期（办理日期）。"
    if rec.sentence_start and v["released_on"] < rec.sentence_start:
        return "实际释放日期不能早于刑期起日。"
    return None


def handover_write(case, rec, v, actor):
    released, on, way = v["released_on"], v["on"], v["way"]
    seamless = is_seamless(released, on, way)
    rec.put(
        released_on=released,
        handed_over_on=on,
        handover_way=way,
        seamless=seamless,
        unlinked_since=None,
        period_ends_on=period_end(released, rec.origin),
    )
    note_contact(rec, on)
    days = (on - released).days
    label = f"衔接：{HandoverWay(way).label}（释放后第{days}日" + ("，无缝衔接）" if seamless else f"，超过{conf.report_days()}日）")
    return {"label": label, "event_data": {"seamless": seamless, "days": days, "note": v.get("note", "")}}


def unlink_pre(case, rec, on):
    if rec.verification == Verification.NOT_FOUND:
        return None
    release = release_day(rec)
    if release is None:
        return "尚无释放日期，不能登记未衔接。"
    due = report_due(release)
    if on <= due:
        return f"报到期限至{due:%Y-%m-%d}尚未届满；期满仍未衔接或摸排查无此人的，才登记未衔接。"
    return None


def unlink_write(case, rec, v, actor):
    rec.put(unlinked_since=v["on"], released_on=v.get("released_on") or rec.released_on)
    return {"label": "登记未衔接，组织查找", "event_data": {"circumstances": v["circumstances"]}}


def search_write(case, rec, v, actor):
    org = v.get("org")
    name = org.name if org is not None else v["org_name"].strip()
    SearchRequest.objects.create(case=case, org=org, org_name=name[:100], asked_on=v["on"], request=v["request"], officer=actor)
    if org is not None and not CaseShare.objects.filter(case=case, org=org, active=True).exists():
        # The asked office must know whom to look for: it reads the file, nothing more.
        movement.share(actor, case, org, reason="协查：查找未衔接人员", can_write=False, checked=True)
    return {"label": f"发出协查：{name}", "event_data": {"request": v["request"][:200]}}


def answer_pre(case, rec, on):
    from sifa.cases.selectors import case_has

    if not case_has(case, "resettlement_searches", answered_on__isnull=True):  # the case page reads them once, for its panel too
        return "没有尚未回复的协查。"
    return None


def answer_check(case, rec, v):
    row = SearchRequest.objects.filter(case=case, pk=v["search"], answered_on__isnull=True).first()
    if row is None:
        return "协查记录：请选择本人尚未回复的协查。"
    if v["on"] < row.asked_on:
        return "回复日期不能早于协查发出日期。"
    return None


def answer_write(case, rec, v, actor):
    row = SearchRequest.objects.get(case=case, pk=v["search"])
    row.answered_on, row.answer = v["on"], v["answer"]
    row.save(update_fields=["answered_on", "answer"])
    return {"label": f"协查回复：{row.org_name}", "event_data": {"answer": v["answer"][:200]}}


# --- 风险评估, 帮教小组, 走访, 帮扶, 安置 --------------------------------------------------------------------


def grade_check(case, rec, v):
    if v["grade"] not in conf.grades():
        return "风险等级：请选择。"
    if unknown := set(v.get("factors") or ()) - set(conf.factors()):
        return f"风险因素：“{'、'.join(sorted(unknown))}”不在可选范围。"
    return None


def grade_write(case, rec, v, actor):
    grade, on = v["grade"], v["on"]
    before = rec.grade
    Assessment.objects.create(case=case, on=on, grade=grade, factors=list(v.get("factors") or ()), note=v["note"], officer=actor)
    rec.put(grade=grade, graded_on=on, grade_since=on if grade != before else (rec.grade_since or on))
    label = conf.grades()[grade][0]
    what = "风险评估" if not before else ("重新评估，维持" if before == grade else f"重新评估，由{conf.grades().get(before, (before,))[0]}调整为")
    return {"label": f"{what}{label}" if before else f"风险评估：{label}", "event_data": {"factors": list(v.get("factors") or ())}}


def group_write(case, rec, v, actor):
    Helper.objects.filter(case=case).delete()
    Helper.objects.bulk_create([Helper(case=case, **m) for m in v["members"]])
    agreement = v.get("agreement_on") or rec.agreement_on
    rec.put(agreement_on=agreement)
    label = f"帮教小组：{'、'.join(m['name'] for m in v['members'])}"
    if agreement:
        label += f"；{agreement:%Y-%m-%d}签订帮教协议"
    return {"label": label}


def after_handover_check(case, rec, v):
    if rec.handed_over_on and v["on"] < rec.handed_over_on:
        return "日期不能早于衔接日期。"
    return None


def contact_write(case, rec, v, actor):
    Contact.objects.create(case=case, kind=v["kind"], on=v["on"], note=v["note"], officer=actor)
    note_contact(rec, v["on"])
    done = fulfil_contact(case, v["on"])
    return {"label": ContactKind(v["kind"]).label + ("；完成：" + "、".join(done) if done else ""), "event_data": {"note": v["note"][:200]}}


def assist_write(case, rec, v, actor):
    Assistance.objects.create(case=case, kind=v["kind"], on=v["on"], note=v["note"], officer=actor)
    return {"label": f"帮扶：{AssistanceKind(v['kind']).label}", "event_data": {"note": v["note"][:200]}}


def place_write(case, rec, v, actor):
    before = rec.placement
    rec.put(placement=v["placement"], placed_on=v["on"])
    label = Placement(v["placement"]).label
    return {"label": f"安置情况：{label}" if not before else f"安置情况变更为：{label}", "event_data": {"note": v.get("note", "")}}


# --- 帮教期满, 终止 ------------------------------------------------------------------------------------


def expire_pre(case, rec, on):
    if rec.period_ends_on is None:
        return "尚未衔接，帮教期未开始。"
    if on < rec.period_ends_on:
        return f"帮教期至{rec.period_ends_on:%Y-%m-%d}届满，期满前不能解除。"
    return None


def expire_write(case, rec, v, actor):
    rec.put(ended_on=v["on"], end_kind=EndKind.EXPIRED)
    return {"label": "帮教期满，解除帮教", "outcome": EndKind.EXPIRED}


def end_write(case, rec, v, actor):
    kind = v["kind"]
    rec.put(
        ended_on=v["on"],
        end_kind=kind,
        reoffended_on=v["on"] if kind == EndKind.REOFFENDED else rec.reoffended_on,
        moved_to=(v.get("moved_to") or "").strip()[:100] if kind == EndKind.MOVED else "",
    )
    label = EndKind(kind).label
    if kind == EndKind.MOVED:
        label += f"，档案移交{v['moved_to'].strip()}"
    return {"label": f"终止帮教：{label}", "outcome": kind, "event_data": {"note": v["note"][:200]}}
