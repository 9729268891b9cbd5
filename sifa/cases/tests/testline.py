"""A minimal business line used only by the core's tests (letters ZZ)."""

from __future__ import annotations

from sifa.accounts.roles import APPROVE, HANDLE, REPORT
from sifa.cases import registry
from sifa.cases.registry import CaseType, DocumentSpec
from sifa.cases.workflow import Transition, Workflow
from sifa.deadlines.rules import DeadlineRule

KEY = "testline"


def _needs_agreement(case, data):
    if not data.get("agreement"):
        return "没有协议，不能以成功结案。"
    return None


def _record_agreement(case, data, actor):
    return {"outcome": "success", "event_data": {"agreement": data.get("agreement")}}


WORKFLOW = Workflow(
    states={"registered": "已登记", "accepted": "已受理", "suspended": "中止", "closed": "已结案", "refused": "不予受理"},
    initial="registered",
    final_states=frozenset({"closed", "refused"}),
    transitions=[
        Transition("accept", "受理", ("registered",), "accepted"),
        Transition("refuse", "不予受理", ("registered",), "refused", reason_required=True, closes=True, outcome="refused"),
        Transition("suspend", "中止", ("accepted",), "suspended", reason_required=True),
        Transition("resume", "恢复", ("suspended",), "accepted"),
        Transition("extend", "延期", ("accepted",), None, permission=APPROVE),
        Transition("report", "提交报告", ("accepted",), None, permission=REPORT),
        Transition("note", "记录", ("accepted",), None, permission=HANDLE),
        Transition("close", "结案", ("accepted",), "closed", guard=_needs_agreement, apply=_record_agreement, closes=True),
    ],
)

RULES = (
    DeadlineRule("review", "受理审查", 5, "workday", start_on=("created",), complete_on=("accept", "refuse"), basis="测试规则"),
    DeadlineRule(
        "decide",
        "办结期限",
        60,
        "day",
        start_on=("accept",),
        complete_on=("close",),
        pause_on=("suspend",),
        resume_on=("resume",),
        extend_on={"extend": 30},
    ),
)


def _doc(case, user):
    from io import BytesIO

    from docx import Document

    d = Document()
    d.add_paragraph(f"测试文书 {case.code}")
    buf = BytesIO()
    d.save(buf)
    return buf.getvalue()


TYPE = CaseType(
    key=KEY,
    letters="ZZ",
    label="测试业务",
    workflow=WORKFLOW,
    doc_number_template="{short}测字〔{year}〕第{seq}号",
    deadline_rules=RULES,
    documents=(DocumentSpec("notice", "测试通知书", _doc),),
    order=999,
)


def register():
    if registry.find(KEY) is None:
        registry.register(TYPE)
    return TYPE
