"""The states, steps and clocks of 安置帮教 (DOMAIN.md §5; 上海市安置帮教工作规定,
河南省暂行规定), as data (``kit.workflow``, ``kit.deadlines``, ``kit.casework``).
The engine (``cases.services.transition``) is the one door.

* 待释放: registered from the prison's notice; the office verifies where the
  person lives (摸排, its own clock of ``conf.verify_workdays()`` working days
  from the notice); the person is to report within ``conf.report_days()`` days
  of release — their duty (``DUTY``): lapsed, it is the office's 待处理 and the
  line's 未衔接预警.
* 衔接 → 帮教中 (or 登记未衔接 → 未衔接 → 查找后衔接); a hand-over from community
  correction arrives 帮教中.
* 帮教中: risk grading (re-rated every ``conf.regrade_months()`` months, the
  office's clock), the assistance group and agreement, visits and talks at the
  grade's interval (the office's recurring duty), assistance, placement.
* 帮教期满解除, or 重新违法犯罪 / 死亡 / 迁出 (终止帮教), closes the case. A move to
  another office of the platform is the kernel's 移送 (the file goes with its
  history).
"""

from sifa.accounts.roles import HANDLE
from sifa.kit.casework import RecurringDuty
from sifa.kit.deadlines import DUTY, ORGAN, DeadlineRule
from sifa.kit.workflow import Step, Workflow

from . import conf, steps
from . import forms as f
from .choices import EndKind, Origin
from .choices import Status as S

WORKFLOW = Workflow(
    states=dict(S.choices),
    initial=S.PENDING,
    final_states=frozenset({S.ENDED}),
    colours={S.PENDING: "secondary", S.UNLINKED: "danger", S.ASSISTING: "primary", S.ENDED: "success"},
    steps=[
        Step("verify", "摸排核实", (S.PENDING, S.UNLINKED, S.ASSISTING), None, f.VerifyForm, write=steps.verify_write, style="outline-primary"),
        Step(
            "handover",
            "衔接登记",
            (S.PENDING, S.UNLINKED),
            S.ASSISTING,
            f.HandoverForm,
            check=steps.handover_check,
            write=steps.handover_write,
            style="success",
        ),
        Step("unlink", "登记未衔接", (S.PENDING,), S.UNLINKED, f.UnlinkForm, pre=steps.unlink_pre, write=steps.unlink_write, style="outline-danger"),
        Step("request_search", "发出协查", (S.PENDING, S.UNLINKED), None, f.SearchForm, write=steps.search_write, style="outline-primary"),
        Step(
            "answer_search",
            "登记协查回复",
            (S.PENDING, S.UNLINKED, S.ASSISTING),
            None,
            f.AnswerForm,
            pre=steps.answer_pre,
            check=steps.answer_check,
            write=steps.answer_write,
            style="outline-secondary",
        ),
        Step("grade", "风险评估", (S.ASSISTING,), None, f.GradeForm, check=steps.grade_check, write=steps.grade_write, style="outline-primary"),
        Step(
            "set_group",
            "帮教小组/帮教协议",
            (S.ASSISTING,),
            None,
            f.GroupForm,
            check=steps.after_handover_check,
            write=steps.group_write,
            style="outline-primary",
        ),
        Step("contact", "登记走访谈话", (S.ASSISTING,), None, f.ContactForm, check=steps.after_handover_check, write=steps.contact_write),
        Step("assist", "登记帮扶", (S.ASSISTING,), None, f.AssistForm, check=steps.after_handover_check, write=steps.assist_write, style="outline-primary"),
        Step("place", "登记安置情况", (S.ASSISTING,), None, f.PlaceForm, check=steps.after_handover_check, write=steps.place_write, style="outline-primary"),
        Step(
            "expire",
            "帮教期满解除",
            (S.ASSISTING,),
            S.ENDED,
            pre=steps.expire_pre,
            write=steps.expire_write,
            permission=HANDLE,
            closes=True,
            outcome=EndKind.EXPIRED,
            style="success",
        ),
        Step(
            "terminate",
            "终止帮教",
            (S.PENDING, S.UNLINKED, S.ASSISTING),
            S.ENDED,
            f.EndForm,
            write=steps.end_write,
            closes=True,
            style="outline-danger",
            confirm="终止帮教后案件即办结，确定吗？",
        ),
    ],
)


def _rec(case):
    return case.record


def _release(case, data, on):
    rec = _rec(case)
    return rec.released_on or rec.expected_release_on or on


def _notified(case, data, on):
    rec = _rec(case)
    return rec.notice_on or case.opened_on


def _pending(case, data) -> bool:
    return case.status == S.PENDING


def _custodial_pending(case, data) -> bool:
    return _pending(case, data) and _rec(case).origin in Origin.custodial()


DEADLINE_RULES = (
    DeadlineRule(
        "verify",
        "摸排核实",
        10,
        "workday",
        start_on=("created",),
        complete_on=("verify", "handover", "terminate"),
        start_date=_notified,
        amount_for=lambda case, data: conf.verify_workdays(),
        when=_custodial_pending,
        basis="《上海市安置帮教工作规定》第七条：监管场所在服刑人员刑满释放前三十日通知区县司法行政部门；司法所核实其居住情况（摸排）。期限可配置。",
    ),
    DeadlineRule(
        "report",
        "报到衔接",
        7,
        "day",
        start_on=("created",),
        complete_on=("handover",),
        cancel_on=("unlink", "terminate"),
        start_date=_release,
        amount_for=lambda case, data: conf.report_days(),
        when=_pending,
        basis="《河南省安置教育刑满释放和解除劳动教养人员的暂行规定》：刑满释放人员应当在规定期限内到户籍所在地公安机关和司法所报到。期限可配置。",
        kind=DUTY,
    ),
    DeadlineRule(
        "regrade",
        "风险再评估",
        6,
        "month",
        start_on=("grade",),
        complete_on=("grade",),
        cancel_on=("expire", "terminate"),
        amount_for=lambda case, data: conf.regrade_months(),
        restart=True,
        basis="分类帮教、动态管理：风险等级每半年重新评估（北京2006年做法，可配置）。",
    ),
    DeadlineRule(
        "period",
        "帮教期",
        60,
        "month",
        start_on=("created", "handover"),
        complete_on=("expire", "terminate"),
        start_date=lambda case, data, on: _rec(case).released_on or on,
        amount_for=lambda case, data: 12 * conf.period_years(_rec(case).origin),
        when=lambda case, data: _rec(case).handed_over_on is not None,
        basis="帮教期：刑满释放、解除社区矫正之日起五年（福建做法，可配置）；期满解除帮教。",
    ),
)


def _contact_duty(key: str, label: str, months: int) -> RecurringDuty:
    short = label.split("（")[0]
    return RecurringDuty(
        f"contact_{key}"[:30],
        f"走访谈话（{short}）",
        months,
        "month",
        states=(S.ASSISTING,),
        when=lambda case, _k=key: case.record.grade == _k,
        since=lambda case: case.record.grade_since,
        basis=f"分类帮教：{short}对象每{months}个月至少走访或谈话一次（可配置）",
        kind=ORGAN,
    )


# One contact duty per grade (conf.grades(): its interval), running from the day of the grade.
CONTACT_DUTIES = tuple(_contact_duty(key, label, months) for key, (label, _colour, months) in conf.grades().items())
DUTIES = CONTACT_DUTIES
