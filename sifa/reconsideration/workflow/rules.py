"""The statutory clocks of both case types, as data for the core deadline engine.

行政复议法 §88: the 3/5/7/10-day limits are working days; every other period
(15/30/60 days) follows 民事诉讼法 §85 (start day not counted, a period ending on
a rest day ends on the next working day). The engine's calendar does both.
"""

from __future__ import annotations

from sifa.kit.deadlines import DUTY, DeadlineRule, Lapse

from ..choices import (
    APPEAL_DAYS_JUDGMENT,
    APPEAL_DAYS_RULING,
    AUTO_TERMINATE_GROUNDS,
    DEFENCE_DAYS,
    NORM_HANDLE_DAYS,
    NORM_NOTICE_WORKDAYS,
    NORM_REPLY_WORKDAYS,
    NORM_TRANSFER_REPLY_DAYS,
    NORM_TRANSFER_WORKDAYS,
    OPINION_FEEDBACK_DAYS,
    SUSPENSION_LIMIT_DAYS,
    Procedure,
    SuspensionGround,
)

# Steps that conclude an accepted case: every running clock of the review stops.
CLOSING = ("decide", "mediate_close", "terminate", "terminate_after_suspension")


def _procedure(case, data) -> str:
    if data.get("procedure"):
        return data["procedure"]
    from ..models import Application

    return Application.objects.filter(case=case).values_list("procedure", flat=True).first() or Procedure.ORDINARY


def _simplified(case, data) -> bool:
    return _procedure(case, data) == Procedure.SIMPLIFIED


def _accepted_on(case, data, on):
    # Deemed acceptance dates from the day the review period expired, not from the
    # day somebody recorded it (行政复议法 §30 第三款).
    return data.get("accepted_on") or on


def _served_on(case, data, on):
    return data.get("served_on") or on


def _handled_here(case) -> bool:
    from ..selectors import open_norm_review

    review = open_norm_review(case)
    return review is not None and review.competent


FY_RULES = (
    DeadlineRule(
        "review",
        "受理审查",
        5,
        "workday",
        start_on=("created", "receive_correction"),
        complete_on=("accept", "not_accept", "request_correction", "deemed_accept"),
        basis="《行政复议法》第三十条、第八十八条：收到申请后5个工作日内审查；期满未作出不予受理决定的，视为受理",
        restart=True,
        # 视为受理 from the day the review period expired (§30 第三款).
        lapse=Lapse(
            "deemed_accept",
            on="due",
            key="deemed_accepted",
            label="视为受理",
            note="受理审查期限已于{due}届满，未作出不予受理决定，依法自该日起视为受理（《行政复议法》第三十条第三款）。",
            public="受理审查期限届满，依法视为受理，正在审理",
            early="受理审查期限{until}尚未届满，届满前不能视为受理。",
        ),
    ),
    DeadlineRule(
        "correction",
        "补正期限",
        10,
        "workday",
        start_on=("request_correction",),
        start_date=_served_on,
        complete_on=("receive_correction", "deemed_withdraw"),
        extend_on={"extend_correction": lambda case, data: int(data["days"])},
        basis="《行政复议法》第三十一条：自收到补正通知之日起10个工作日内提交；无正当理由逾期不补正的，视为放弃申请",
        restart=True,
        # The applicant's duty: never 超期 for the organ; once lapsed, a to-do (视为放弃申请).
        kind=DUTY,
        lapse=Lapse(
            "deemed_withdraw",
            key="deemed_abandoned",
            label="视为放弃申请",
            note="补正期限已于{due}届满，未收到补正材料，视为放弃行政复议申请（第三十一条）。",
            public="补正期限已届满，未收到补正材料，视为放弃行政复议申请",
            early="补正期限{until}尚未届满，届满前不能视为放弃申请。",
        ),
    ),
    DeadlineRule(
        "copy",
        "发送申请书副本（答复通知）",
        7,
        "workday",
        start_on=("accept", "deemed_accept"),
        start_date=_accepted_on,
        amount_for=lambda case, data: 3 if _simplified(case, data) else 7,
        recount_on=("convert_to_ordinary",),
        complete_on=("send_copy",),
        cancel_on=CLOSING,
        basis="《行政复议法》第四十八条（普通程序：受理之日起7个工作日）、第五十四条（简易程序：3个工作日）",
    ),
    DeadlineRule(
        "reply",
        "被申请人书面答复",
        10,
        "workday",
        start_on=("send_copy",),
        start_date=_served_on,
        amount_for=lambda case, data: 5 if _simplified(case, data) else 10,
        recount_on=("convert_to_ordinary",),
        complete_on=("record_reply",),
        cancel_on=CLOSING,
        basis="《行政复议法》第四十八条（收到副本之日起10个工作日）、第五十四条（简易程序：5个工作日）",
    ),
    DeadlineRule(
        "decision",
        "作出行政复议决定",
        60,
        "day",
        start_on=("accept", "deemed_accept"),
        start_date=_accepted_on,
        amount_for=lambda case, data: 30 if _simplified(case, data) else 60,
        recount_on=("convert_to_ordinary",),
        complete_on=CLOSING,
        pause_on=("suspend",),
        resume_on=("resume",),
        extend_on={"approve_extension": lambda case, data: int(data["extension_days"])},
        basis="《行政复议法》第六十二条：普通程序自受理之日起60日（经批准可延长，最多30日），简易程序30日；中止期间不计入",
        warn_workdays=10,
    ),
    DeadlineRule(
        "suspension_limit",
        "中止满六十日（应终止）",
        SUSPENSION_LIMIT_DAYS,
        "day",
        start_on=("suspend",),
        when=lambda case, data: data.get("ground") in AUTO_TERMINATE_GROUNDS,
        complete_on=("resume", *CLOSING),
        basis="《行政复议法》第四十一条第五项：依第三十九条第一款第一、二、四项中止满60日，中止原因仍未消除的，终止行政复议",
        restart=True,
        lapse=Lapse(
            "terminate_after_suspension",
            key="to_terminate",
            label="应当终止",
            note="中止已于{due}满六十日，中止原因仍未消除，应当终止行政复议（第四十一条第五项）。",
            public="中止满六十日，中止原因仍未消除，将终止行政复议",
            early="本次中止不属于第三十九条第一款第一、二、四项情形，或者中止尚未满六十日，不能以此终止。",
        ),
    ),
    DeadlineRule(
        "opinion_feedback",
        "意见书整改情况反馈",
        OPINION_FEEDBACK_DAYS,
        "day",
        start_on=("issue_opinion",),
        start_date=_served_on,
        complete_on=("record_feedback",),
        basis="《行政复议法》第七十六条：有关机关自收到意见书之日起60日内报送纠正情况",
        restart=True,
    ),
)

