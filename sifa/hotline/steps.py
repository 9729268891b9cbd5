"""What each step of ``workflow.py`` requires and writes: ``*_pre(case, rec, on)``
decides from the case alone whether the step is offered; ``*_check(case, rec, v)``
needs the step's input; ``*_write(case, rec, v, actor)`` writes (``rec.put(...)``)
and returns what the timeline shows. ``rec`` is the order's ``WorkOrder``, ``v``
the step form's cleaned data with its date ``on``. They run inside the engine's
one transaction: a refusal changes nothing."""

from __future__ import annotations

from sifa.cases import movement
from sifa.common.errors import Refused
from sifa.deadlines import selectors as clocks

from .choices import PLATFORMS, TARGET_KINDS, CallbackWay, Kind, Satisfaction, Target


def _front_desk(case, actor) -> None:
    """Extensions are granted by the desk that dispatched the order (its owner's side)."""
    if actor is not None and not case.org_path.startswith(actor.org.path):
        raise Refused("延期申请由派单单位（工单受理单位）审批。")


def accept_write(case, rec, v, actor):
    fields = {k: v[k] for k in ("kind", "category") if v.get(k)}
    fields["urgent"] = bool(v.get("urgent"))
    if v.get("kind") == Kind.APPOINTMENT:
        fields["appointment"] = v.get("appointment") or ""
    rec.put(**fields)
    return {"label": "受理", "event_data": {"kind": rec.kind}}


def answer_write(case, rec, v, actor):
    on_spot = v["on"] == case.opened_on
    rec.put(answer=v["answer"], answered_on=v["on"], answered_on_spot=on_spot, satisfaction=v.get("satisfaction") or "")
    rated = f"，来电人评价：{Satisfaction(v['satisfaction']).label}" if v.get("satisfaction") else ""
    what = "即时解答办结" if on_spot else "答复办结"
    return {"label": f"{what}{rated}", "outcome": "answered", "satisfaction": v.get("satisfaction") or ""}


def dispatch_check(case, rec, v):
    target, org = v["target"], v.get("org")
    if target == Target.LAW_FIRM:
        return None if (v.get("firm") or "").strip() else "派往律师事务所请填写律师事务所名称。"
    if org is None:
        return f"请选择{Target(target).label}。"
    if org.kind not in TARGET_KINDS[target]:
        return f"“{org.name}”不是{Target(target).label}。"
    if org.pk == case.owner_org_id:
        return "不能派给受理单位本身；本单位办理的，请直接答复办结。"
    return None


def dispatch_write(case, rec, v, actor):
    target, org = v["target"], v.get("org")
    name = org.name if org is not None else v["firm"].strip()[:100]
    rec.put(
        target=target,
        dispatched_to=org,
        dispatched_to_name=name,
        dispatched_on=v["on"],
        instructions=(v.get("instructions") or "")[:500],
        signed_on=None,
        extension_requested=None,
        extension_reason="",
    )
    if org is not None and not (org.path.startswith(case.org_path) or case.org_path.startswith(org.path)):
        # The handling unit works on the order from its own pages (it stays the front desk's).
        movement.share(actor, case, org, reason=f"12348工单派单：{Target(target).label}办理", can_write=True, checked=True)
    return {"label": f"派单至{name}（{Target(target).label}）", "event_data": {"to": name, "target": target}}


def sign_write(case, rec, v, actor):
    rec.put(signed_on=v["on"])
    return {"label": f"{rec.dispatched_to_name or '承办单位'}签收"}


def _end_dispatch(case, rec):
    if rec.dispatched_to_id:
        movement.read_only(case, rec.dispatched_to_id)


def return_write(case, rec, v, actor):
    name = rec.dispatched_to_name
    _end_dispatch(case, rec)
    rec.put(target="", dispatched_to=None, dispatched_to_name="", signed_on=None, returns=rec.returns + 1, extension_requested=None)
    return {"label": f"{name}退回工单"}


def reply_write(case, rec, v, actor):
    rec.put(answer=v["answer"], answered_on=v["on"])
    contacted = "，已联系诉求人" if v.get("contacted") else ""
    return {"label": f"{rec.dispatched_to_name or '承办单位'}办理反馈{contacted}"}


def request_extension_pre(case, rec, on):
    if rec.extension_requested:
        return "已有延期申请待审批。"
    clock = clocks.clock(case, "handle", running=True)
    if clock is None:
        return "工单没有正在计算的办理时限。"
    if clock.due_date < on:
        return f"办理时限已于{clock.due_date:%Y-%m-%d}届满，延期应在届满前申请。"
    return None


