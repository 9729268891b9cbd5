"""People's mediation (人民调解), declared once: the kernel reads this."""

from sifa.accounts.roles import HANDLE, REVEAL, SEE_CASES
from sifa.cases.selectors import registering, using
from sifa.cases.serializers import DuplicateResponse
from sifa.common import dictionaries
from sifa.kit.casetype import CaseApi, CaseType
from sifa.kit.casework import HandOver
from sifa.kit.line import Line, ListSpec
from sifa.kit.menu import MenuEntry
from sifa.kit.portal import PublicForm
from sifa.kit.roles import ASSIGNED, AssignmentRoleSpec, OrgKindSpec, RoleSpec

from . import demo, documents, kpis, ledger, selectors, serializers, services
from .choices import CASE_TYPE, COMMITTEE, DISPUTE_TYPE_SET, FIELD_SET, MEDIATION_ORG_KINDS, MEDIATOR, STUDIO, Outcome, PartyRole
from .forms.filters import DisputeFilter
from .forms.public import PublicDisputeForm
from .forms.registration import HandOverDisputeForm
from .workflow import DEADLINE_RULES, WORKFLOW

DISPUTES = CaseType(
    key=CASE_TYPE,
    letters="TJ",
    label="人民调解",
    workflow=WORKFLOW,
    record="mediation.Dispute",
    owner_kinds=MEDIATION_ORG_KINDS,
    doc_number_template="{short}人调字〔{year}〕第{seq}号",
    doc_number_scope="owner",
    deadline_rules=DEADLINE_RULES,
    documents=documents.DOCUMENTS,
    detail_template="mediation/_case_detail.html",
    detail=selectors.detail,
    create_url_name="mediation:create",
    api=CaseApi(
        serializers.DisputeListSerializer,
        serializers.DisputeDetailSerializer,
        serializers.DisputeCreateSerializer,
        services.register_dispute,
        list_key="mediation.list",
        path="mediation/disputes/",
        names=("mediation-disputes", "mediation-dispute"),
        summaries=("人民调解纠纷列表", "登记人民调解纠纷", "人民调解纠纷详情（个人信息已脱敏）"),
        create_description="当事人（按身份证号，无证件号的按姓名）已有在办纠纷时返回 409 和疑似重复的纠纷；核对后以 confirm_duplicate=true 再次提交。",
        param_aliases={"committee": "org"},
        create_errors={409: DuplicateResponse},
    ),
    party_roles=dict(PartyRole.choices),
    outcomes=dict(Outcome.choices),
    order=10,
    sample=services.sample,
    # The portal: apply online and follow the dispute by its code (the README's promise).
    public_tracking=True,
)

uses = using(CASE_TYPE)

LINE = Line(
    label="mediation",
    name="人民调解",
    case_types=(DISPUTES,),
    order=20,
    roles=(
        RoleSpec(
            MEDIATOR,
            "人民调解员",
            frozenset({SEE_CASES, HANDLE, REVEAL}),
            ASSIGNED,
            org_kinds=frozenset(MEDIATION_ORG_KINDS),
            assignment=MEDIATOR,
            case_types=(CASE_TYPE,),
            order=40,
        ),
    ),
    org_kinds=(
        OrgKindSpec(COMMITTEE, "人民调解委员会", frozenset({"office", "bureau"}), order=40),
        OrgKindSpec(STUDIO, "调解工作室", frozenset({COMMITTEE, "office", "bureau"}), order=41),
    ),
    assignment_roles=(AssignmentRoleSpec(MEDIATOR, "调解员", order=20),),
    kpis=kpis.KPIS,
    reports=(kpis.REPORT,),
    ledgers=(ledger.LEDGER,),
    lists=(
        ListSpec(
            "mediation.list",
            "人民调解纠纷",
            CASE_TYPE,
            DisputeFilter,
            template="mediation/list.html",
            related=("dispute",),
            empty="没有符合条件的纠纷。",
            create_label="登记纠纷",
            context=lambda: {"types": dictionaries.labels(DISPUTE_TYPE_SET)},
        ),
    ),
    menu=(
        MenuEntry("我的调解", "mediation:home", uses),
        MenuEntry("登记纠纷", "mediation:quick", registering(CASE_TYPE)),
        MenuEntry("纠纷列表", "mediation:list", uses),
        MenuEntry("防止民转刑", "mediation:risks", uses),
        MenuEntry("调解组织", "mediation:committees", uses),
        MenuEntry("人民调解员", "mediation:mediators", uses),
    ),
    # A 12348 work order or a public legal service centre's visitor becomes a dispute in one step
    # (the sources are named by key: this line imports neither).
    handovers=(
        HandOver(
            "mediate",
            "转人民调解",
            target=CASE_TYPE,
            sources=("hotline", "hotline.visits"),
            register=services.register_from_handover,
            party_roles={"caller": PartyRole.APPLICANT, "respondent": PartyRole.RESPONDENT},
            form=HandOverDisputeForm,
            intake=True,  # a 12348 operator hands it to the committee, which takes it from its intake list
        ),
    ),
    public_forms=(
        PublicForm(
            key="mediation",
            label="人民调解申请",
            case_type=CASE_TYPE,
            form_class=PublicDisputeForm,
            submit=services.submit_online,
            intro="邻里、婚姻家庭、损害赔偿等民间纠纷，可以向人民调解委员会申请调解。人民调解不收取任何费用，遵循自愿、平等原则（《人民调解法》第三条、第四条、第十七条）。",
            next_steps="人民调解委员会收到申请后将与您联系；对方当事人明确拒绝调解的，不予调解。调解委员会受理后，一般在一个月内调结。请保存案件编码，凭编码和联系电话后四位查询办理进度。",
            order=30,
        ),
    ),
    demo=demo.seed,
    dictionaries={DISPUTE_TYPE_SET: "纠纷类型（人民调解）", FIELD_SET: "行业性专业性调解领域"},
    audit_labels={
        "mediation.committee.create": "新建调解组织",
        "mediation.committee.update": "修改调解组织",
        "mediation.mediator.create": "登记人民调解员",
        "mediation.mediator.update": "修改人民调解员",
        "mediation.membership.save": "人民调解员任职",
        "mediation.membership.end": "人民调解员离任",
        "mediation.training.create": "登记调解员培训",
    },
)
