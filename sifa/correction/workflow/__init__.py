"""The states, steps and clocks of 社区矫正 (社区矫正法 §17–§58, DOMAIN.md §4), as
data (``kit.workflow``, ``kit.deadlines``, ``kit.casework``). The engine
(``cases.services.transition``) is the one door.

* Intake: the documents are received (the case is registered, 待报到); the
  person must report within 10 days of the judgment taking effect (§21), or,
  for 暂予监外执行, be transferred within 10 days. That is the person's duty
  (``DUTY``): once it lapses the case is on the office's 待处理 list.
* 报到 → 入矫宣告 → 在矫: the grade's recurring duties (``DUTIES``, chosen by
  ``conf.GRADE_DUTIES``) run from the day of the grade; a report, talk, visit,
  check, study or service hours recorded with 登记监管活动 fulfils them.
* Approvals (外出, 经常性跨市县活动, 执行地变更, 会客, 进入特定场所, 病情复查延期,
  电子定位) are procedures inside the case: the office reviews, the bureau
  (县级社区矫正机构) decides; 电子定位 is the bureau head's (§29).
* 解除 (§44) or 终止 (§45) closes the case.
"""

from sifa.accounts.roles import HANDLE
from sifa.kit.casework import RecurringDuty
from sifa.kit.deadlines import DUTY, ORGAN, DeadlineRule
from sifa.kit.workflow import Step, Workflow

from .. import conf, steps
from .. import forms as f
from ..choices import Category
from ..choices import Status as S
from ..services import REPORT_DAYS
from . import approvals

WORKFLOW = Workflow(
    states=dict(S.choices),
    initial=S.RECEIVED,
    final_states=frozenset({S.RELEASED, S.TERMINATED}),
    colours={
        S.RECEIVED: "secondary",
        S.ENROLLED: "secondary",
        S.SUPERVISING: "primary",
        S.LOST: "danger",
        S.RELEASED: "success",
        S.TERMINATED: "dark",
    },
    steps=[
        # 接收 (§21–22)
        Step("report", "登记报到/移送接收", (S.RECEIVED,), S.ENROLLED, f.ReportForm, check=steps.report_check, write=steps.report_write),
        Step("declare", "入矫宣告", (S.ENROLLED,), S.SUPERVISING, f.DeclareForm, write=steps.declare_write, style="success"),
        # 矫正小组, 矫正方案, 分类管理 (§24–25)
        Step(
            "set_team",
            "组建/调整矫正小组",
            (S.ENROLLED, S.SUPERVISING),
            None,
            f.TeamForm,
            check=steps.team_check,
            write=steps.team_write,
            style="outline-primary",
        ),
        Step("set_plan", "制定/调整矫正方案", (S.SUPERVISING,), None, f.PlanForm, pre=steps.plan_pre, write=steps.plan_write, style="outline-primary"),
        Step("regrade", "调整管理等级", (S.SUPERVISING,), None, f.GradeForm, check=steps.grade_check, write=steps.grade_write, style="outline-primary"),
        # 日常监管 (§26) and 教育帮扶 (§35–43)
        Step("record", "登记监管活动", (S.SUPERVISING,), None, f.ActivityForm, check=steps.activity_check, write=steps.activity_write),
        Step("apply", "登记审批事项", (S.SUPERVISING,), None, f.ApplyForm, check=approvals.apply_check, write=approvals.apply_write, style="outline-primary"),
        # 考核奖惩 (§28)
        Step("assess", "月度考核", (S.SUPERVISING, S.LOST), None, f.MonthForm, check=steps.month_check, write=steps.month_write, style="outline-primary"),
        Step("reward", "奖励", (S.SUPERVISING,), None, f.RewardForm, write=steps.reward_write, style="outline-success"),
        Step(
            "sanction",
            "惩处/提请",
            (S.SUPERVISING, S.LOST),
            None,
            f.SanctionForm,
            check=steps.sanction_check,
            write=steps.sanction_write,
            style="outline-danger",
        ),
        Step(
            "correct",
            "认定已改正",
            (S.SUPERVISING,),
            None,
            f.CorrectedForm,
            pre=steps.correct_pre,
            check=steps.correct_check,
            write=steps.correct_write,
            style="outline-secondary",
        ),
        # 脱管 (§30)
        Step("lose_contact", "登记脱管", (S.SUPERVISING,), S.LOST, f.LostForm, write=steps.lost_write, style="outline-danger"),
        Step("found", "查找到案", (S.LOST,), S.SUPERVISING, f.FoundForm, write=steps.found_write, style="success"),
        # 解除 (§44) and 终止 (§45)
        Step("summarize", "期满鉴定", (S.SUPERVISING,), None, f.SummaryForm, pre=steps.summary_pre, write=steps.summary_write, style="outline-primary"),
        Step(
            "release",
            "解除矫正（解矫宣告）",
            (S.SUPERVISING,),
            S.RELEASED,
            f.ReleaseForm,
            check=steps.release_check,
            write=steps.release_write,
            closes=True,
            outcome="released",
            style="success",
        ),
        Step(
            "terminate",
            "终止矫正",
            (S.RECEIVED, S.ENROLLED, S.SUPERVISING, S.LOST),
            S.TERMINATED,
            f.TerminateForm,
            check=steps.terminate_check,
            write=steps.terminate_write,
            closes=True,
            outcome="terminated",
            style="outline-danger",
            confirm="终止矫正后案件即办结，确定吗？",
        ),
    ],
)


