"""The reconsideration workflow (行政复议, FY) as data. State diagram: README.md.

Three steps record consequences of elapsed time (视为受理, 视为放弃申请, 中止满
六十日终止). Staff may record them from the case page once the period has
passed; ``services.settle`` records them for every case each night (through
the same transitions, as the system), dated as the law dates them.
"""

from __future__ import annotations

from sifa.accounts.roles import APPROVE
from sifa.cases.workflow import Transition, Workflow
from sifa.common.errors import DomainError
from sifa.deadlines import calendar

from .. import selectors
from ..choices import INACTION_ONLY, FyStatus, Outcome, Procedure, TerminationReason
from ..forms import steps as f
from ..services import steps as s
from . import norm
from .common import guard, offered

S = FyStatus
ACTIVE = (S.REVIEWING, S.SUSPENDED)


def _hearing_scheduled(case) -> bool:
    return selectors.scheduled_hearing(case) is not None


def _within_review(case, d):
    dl = selectors.deadline(case, "review")
    if dl is not None and dl.is_open and d["on"] > dl.due_date:
        return f"受理审查期限已于{dl.due_date:%Y-%m-%d}届满，未作出不予受理决定的依法视为受理（第三十条第三款），不能再作出此决定；请执行“登记视为受理”。"
    return None


def _lapse(case, d, key: str, lapsed, *, same_day: bool):
    """The period has passed (today), and the step is dated on or after its end:
    the day it expired for 视为受理 (§30), the day after for the others."""
    due = lapsed(case)
    if due is None:
        dl = selectors.deadline(case, key)
        return f"至{dl.due_date:%Y-%m-%d}" if dl is not None and dl.is_open else ""
    if d["on"] < due or (d["on"] == due and not same_day):
        return f"至{due:%Y-%m-%d}"
    return None


def _review_lapsed(case, d):
    why = _lapse(case, d, "review", selectors.review_lapsed, same_day=True)
    return None if why is None else f"受理审查期限{why}尚未届满，届满前不能视为受理。"


def _correction_lapsed(case, d):
    why = _lapse(case, d, "correction", selectors.correction_lapsed, same_day=False)
    return None if why is None else f"补正期限{why}尚未届满，届满前不能视为放弃申请。"


def _suspension_lapsed(case, d):
    why = _lapse(case, d, "suspension_limit", selectors.suspension_lapsed, same_day=False)
    if why is None:
        return None
    return "本次中止不属于第三十九条第一款第一、二、四项情形，或者中止尚未满六十日，不能以此终止。"


def _copy_not_sent(case, d):
    return "已经发送过申请书副本（答复通知）。" if selectors.application(case).copy_sent_on else None


def _reply_expected(case, d):
    app = selectors.application(case)
    if not app.copy_sent_on:
        return "尚未向被申请人发送申请书副本，请先执行“发送答复通知”。"
    if app.reply_received_on:
        return "已经登记过被申请人的书面答复。"
    return None


def _hearing_notice(case, d):
    earliest = calendar.add_workdays(d["on"], 5)
    if d["hearing_date"] < earliest:
        raise DomainError(
            f"听证日期：应当于举行听证的5个工作日前书面通知当事人（第五十一条），按通知日期{d['on']:%Y-%m-%d}最早可定于{earliest:%Y-%m-%d}。",
            field="hearing_date",
        )
    return None


def _hearing_held(case, d):
    a = selectors.scheduled_hearing(case)
    if a is None:
        return "没有已通知待举行的听证，请先执行“听证通知”。"
    if d["held_on"] < a.on or d["held_on"] > d["on"]:
        raise DomainError(f"举行日期：应在听证通知日期{a.on:%Y-%m-%d}之后、办理日期之前。", field="held_on")
    return None


def _may_request_extension(case, d):
    app = selectors.application(case)
    if app.procedure != Procedure.ORDINARY:
        return "简易程序案件的审理期限不能延长（第六十二条）；确需延长的，请先转为普通程序。"
    if app.extension_days:
        return "审理期限已经延长过一次，不能再次延长。"
    if app.extension_pending:
        return "已有待批准的延期申请。"
    return None


def _extension_pending(case, d):
    return None if selectors.application(case).extension_pending else "没有待批准的延期申请。"


def _is_simplified(case, d):
    return None if selectors.application(case).procedure == Procedure.SIMPLIFIED else "本案不是适用简易程序审理的案件。"


def _may_decide(case, d):
    review = selectors.open_norm_review(case)
    if review is not None:
        return f"附带审查“{review.document}”尚未办结：其结果应在决定书中一并告知（第五十九条），请先登记附带审查结果。"
    app = selectors.application(case)
    if d["kind"] in INACTION_ONLY and not app.is_inaction:
        return f"“{Outcome(d['kind']).label}”只适用于申请履行法定职责（不作为）的案件（第六十六条、第六十九条）。"
    if app.procedure == Procedure.ORDINARY and d["kind"] != Outcome.DISMISS_APPLICATION and not selectors.opinions_heard(case):
        return "适用普通程序审理的案件应当听取当事人意见（第四十九条）：请先登记“听取意见”（因当事人原因不能听取的，选择“书面审理”）。"
    return None


