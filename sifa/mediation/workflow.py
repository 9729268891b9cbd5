"""The dispute lifecycle as data (DOMAIN.md §2.4) and its clocks (§14.1).

    登记 ─受理→ 已受理 ─指派调解员→ 调解中 ─调解成功→ 已达成协议（履行中）─结案归档→ 已结案归档
      └不予受理→ (closed)     │            └终止调解→ 调解终止 ──────────结案归档↗
                          └终止调解↗

Recorded steps that keep the status (target None) go through the same door
and land on the timeline: sessions, extension, follow-up visits, judicial
confirmation, and the risk flag, which can be raised at any open step. What
each step requires and writes: ``steps.py``.
"""

from __future__ import annotations

from datetime import date

from sifa.kit.deadlines import RIGHT, DeadlineRule
from sifa.kit.workflow import Stage, Step, Workflow

from . import conf, steps
from .choices import AgreementForm, Status
from .forms import steps as f

OPEN_STATES = (Status.REGISTERED, Status.ACCEPTED, Status.MEDIATING, Status.AGREED, Status.TERMINATED)
S = steps

STEPS = [
    Step("accept", "受理", (Status.REGISTERED,), Status.ACCEPTED, write=S.accept_write, help="受理后开始计算一个月的调解期限，并编立人调字文号。"),
    Step(
        "not_accept",
        "不予受理",
        (Status.REGISTERED,),
        Status.NOT_ACCEPTED,
        f.NotAcceptForm,
        write=S.not_accept_write,
        closes=True,
        reason_required=True,
        reason_label="不予受理的理由",
        style="outline-danger",
        help="当事人一方明确拒绝调解的，不得调解（人民调解法第十七条）。",
    ),
    Step("assign_mediators", "指派调解员", (Status.ACCEPTED, Status.MEDIATING), Status.MEDIATING, f.AssignMediatorsForm, write=S.assign_write),
    Step("schedule_session", "安排调解", (Status.ACCEPTED, Status.MEDIATING), None, f.ScheduleForm, write=S.schedule_write, style="outline-primary"),
    Step(
        "record_session",
        "调查/调解记录",
        (Status.ACCEPTED, Status.MEDIATING),
        None,
        f.SessionForm,
        check=S.session_check,
        write=S.session_write,
        style="outline-primary",
        help="人民调解员应当记录调解情况（人民调解法第二十七条）。",
    ),
    Step(
        "extend",
        "延期调解",
        (Status.MEDIATING,),
        None,
        f.ExtendForm,
        pre=S.extend_pre,
        check=S.extend_check,
        write=S.extend_write,
        style="outline-secondary",
        help="一个月内未调结、双方当事人要求延长的，可以延长调解期限（宁波市人民调解条例第二十七条）。",
    ),
    Step(
        "succeed",
        "调解成功",
        (Status.MEDIATING,),
        Status.AGREED,
        f.AgreementStepForm,
        pre=S.succeed_pre,
        write=S.succeed_write,
        style="success",
        help="书面调解协议书载明当事人、纠纷事实与责任、协议内容及履行方式和期限；口头协议由调解员记录协议内容（人民调解法第二十八、二十九条）。",
    ),
    Step(
        "terminate",
        "终止调解",
        (Status.ACCEPTED, Status.MEDIATING),
        Status.TERMINATED,
        f.TerminateForm,
        check=S.terminate_check,
        write=S.terminate_write,
        style="outline-danger",
        help="调解不成的，应当终止调解，并告知当事人其他救济途径（人民调解法第二十六条）。",
    ),
    Step("record_visit", "回访", (Status.AGREED,), None, f.VisitForm, check=S.visit_check, write=S.visit_write, style="outline-primary"),
    Step(
        "apply_confirmation",
        "申请司法确认",
        (Status.AGREED,),
        None,
        f.ConfirmationApplyForm,
        pre=S.confirmation_apply_pre,
        check=S.confirmation_apply_check,
        write=S.confirmation_apply_write,
        style="outline-primary",
        help="双方当事人可以自调解协议生效之日起三十日内共同向人民法院申请司法确认（人民调解法第三十三条）。",
    ),
    Step(
        "court_accept",
        "法院受理情况",
        (Status.AGREED,),
        None,
        f.CourtAcceptForm,
        pre=S.court_accept_pre,
        check=S.court_accept_check,
        write=S.court_accept_write,
        style="outline-secondary",
    ),
    Step(
        "court_decide",
        "司法确认结果",
        (Status.AGREED,),
        None,
        f.CourtDecisionForm,
        pre=S.court_decide_pre,
        check=S.court_decide_check,
        write=S.court_decide_write,
        style="outline-secondary",
    ),
    Step(
        "flag_risk",
        "风险预警",
        OPEN_STATES,
        None,
        f.RiskFlagForm,
        pre=S.flag_pre,
        write=S.flag_write,
        style="outline-warning",
        help="纠纷有可能激化，可能引起治安案件、刑事案件的，应采取预防措施并及时报告（人民调解法第二十五条）。",
    ),
    Step("report_risk", "报告公安机关", OPEN_STATES, None, f.RiskReportForm, pre=S.open_risk_pre, write=S.report_write, style="outline-warning"),
    Step("resolve_risk", "风险处置结果", OPEN_STATES, None, f.RiskResolveForm, pre=S.open_risk_pre, write=S.resolve_write, style="outline-warning"),
    Step("archive", "结案归档", (Status.AGREED, Status.TERMINATED), Status.ARCHIVED, pre=S.archive_pre, write=S.archive_write, closes=True, style="dark"),
]

