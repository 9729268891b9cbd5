"""The 附带审查 steps of the reconsideration workflow (行政复议法 §56–§60), kept
beside ``fy`` so that module stays readable. One review is open at a time; the
organ handles it itself (notify the drafting organ, take its reply, decide) or
transfers it and records the transferee's answer."""

from __future__ import annotations

from sifa.cases.workflow import Transition

from .. import selectors
from ..choices import FyStatus, NormReviewResult
from ..forms import steps as f
from ..services import norm_review as s
from .common import guard, offered

S = FyStatus
ACTIVE = (S.REVIEWING, S.SUSPENDED)


def _none_open(case, d):
    r = selectors.open_norm_review(case)
    return f"附带审查“{r.document}”尚未办结，请先登记其审查结果。" if r else None


def _handled_here(case, d):
    r = selectors.open_norm_review(case)
    if r is None:
        return "没有进行中的附带审查，请先登记“附带审查”。"
    if not r.competent:
        return "本附带审查已确定转送有权机关处理，不通知制定机关答复（第五十八条适用于本机关有权处理的情形）。"
    return None


def _to_notify(case, d):
    why = _handled_here(case, d)
    if why is None and selectors.open_norm_review(case).notified_on:
        return "已经书面通知过制定机关。"
    return why


def _reply_expected(case, d):
    why = _handled_here(case, d)
    if why:
        return why
    r = selectors.open_norm_review(case)
    if not r.notified_on:
        return "尚未书面通知制定机关，请先执行“通知制定机关答复”。"
    if r.reply_on:
        return "已经登记过制定机关的答复。"
    return None


def _to_transfer(case, d):
    r = selectors.open_norm_review(case)
    if r is None:
        return "没有进行中的附带审查，请先登记“附带审查”。"
    if r.competent:
        return "本附带审查由本机关处理，不需转送。"
    if r.transferred_on:
        return "已经转送过。"
    return None


def _may_conclude(case, d):
    r = selectors.open_norm_review(case)
    if r is None:
        return "没有进行中的附带审查。"
    if r.competent and d.get("result") == NormReviewResult.TRANSFEREE_REPLIED:
        return "本附带审查由本机关处理：审查结果应为“合法”或“停止执行并责令纠正”（第五十九条）。"
    if not r.competent:
        if not r.transferred_on:
            return "尚未转送有权机关，请先执行“转送有权机关”。"
        if d.get("result") != NormReviewResult.TRANSFEREE_REPLIED:
            return "本附带审查已转送：审查结果应为“有权处理的机关已回复处理意见”（第六十条）。"
    return None


TRANSITIONS = [
    Transition(
        "start_norm_review",
        "附带审查",
        ACTIVE,
        None,
        form=f.NormReviewForm,
        guard=guard(f.NormReviewForm, _none_open),
        available=offered(_none_open),
        apply=s.start,
        style="outline-primary",
        help="对规范性文件或依据的附带审查：本机关有权处理的30日内处理，无权处理的7个工作日内转送；需要时以第三十九条第一款第九项中止审理。",
    ),
    Transition(
        "notify_drafter",
        "通知制定机关答复",
        ACTIVE,
        None,
        form=f.NotifyDrafterForm,
        guard=guard(f.NotifyDrafterForm, _to_notify),
        available=offered(_to_notify),
        apply=s.notify_drafter,
        style="outline-primary",
        help="自中止之日起3个工作日内书面通知制定机关；制定机关自收到通知之日起10个工作日内书面答复（第五十八条）。",
    ),
    Transition(
        "record_drafter_reply",
        "收到制定机关答复",
        ACTIVE,
        None,
        form=f.DrafterReplyForm,
        guard=guard(f.DrafterReplyForm, _reply_expected),
        available=offered(_reply_expected),
        apply=s.record_drafter_reply,
        style="outline-primary",
    ),
    Transition(
        "transfer_norm",
        "转送有权机关",
        ACTIVE,
        None,
        form=f.TransferNormForm,
        guard=guard(f.TransferNormForm, _to_transfer),
        available=offered(_to_transfer),
        apply=s.transfer,
        style="outline-primary",
        help="接受转送的机关应当自收到转送之日起60日内回复处理意见（第六十条）。",
    ),
    Transition(
        "record_norm_result",
        "登记附带审查结果",
        ACTIVE,
        None,
        form=f.NormResultForm,
        guard=guard(f.NormResultForm, _may_conclude),
        available=offered(lambda case, d: None if selectors.open_norm_review(case) else "没有进行中的附带审查。"),
        apply=s.record_result,
        style="outline-primary",
    ),
]