def _may_terminate(case, d):
    if d["termination_reason"] == TerminationReason.SUSPENSION_EXPIRED:
        return _suspension_lapsed(case, d)
    return None


def _no_open_opinion(case, d):
    return "已制发的意见书/建议书尚未反馈，请先登记反馈。" if selectors.open_opinion(case) else None


def _open_opinion(case, d):
    return None if selectors.open_opinion(case) else "没有待反馈的意见书/建议书。"


def _not_served(case, d):
    return "决定书已登记送达。" if selectors.application(case).decision_served_on else None


WORKFLOW = Workflow(
    states=dict(FyStatus.choices),
    initial=S.RECEIVED,
    final_states=frozenset({S.CLOSED, S.NOT_ACCEPTED, S.ABANDONED}),
    colours={
        S.RECEIVED: "secondary",
        S.CORRECTING: "warning",
        S.REVIEWING: "primary",
        S.SUSPENDED: "warning",
        S.CLOSED: "success",
        S.NOT_ACCEPTED: "danger",
        S.ABANDONED: "dark",
    },
    transitions=[
        # 受理审查 (§30–§31)
        Transition(
            "accept",
            "受理",
            (S.RECEIVED,),
            S.REVIEWING,
            form=f.AcceptForm,
            guard=guard(f.AcceptForm, _within_review),
            available=offered(_within_review),
            apply=s.accept,
            help="收到申请后5个工作日内审查；符合第三十条第一款七项条件的予以受理，并确定普通程序或简易程序。",
        ),
        Transition(
            "not_accept",
            "不予受理",
            (S.RECEIVED,),
            S.NOT_ACCEPTED,
            form=f.NotAcceptForm,
            guard=guard(f.NotAcceptForm, _within_review),
            available=offered(_within_review),
            apply=s.not_accept,
            closes=True,
            outcome=Outcome.NOT_ACCEPTED,
            style="outline-danger",
            confirm="确认作出不予受理决定？",
        ),
        Transition(
            "request_correction",
            "补正通知",
            (S.RECEIVED,),
            S.CORRECTING,
            form=f.CorrectionForm,
            guard=guard(f.CorrectionForm, _within_review),
            available=offered(_within_review),
            apply=s.request_correction,
            style="outline-warning",
            help="补正通知应当一次性载明需要补正的事项；申请人自收到通知之日起10个工作日内补正。",
        ),
        Transition(
            "deemed_accept",
            "登记视为受理",
            (S.RECEIVED,),
            S.REVIEWING,
            guard=guard(None, _review_lapsed),
            available=offered(_review_lapsed),
            apply=s.deemed_accept,
            style="outline-secondary",
            help="审查期限届满未作出不予受理决定的，自期限届满之日起视为受理；各期限自该日起算。",
        ),
        Transition(
            "receive_correction", "收到补正材料", (S.CORRECTING,), S.RECEIVED, apply=s.receive_correction, help="收到补正材料后重新进行5个工作日的受理审查。"
        ),
        Transition(
            "extend_correction",
            "延长补正期限",
            (S.CORRECTING,),
            None,
            form=f.ExtendCorrectionForm,
            guard=guard(f.ExtendCorrectionForm),
            apply=s.extend_correction,
            style="outline-secondary",
        ),
        Transition(
            "deemed_withdraw",
            "登记视为放弃申请",
            (S.CORRECTING,),
            S.ABANDONED,
            guard=guard(None, _correction_lapsed),
            available=offered(_correction_lapsed),
            apply=s.deemed_withdraw,
            closes=True,
            outcome=Outcome.ABANDONED,
            style="outline-secondary",
        ),
        # 审理 (§48–§52)
        Transition(
            "send_copy",
            "发送答复通知",
            (S.REVIEWING,),
            None,
            form=f.SendCopyForm,
            guard=guard(f.SendCopyForm, _copy_not_sent),
            available=offered(_copy_not_sent),
            apply=s.send_copy,
        ),
        Transition(
            "record_reply",
            "收到书面答复",
            (S.REVIEWING,),
            None,
            form=f.ReplyForm,
            guard=guard(f.ReplyForm, _reply_expected),
            available=offered(_reply_expected),
            apply=s.record_reply,
        ),
        Transition("hear", "听取意见", ACTIVE, None, form=f.HearForm, guard=guard(f.HearForm), apply=s.hear, style="outline-primary"),
        Transition(
            "schedule_hearing",
            "听证通知",
            (S.REVIEWING,),
            None,
            form=f.ScheduleHearingForm,
            guard=guard(f.ScheduleHearingForm, _hearing_notice),
            apply=s.schedule_hearing,
            style="outline-primary",
        ),
        Transition(
            "record_hearing",
            "听证笔录",
            (S.REVIEWING,),
            None,
            form=f.RecordHearingForm,
            guard=guard(f.RecordHearingForm, _hearing_held),
            available=_hearing_scheduled,
            apply=s.record_hearing,
            style="outline-primary",
        ),
        Transition(
            "investigate",
            "调查取证",
            (S.REVIEWING,),
            None,
            form=f.InvestigateForm,
            guard=guard(f.InvestigateForm),
            apply=s.investigate,
            style="outline-primary",
        ),
        Transition(
            "consult_committee",
            "复议委员会咨询",
            (S.REVIEWING,),
            None,
            form=f.CommitteeForm,
            guard=guard(f.CommitteeForm),
            apply=s.consult_committee,
            style="outline-primary",
        ),
        Transition("mediate", "调解/和解", ACTIVE, None, form=f.MediateForm, guard=guard(f.MediateForm), apply=s.mediate, style="outline-primary"),
        # 延期、程序转换、中止 (§39, §55, §62)
        Transition(
            "request_extension",
            "申请延期",
            (S.REVIEWING,),
            None,
            form=f.RequestExtensionForm,
            guard=guard(f.RequestExtensionForm, _may_request_extension),
            available=offered(_may_request_extension),
            apply=s.request_extension,
            style="outline-secondary",
            help="情况复杂不能在60日内作出决定的，经行政复议机构负责人批准可以延长，最多30日。",
        ),
        Transition(
            "approve_extension",
            "批准延期",
            (S.REVIEWING,),
            None,
            permission=APPROVE,
            guard=guard(None, _extension_pending),
            available=offered(_extension_pending),
            apply=s.approve_extension,
            style="success",
        ),
        Transition(
            "reject_extension",
            "不批准延期",
            (S.REVIEWING,),
            None,
            permission=APPROVE,
            guard=guard(None, _extension_pending),
            available=offered(_extension_pending),
            apply=s.reject_extension,
            reason_required=True,
            reason_label="不批准的理由",
            style="outline-danger",
        ),
        Transition(
            "convert_to_ordinary",
            "转为普通程序",
            (S.REVIEWING,),
            None,
            permission=APPROVE,
            guard=guard(None, _is_simplified),
            available=offered(_is_simplified),
            apply=s.convert_to_ordinary,
            reason_required=True,
            reason_label="不宜适用简易程序的理由",
            style="outline-secondary",
            help="经行政复议机构负责人批准转为普通程序（第五十五条）；审理期限自受理之日起按普通程序计算。",
        ),
        Transition(
            "suspend",
            "中止",
            (S.REVIEWING,),
            S.SUSPENDED,
            form=f.SuspendForm,
            guard=guard(f.SuspendForm),
            apply=s.suspend,
            style="outline-warning",
            help="中止期间审理期限暂停计算；因第三十九条第一款第一、二、四项中止满60日原因仍未消除的，终止行政复议。",
        ),
        Transition("resume", "恢复审理", (S.SUSPENDED,), S.REVIEWING, apply=s.resume),
        # 结案 (§41, §63–§74)
        Transition(
            "decide",
            "作出复议决定",
            (S.REVIEWING,),
            S.CLOSED,
            form=f.DecideForm,
            guard=guard(f.DecideForm, _may_decide),
            apply=s.decide,
            closes=True,
            style="success",
            confirm="确认作出行政复议决定并结案？",
        ),
        Transition(
            "mediate_close",
            "调解结案",
            ACTIVE,
            S.CLOSED,
            form=f.MediateCloseForm,
            guard=guard(f.MediateCloseForm),
            apply=s.mediate_close,
            closes=True,
            style="success",
        ),
        Transition(
            "terminate",
            "终止",
            ACTIVE,
            S.CLOSED,
            form=f.TerminateForm,
            guard=guard(f.TerminateForm, _may_terminate),
            apply=s.terminate,
            closes=True,
            style="outline-danger",
            confirm="确认终止行政复议？",
        ),
        Transition(
            "terminate_after_suspension",
            "登记中止满期终止",
            (S.SUSPENDED,),
            S.CLOSED,
            guard=guard(None, _suspension_lapsed),
            available=offered(_suspension_lapsed),
            apply=s.terminate_after_suspension,
            closes=True,
            style="outline-secondary",
        ),
        # 附带审查 (§56–§60)
        *norm.TRANSITIONS,
        # 意见书/建议书 (§76) and service of the decision
        Transition(
            "issue_opinion",
            "制发意见书/建议书",
            (S.REVIEWING, S.CLOSED),
            None,
            form=f.OpinionForm,
            guard=guard(f.OpinionForm, _no_open_opinion),
            available=offered(_no_open_opinion),
            apply=s.issue_opinion,
            style="outline-primary",
        ),
        Transition(
            "record_feedback",
            "登记意见书反馈",
            (S.REVIEWING, S.CLOSED),
            None,
            form=f.FeedbackForm,
            guard=guard(f.FeedbackForm, _open_opinion),
            available=offered(_open_opinion),
            apply=s.record_feedback,
            style="outline-primary",
        ),
        Transition(
            "serve_decision",
            "登记文书送达",
            (S.CLOSED, S.NOT_ACCEPTED),
            None,
            guard=guard(None, _not_served),
            available=offered(_not_served),
            apply=s.serve_decision,
            style="outline-secondary",
        ),
    ],
)
