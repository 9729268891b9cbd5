"""The reconsideration workflow (行政复议, FY) as data. State diagram: README.md;
what each step requires and writes: ``steps/fy.py``.

Three steps record consequences of elapsed time (视为受理, 视为放弃申请, 中止满
六十日终止). Staff may record them from the case page once the period has
passed; ``manage.py settle`` records them for every case each night (the
``lapse`` of their clocks in ``rules.py``), as the system, dated as the law
dates them.
"""

from __future__ import annotations

from sifa.accounts.roles import APPROVE
from sifa.kit.workflow import Stage, Step, Workflow

from ..choices import FyStatus, Outcome
from ..forms import steps as f
from ..steps import fy as s
from . import norm

S = FyStatus
ACTIVE = (S.REVIEWING, S.SUSPENDED)

WORKFLOW = Workflow(
    states=dict(FyStatus.choices),
    initial=S.RECEIVED,
    # 流程进度 (§30–§76): review of the application, acceptance, the respondent's
    # reply, hearing the parties, the decision, its service.
    stages=(
        Stage("受理审查", (S.RECEIVED, S.CORRECTING, S.NOT_ACCEPTED, S.ABANDONED)),
        Stage("受理", (S.REVIEWING, S.SUSPENDED), ("accept", "deemed_accept")),
        Stage("答复", (), ("send_copy", "record_reply")),
        Stage("听取意见", (), ("hear", "schedule_hearing", "record_hearing")),
        Stage("决定", (S.CLOSED,), ("decide", "mediate_close", "terminate", "terminate_after_suspension")),
        Stage("送达", (), ("serve_decision",)),
    ),
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
    steps=[
        # 受理审查 (§30–§31)
        Step(
            "accept",
            "受理",
            (S.RECEIVED,),
            S.REVIEWING,
            f.AcceptForm,
            pre=s.within_review_pre,
            write=s.accept,
            help="收到申请后5个工作日内审查；符合第三十条第一款七项条件的予以受理，并确定普通程序或简易程序。",
        ),
        Step(
            "not_accept",
            "不予受理",
            (S.RECEIVED,),
            S.NOT_ACCEPTED,
            f.NotAcceptForm,
            pre=s.within_review_pre,
            write=s.not_accept,
            closes=True,
            outcome=Outcome.NOT_ACCEPTED,
            style="outline-danger",
            confirm="确认作出不予受理决定？",
        ),
        Step(
            "request_correction",
            "补正通知",
            (S.RECEIVED,),
            S.CORRECTING,
            f.CorrectionForm,
            pre=s.within_review_pre,
            write=s.request_correction,
            style="outline-warning",
            help="补正通知应当一次性载明需要补正的事项；申请人自收到通知之日起10个工作日内补正。",
        ),
        Step(
            "deemed_accept",
            "登记视为受理",
            (S.RECEIVED,),
            S.REVIEWING,
            write=s.deemed_accept,
            style="outline-secondary",
            help="审查期限届满未作出不予受理决定的，自期限届满之日起视为受理；各期限自该日起算。",
        ),
        Step("receive_correction", "收到补正材料", (S.CORRECTING,), S.RECEIVED, write=s.receive_correction, help="收到补正材料后重新进行5个工作日的受理审查。"),
        Step("extend_correction", "延长补正期限", (S.CORRECTING,), None, f.ExtendCorrectionForm, write=s.extend_correction, style="outline-secondary"),
        Step(
            "deemed_withdraw",
            "登记视为放弃申请",
            (S.CORRECTING,),
            S.ABANDONED,
            write=s.deemed_withdraw,
            closes=True,
            outcome=Outcome.ABANDONED,
            style="outline-secondary",
        ),
        # 审理 (§48–§52)
        Step("send_copy", "发送答复通知", (S.REVIEWING,), None, f.SendCopyForm, pre=s.copy_not_sent_pre, write=s.send_copy),
        Step("record_reply", "收到书面答复", (S.REVIEWING,), None, f.ReplyForm, pre=s.reply_expected_pre, write=s.record_reply),
        Step("hear", "听取意见", ACTIVE, None, f.HearForm, write=s.hear, style="outline-primary"),
        Step(
            "schedule_hearing",
            "听证通知",
            (S.REVIEWING,),
            None,
            f.ScheduleHearingForm,
            check=s.hearing_notice_check,
            write=s.schedule_hearing,
            style="outline-primary",
        ),
        Step(
            "record_hearing",
            "听证笔录",
            (S.REVIEWING,),
            None,
            f.RecordHearingForm,
            pre=s.hearing_scheduled_pre,
            check=s.hearing_held_check,
            write=s.record_hearing,
            style="outline-primary",
        ),
        Step("investigate", "调查取证", (S.REVIEWING,), None, f.InvestigateForm, write=s.investigate, style="outline-primary"),
        Step("consult_committee", "复议委员会咨询", (S.REVIEWING,), None, f.CommitteeForm, write=s.consult_committee, style="outline-primary"),
        Step("mediate", "调解/和解", ACTIVE, None, f.MediateForm, write=s.mediate, style="outline-primary"),
        # 延期、程序转换、中止 (§39, §55, §62)
        Step(
            "request_extension",
            "申请延期",
            (S.REVIEWING,),
            None,
            f.RequestExtensionForm,
            pre=s.may_request_extension_pre,
            write=s.request_extension,
            style="outline-secondary",
            help="情况复杂不能在60日内作出决定的，经行政复议机构负责人批准可以延长，最多30日。",
        ),
        Step(
            "approve_extension", "批准延期", (S.REVIEWING,), None, pre=s.extension_pending_pre, write=s.approve_extension, permission=APPROVE, style="success"
        ),
        Step(
            "reject_extension",
            "不批准延期",
            (S.REVIEWING,),
            None,
            pre=s.extension_pending_pre,
            write=s.reject_extension,
            permission=APPROVE,
            reason_required=True,
            reason_label="不批准的理由",
            style="outline-danger",
        ),
        Step(
            "convert_to_ordinary",
            "转为普通程序",
            (S.REVIEWING,),
            None,
            pre=s.simplified_pre,
            write=s.convert_to_ordinary,
            permission=APPROVE,
            reason_required=True,
            reason_label="不宜适用简易程序的理由",
            style="outline-secondary",
            help="经行政复议机构负责人批准转为普通程序（第五十五条）；审理期限自受理之日起按普通程序计算。",
        ),
        Step(
            "suspend",
            "中止",
            (S.REVIEWING,),
            S.SUSPENDED,
            f.SuspendForm,
            write=s.suspend,
            style="outline-warning",
            help="中止期间审理期限暂停计算；因第三十九条第一款第一、二、四项中止满60日原因仍未消除的，终止行政复议。",
        ),
        Step("resume", "恢复审理", (S.SUSPENDED,), S.REVIEWING, write=s.resume),
        # 结案 (§41, §63–§74)
        Step(
            "decide",
            "作出复议决定",
            (S.REVIEWING,),
            S.CLOSED,
            f.DecideForm,
            pre=s.no_open_review_pre,
            check=s.decide_check,
            write=s.decide,
            closes=True,
            style="success",
            confirm="确认作出行政复议决定并结案？",
        ),
        Step("mediate_close", "调解结案", ACTIVE, S.CLOSED, f.MediateCloseForm, write=s.mediate_close, closes=True, style="success"),
        Step(
            "terminate",
            "终止",
            ACTIVE,
            S.CLOSED,
            f.TerminateForm,
            check=s.terminate_check,
            write=s.terminate,
            closes=True,
            style="outline-danger",
            confirm="确认终止行政复议？",
        ),
        Step(
            "terminate_after_suspension",
            "登记中止满期终止",
            (S.SUSPENDED,),
            S.CLOSED,
            write=s.terminate_after_suspension,
            closes=True,
            style="outline-secondary",
        ),
        # 附带审查 (§56–§60)
        *norm.STEPS,
        # 意见书/建议书 (§76) and service of the decision
        Step(
            "issue_opinion",
            "制发意见书/建议书",
            (S.REVIEWING, S.CLOSED),
            None,
            f.OpinionForm,
            pre=s.no_open_opinion_pre,
            write=s.issue_opinion,
            style="outline-primary",
        ),
        Step(
            "record_feedback",
            "登记意见书反馈",
            (S.REVIEWING, S.CLOSED),
            None,
            f.FeedbackForm,
            pre=s.open_opinion_pre,
            write=s.record_feedback,
            style="outline-primary",
        ),
        Step("serve_decision", "登记文书送达", (S.CLOSED, S.NOT_ACCEPTED), None, pre=s.not_served_pre, write=s.serve_decision, style="outline-secondary"),
    ],
)
