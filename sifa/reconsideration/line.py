"""行政复议 (FY) and 行政应诉 (YS), declared once: the kernel reads this. Both
are handled at bureau level by the county government's 行政复议机构, which sits
with the justice bureau: offices never see these cases."""

from sifa.cases import settle
from sifa.cases.selectors import registering, using
from sifa.common import dictionaries
from sifa.kit.casetype import BUREAU, CaseApi, CaseType
from sifa.kit.casework import HandOver
from sifa.kit.line import Line, ListSpec
from sifa.kit.menu import MenuEntry
from sifa.kit.portal import PublicForm

from . import demo, documents, kpis, ledger, selectors, serializers, services
from .choices import FY_CATEGORY as CATEGORY
from .choices import FY_KEY, FY_PARTY_ROLES, RESPONDENT_AGENCY, SET_LABELS, YS_KEY, YS_PARTY_ROLES, JudgmentKind, Outcome
from .forms.filters import FyFilter, YsFilter
from .forms.registration import HandOverApplicationForm, PublicApplicationForm
from .workflow import fy, ys
from .workflow.rules import FY_RULES, YS_RULES

RECONSIDERATION = CaseType(
    key=FY_KEY,
    letters="FY",
    label="行政复议",
    workflow=fy.WORKFLOW,
    level=BUREAU,
    record="reconsideration.Application",
    doc_number_template="{short}行复〔{year}〕第{seq}号",
    doc_number_scope="bureau",
    deadline_rules=FY_RULES,
    documents=documents.FY_DOCUMENTS,
    detail_template="reconsideration/_fy_detail.html",
    detail=selectors.detail,
    create_url_name="reconsideration:create",
    public_tracking=True,
    public_progress=selectors.public_progress,
    api=CaseApi(
        serializers.FyListSerializer,
        serializers.FyDetailSerializer,
        serializers.FyCreateSerializer,
        services.register_application,
        summaries=("", "登记行政复议申请", ""),
    ),
    party_roles=FY_PARTY_ROLES,
    outcomes=dict(Outcome.choices),
    order=40,
    sample=services.sample_application,
)

LITIGATION = CaseType(
    key=YS_KEY,
    letters="YS",
    label="行政应诉",
    workflow=ys.WORKFLOW,
    level=BUREAU,
    record="reconsideration.Suit",
    deadline_rules=YS_RULES,
    detail_template="reconsideration/_ys_detail.html",
    detail=selectors.suit_detail,
    create_url_name="reconsideration:suit_create",
    api=CaseApi(serializers.YsListSerializer, serializers.YsDetailSerializer, serializers.YsCreateSerializer, services.register_suit),
    party_roles=YS_PARTY_ROLES,
    outcomes=dict(JudgmentKind.choices),
    order=41,
    sample=services.sample_suit,
)


def _agencies():
    return {"agencies": dictionaries.labels(RESPONDENT_AGENCY)}


def _fy_rows(cases) -> None:
    for c in cases:
        c.stage = settle.stage(c)


LINE = Line(
    label="reconsideration",
    name="行政复议与应诉",
    case_types=(RECONSIDERATION, LITIGATION),
    order=40,
    kpis=(*kpis.FY_KPIS, *kpis.YS_KPIS),
    reports=(kpis.FY_REPORT, kpis.YS_REPORT),
    figures=(
        ("reconsideration.received", "category"),
        ("reconsideration.received", "respondent"),
        ("reconsideration.concluded", "outcome"),
        ("reconsideration.correction_rate", "respondent"),
        ("litigation.appearance_rate", "defendant"),
    ),
    ledgers=(ledger.FY_LEDGER, ledger.YS_LEDGER),
    lists=(
        ListSpec(
            FY_KEY,
            "行政复议案件",
            FY_KEY,
            FyFilter,
            template="reconsideration/fy_list.html",
            related=("application",),
            create_label="登记复议申请",
            context=lambda: _agencies() | {"categories": dictionaries.labels(CATEGORY)},
            decorate=_fy_rows,
        ),
        ListSpec(
            YS_KEY,
            "行政应诉案件",
            YS_KEY,
            YsFilter,
            template="reconsideration/ys_list.html",
            related=("suit",),
            create_label="登记应诉案件",
            context=_agencies,
        ),
    ),
    menu=(
        MenuEntry("行政复议案件", "reconsideration:list", using(FY_KEY)),
        MenuEntry("登记复议申请", "reconsideration:create", registering(FY_KEY)),
        MenuEntry("行政应诉案件", "reconsideration:suit_list", using(YS_KEY)),
        MenuEntry("登记应诉案件", "reconsideration:suit_create", registering(YS_KEY)),
        MenuEntry("复议应诉统计", "stats:line", using(FY_KEY, YS_KEY), args=("reconsideration",)),
    ),
    # A 12348 work order or a public legal service centre's visitor becomes an application in
    # one step (the sources are named by key: this line imports neither).
    handovers=(
        HandOver(
            "reconsider",
            "转行政复议申请",
            target=FY_KEY,
            sources=("hotline", "hotline.visits"),
            register=services.register_from_handover,
            party_roles={"caller": "applicant", "respondent": ""},
            form=HandOverApplicationForm,
            intake=True,  # a 12348 operator hands it to the bureau, whose section takes it from its intake list
        ),
    ),
    public_forms=(
        PublicForm(
            key="reconsideration",
            label="行政复议申请",
            case_type=FY_KEY,
            form_class=PublicApplicationForm,
            submit=services.submit_online,
            intro=(
                "公民、法人或者其他组织认为行政机关的行政行为侵犯其合法权益的，可以自知道该行政行为之日起60日内申请行政复议"
                "（《行政复议法》第二十条）。一个行政行为提交一份申请。行政复议不收取任何费用。"
            ),
            next_steps=(
                "行政复议机构将在收到申请后5个工作日内审查并决定是否受理；材料不齐全的，将一次性书面通知补正。"
                "请保存案件编码，凭编码和联系电话后四位查询办理进度。"
            ),
            order=10,
        ),
    ),
    demo=demo.seed,
    dictionaries=SET_LABELS,
)
