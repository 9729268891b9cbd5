"""法律援助 (YZ), declared once: the kernel reads this (``kit.line``). Rules and
sources: DOMAIN.md §6 and 法律援助法 (2022)."""

from sifa.accounts.roles import EXPORT, HANDLE, REPORT, REVEAL, SEE_CASES
from sifa.cases.selectors import registering, using
from sifa.kit.casetype import CaseApi, CaseType
from sifa.kit.casework import HandOver
from sifa.kit.line import Line, ListSpec
from sifa.kit.menu import MenuEntry
from sifa.kit.portal import PublicForm
from sifa.kit.roles import ASSIGNED_ANYWHERE, ORG, AssignmentRoleSpec, OrgKindSpec, RoleSpec

from . import demo, documents, kpis, ledger, serializers, services
from .choices import CASE_TYPE, CENTER, PARTY_ROLES, Outcome
from .forms import LegalAidFilter, PublicApplicationForm
from .registers import CONSULTATIONS, CONSULTATIONS_KEY, DUTY_HELPS
from .selectors import centers_for
from .workflow import DEADLINE_RULES, OBJECTION, QUALITY, WORKFLOW

CASES = CaseType(
    key=CASE_TYPE,
    letters="YZ",
    label="法律援助",
    workflow=WORKFLOW,
    record="legal_aid.LegalAid",
    owner_kinds=(CENTER,),
    owners_for=centers_for,
    api_root="legal-aid",
    deadline_rules=DEADLINE_RULES,
    procedures=(OBJECTION, QUALITY),
    documents=documents.DOCUMENTS,
    doc_number_template="{short}援决字〔{year}〕第{seq}号",
    doc_number_scope="owner",
    detail_template="legal_aid/_detail.html",
    create_url_name="legal_aid:create",
    party_roles=PARTY_ROLES,
    outcomes={**dict(Outcome.choices), "refused": "不予法律援助", "withdrawn": "视为撤回申请", "terminated": "终止法律援助", "closed": "结案"},
    public_tracking=True,
    api=CaseApi(
        serializers.LegalAidListSerializer,
        serializers.LegalAidDetailSerializer,
        serializers.LegalAidCreateSerializer,
        services.register_from_api,
    ),
    order=30,
    sample=services.sample,
)

LINE = Line(
    label="legal_aid",
    name="法律援助",
    case_types=(CASES,),
    order=30,
    roles=(
        # The centre's staff (法律援助中心工作人员): legal aid only, in their centre — and the 12348
        # work orders dispatched to the centre (shared with it; the hotline owns none there).
        RoleSpec(
            "aid_staff",
            "法律援助中心工作人员",
            frozenset({SEE_CASES, HANDLE, REPORT, REVEAL, EXPORT}),
            ORG,
            org_kinds=frozenset({CENTER}),
            case_types=(CASE_TYPE, "hotline"),
            order=55,
        ),
        # An external lawyer: only the cases assigned to them, wherever they are (§46, SECURITY.md).
        RoleSpec("lawyer", "援助律师", frozenset({SEE_CASES, REPORT, REVEAL}), ASSIGNED_ANYWHERE, assignment="lawyer", case_types=(CASE_TYPE,), order=60),
    ),
    org_kinds=(OrgKindSpec(CENTER, "法律援助中心", frozenset({"bureau", "city_bureau"}), order=50),),
    assignment_roles=(AssignmentRoleSpec("lawyer", "承办律师", order=30),),
    kpis=kpis.KPIS,
    reports=(kpis.REPORT,),
    returns=(kpis.RETURN,),
    figures=(("legal_aid.cases", "category"), ("legal_aid.cases", "kind"), ("legal_aid.cases", "provider"), ("legal_aid.consultations", "office")),
    ledgers=(ledger.LEDGER,),
    lists=(ListSpec(CASE_TYPE, "法律援助案件", CASE_TYPE, LegalAidFilter, related=("legalaid", "legalaid__provider"), create_label="登记申请/通知"),),
    menu=(
        MenuEntry("法律援助案件", "legal_aid:list", using(CASE_TYPE)),
        MenuEntry("登记申请/通知", "legal_aid:create", registering(CASE_TYPE)),
        MenuEntry("法律援助人员库", "legal_aid:providers", using(CASE_TYPE)),
        MenuEntry("质量评估抽查", "legal_aid:quality", registering(CASE_TYPE)),
        MenuEntry("办案补贴", "legal_aid:subsidies", using(CASE_TYPE)),
        MenuEntry("值班排班", "legal_aid:roster", using(CASE_TYPE)),
    ),
    registers=(CONSULTATIONS, DUTY_HELPS),
    # A consultation becomes an application in one step, linked both ways.
    # And so does a 12348 work order or a public legal service centre's visitor (sources named by key).
    handovers=(
        HandOver(
            "apply",
            "转为法律援助申请",
            target=CASE_TYPE,
            sources=(CONSULTATIONS_KEY, "hotline", "hotline.visits"),
            register=services.register_from_handover,
            party_roles={"caller": "applicant", "respondent": ""},
            intake=True,  # a 12348 operator hands it to the centre, which takes it from its intake list
        ),
    ),
    public_forms=(
        PublicForm(
            key="legal_aid",
            label="法律援助申请",
            case_type=CASE_TYPE,
            form_class=PublicApplicationForm,
            submit=services.submit_online,
            intro="经济困难的公民和符合法定条件的其他当事人，可以向法律援助机构申请法律援助（《法律援助法》第二条、第三十一条）。法律援助不收取任何费用。",
            next_steps="法律援助机构将自收到申请之日起七日内审查并作出是否给予法律援助的决定；材料不齐全的，将一次性告知需补充的材料。请保存案件编码，凭编码和联系电话后四位查询办理进度。",
            order=20,
        ),
    ),
    audit_labels={
        "legal_aid.provider": "添加法律援助人员",
        "legal_aid.provider_update": "修改法律援助人员",
        "legal_aid.subsidy_compute": "计算办案补贴",
        "legal_aid.subsidy_adjust": "调整办案补贴",
        "legal_aid.subsidy_approve": "审批办案补贴",
        "legal_aid.subsidy_batch": "组成办案补贴发放批次",
        "legal_aid.subsidy_pay": "登记办案补贴发放",
        "legal_aid.subsidy_export": "导出办案补贴发放明细",
        "legal_aid.shift_add": "值班律师排班",
        "legal_aid.shift_copy": "复制上周值班律师排班",
        "legal_aid.shift_remove": "删除值班律师排班",
    },
    demo=demo.seed,
)
