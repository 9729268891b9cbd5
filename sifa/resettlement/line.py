"""安置帮教 (AZ), declared once: the kernel reads this (``kit.line``). Rules and
sources: DOMAIN.md §5, 上海市安置帮教工作规定 and 河南省暂行规定.

A released prisoner's file holds a criminal record: the line is ``restricted``
like community correction. Only the office's resettlement officers (安置帮教工作人员,
a role of this line), the bureau's section with the line and the bureau's leaders
see a person; the office's other staff and every other line answer 404."""

from sifa.accounts.roles import EXPORT, HANDLE, REPORT, REVEAL, SEE_CASES, SEE_DASHBOARD
from sifa.cases.selectors import registering, using
from sifa.common.badges import cached_badge
from sifa.kit.casetype import CaseApi, CaseType
from sifa.kit.casework import HandOver
from sifa.kit.line import Alert, Line, ListSpec
from sifa.kit.menu import MenuEntry
from sifa.kit.roles import ORG, RoleSpec

from . import demo, documents, kpis, ledger, selectors, serializers, services
from .choices import CASE_TYPE, OFFICER_ROLE, PARTY_ROLES, EndKind
from .forms import ReleaseeFilter
from .workflow import DEADLINE_RULES, DUTIES, WORKFLOW

CASES = CaseType(
    key=CASE_TYPE,
    letters="AZ",
    label="安置帮教",
    workflow=WORKFLOW,
    record="resettlement.Releasee",
    deadline_rules=DEADLINE_RULES,
    duties=DUTIES,
    documents=documents.DOCUMENTS,
    detail_template="resettlement/_detail.html",
    detail=selectors.file_facts,
    create_url_name="resettlement:create",
    party_roles=PARTY_ROLES,
    public_party_role="releasee",
    owner_kinds=("office",),
    owner_label="户籍地司法所",
    opened_label="登记",
    restricted=True,
    outcomes=dict(EndKind.choices),
    api=CaseApi(
        serializers.ResettlementListSerializer,
        serializers.ResettlementDetailSerializer,
        serializers.ResettlementCreateSerializer,
        services.register,
    ),
    order=70,
    sample=services.sample,
)

LINE = Line(
    label="resettlement",
    name="安置帮教",
    case_types=(CASES,),
    order=70,
    roles=(
        # 安置帮教工作人员: the office's resettlement officers; this line only. They compile the
        # office's provincial return (its figures, no personal data), so they see and export it;
        # exporting the files of this restricted line waits for a second person (ledgers.approvals).
        RoleSpec(
            OFFICER_ROLE,
            "安置帮教工作人员",
            frozenset({SEE_CASES, HANDLE, REPORT, REVEAL, EXPORT, SEE_DASHBOARD}),
            ORG,
            org_kinds=frozenset({"office"}),
            case_types=(CASE_TYPE,),
            order=36,
        ),
    ),
    kpis=kpis.KPIS,
    reports=(kpis.REPORT,) if kpis.REPORT else (),
    ledgers=(ledger.LEDGER,),
    returns=(kpis.RETURN,),
    figures=kpis.FIGURES,
    lists=(
        ListSpec(
            CASE_TYPE,
            "安置帮教对象",
            CASE_TYPE,
            ReleaseeFilter,
            template="resettlement/list.html",
            related=("releasee",),
            empty="没有符合条件的安置帮教对象。",
            create_label="预释放登记",
            decorate=selectors.decorate,
        ),
    ),
    menu=(
        MenuEntry("安置帮教对象", "resettlement:list", using(CASE_TYPE)),
        MenuEntry("预释放登记", "resettlement:create", registering(CASE_TYPE)),
        MenuEntry(
            "未衔接人员",
            "resettlement:unlinked",
            using(CASE_TYPE),
            badge=cached_badge("resettlement_unlinked", selectors.badge_count, apps=("cases", "resettlement", "deadlines")),
        ),
        MenuEntry("统计报表", "resettlement:return", using(CASE_TYPE)),
    ),
    alerts=(
        Alert("安置帮教未衔接预警", "resettlement:unlinked", selectors.alert_count),
        # The provincial 半年报 / 年报 are the office's deadlines (conf.RETURNS).
        Alert("安置帮教统计报表待报送", "resettlement:return", selectors.return_alert_count),
    ),
    audit_labels={"resettlement.unlinked_view": "查看未衔接人员名单"},
    handovers=(
        HandOver(
            "from_correction",
            "转安置帮教",
            CASE_TYPE,
            ("correction",),
            register=services.register_from_correction,
            carry=services.carry_from_correction,
            ready=services.correction_ready,
        ),
    ),
    demo=demo.seed,
)
