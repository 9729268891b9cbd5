"""What the 附带审查 steps (行政复议法 §56–§60, ``workflow/norm.py``) require and
write. One review is open at a time; the organ handles it itself (notify the
drafting organ, take its reply, decide) or transfers it and records the
transferee's answer. Each write returns what the timeline and the clocks need."""

from __future__ import annotations

from sifa.common.models import put

from .. import selectors
from ..choices import NormReviewOrigin, NormReviewResult
from ..models import NormReview


def none_open_pre(case, app, on):
    r = selectors.open_norm_review(case)
    return f"附带审查“{r.document}”尚未办结，请先登记其审查结果。" if r else None


def open_pre(case, app, on):
    return None if selectors.open_norm_review(case) else "没有进行中的附带审查。"


def handled_here_pre(case, app, on):
    r = selectors.open_norm_review(case)
    if r is None:
        return "没有进行中的附带审查，请先登记“附带审查”。"
    if not r.competent:
        return "本附带审查已确定转送有权机关处理，不通知制定机关答复（第五十八条适用于本机关有权处理的情形）。"
    return None


def to_notify_pre(case, app, on):
    why = handled_here_pre(case, app, on)
    if why is None and selectors.open_norm_review(case).notified_on:
        return "已经书面通知过制定机关。"
    return why


def reply_expected_pre(case, app, on):
    why = handled_here_pre(case, app, on)
    if why:
        return why
    r = selectors.open_norm_review(case)
    if not r.notified_on:
        return "尚未书面通知制定机关，请先执行“通知制定机关答复”。"
    if r.reply_on:
        return "已经登记过制定机关的答复。"
    return None


def to_transfer_pre(case, app, on):
    r = selectors.open_norm_review(case)
    if r is None:
        return "没有进行中的附带审查，请先登记“附带审查”。"
    if r.competent:
        return "本附带审查由本机关处理，不需转送。"
    if r.transferred_on:
        return "已经转送过。"
    return None


def conclude_check(case, app, d):
    r = selectors.open_norm_review(case)
    if r.competent and d.get("result") == NormReviewResult.TRANSFEREE_REPLIED:
        return "本附带审查由本机关处理：审查结果应为“合法”或“停止执行并责令纠正”（第五十九条）。"
    if not r.competent:
        if not r.transferred_on:
            return "尚未转送有权机关，请先执行“转送有权机关”。"
        if d.get("result") != NormReviewResult.TRANSFEREE_REPLIED:
            return "本附带审查已转送：审查结果应为“有权处理的机关已回复处理意见”（第六十条）。"
    return None


def _open(case) -> NormReview:
    return NormReview.objects.select_for_update().get(pk=selectors.open_norm_review(case).pk)


def start(case, app, d, actor):
    r = NormReview.objects.create(
        case=case,
        origin=d["origin"],
        document=d["document"].strip(),
        drafting_organ=d["drafting_organ"].strip(),
        competent=d["competent"],
        started_on=d["on"],
    )
    how = "本机关处理" if r.competent else "转送有权机关处理"
    return {
        "label": f"附带审查：{r.document}（{how}）",
        "competent": r.competent,
        "event_data": {"norm_review": r.pk, "origin": NormReviewOrigin(r.origin).value, "competent": r.competent},
    }


def notify_drafter(case, app, d, actor):
    r = _open(case)
    put(r, notified_on=d["on"], notice_served_on=d.get("served_on") or d["on"])
    return {"label": f"书面通知{r.drafting_organ}答复", "served_on": r.notice_served_on, "event_data": {"norm_review": r.pk}}


def record_drafter_reply(case, app, d, actor):
    r = _open(case)
    put(r, reply_on=d["on"], reply_summary=d["summary"].strip())
    return {"event_data": {"norm_review": r.pk}}


def transfer(case, app, d, actor):
    r = _open(case)
    put(r, transferee=d["transferee"].strip(), transferred_on=d["on"], transfer_served_on=d.get("served_on") or d["on"])
    return {"label": f"附带审查转送{r.transferee}", "served_on": r.transfer_served_on, "event_data": {"norm_review": r.pk}}


def record_result(case, app, d, actor):
    r = _open(case)
    put(r, result=d["result"], result_on=d["on"], result_note=d["note"].strip())
    return {"label": f"附带审查办结：{NormReviewResult(r.result).label}", "event_data": {"norm_review": r.pk, "result": r.result}}
