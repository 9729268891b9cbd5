"""The states, steps and clocks of 法律援助 (法律援助法 §36, §43, §48–§50), as data
(``kit.workflow``, ``kit.deadlines``). The engine (``cases.services.transition``)
is the one door; the case page's buttons and the API's step catalogue are these.

Clocks: the review runs 7 days from receiving the application (the statute's
日: calendar days, the last day moving past a holiday; a province counting
working days sets SIFA_LEGAL_AID_REVIEW_UNIT=workday), paused while the
applicant supplies missing material (the applicant's duty: unanswered, the
application is deemed withdrawn); assignment 3 days from the decision or from
a court's notice; the provider's closing material 30 working days after the
matter ended; the bureau decides an objection within 5 days (``procedures``)."""

from sifa.accounts.roles import APPROVE, HANDLE, REPORT
from sifa.kit.casework import SubProcedure
from sifa.kit.deadlines import DUTY, DeadlineRule, Lapse
from sifa.kit.workflow import Step, Workflow

from . import conf, steps
from . import forms as f
from .choices import Status as S

CLOSED = (S.CLOSED, S.REFUSED, S.WITHDRAWN, S.TERMINATED)

WORKFLOW = Workflow(
    states=dict(S.choices),
    initial=S.RECEIVED,
    final_states=frozenset(CLOSED),
    colours={
        S.RECEIVED: "secondary",
        S.MATERIALS: "warning",
        S.NOTIFIED: "secondary",
        S.ENDED: "warning",
        S.REFUSED: "danger",
        S.WITHDRAWN: "dark",
        S.TERMINATED: "dark",
        S.CLOSED: "success",
    },
    steps=[
        # 审查 (§41–§44)
        Step("request_materials", "一次性告知补充材料", (S.RECEIVED,), S.MATERIALS, f.MaterialsForm, write=steps.materials_write, style="outline-primary"),
        Step("receive_materials", "收到补充材料", (S.MATERIALS,), S.RECEIVED),
        Step(
            "deem_withdrawn",
            "登记视为撤回申请",
            (S.MATERIALS,),
            S.WITHDRAWN,
            write=steps.withdrawn_write,
            closes=True,
            outcome="withdrawn",
            style="outline-secondary",
        ),
        Step("grant", "决定给予法律援助", (S.RECEIVED,), S.GRANTED, f.GrantForm, check=steps.grant_check, write=steps.grant_write, style="success"),
        Step(
            "refuse",
            "决定不予法律援助",
            (S.RECEIVED,),
            S.REFUSED,
            write=steps.refuse_write,
            reason_required=True,
            reason_label="不予法律援助的理由",
            closes=True,
            outcome="refused",
            style="outline-danger",
        ),
        # 指派 (§26, §36, §43)
        Step("assign", "指派承办人员", (S.GRANTED, S.NOTIFIED), S.ASSIGNED, f.AssignForm, check=steps.assign_check, write=steps.assign_write),
        # 承办 (§46–§50): the provider records on their phone; the centre sees it all.
        Step("agreement", "签订委托/辩护协议", (S.ASSIGNED,), None, f.AgreementForm, write=steps.agreement_write, permission=REPORT, style="outline-primary"),
        Step("progress", "记录办理进展", (S.ASSIGNED,), None, f.ProgressForm, write=steps.progress_write, permission=REPORT, style="outline-primary"),
        Step("end", "案件办结", (S.ASSIGNED,), S.ENDED, f.EndForm, write=steps.end_write, permission=REPORT),
        Step("submit_closing", "提交结案材料", (S.ENDED,), S.REVIEW, f.ClosingForm, write=steps.closing_write, permission=REPORT),
        Step("return_closing", "退回补充结案材料", (S.REVIEW,), S.ENDED, reason_required=True, reason_label="需补充的材料", style="outline-secondary"),
        Step("close", "结案审查通过", (S.REVIEW,), S.CLOSED, f.CloseForm, write=steps.close_write, closes=True, style="success"),
        Step(
            "terminate",
            "终止法律援助",
            (S.ASSIGNED, S.GRANTED),
            S.TERMINATED,
            f.TerminateForm,
            write=steps.terminate_write,
            reason_required=True,
            closes=True,
            outcome="terminated",
            style="outline-danger",
        ),
        # 异议 (§49) 责令改正: the centre reviews the application again, or the aid resumes.
        Step("reconsider", "依异议决定重新审查", (S.REFUSED,), S.RECEIVED, pre=steps.corrected_pre, write=steps.reconsider_write, reopens=True),
        Step("resume_aid", "依异议决定恢复法律援助", (S.TERMINATED,), S.ASSIGNED, pre=steps.corrected_pre, write=steps.resume_write, reopens=True),
    ],
)

