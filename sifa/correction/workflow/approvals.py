"""审批事项 (社区矫正法 §23, §27, §29; DOMAIN.md §4.2, §4.6): each a procedure
inside the person's case, opened by the case step 登记审批事项 with what is
asked. The office reviews (司法所审核); the bureau (县级社区矫正机构) decides;
电子定位 only the bureau's head (局领导), in its five cases, at most 3 months
each time, renewals recorded. A short 外出 (≤ 7 days by default) the office
may decide itself. An approved 外出 runs a return clock: the person's duty to
report back (销假) by its last day; missed, it is on the office's 待处理 list and
the lost-contact warnings the next day."""

from __future__ import annotations

from datetime import date

from sifa.accounts.roles import APPROVE, HANDLE
from sifa.kit.casework import SubProcedure
from sifa.kit.deadlines import DUTY, DeadlineRule
from sifa.kit.workflow import Step, Workflow

from .. import conf
from ..choices import APPROVAL_KINDS as KINDS
from ..choices import APPROVAL_SPANS as SPANS
from ..choices import Category, MonitorCase, Sanction


def at_bureau(user) -> bool:
    """The decision is the bureau's (县级社区矫正机构): a user of a bureau, not of an office."""
    from sifa.orgs.choices import OrgKind

    org = getattr(user, "org", None)
    return org is not None and org.kind in (OrgKind.BUREAU, OrgKind.CITY_BUREAU)


def _days(proc) -> int:
    d = proc.data or {}
    if not d.get("start") or not d.get("end"):
        return 0
    return (date.fromisoformat(d["end"]) - date.fromisoformat(d["start"])).days + 1


def _describe(kind: str, v: dict) -> str:
    if kind in SPANS:
        span = f"{v['start']:%Y-%m-%d}至{v['end']:%Y-%m-%d}"
        return f"{KINDS[kind]}（{span}{'，' + v['destination'] if v.get('destination') else ''}）"
    if kind == "monitor":
        return f"{KINDS[kind]}（{MonitorCase(v['monitor_case']).label}，{v['months']}个月）"
    return f"{KINDS[kind]}（{v.get('destination') or v.get('purpose', '')[:30]}）"


# --- the case step that opens one ------------------------------------------------------------------


def apply_check(case, rec, v):
    kind = v["kind"]
    if kind == "medical" and rec.category != Category.MEDICAL:
        return "病情复查期限延长只适用于暂予监外执行的社区矫正对象。"
    if case.procedures.filter(key=kind, closed_on__isnull=True).exists():
        return f"该对象已有办理中的{KINDS[kind]}审批，请先办结。"
    if kind == "leave":
        days = (v["end"] - v["start"]).days + 1
        if days > int(conf.get("LEAVE_MAX_DAYS")):
            return f"外出时间：每次外出不得超过{conf.get('LEAVE_MAX_DAYS')}日（本次{days}日）。"
        used = sum(
            _days(p)
            for p in case.procedures.filter(
                key="leave", status__in=("review", "decision", "approved", "returned"), data__start__startswith=str(v["start"].year)
            )
        )
        cap = int(conf.get("LEAVE_YEAR_DAYS"))
        if used + days > cap:
            return f"外出时间：本年度外出累计不得超过{cap}日（已批准或在审{used}日，本次{days}日）。"
    if kind == "monitor":
        return monitor_check(case, v["monitor_case"], v["months"])
    return None


def monitor_check(case, monitor_case: str, months: int) -> str | None:
    """§29: only in its five cases, at most 3 months each time. The two cases that rest on a
    decision need that decision on the record."""
    if monitor_case not in MonitorCase.values:
        return "使用电子定位装置的情形：只能是《社区矫正法》第二十九条规定的五种情形之一。"
    cap = int(conf.get("MONITOR_MAX_MONTHS"))
    if not 1 <= int(months) <= cap:
        return f"电子定位期限：每次不得超过{cap}个月。"
    done = set(case.correction_disciplines.values_list("kind", flat=True))
    if monitor_case == MonitorCase.REFUSED and Sanction.WARN not in done:
        return "使用电子定位装置的情形：该对象没有因拒不报告而被给予警告的记录。"
    if monitor_case == MonitorCase.PENALTY and Sanction.PENALTY not in done:
        return "使用电子定位装置的情形：该对象没有被提请治安管理处罚的记录。"
    return None


def apply_write(case, rec, v, actor):
    from sifa.cases.procedures import open_procedure

    kind = v["kind"]
    proc = open_procedure(actor, case, kind, on=v["on"], by_step=True)
    data = {"reason": v["purpose"], "destination": v.get("destination") or "", "visitor": v.get("visitor") or ""}
    if kind in SPANS:
        data |= {"start": v["start"].isoformat(), "end": v["end"].isoformat()}
    if kind == "monitor":
        data |= {"monitor_case": v["monitor_case"], "months": int(v["months"]), "renewals": []}
    proc.put(data=data)
    return {"label": f"登记审批事项：{_describe(kind, v)}", "event_data": {"procedure": proc.pk, "kind": kind}}


# --- the procedure's own steps ----------------------------------------------------------------------


def _office_may_decide(case, proc, on):
    if proc.key != "leave" or _days(proc) > int(conf.get("LEAVE_OFFICE_DAYS")):
        return f"{conf.get('LEAVE_OFFICE_DAYS')}日以内的外出由司法所批准；其他事项报县级社区矫正机构审批。"
    return None


def _forward_pre(case, proc, on):
    if proc.key == "leave" and _office_may_decide(case, proc, on) is None:
        return "7日以内的外出由司法所直接批准。"
    return None


