"""The 附带审查 steps of the reconsideration workflow (行政复议法 §56–§60), kept
beside ``fy`` so that module stays readable; what they require and write:
``steps/norm.py``."""

from __future__ import annotations

from sifa.kit.workflow import Step

from ..choices import FyStatus
from ..forms import steps as f
from ..steps import norm as s

S = FyStatus
ACTIVE = (S.REVIEWING, S.SUSPENDED)

STEPS = [
    Step(
        "start_norm_review",
        "附带审查",
        ACTIVE,
        None,
        f.NormReviewForm,
        pre=s.none_open_pre,
        write=s.start,
        style="outline-primary",
        help="对规范性文件或依据的附带审查：本机关有权处理的30日内处理，无权处理的7个工作日内转送；需要时以第三十九条第一款第九项中止审理。",
    ),
    Step(
        "notify_drafter",
        "通知制定机关答复",
        ACTIVE,
        None,
        f.NotifyDrafterForm,
        pre=s.to_notify_pre,
        write=s.notify_drafter,
        style="outline-primary",
        help="自中止之日起3个工作日内书面通知制定机关；制定机关自收到通知之日起10个工作日内书面答复（第五十八条）。",
    ),
    Step(
        "record_drafter_reply",
        "收到制定机关答复",
        ACTIVE,
        None,
        f.DrafterReplyForm,
        pre=s.reply_expected_pre,
        write=s.record_drafter_reply,
        style="outline-primary",
    ),
    Step(
        "transfer_norm",
        "转送有权机关",
        ACTIVE,
        None,
        f.TransferNormForm,
        pre=s.to_transfer_pre,
        write=s.transfer,
        style="outline-primary",
        help="接受转送的机关应当自收到转送之日起60日内回复处理意见（第六十条）。",
    ),
    Step(
        "record_norm_result",
        "登记附带审查结果",
        ACTIVE,
        None,
        f.NormResultForm,
        pre=s.open_pre,
        check=s.conclude_check,
        write=s.record_result,
        style="outline-primary",
    ),
]
