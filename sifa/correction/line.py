"""社区矫正 (JZ) and its 调查评估 (PG), declared once: the kernel reads this
(``kit.line``). Rules and sources: DOMAIN.md §4 and 社区矫正法.

The most sensitive data the platform holds: the line is ``restricted``. Only
the correction officers of the person's office (社区矫正工作人员, a role of
this line), the bureau's correction section (科室 with the line) and the
bureau's leaders see a person; the office's other staff and every other line
answer 404. A minor's case is sealed (§54): only the officers assigned."""

from sifa.accounts.roles import HANDLE, REPORT, REVEAL, SEE_CASES
from sifa.cases.selectors import registering, using
from sifa.common.badges import cached_badge
from sifa.kit.casetype import CaseApi, CaseType
from sifa.kit.line import Alert, Line, ListSpec
from sifa.kit.menu import MenuEntry
from sifa.kit.roles import ORG, RoleSpec

from . import demo, documents, kpis, ledger, selectors, serializers, services
from .choices import ASSESSMENT, ASSESSMENT_PARTY_ROLES, CASE_TYPE, OFFICER_ROLE, PARTY_ROLES
from .forms import InquiryFilter, SubjectFilter
from .workflow import APPROVALS, ASSESSMENT_RULES, ASSESSMENT_WORKFLOW, DEADLINE_RULES, DUTIES, WORKFLOW

CASES = CaseType(
    key=CASE_TYPE,
    letters="JZ",
    label="社区矫正",
    workflow=WORKFLOW,
    record="correction.Subject",
    deadline_rules=DEADLINE_RULES,
    procedures=APPROVALS,
    duties=DUTIES,
    documents=documents.DOCUMENTS,
    detail_template="correction/_detail.html",
    detail=selectors.file_facts,
    create_url_name="correction:create",
    party_roles=PARTY_ROLES,
    public_party_role="subject",
    owner_kinds=("office",),
    owner_label="执行地司法所",
    opened_label="接收",
    restricted=True,
    outcomes={"released": "解除矫正", "terminated": "终止矫正"},
    api_root="correction",
    api=CaseApi(
        serializers.SubjectListSerializer,
        serializers.SubjectDetailSerializer,
        serializers.SubjectCreateSerializer,
        services.register,
    ),
    order=60,
    sample=services.sample,
)

INQUIRIES = CaseType(
    key=ASSESSMENT,
    letters="PG",
    label="调查评估",
    workflow=ASSESSMENT_WORKFLOW,
    record="correction.Inquiry",
    deadline_rules=ASSESSMENT_RULES,
    documents=documents.INQUIRY_DOCUMENTS,
    detail_template="correction/_inquiry.html",
    create_url_name="correction:inquiry_create",
    party_roles=ASSESSMENT_PARTY_ROLES,
    public_party_role="assessed",
    owner_label="受托机构",
    opened_label="收到委托",
    restricted=True,
    outcomes={"issued": "已出具意见", "withdrawn": "委托撤回"},
    api=CaseApi(
        serializers.InquiryListSerializer,
        serializers.InquiryDetailSerializer,
        serializers.InquiryCreateSerializer,
        services.register_inquiry,
    ),
    order=61,
    sample=services.sample_inquiry,
)

LINE = Line(
    label="correction",
    name="社区矫正",
    case_types=(CASES, INQUIRIES),
    order=60,
    roles=(
        # 社区矫正工作人员: the office's correction officers; this line only.
        RoleSpec(
            OFFICER_ROLE,
            "社区矫正工作人员",
            frozenset({SEE_CASES, HANDLE, REPORT, REVEAL}),
            ORG,
            org_kinds=frozenset({"office"}),
            case_types=(CASE_TYPE, ASSESSMENT),
            order=35,
        ),
    ),
    kpis=kpis.KPIS,
    reports=(kpis.REPORT,) if kpis.REPORT else (),
    figures=kpis.FIGURES,
    ledgers=(ledger.LEDGER,),
    lists=(
        ListSpec(
            CASE_TYPE,
            "社区矫正对象",
            CASE_TYPE,
            SubjectFilter,
            template="correction/list.html",
            related=("subject",),
            empty="没有符合条件的社区矫正对象。",
            create_label="登记接收",
        ),
        ListSpec(ASSESSMENT, "调查评估", ASSESSMENT, InquiryFilter, related=("inquiry",), empty="没有符合条件的调查评估。", create_label="登记委托"),
    ),
    menu=(
        MenuEntry("社区矫正对象", "correction:list", using(CASE_TYPE)),
        MenuEntry("登记接收", "correction:create", registering(CASE_TYPE)),
        MenuEntry(
            "脱管预警",
            "correction:warnings",
            using(CASE_TYPE),
            badge=cached_badge("correction_warnings", selectors.warning_count, apps=("cases", "correction", "deadlines")),
        ),
        MenuEntry("调查评估", "correction:inquiries", using(ASSESSMENT)),
        MenuEntry("登记调查评估委托", "correction:inquiry_create", registering(ASSESSMENT)),
    ),
    alerts=(Alert("社区矫正脱管预警", "correction:warnings", selectors.alert_count),),
    audit_labels={"correction.warnings_view": "查看脱管预警名单"},
    demo=demo.seed,
)
