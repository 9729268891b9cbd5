"""The administrative-suit workflow (行政应诉, YS) as data. State diagram:
README.md; what each step requires and writes: ``steps/ys.py``."""

from __future__ import annotations

from sifa.kit.workflow import Stage, Step, Workflow

from ..choices import YsStatus
from ..forms import suit_steps as f
from ..steps import ys as s

S = YsStatus

WORKFLOW = Workflow(
    states=dict(YsStatus.choices),
    initial=S.REGISTERED,
    final_states=frozenset({S.CLOSED}),
    colours={S.REGISTERED: "secondary", S.IN_TRIAL: "primary", S.JUDGED: "warning", S.CLOSED: "success"},
    # 流程进度 (行政诉讼法 §67, §85): defence, trial, judgment, its taking effect.
    stages=(
        Stage("答辩举证", (S.REGISTERED,)),
        Stage("开庭审理", (S.IN_TRIAL,), ("file_defence", "schedule_hearing", "record_hearing")),
        Stage("裁判", (S.JUDGED,), ("record_judgment",)),
        Stage("生效结案", (S.CLOSED,), ("close",)),
    ),
    steps=[
        Step(
            "file_defence",
            "提交答辩及证据",
            (S.REGISTERED,),
            S.IN_TRIAL,
            f.DefenceForm,
            pre=s.defence_not_filed_pre,
            write=s.file_defence,
            help="收到起诉状副本之日起15日内提交证据、依据和答辩状（行政诉讼法第六十七条）。",
        ),
        Step(
            "schedule_hearing",
            "开庭通知",
            (S.REGISTERED, S.IN_TRIAL),
            None,
            f.ScheduleForm,
            check=s.hearing_ahead_check,
            write=s.schedule_hearing,
            style="outline-primary",
        ),
        Step(
            "record_hearing",
            "登记开庭",
            (S.IN_TRIAL,),
            None,
            f.HearingForm,
            check=s.held_check,
            write=s.record_hearing,
            style="outline-primary",
            help="被诉行政机关负责人应当出庭应诉；不能出庭的，应当委托相应的工作人员出庭并说明理由。",
        ),
        Step("record_judgment", "登记裁判结果", (S.REGISTERED, S.IN_TRIAL), S.JUDGED, f.JudgmentForm, check=s.judged_check, write=s.record_judgment),
        Step("appeal", "上诉/再审", (S.JUDGED,), S.IN_TRIAL, f.AppealForm, write=s.appeal, style="outline-warning"),
        Step("close", "裁判生效结案", (S.JUDGED,), S.CLOSED, pre=s.appeal_window_over_pre, write=s.close, closes=True, style="success"),
    ],
)
