"""The test line's declaration: a small workflow with every kind of step the
engine knows (a refusal by a form check, a reason, a pause, an approval, a
report), two clocks and one document. It also brings the roles the kernel's
access matrix needs that no real line declares yet (援助律师)."""

from __future__ import annotations

from django import forms

from sifa.accounts.roles import APPROVE, HANDLE, REPORT, REVEAL, SEE_CASES
from sifa.cases.forms import StepForm
from sifa.kit.casetype import CaseType, DocumentSpec
from sifa.kit.casework import HandOver, RecurringDuty, SubProcedure
from sifa.kit.deadlines import DUTY, RIGHT, DeadlineRule
from sifa.kit.line import Line
from sifa.kit.roles import ASSIGNED_ANYWHERE, ORG, AssignmentRoleSpec, OrgKindSpec, RoleSpec
from sifa.kit.workflow import Step, Workflow

from . import KEY
from .registers import CONSULTATIONS, CONSULTATIONS_KEY, KPIS, RETURN


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


class OpinionForm(StepForm):
    opinion = forms.CharField(label="审查意见", max_length=200)


def _forward(case, proc, v, actor):
    proc.put(data=proc.data | {"opinion": v["opinion"]})
    return {"label": f"报局审批（{v['opinion']}）"}


# 审批: the office reviews (3 working days), the bureau decides (5 working days).
APPROVAL = SubProcedure(
    "approval",
    "审批",
    Workflow(
        states={"review": "所内审查", "decision": "报局审批", "approved": "批准", "rejected": "不批准"},
        initial="review",
        final_states=frozenset({"approved", "rejected"}),
        steps=[
            Step("forward", "报局审批", ("review",), "decision", OpinionForm, write=_forward),
            Step("approve", "批准", ("decision",), "approved", permission=APPROVE, style="success"),
            Step("reject", "不批准", ("decision",), "rejected", permission=APPROVE, reason_required=True, style="outline-danger"),
        ],
    ),
    deadline_rules=(
        DeadlineRule("review", "所内审查", 3, "workday", start_on=("opened",), complete_on=("forward",), basis="测试规则"),
        DeadlineRule("decision", "局审批", 5, "workday", start_on=("forward",), complete_on=("approve", "reject"), basis="测试规则"),
    ),
    documents=(DocumentSpec("approval", "审批表", "testline/documents/approval.txt", available=lambda proc: proc.status == "approved"),),
    opens_from=("accepted",),
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
    procedures=(APPROVAL,),
    # A weekly report while accepted, for the cases whose title asks for it (the duties' own tests).
    duties=(RecurringDuty("weekly", "周报告", 1, "week", states=("accepted",), when=lambda case: "定期" in case.title, basis="测试规则"),),
    order=999,
    sample=_sample,
)

# A second case type of the test line, for what goes between lines: a 测试业务 case
# is handed over to it (``HandOver``), and a role limited to 测试业务 never sees it.
KEY_B = "testline_b"
WORKFLOW_B = Workflow(
    states={"open": "办理中", "closed": "已办结"},
    initial="open",
    final_states=frozenset({"closed"}),
    steps=[Step("close", "办结", ("open",), "closed", closes=True, outcome="done")],
)


def register_b(actor, *, owner_org, title, parties, summary=""):
    from sifa.cases.services import create_case

    return create_case(actor, case_type=KEY_B, owner_org=owner_org, title=title, parties=parties, summary=summary)


def _sample_b(actor, org):
    return register_b(actor, owner_org=org, title="乙类样例", parties=[{"role": "applicant", "name": "样例乙", "phone": "13800000002"}])


TYPE_B = CaseType(key=KEY_B, letters="ZY", label="测试乙类", workflow=WORKFLOW_B, party_roles={"applicant": "申请人"}, order=1000, sample=_sample_b)

LINE = Line(
    label="testline",
    name="测试业务",
    case_types=(TYPE, TYPE_B),
    order=999,
    roles=(
        RoleSpec("lawyer", "援助律师", frozenset({SEE_CASES, REPORT, REVEAL}), ASSIGNED_ANYWHERE, assignment="lawyer", case_types=("legal_aid",), order=60),
        # An office clerk of 测试业务 only: sees no other line's case, even in their own office.
        RoleSpec("test_clerk", "测试业务专办员", frozenset({SEE_CASES, HANDLE}), ORG, case_types=(KEY,), order=70),
        # …and one of 测试乙类 only: never sees 测试业务's cases nor its register.
        RoleSpec("test_clerk_b", "乙类专办员", frozenset({SEE_CASES, HANDLE}), ORG, case_types=(KEY_B,), order=71),
    ),
    handovers=(HandOver("to_b", "转为乙类", target=KEY_B, sources=(KEY, CONSULTATIONS_KEY), register=register_b),),
    registers=(CONSULTATIONS,),
    kpis=KPIS,
    returns=(RETURN,),
    org_kinds=(OrgKindSpec("legal_aid_center", "法律援助中心", frozenset({"bureau", "city_bureau"}), order=50),),
    assignment_roles=(AssignmentRoleSpec("lawyer", "承办律师", order=30),),
)