def _approve_check(case, proc, v):
    if proc.key == "monitor":
        return monitor_check(case, proc.data.get("monitor_case", ""), proc.data.get("months", 0))
    return None


def _approve_write(case, proc, v, actor):
    proc.put(data=proc.data | {"decided_by": actor.get_full_name() or actor.username, "decided_on": v["on"].isoformat(), "opinion": v.get("opinion", "")})
    out = {"label": "批准", "outcome": "approved"}
    if proc.key == "leave":
        start = date.fromisoformat(proc.data["start"])
        out |= {"leave_start": start, "leave_days": _days(proc) - 1}
    if proc.key == "monitor":
        out |= {"months": int(proc.data["months"])}
    return out


def _opinion_write(case, proc, v, actor):
    proc.put(data=proc.data | {"review": v.get("opinion", ""), "reviewed_by": actor.get_full_name() or actor.username})
    return {}


def _back_check(case, proc, v):
    if v["on"] < date.fromisoformat(proc.data["start"]):
        return "销假日期不能早于外出开始日期。"
    return None


def _back_write(case, proc, v, actor):
    end = date.fromisoformat(proc.data["end"])
    late = (v["on"] - end).days
    proc.put(data=proc.data | {"returned_on": v["on"].isoformat(), "late_days": max(late, 0)})
    from ..services import note_contact

    note_contact(case.record, v["on"])
    return {"label": "销假" + (f"（逾期{late}日）" if late > 0 else ""), "outcome": "returned"}


def _renew_check(case, proc, v):
    return monitor_check(case, proc.data.get("monitor_case", ""), v["months"])


def _renew_write(case, proc, v, actor):
    renewals = [*proc.data.get("renewals", []), {"on": v["on"].isoformat(), "months": int(v["months"]), "by": actor.get_full_name() or actor.username}]
    proc.put(data=proc.data | {"renewals": renewals})
    return {"label": f"续期{v['months']}个月（第{len(renewals)}次）", "months": int(v["months"])}


def _procedure(key: str) -> SubProcedure:
    from .. import forms as f

    head = key == "monitor"
    states = {"review": "司法所审核", "decision": "待县级审批", "approved": "已批准", "refused": "不予批准"}
    finals = {"refused"}
    steps = [
        Step("forward", "审核同意，报县级审批", ("review",), "decision", f.OpinionForm, pre=_forward_pre, write=_opinion_write),
        Step(
            "refuse_review", "审核不同意", ("review",), "refused", reason_required=True, reason_label="不同意的理由", outcome="refused", style="outline-danger"
        ),
        Step(
            "approve",
            "批准",
            ("decision",),
            "approved",
            f.OpinionForm,
            check=_approve_check,
            write=_approve_write,
            permission=APPROVE if head else HANDLE,
            by=at_bureau,
            style="success",
        ),
        Step(
            "refuse",
            "不予批准",
            ("decision",),
            "refused",
            reason_required=True,
            reason_label="不予批准的理由",
            permission=APPROVE if head else HANDLE,
            by=at_bureau,
            style="outline-danger",
        ),
    ]
    rules = [
        DeadlineRule(
            "review",
            "司法所审核",
            3,
            "workday",
            start_on=("opened",),
            complete_on=("forward", "refuse_review", *(("approve_office",) if key == "leave" else ())),
            basis="审批事项办理时限（地方规定，可配置）",
        ),
        DeadlineRule(
            "decision", "县级审批", 3, "workday", start_on=("forward",), complete_on=("approve", "refuse"), basis="审批事项办理时限（地方规定，可配置）"
        ),
    ]
    if key == "leave":
        states["returned"] = "已销假"
        finals.add("returned")
        steps.insert(
            1, Step("approve_office", "司法所批准", ("review",), "approved", f.OpinionForm, pre=_office_may_decide, write=_approve_write, style="success")
        )
        steps.append(Step("back", "销假（返回报告）", ("approved",), "returned", f.BackForm, check=_back_check, write=_back_write, style="success"))
        rules.append(
            DeadlineRule(
                "return",
                "外出返回报告",
                0,
                "day",
                start_on=("approve", "approve_office"),
                complete_on=("back",),
                start_date=lambda case, data, on: data["leave_start"],
                amount_for=lambda case, data: data["leave_days"],
                basis="《社区矫正法》第二十七条；外出期满应及时返回并报告（销假）。逾期未报告的，按脱管预警查找。",
                kind=DUTY,
            )
        )
    elif key == "monitor":
        states["ended"] = "已解除定位"
        finals.add("ended")
        steps += [
            Step("renew", "续期", ("approved",), None, f.RenewForm, check=_renew_check, write=_renew_write, permission=APPROVE, by=at_bureau),
            Step("end", "解除电子定位", ("approved",), "ended", reason_required=True, reason_label="解除理由", style="outline-secondary"),
        ]
        rules.append(
            DeadlineRule(
                "monitor",
                "电子定位期限",
                3,
                "month",
                start_on=("approve",),
                complete_on=("end",),
                amount_for=lambda case, data: int(data.get("months") or 3),
                extend_on={"renew": lambda case, data: int(data.get("months") or 0)},
                basis="《社区矫正法》第二十九条：使用电子定位装置的期限不得超过三个月；对于不需要继续使用的，应当及时解除；确有必要继续使用的，经过批准，期限可以延长，每次不得超过三个月。",
            )
        )
    else:
        finals.add("approved")
    from ..documents import approval_document

    return SubProcedure(
        key,
        KINDS[key] + "审批",
        Workflow(states=states, initial="review", final_states=frozenset(finals), steps=steps),
        deadline_rules=tuple(rules),
        documents=(approval_document(key),),
    )


PROCEDURES = tuple(_procedure(k) for k in KINDS)