def request_extension_write(case, rec, v, actor):
    rec.put(extension_requested=v["days"], extension_reason=v["extension_reason"][:500])
    return {"label": f"申请延期{v['days']}个工作日：{v['extension_reason'][:60]}"}


def approve_extension_pre(case, rec, on):
    return None if rec.extension_requested else "没有待审批的延期申请。"


def approve_extension_check(case, rec, v):
    if v["days"] > rec.extension_requested:
        return f"批准的延期不能多于申请的{rec.extension_requested}个工作日。"
    return None


def approve_extension_write(case, rec, v, actor):
    _front_desk(case, actor)
    rec.put(extension_requested=None, extended_days=rec.extended_days + v["days"])
    return {"label": f"批准延期{v['days']}个工作日", "days": v["days"]}


def refuse_extension_write(case, rec, v, actor):
    _front_desk(case, actor)
    rec.put(extension_requested=None)
    return {"label": "不予延期"}


def remind_pre(case, rec, on):
    clock = clocks.clock(case, "handle", running=True)
    if clock is None or clock.due_date >= on:
        return "工单未超过办理时限，不能催办。"
    return None


def remind_write(case, rec, v, actor):
    rec.put(reminders=rec.reminders + 1)
    note = f"：{v['note'][:60]}" if v.get("note") else ""
    return {"label": f"催办（第{rec.reminders}次）{note}"}


def escalate_pre(case, rec, on):
    if rec.escalated_on:
        return f"已于{rec.escalated_on:%Y-%m-%d}通报。"
    if not rec.reminders:
        return "催办后仍未办结的才通报。"
    return None


def escalate_write(case, rec, v, actor):
    rec.put(escalated_on=v["on"])
    return {"label": f"通报：催办后仍未办结（{rec.dispatched_to_name or case.owner_org.name}）"}


def callback_write(case, rec, v, actor):
    reached = v["way"] != CallbackWay.NONE
    satisfaction = v.get("satisfaction") or "" if reached else ""
    rec.put(callback_on=v["on"], callback_way=v["way"], callback_note=(v.get("note") or "")[:1000], satisfaction=satisfaction or rec.satisfaction)
    said = f"：{Satisfaction(satisfaction).label}" if satisfaction else ("：联系不上" if not reached else "")
    return {"label": f"回访{said}", "satisfaction": satisfaction}


def revisit_pre(case, rec, on):
    if rec.satisfaction != Satisfaction.UNSATISFIED:
        return "只有评价为不满意的工单需要回访。"
    if rec.callback_on:
        return f"已于{rec.callback_on:%Y-%m-%d}回访。"
    return None


def _unreviewed_unsatisfied(rec) -> bool:
    return rec.satisfaction == Satisfaction.UNSATISFIED and rec.reviewed_on is None


def uphold_pre(case, rec, on):
    if not _unreviewed_unsatisfied(rec):
        return "只有评价为不满意、尚未复核的工单需要复核。"
    if rec.callback_on is None:
        return "请先回访诉求人，再复核。"
    return None


def uphold_write(case, rec, v, actor):
    rec.put(reviewed_on=v["on"], review_note=v["note"][:1000])
    return {"label": f"不满意复核：维持办结（{v['note'][:40]}）"}


def redo_pre(case, rec, on):
    if rec.channel in PLATFORMS:
        return None  # the transferring platform decides a 重办 on its own callback
    if _unreviewed_unsatisfied(rec):
        return None
    return "只有不满意且复核认为应当重办的工单，或转办平台要求重办的工单，才能重办。"


def redo_write(case, rec, v, actor):
    fields = {"redos": rec.redos + 1, "answered_on": None, "callback_on": None, "callback_way": "", "satisfaction": "", "extension_requested": None}
    if rec.satisfaction == Satisfaction.UNSATISFIED and rec.reviewed_on is None:
        fields |= {"reviewed_on": v["on"], "review_note": "复核认为应当重办"}
    _end_dispatch(case, rec)
    rec.put(**fields)
    return {"label": f"重办（第{rec.redos}次）"}


def quality_write(case, proc, v, actor):
    proc.put(data=proc.data | {"score": v["score"], "opinion": v["opinion"]})
    case.record.put(quality_score=v["score"])
    return {"label": f"工单质检：{v['score']}分", "event_data": {"score": v["score"]}}