FY_RULES += (
    # 附带审查 (§56–§60). 3/7/10 are working days and 30/60 calendar days (§88).
    DeadlineRule(
        "norm_handle",
        "附带审查：本机关处理",
        NORM_HANDLE_DAYS,
        "day",
        start_on=("start_norm_review",),
        when=lambda case, data: bool(data.get("competent")),
        complete_on=("record_norm_result",),
        cancel_on=CLOSING,
        basis="《行政复议法》第五十六条、第五十七条：行政复议机关有权处理的，应当在30日内依法处理",
        restart=True,
    ),
    DeadlineRule(
        "norm_transfer",
        "附带审查：转送有权机关",
        NORM_TRANSFER_WORKDAYS,
        "workday",
        start_on=("start_norm_review",),
        when=lambda case, data: not data.get("competent"),
        complete_on=("transfer_norm",),
        cancel_on=CLOSING,
        basis="《行政复议法》第五十六条、第五十七条、第八十八条：无权处理的，应当在7个工作日内转送有权处理的机关",
        restart=True,
    ),
    DeadlineRule(
        "norm_notice",
        "附带审查：书面通知制定机关",
        NORM_NOTICE_WORKDAYS,
        "workday",
        start_on=("suspend",),
        when=lambda case, data: data.get("ground") == SuspensionGround.INCIDENTAL_REVIEW and _handled_here(case),
        complete_on=("notify_drafter", "record_norm_result"),
        cancel_on=CLOSING,
        basis="《行政复议法》第五十八条、第八十八条：有权处理的，行政复议机构应当自中止之日起3个工作日内书面通知制定机关提出书面答复",
        restart=True,
    ),
    DeadlineRule(
        "norm_reply",
        "附带审查：制定机关书面答复",
        NORM_REPLY_WORKDAYS,
        "workday",
        start_on=("notify_drafter",),
        start_date=_served_on,
        complete_on=("record_drafter_reply", "record_norm_result"),
        cancel_on=CLOSING,
        basis="《行政复议法》第五十八条、第八十八条：制定机关应当自收到书面通知之日起10个工作日内提交书面答复及相关材料",
        restart=True,
    ),
    DeadlineRule(
        "norm_transfer_reply",
        "附带审查：转送机关回复处理意见",
        NORM_TRANSFER_REPLY_DAYS,
        "day",
        start_on=("transfer_norm",),
        start_date=_served_on,
        complete_on=("record_norm_result",),
        cancel_on=CLOSING,
        basis="《行政复议法》第六十条：接受转送的机关应当自收到转送之日起60日内将处理意见回复转送的行政复议机关",
        restart=True,
    ),
)

YS_RULES = (
    DeadlineRule(
        "defence",
        "提交答辩状及证据",
        DEFENCE_DAYS,
        "day",
        start_on=("created",),
        complete_on=("file_defence",),
        cancel_on=("record_judgment", "close"),
        basis="《行政诉讼法》第六十七条：收到起诉状副本之日起15日内提交作出行政行为的证据和所依据的规范性文件，并提出答辩状",
    ),
    DeadlineRule(
        "appeal",
        "上诉期",
        APPEAL_DAYS_JUDGMENT,
        "day",
        start_on=("record_judgment",),
        start_date=_served_on,
        amount_for=lambda case, data: APPEAL_DAYS_RULING if data.get("ruling") else APPEAL_DAYS_JUDGMENT,
        when=lambda case, data: bool(data.get("appealable")),
        complete_on=("appeal", "close"),
        basis="《行政诉讼法》第八十五条：判决书送达之日起15日内、裁定书送达之日起10日内可以上诉",
        restart=True,
    ),
)
