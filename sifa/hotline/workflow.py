"""The states, steps and clocks of a 12348 work order (DOMAIN.md §7): 受理 →
即时解答办结, or 派单 → 签收 → 办理反馈 → 回访 → 办结; 退回 and 重办; 延期
requested before the limit runs out; 催办 once overdue and 通报 after a further
period; every 不满意 called back and reviewed. The engine
(``cases.services.transition``) is the one door; the case page's buttons and
the API's step catalogue are these.

Clocks (working days on the bureau's calendar, ``conf.py``): the handling
limit by type (urgent the same day; 咨询/求助 3; 投诉/建议 13), counted from
receipt and again from a 重办; 通报 5 working days after a 催办; the callback
the next working day after the reply; the review of a 不满意 3 working days
after its callback."""

from sifa.kit.casework import SubProcedure
from sifa.kit.deadlines import DeadlineRule, Lapse
from sifa.kit.workflow import Step, Workflow

from . import conf, steps
from . import forms as f
from .choices import Satisfaction
from .choices import Status as S

WORKING = (S.DISPATCHED, S.HANDLING)

WORKFLOW = Workflow(
    states=dict(S.choices),
    initial=S.REGISTERED,
    final_states=frozenset({S.CLOSED}),
    colours={S.REGISTERED: "secondary", S.DISPATCHED: "info", S.REPLIED: "warning", S.CLOSED: "success"},
    steps=[
        Step("accept", "受理", (S.REGISTERED,), S.ACCEPTED, f.AcceptForm, write=steps.accept_write, style="success"),
        Step("answer", "答复办结", (S.ACCEPTED,), S.CLOSED, f.AnswerForm, write=steps.answer_write, closes=True, outcome="answered", style="success"),
        Step("dispatch", "派单", (S.ACCEPTED,), S.DISPATCHED, f.DispatchForm, check=steps.dispatch_check, write=steps.dispatch_write),
        Step("sign", "签收", (S.DISPATCHED,), S.HANDLING, write=steps.sign_write, style="success"),
        Step(
            "return_order",
            "退回",
            WORKING,
            S.ACCEPTED,
            write=steps.return_write,
            reason_required=True,
            reason_label="退回理由（如：不属于本单位职责）",
            style="outline-danger",
        ),
        Step("reply", "办理反馈", (S.HANDLING,), S.REPLIED, f.ReplyForm, write=steps.reply_write, style="success"),
        Step(
            "request_extension",
            "申请延期",
            (S.HANDLING,),
            None,
            f.ExtensionForm,
            pre=steps.request_extension_pre,
            write=steps.request_extension_write,
            style="outline-secondary",
        ),
        Step(
            "approve_extension",
            "批准延期",
            WORKING,
            None,
            f.ApproveExtensionForm,
            pre=steps.approve_extension_pre,
            check=steps.approve_extension_check,
            write=steps.approve_extension_write,
        ),
        Step(
            "refuse_extension",
            "不予延期",
            WORKING,
            None,
            pre=steps.approve_extension_pre,
            write=steps.refuse_extension_write,
            reason_required=True,
            style="outline-danger",
        ),
        Step("remind", "催办", WORKING, None, f.RemindForm, pre=steps.remind_pre, write=steps.remind_write, style="outline-danger"),
        Step("escalate", "通报", WORKING, None, f.NoteForm, pre=steps.escalate_pre, write=steps.escalate_write, style="outline-danger"),
        Step("callback", "回访", (S.REPLIED,), S.CLOSED, f.CallbackForm, write=steps.callback_write, closes=True, style="success"),
        Step("revisit", "不满意回访", (S.CLOSED,), None, f.CallbackForm, pre=steps.revisit_pre, write=steps.callback_write),
        Step("uphold", "复核维持办结", (S.CLOSED,), None, f.ReviewForm, pre=steps.uphold_pre, write=steps.uphold_write, style="outline-secondary"),
        Step(
            "redo",
            "重办",
            (S.REPLIED, S.CLOSED),
            S.ACCEPTED,
            pre=steps.redo_pre,
            write=steps.redo_write,
            reopens=True,
            reason_required=True,
            reason_label="重办原因",
            style="outline-danger",
        ),
    ],
)


def _unsatisfied(case, data) -> bool:
    return data.get("satisfaction") == Satisfaction.UNSATISFIED


def _handle_days(case, data) -> int:
    rec = case.workorder
    return conf.limit(rec.kind, rec.urgent)


DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(
        "handle",
        "办理时限",
        3,
        "workday",
        start_on=("created", "redo"),
        restart=True,
        complete_on=("answer", "reply"),
        extend_on={"approve_extension": lambda case, data: int(data["days"])},
        amount_for=_handle_days,
        recount_on=("accept",),  # the type or urgency confirmed at acceptance
        basis="12345转办工单办理规则：应急类当日办结；咨询、求助类3个工作日内；投诉、建议类13个工作日内（可配置）",
    ),
    DeadlineRule(
        "escalation",
        "催办后办结期限",
        5,
        "workday",
        start_on=("remind",),
        complete_on=("answer", "reply", "escalate", "return_order"),
        amount_for=conf.rule("ESCALATE_WORKDAYS"),
        basis="12345转办工单办理规则：逾期发催办通知，催办后5个工作日仍未办结的予以通报",
        lapse=Lapse(
            "escalate",
            on="next_day",
            key="to_escalate",
            label="应予通报",
            note="催办后办结期限已于{due}届满，工单仍未办结，应予通报。",
            early="催办后办结期限{until}尚未届满，届满前不通报。",
        ),
    ),
    DeadlineRule(
        "callback",
        "回访期限",
        1,
        "workday",
        start_on=("reply",),
        restart=True,
        complete_on=("callback", "redo"),
        amount_for=conf.rule("CALLBACK_WORKDAYS"),
        basis="12345工单闭环：办结后次日回访",
    ),
    DeadlineRule(
        "revisit",
        "不满意回访期限",
        1,
        "workday",
        start_on=("answer",),
        when=_unsatisfied,
        complete_on=("revisit", "redo"),
        amount_for=conf.rule("CALLBACK_WORKDAYS"),
        basis="不满意评价100%回访（安徽12348平台指标）",
    ),
    DeadlineRule(
        "review",
        "不满意复核期限",
        3,
        "workday",
        start_on=("callback", "revisit"),
        when=_unsatisfied,
        restart=True,
        complete_on=("uphold", "redo"),
        amount_for=conf.rule("REVIEW_WORKDAYS"),
        basis="不满意评价逐件复核：属主观原因未办好的重办",
    ),
)

# 质检: a closed order sampled for review of its recording and answer gets a score.
QUALITY = SubProcedure(
    "quality",
    "工单质检",
    Workflow(
        states={"scoring": "质检中", "done": "已质检"},
        initial="scoring",
        final_states=frozenset({"done"}),
        steps=[Step("score", "评分", ("scoring",), "done", f.QualityForm, write=steps.quality_write)],
    ),
    opens_from=(S.CLOSED,),
)