def _effective(case, data, on):
    return case.record.effective_on


def _medical(case, data) -> bool:
    return case.record.category == Category.MEDICAL


DEADLINE_RULES = (
    DeadlineRule(
        "report",
        "报到期限",
        REPORT_DAYS,
        "day",
        start_on=("created",),
        complete_on=("report", "terminate"),
        start_date=_effective,
        when=lambda case, data: not _medical(case, data),
        basis="《社区矫正法》第二十一条：社区矫正对象应当自判决、裁定生效之日起十日内到执行地社区矫正机构报到。",
        kind=DUTY,
    ),
    DeadlineRule(
        "transfer",
        "移送期限",
        REPORT_DAYS,
        "day",
        start_on=("created",),
        complete_on=("report", "terminate"),
        start_date=_effective,
        when=_medical,
        basis="《社区矫正法》第二十一条：暂予监外执行的罪犯，由看守所、监狱或公安机关自收到决定之日起十日内移送社区矫正机构。",
        kind=DUTY,
    ),
)


# The duties each grade may bring (conf.GRADE_DUTIES chooses): the person's reports and
# hours are their duty (missed: 待处理 for the office); talks and visits are the office's.
def _grade_duty(key, label, every, unit, kind, basis):
    return RecurringDuty(
        key,
        label,
        every,
        unit,
        states=(S.SUPERVISING,),
        when=lambda case, _k=key: conf.grade_has(case.record.grade, _k),
        since=lambda case: case.record.grade_since,
        basis=basis,
        kind=kind,
    )


_BASIS = "分类管理（省级规定，可配置）；《社区矫正法》第二十三条、第二十六条"
DUTIES = (
    _grade_duty("weekly_report", "每周报到", 1, "week", DUTY, _BASIS),
    _grade_duty("biweekly_report", "半月报告", 2, "week", DUTY, _BASIS),
    _grade_duty("monthly_report", "每月报告", 1, "month", DUTY, _BASIS),
    _grade_duty("weekly_written", "每周书面汇报", 1, "week", DUTY, _BASIS),
    _grade_duty("monthly_written", "每月书面汇报", 1, "month", DUTY, _BASIS),
    _grade_duty("weekly_talk", "每周个别教育", 1, "week", ORGAN, _BASIS),
    _grade_duty("monthly_talk", "每月个别教育", 1, "month", ORGAN, _BASIS),
    _grade_duty("quarterly_talk", "每季度个别教育", 3, "month", ORGAN, _BASIS),
    _grade_duty("monthly_visit", "每月实地查访", 1, "month", ORGAN, _BASIS),
    _grade_duty("quarterly_visit", "每季度实地查访", 3, "month", ORGAN, _BASIS),
    _grade_duty("monthly_study", "每月教育学习时长", 1, "month", DUTY, _BASIS + "；《社区矫正法》第三十六条"),
    _grade_duty("monthly_service", "每月公益活动时长", 1, "month", DUTY, _BASIS + "；《社区矫正法》第四十二条"),
)

# Which activity fulfils which duty (hours duties: when the period's hours reach the grade's).
DUTY_ACTIVITY = {
    "weekly_report": "report",
    "biweekly_report": "report",
    "monthly_report": "report",
    "weekly_written": "written",
    "monthly_written": "written",
    "weekly_talk": "talk",
    "monthly_talk": "talk",
    "quarterly_talk": "talk",
    "monthly_visit": "visit",
    "quarterly_visit": "visit",
    "monthly_study": "study",
    "monthly_service": "service",
}

APPROVALS = approvals.PROCEDURES

# 调查评估 (§18): a case type of its own, done within 10 working days (5 when fast-tracked).
ASSESSMENT_WORKFLOW = Workflow(
    states={"entrusted": "调查中", "issued": "已出具意见", "withdrawn": "委托撤回"},
    initial="entrusted",
    final_states=frozenset({"issued", "withdrawn"}),
    colours={"entrusted": "primary", "issued": "success", "withdrawn": "dark"},
    steps=[
        Step("investigate", "记录调查情况", ("entrusted",), None, f.InvestigateForm, write=steps.investigate_write, style="outline-primary"),
        Step(
            "issue", "出具调查评估意见书", ("entrusted",), "issued", f.OpinionIssueForm, write=steps.issue_write, closes=True, outcome="issued", style="success"
        ),
        Step(
            "withdraw",
            "委托单位撤回委托",
            ("entrusted",),
            "withdrawn",
            reason_required=True,
            reason_label="撤回情况",
            closes=True,
            outcome="withdrawn",
            style="outline-secondary",
            permission=HANDLE,
        ),
    ],
)

ASSESSMENT_RULES = (
    DeadlineRule(
        "assessment",
        "调查评估期限",
        10,
        "workday",
        start_on=("created",),
        complete_on=("issue", "withdraw"),
        amount_for=lambda case, data: int(conf.get("ASSESSMENT_FAST_WORKDAYS" if case.record.fast_track else "ASSESSMENT_WORKDAYS")),
        basis="《社区矫正法实施办法》第十四条：社区矫正机构应当自收到调查评估委托函及所附材料之日起十个工作日内完成调查评估；适用刑事案件速裁程序的，五个工作日内完成。",
    ),
)
