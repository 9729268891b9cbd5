"""The administrative-suit workflow (行政应诉, YS) as data. State diagram: README.md."""

from __future__ import annotations

from django.utils import timezone

from sifa.cases.workflow import Transition, Workflow
from sifa.common.errors import DomainError

from .. import selectors
from ..choices import YsStatus
from ..forms import suit_steps as f
from ..services import suit_steps as s
from .common import guard

S = YsStatus


def _defence_not_filed(case, d):
    return "已经登记过答辩状及证据的提交。" if selectors.suit(case).defence_filed_on else None


def _hearing_ahead(case, d):
    if d["hearing_date"] < d["on"]:
        raise DomainError("开庭日期：不能早于办理日期。", field="hearing_date")
    return None


def _held(case, d):
    if d["held_on"] > d["on"]:
        raise DomainError("开庭日期：已开庭的日期不能晚于办理日期。", field="held_on")
    return None


def _judged(case, d):
    if d["judged_on"] > d["on"] or d["served_on"] > d["on"]:
        raise DomainError("裁判日期：裁判和送达日期不能晚于办理日期。", field="judged_on")
    return None


def _appeal_window_over(case, d):
    if selectors.latest_judgment(case) is None:
        return "尚未登记裁判结果。"
    dl = selectors.deadline(case, "appeal")
    if dl is not None and dl.is_open and dl.due_date >= timezone.localdate():
        return f"上诉期至{dl.due_date:%Y-%m-%d}届满，届满前裁判尚未生效，不能结案；当事人上诉的，请执行“上诉/再审”。"
    return None


WORKFLOW = Workflow(
    states=dict(YsStatus.choices),
    initial=S.REGISTERED,
    final_states=frozenset({S.CLOSED}),
    colours={S.REGISTERED: "secondary", S.IN_TRIAL: "primary", S.JUDGED: "warning", S.CLOSED: "success"},
    transitions=[
        Transition(
            "file_defence",
            "提交答辩及证据",
            (S.REGISTERED,),
            S.IN_TRIAL,
            form=f.DefenceForm,
            guard=guard(f.DefenceForm, _defence_not_filed),
            available=lambda case: _defence_not_filed(case, {}) is None,
            apply=s.file_defence,
            help="收到起诉状副本之日起15日内提交证据、依据和答辩状（行政诉讼法第六十七条）。",
        ),
        Transition(
            "schedule_hearing",
            "开庭通知",
            (S.REGISTERED, S.IN_TRIAL),
            None,
            form=f.ScheduleForm,
            guard=guard(f.ScheduleForm, _hearing_ahead),
            apply=s.schedule_hearing,
            style="outline-primary",
        ),
        Transition(
            "record_hearing",
            "登记开庭",
            (S.IN_TRIAL,),
            None,
            form=f.HearingForm,
            guard=guard(f.HearingForm, _held),
            apply=s.record_hearing,
            style="outline-primary",
            help="被诉行政机关负责人应当出庭应诉；不能出庭的，应当委托相应的工作人员出庭并说明理由。",
        ),
        Transition(
            "record_judgment",
            "登记裁判结果",
            (S.REGISTERED, S.IN_TRIAL),
            S.JUDGED,
            form=f.JudgmentForm,
            guard=guard(f.JudgmentForm, _judged),
            apply=s.record_judgment,
        ),
        Transition("appeal", "上诉/再审", (S.JUDGED,), S.IN_TRIAL, form=f.AppealForm, guard=guard(f.AppealForm), apply=s.appeal, style="outline-warning"),
        Transition(
            "close",
            "裁判生效结案",
            (S.JUDGED,),
            S.CLOSED,
            guard=guard(None, _appeal_window_over),
            available=lambda case: _appeal_window_over(case, {}) is None,
            apply=s.close,
            closes=True,
            style="success",
        ),
    ],
)
