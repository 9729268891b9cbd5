"""The writes of the 附带审查 steps (行政复议法 §56–§60), run by the core
``transition()`` inside its transaction after the guards in ``workflow.norm``.
Each returns what the timeline and the deadline rules need."""

from __future__ import annotations

from .. import selectors
from ..choices import NormReviewOrigin, NormReviewResult
from ..forms import steps as f
from ..forms.common import validated
from ..models import NormReview


def _open(case) -> NormReview:
    return NormReview.objects.select_for_update().get(pk=selectors.open_norm_review(case).pk)


def start(case, data, actor):
    d = validated(f.NormReviewForm, case, data)
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


def notify_drafter(case, data, actor):
    d = validated(f.NotifyDrafterForm, case, data)
    r = _open(case)
    r.notified_on, r.notice_served_on = d["on"], d.get("served_on") or d["on"]
    r.save(update_fields=["notified_on", "notice_served_on"])
    return {"label": f"书面通知{r.drafting_organ}答复", "served_on": r.notice_served_on, "event_data": {"norm_review": r.pk}}


def record_drafter_reply(case, data, actor):
    d = validated(f.DrafterReplyForm, case, data)
    r = _open(case)
    r.reply_on, r.reply_summary = d["on"], d["summary"].strip()
    r.save(update_fields=["reply_on", "reply_summary"])
    return {"event_data": {"norm_review": r.pk}}


def transfer(case, data, actor):
    d = validated(f.TransferNormForm, case, data)
    r = _open(case)
    r.transferee, r.transferred_on, r.transfer_served_on = d["transferee"].strip(), d["on"], d.get("served_on") or d["on"]
    r.save(update_fields=["transferee", "transferred_on", "transfer_served_on"])
    return {"label": f"附带审查转送{r.transferee}", "served_on": r.transfer_served_on, "event_data": {"norm_review": r.pk}}


def record_result(case, data, actor):
    d = validated(f.NormResultForm, case, data)
    r = _open(case)
    r.result, r.result_on, r.result_note = d["result"], d["on"], d["note"].strip()
    r.save(update_fields=["result", "result_on", "result_note"])
    return {"label": f"附带审查办结：{NormReviewResult(r.result).label}", "event_data": {"norm_review": r.pk, "result": r.result}}