_REVIEW = {
    "start_on": ("created", "reconsider"),
    "restart": True,  # 重新审查 after an objection: seven days again
    "complete_on": ("grant", "refuse", "deem_withdrawn"),
    "pause_on": ("request_materials",),
    "resume_on": ("receive_materials",),
    "basis": "《法律援助法》第四十三条：自收到申请之日起七日内进行审查，作出是否给予法律援助的决定",
    "amount_for": conf.rule("REVIEW_DAYS"),
}


def _reviewed(case) -> bool:
    """Only an application is reviewed (§43): a notice (§36) goes straight to assignment."""
    return case.status == S.RECEIVED


# The statutory clocks, each with its legal basis.
DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule("review", "审查决定期限", 7, "day", when=lambda case, d: _reviewed(case) and conf.get("REVIEW_UNIT") != "workday", **_REVIEW),
    DeadlineRule("review_wd", "审查决定期限", 7, "workday", when=lambda case, d: _reviewed(case) and conf.get("REVIEW_UNIT") == "workday", **_REVIEW),
    DeadlineRule(
        "materials",
        "补充材料期限",
        10,
        "day",
        start_on=("request_materials",),
        complete_on=("receive_materials", "deem_withdrawn"),
        amount_for=conf.rule("MATERIALS_DAYS"),
        basis="《法律援助法》第四十三条：申请材料不齐全的，一次性告知补充；未按要求补充的，视为撤回申请",
        restart=True,
        kind=DUTY,
        lapse=Lapse(
            "deem_withdrawn",
            key="deemed_withdrawn",
            label="视为撤回申请",
            note="补充材料期限已于{due}届满，未按要求补充材料，视为撤回申请（第四十三条）。",
            public="补充材料期限已届满，未按要求补充材料，视为撤回申请",
            early="补充材料期限{until}尚未届满，届满前不能视为撤回申请。",
        ),
    ),
    DeadlineRule(
        "assign",
        "指派期限",
        3,
        "day",
        start_on=("grant", "created"),
        when=lambda case, d: case.status in (S.GRANTED, S.NOTIFIED),
        complete_on=("assign", "terminate"),
        amount_for=conf.rule("ASSIGN_DAYS"),
        basis="《法律援助法》第四十三条、第三十六条：决定给予法律援助的，自作出决定之日起三日内指派；收到通知辩护/代理通知之日起三日内指派",
    ),
    DeadlineRule(
        "closing",
        "结案材料提交期限",
        30,
        "workday",
        start_on=("end",),
        complete_on=("submit_closing", "terminate"),
        amount_for=conf.rule("CLOSING_WORKDAYS"),
        basis="《法律援助法》第五十条；结案材料于办结后三十个工作日内提交（地方办案规定）",
    ),
)

# 异议 (§49): against a refusal or a termination, the bureau decides within 5 days.
OBJECTION = SubProcedure(
    "objection",
    "异议审查",
    Workflow(
        states={"pending": "审查中", "upheld": "维持原决定", "corrected": "责令改正"},
        initial="pending",
        final_states=frozenset({"upheld", "corrected"}),
        steps=[
            Step("uphold", "维持原决定", ("pending",), "upheld", f.ObjectionDecisionForm, permission=APPROVE),
            Step("correct", "责令改正", ("pending",), "corrected", f.ObjectionDecisionForm, permission=APPROVE, style="outline-danger"),
        ],
    ),
    deadline_rules=(
        DeadlineRule(
            "objection",
            "异议审查期限",
            5,
            "day",
            start_on=("opened",),
            complete_on=("uphold", "correct"),
            amount_for=conf.rule("OBJECTION_DAYS"),
            basis="《法律援助法》第四十九条：司法行政部门应当自收到异议之日起五日内进行审查",
        ),
    ),
    opens_from=(S.REFUSED, S.TERMINATED),
    open_permission=HANDLE,
)


# 质量评估 (SF/T 0085 style): a closed case sampled for peer review gets a score sheet and a grade.
QUALITY = SubProcedure(
    "quality",
    "质量评估",
    Workflow(
        states={"scoring": "评估中", "done": "已评估"},
        initial="scoring",
        final_states=frozenset({"done"}),
        steps=[Step("score", "评分", ("scoring",), "done", f.QualityForm, write=steps.quality_write)],
    ),
    opens_from=(S.CLOSED,),
    open_permission=HANDLE,
)
