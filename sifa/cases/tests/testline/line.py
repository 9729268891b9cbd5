"""The test line's declaration: a small workflow with every kind of step the
engine knows (a refusal by a form check, a reason, a pause, an approval, a
report), two clocks and one document. It also brings the roles the kernel's
access matrix needs that no real line declares yet (援助律师)."""

from __future__ import annotations

from django import forms

from sifa.accounts.roles import APPROVE, HANDLE, REPORT, REVEAL, SEE_CASES
from sifa.cases.forms import StepForm
from sifa.kit.casetype import CaseType, DocumentSpec
from sifa.kit.deadlines import DUTY, RIGHT, DeadlineRule
from sifa.kit.line import Line
from sifa.kit.roles import ASSIGNED_ANYWHERE, AssignmentRoleSpec, OrgKindSpec, RoleSpec
from sifa.kit.workflow import Step, Workflow

from . import KEY


class CloseForm(StepForm):
    agreement = forms.CharField(label="协议", required=False, max_length=200)


def _needs_agreement(case, rec, v):
    return None if v.get("agreement") else "没有协议，不能以成功结案。"


def _record_agreement(case, rec, v, actor):
    return {"outcome": "success", "event_data": {"agreement": v["agreement"]}}


WORKFLOW = Workflow(
    states={"registered": "已登记", "accepted": "已受理", "suspended": "中止", "closed": "已结案", "refused": "不予受理"},
    initial="registered",
    final_states=frozenset({"closed", "refused"}),
    steps=[
        Step("accept", "受理", ("registered",), "accepted"),
        Step("refuse", "不予受理", ("registered",), "refused", reason_required=True, closes=True, outcome="refused"),
        Step("suspend", "中止", ("accepted",), "suspended", reason_required=True),
        Step("resume", "恢复", ("suspended",), "accepted"),
        Step("extend", "延期", ("accepted",), None, permission=APPROVE),
        Step("report", "提交报告", ("accepted",), None, permission=REPORT),
        Step("note", "记录", ("accepted",), None, permission=HANDLE),
        Step("close", "结案", ("accepted",), "closed", form=CloseForm, check=_needs_agreement, write=_record_agreement, closes=True),
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
    # A party's right (information only) and a party's duty (a to-do once lapsed), both from acceptance.
    DeadlineRule("objection", "异议期", 10, "day", start_on=("accept",), complete_on=("close",), basis="测试规则", kind=RIGHT),
    DeadlineRule("materials", "补充材料", 5, "workday", start_on=("accept",), complete_on=("note", "close"), basis="测试规则", kind=DUTY),
)


def _sample(actor, org):
    from sifa.cases.services import create_case

    return create_case(actor, case_type=KEY, owner_org=org, title="样例案件", parties=[{"role": "applicant", "name": "样例甲", "phone": "13800000001"}])


TYPE = CaseType(
    key=KEY,
    letters="ZZ",
    label="测试业务",
    workflow=WORKFLOW,
    doc_number_template="{short}测字〔{year}〕第{seq}号",
    deadline_rules=RULES,
    documents=(DocumentSpec("notice", "测试通知书", "testline/documents/notice.txt"),),
    order=999,
    sample=_sample,
)

LINE = Line(
    label="testline",
    name="测试业务",
    case_types=(TYPE,),
    order=999,
    roles=(
        RoleSpec("lawyer", "援助律师", frozenset({SEE_CASES, REPORT, REVEAL}), ASSIGNED_ANYWHERE, assignment="lawyer", case_types=("legal_aid",), order=60),
    ),
    org_kinds=(OrgKindSpec("legal_aid_center", "法律援助中心", frozenset({"bureau", "city_bureau"}), order=50),),
    assignment_roles=(AssignmentRoleSpec("lawyer", "承办律师", order=30),),
)
