"""What each step of the administrative-suit workflow (``workflow/ys.py``)
requires and writes; ``suit`` is the case's ``Suit``."""

from __future__ import annotations

from django.utils import timezone

from sifa.common.errors import DomainError

from .. import selectors
from ..choices import JUDGMENTS, RULINGS, Instance, JudgmentKind
from ..forms import suit_steps as f
from ..models import SuitHearing, SuitJudgment


def defence_not_filed_pre(case, suit, on):
    return "已经登记过答辩状及证据的提交。" if suit.defence_filed_on else None


def hearing_ahead_check(case, suit, d):
    if d["hearing_date"] < d["on"]:
        raise DomainError("开庭日期：不能早于办理日期。", field="hearing_date")
    return None


def held_check(case, suit, d):
    if d["held_on"] > d["on"]:
        raise DomainError("开庭日期：已开庭的日期不能晚于办理日期。", field="held_on")
    return None


def judged_check(case, suit, d):
    if d["judged_on"] > d["on"] or d["served_on"] > d["on"]:
        raise DomainError("裁判日期：裁判和送达日期不能晚于办理日期。", field="judged_on")
    return None


def appeal_window_over_pre(case, suit, on):
    if selectors.latest_judgment(case) is None:
        return "尚未登记裁判结果。"
    dl = selectors.deadline(case, "appeal")
    if dl is not None and dl.is_open and dl.due_date >= timezone.localdate():
        return f"上诉期至{dl.due_date:%Y-%m-%d}届满，届满前裁判尚未生效，不能结案；当事人上诉的，请执行“上诉/再审”。"
    return None


def file_defence(case, suit, d, actor):
    suit.put(defence_filed_on=d["on"])
    return {"event_data": {"summary": d["summary"][:500]}}


def schedule_hearing(case, suit, d, actor):
    suit.put(next_hearing_on=d["hearing_date"], next_hearing_place=d["place"], head_notified=suit.head_notified or d["head_notified"])
    return {"label": f"开庭通知（{d['hearing_date']:%Y-%m-%d}）", "event_data": {"hearing_date": d["hearing_date"].isoformat()}}


def record_hearing(case, suit, d, actor):
    h = SuitHearing.objects.create(
        case=case,
        instance=suit.instance,
        held_on=d["held_on"],
        head_attended=d["head_attended"],
        head_name=d["head_name"].strip(),
        head_title=d["head_title"].strip(),
        entrusted_name=d["entrusted_name"].strip(),
        entrusted_title=d["entrusted_title"].strip(),
        absence_reason=d["absence_reason"],
        absence_note=d["absence_note"].strip(),
        court_notified_head=d["court_notified_head"] or suit.head_notified,
        note=d["note"].strip(),
    )
    if suit.next_hearing_on and suit.next_hearing_on <= d["held_on"]:
        suit.put(next_hearing_on=None, next_hearing_place="")
    who = "负责人出庭" if h.head_attended else "委托工作人员出庭"
    return {"label": f"开庭（{h.held_on:%Y-%m-%d}，{who}）", "event_data": {"hearing": h.pk, "head_attended": h.head_attended}}


def record_judgment(case, suit, d, actor):
    j = SuitJudgment.objects.create(
        case=case,
        instance=suit.instance,
        kind=d["kind"],
        judged_on=d["judged_on"],
        served_on=d["served_on"],
        court_case_number=d["court_case_number"].strip() or suit.court_case_number,
        note=d["note"].strip(),
    )
    suit.put(next_hearing_on=None, next_hearing_place="")
    # Only first-instance judgments and the ruling dismissing the suit can be appealed here.
    appealable = suit.instance == Instance.FIRST and (j.kind in JUDGMENTS or j.kind == JudgmentKind.DISMISS_SUIT)
    return {
        "label": f"{suit.get_instance_display()}裁判：{j.get_kind_display()}",
        "served_on": j.served_on,
        "ruling": j.kind in RULINGS,
        "appealable": appealable,
        "event_data": {"judgment": j.pk, "kind": j.kind, "loss": j.is_loss},
    }


def appeal(case, suit, d, actor):
    suit.put(instance=d["instance"], court=d["court"].strip(), court_case_number=d["court_case_number"].strip())
    return {"label": f"进入{suit.get_instance_display()}（{f.APPELLANTS[d['appellant']]}提起）", "event_data": {"instance": suit.instance}}


def close(case, suit, d, actor):
    j = case.ys_judgments.order_by("-judged_on", "-id").first()
    return {"outcome": j.kind, "label": f"结案：{j.get_kind_display()}"}