# 流程进度 on the case page; the next stage's steps are its primary buttons.
STAGES = (
    Stage("登记", (Status.REGISTERED, Status.NOT_ACCEPTED)),
    Stage("受理", (Status.ACCEPTED,), ("accept",)),
    Stage("指派调解员", (Status.MEDIATING,), ("assign_mediators",)),
    Stage("调查调解", (), ("schedule_session", "record_session")),
    Stage("调解结果", (Status.AGREED, Status.TERMINATED), ("succeed", "terminate")),
    Stage("回访与司法确认", (), ("record_visit", "apply_confirmation")),
    Stage("结案归档", (Status.ARCHIVED,), ("archive",)),
)

WORKFLOW = Workflow(
    states=dict(Status.choices),
    initial=Status.REGISTERED,
    steps=STEPS,
    stages=STAGES,
    final_states=frozenset({Status.NOT_ACCEPTED, Status.ARCHIVED}),
    colours={
        Status.REGISTERED: "secondary",
        Status.NOT_ACCEPTED: "danger",
        Status.ACCEPTED: "primary",
        Status.MEDIATING: "primary",
        Status.AGREED: "success",
        Status.TERMINATED: "warning",
        Status.ARCHIVED: "dark",
    },
)


# --- clocks ---------------------------------------------------------------------------------------


def _written(case, data) -> bool:
    d = case.record
    return bool(d and d.agreement_form == AgreementForm.WRITTEN)


def _effective_on(case, data, on: date) -> date:
    d = case.record
    return (d.effective_on if d and d.effective_on else None) or on


def _agreed_on(case, data, on: date) -> date:
    d = case.record
    return (d.agreed_on if d and d.agreed_on else None) or on


DEADLINE_RULES = (
    DeadlineRule(
        "mediation_term",
        "调解期限",
        1,
        "month",
        start_on=("accept",),
        complete_on=("succeed", "terminate"),
        extend_on={"extend": conf.rule("EXTENSION_MONTHS")},
        amount_for=conf.rule("TERM_MONTHS"),
        basis="司法部令第75号第三十三条、宁波市人民调解条例第二十七条：一般在一个月内调结；双方同意的可延长",
    ),
    DeadlineRule(
        "confirmation_window",
        "司法确认申请期限",
        30,
        "day",
        start_on=("succeed",),
        complete_on=("apply_confirmation",),
        cancel_on=("archive",),
        when=_written,
        start_date=_effective_on,
        amount_for=conf.rule("CONFIRMATION_DAYS"),
        basis="人民调解法第三十三条：自调解协议生效之日起三十日内共同向人民法院申请",
        # The parties' right, not the committee's duty: shown, never 超期.
        kind=RIGHT,
    ),
    DeadlineRule(
        "followup",
        "回访期限",
        30,
        "day",
        start_on=("succeed",),
        complete_on=("record_visit",),
        cancel_on=("archive",),
        start_date=_agreed_on,
        amount_for=conf.rule("FOLLOWUP_DAYS"),
        basis="人民调解法第三十一条：调委会监督协议履行；首次回访默认在达成协议后30日内（天数可由本局设置）",
    ),
)
