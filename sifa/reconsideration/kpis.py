"""The figures this line reports, declared once (ARCHITECTURE rule 9; named
in ``line.py``). The definitions follow DOMAIN.md §3.4 / §3.5 and are printed
beside every figure. Only those who use the line see them (the kernel's
``uses``): its cases belong to the bureau, so to a judicial office every one
would read 0.

纠错率's denominator is all concluded cases (审结), as the one seed that gives
both figures publishes it ("审结67件，纠错率17.91%"). The MoJ 2018 usage divides
by the cases concluded with a decision on the merits instead (驳回申请, 调解书 and
终止 left out): a bureau may choose it (``Variant``, set in 口径设置).

出庭率 counts cases by default (a city's "出庭1285件，开庭数量1323件"); counting
hearings (次) is the other variant.
"""

from __future__ import annotations

from django.db.models import Q

from sifa.common import dictionaries
from sifa.kit.kpis import MONTH, Dimension, Measure, ReportSection, Variant, family

from .choices import (
    CONCLUDED,
    CORRECTIVE,
    DECISIONS,
    FY_CATEGORY,
    FY_KEY,
    JUDGMENTS,
    LOSSES,
    RESPONDENT_AGENCY,
    WITHDRAWALS,
    YS_KEY,
    Instance,
    JudgmentKind,
    Outcome,
)

APP = "reconsideration.Application"
SUIT = "reconsideration.Suit"
HEARING = "reconsideration.SuitHearing"
JUDGMENT = "reconsideration.SuitJudgment"

CATEGORY = Dimension("category", "复议事项类别", "field", field="category", labels=lambda: dictionaries.labels(FY_CATEGORY))
RESPONDENT = Dimension("respondent", "被申请人", "field", field="respondent_agency", labels=lambda: dictionaries.labels(RESPONDENT_AGENCY))
OUTCOME = Dimension("outcome", "结案方式", "field", field="case__outcome", labels=lambda: dict(Outcome.choices))
DEFENDANT = Dimension("defendant", "被告行政机关", "field", field="defendant_agency", labels=lambda: dictionaries.labels(RESPONDENT_AGENCY))
HEARING_DEFENDANT = Dimension("defendant", "被告行政机关", "field", field="case__suit__defendant_agency", labels=lambda: dictionaries.labels(RESPONDENT_AGENCY))
JUDGMENT_KIND = Dimension("kind", "裁判结果", "field", field="kind", labels=lambda: dict(JudgmentKind.choices))


def _fy(label: str, date_field: str = "case__closed_on", flt: Q | None = None) -> Measure:
    return Measure(label, model=APP, case_path="case", date_field=date_field, filter=flt, case_types=(FY_KEY,), unit="件")


RECEIVED = _fy("收到的行政复议申请", "case__opened_on")
ACCEPTED = _fy("受理的申请（含视为受理）", "accepted_on")
NOT_ACCEPTED = _fy("不予受理的申请", flt=Q(case__outcome=Outcome.NOT_ACCEPTED))
CONCLUDED_CASES = _fy("审结的案件", flt=Q(case__outcome__in=CONCLUDED))
DECIDED = _fy("作出行政复议决定的审结案件", flt=Q(case__outcome__in=DECISIONS))
CORRECTED = _fy("作出纠错决定的案件", flt=Q(case__outcome__in=CORRECTIVE))
MEDIATED_OR_WITHDRAWN = _fy(
    "调解书结案和撤回申请终止的案件", flt=Q(case__outcome=Outcome.MEDIATION) | Q(case__outcome=Outcome.TERMINATE, termination_reason__in=WITHDRAWALS)
)
ON_TIME = _fy("在法定期限内审结的案件", flt=Q(case__outcome__in=CONCLUDED, concluded_on_time=True))

FY_DIMS = (CATEGORY, RESPONDENT, MONTH)
fy = family(FY_KEY, dimensions=FY_DIMS)
ys = family(YS_KEY, prefix="litigation")

FY_KPIS = (
    fy(
        "received",
        "收到行政复议申请",
        "件",
        RECEIVED,
        definition="统计期内收到的行政复议申请件数（按收到申请日期，含邮寄、当面、网上和口头申请）。",
        source="《行政复议法》第二十二条",
        headline=True,
        order=10,
    ),
    fy(
        "accepted",
        "受理",
        "件",
        ACCEPTED,
        definition="统计期内受理的行政复议申请件数（按受理日期；审查期限届满未作出不予受理决定而视为受理的，按期限届满之日计入）。",
        source="《行政复议法》第三十条",
        order=20,
    ),
    fy(
        "not_accepted",
        "不予受理",
        "件",
        NOT_ACCEPTED,
        definition="统计期内决定不予受理的申请件数（按决定日期）。",
        source="《行政复议法》第三十条第二款",
        higher_is_better=False,
        order=30,
    ),
    fy(
        "concluded",
        "审结",
        "件",
        CONCLUDED_CASES,
        definition="统计期内审结的已受理案件件数（按结案日期）：作出行政复议决定、驳回申请、调解书结案和终止行政复议的案件；不含不予受理和视为放弃申请。",
        dimensions=(MONTH, OUTCOME, CATEGORY, RESPONDENT),
        headline=True,
        order=40,
    ),
    fy(
        "correction_rate",
        "纠错率",
        "%",
        CORRECTED,
        CONCLUDED_CASES,
        definition=(
            "纠错率 =（变更 + 撤销（含部分撤销）+ 确认违法 + 确认无效 + 责令履行）决定件数 ÷ 审结案件数 × 100%（均按结案日期）。"
            "审结案件含作出行政复议决定、驳回申请、调解书结案和终止的案件。"
        ),
        source="《行政复议法》第六十三条至第六十八条",
        variant_label="以审结案件为分母",
        variants=(
            Variant(
                "decided",
                "以作出行政复议决定的案件为分母",
                denominator=DECIDED,
                definition=(
                    "纠错率 =（变更 + 撤销（含部分撤销）+ 确认违法 + 确认无效 + 责令履行）决定件数 ÷ 作出行政复议决定的审结案件数 × 100%。"
                    "分母为统计期内（按结案日期）作出变更、撤销、部分撤销、确认违法、责令履行、确认无效、维持、驳回复议请求决定的案件；"
                    "驳回申请、调解书结案、终止不计入分子和分母。"
                ),
                source="司法部2018年行政复议工作通报口径（纠错决定 ÷ 依法作出行政复议决定的案件）",
            ),
        ),
        headline=True,
        order=50,
    ),
    fy(
        "mediation_withdrawal_rate",
        "调撤率",
        "%",
        MEDIATED_OR_WITHDRAWN,
        CONCLUDED_CASES,
        definition=("调撤率 =（制作行政复议调解书结案 + 申请人撤回申请（含和解后撤回）终止）件数 ÷ 审结案件数 × 100%（均按结案日期）。"),
        source="《行政复议法》第七十三条、第七十四条",
        order=60,
    ),
    fy(
        "on_time_rate",
        "按期审结率",
        "%",
        ON_TIME,
        CONCLUDED_CASES,
        definition=(
            "按期审结率 = 在审理期限内审结的件数 ÷ 审结案件数 × 100%（按结案日期）。审理期限：普通程序自受理之日起60日，经批准延长的加延长期（最多30日）；"
            "简易程序30日；中止期间不计入；期满日为休息日的顺延至下一工作日。"
        ),
        source="《行政复议法》第六十二条、第八十八条",
        order=70,
    ),
)

# --- 行政应诉 ---------------------------------------------------------------------------------------

SUITS = Measure("应诉案件", model=SUIT, case_path="case", date_field="case__opened_on", case_types=(YS_KEY,))
HEARINGS = Measure("开庭次数", model=HEARING, case_path="case", date_field="held_on", case_types=(YS_KEY,), unit="次")
HEAD_ATTENDED = Measure(
    "负责人出庭的开庭次数", model=HEARING, case_path="case", date_field="held_on", filter=Q(head_attended=True), case_types=(YS_KEY,), unit="次"
)
# By case (件): a case counts once however many of its hearings fall in the period.
HEARD_CASES = Measure("开庭审理的案件", model=HEARING, case_path="case", date_field="held_on", agg="count_cases", case_types=(YS_KEY,), unit="件")
HEAD_CASES = Measure(
    "负责人出庭的案件", model=HEARING, case_path="case", date_field="held_on", filter=Q(head_attended=True), agg="count_cases", case_types=(YS_KEY,), unit="件"
)
FIRST_JUDGMENTS = Measure(
    "一审判决件数", model=JUDGMENT, case_path="case", date_field="judged_on", filter=Q(instance=Instance.FIRST, kind__in=JUDGMENTS), case_types=(YS_KEY,)
)
FIRST_LOSSES = Measure(
    "一审败诉判决件数",
    model=JUDGMENT,
    case_path="case",
    date_field="judged_on",
    filter=Q(instance=Instance.FIRST, kind__in=[k for k in JUDGMENTS if k in LOSSES]),
    case_types=(YS_KEY,),
)

YS_KPIS = (
    ys(
        "cases",
        "行政应诉案件",
        "件",
        SUITS,
        definition="统计期内收到起诉状副本的行政应诉案件件数（按收到起诉状副本日期；同一案件的二审、再审不重复计数）。",
        dimensions=(DEFENDANT, MONTH),
        headline=True,
        order=110,
    ),
    ys(
        "hearings",
        "开庭",
        "次",
        HEARINGS,
        definition="统计期内已开庭审理的次数（按开庭日期，各审级的每次开庭分别计数）。",
        dimensions=(HEARING_DEFENDANT, MONTH),
        order=120,
    ),
    ys(
        "appearance_rate",
        "行政机关负责人出庭应诉率",
        "%",
        HEAD_CASES,
        HEARD_CASES,
        definition=(
            "出庭率 = 行政机关负责人出庭应诉的案件数 ÷ 开庭审理的案件数 × 100%（按开庭日期，同一案件在统计期内多次开庭的计一件，"
            "其中任一次负责人出庭即计入分子）。负责人指正职、副职及参与分管被诉行政行为的负责人；委托工作人员出庭的不计入分子。"
        ),
        source="《行政诉讼法》第三条第三款；《最高人民法院关于行政机关负责人出庭应诉若干问题的规定》",
        variant_label="按案件数（件）",
        variants=(
            Variant(
                "hearings",
                "按开庭次数（次）",
                numerator=HEAD_ATTENDED,
                denominator=HEARINGS,
                definition=(
                    "出庭率 = 行政机关负责人出庭的开庭次数 ÷ 开庭次数 × 100%（按开庭日期，各审级的每次开庭分别计数）。"
                    "负责人指正职、副职及参与分管被诉行政行为的负责人；委托工作人员出庭的不计入分子。"
                ),
            ),
        ),
        dimensions=(HEARING_DEFENDANT, MONTH),
        headline=True,
        # Published truncated: 1,285 of 1,323 cases reads 97.12% (a city's report), which
        # half-up rounding cannot give with any denominator (ADR 0014).
        rounding="down",
        order=130,
    ),
    ys(
        "first_instance_judgments",
        "一审判决",
        "件",
        FIRST_JUDGMENTS,
        definition="统计期内一审作出判决的件数（按判决日期；不含裁定驳回起诉、准予撤诉和调解结案）。",
        dimensions=(JUDGMENT_KIND, MONTH),
        order=140,
    ),
    ys(
        "loss_rate",
        "一审败诉率",
        "%",
        FIRST_LOSSES,
        FIRST_JUDGMENTS,
        definition=(
            "败诉率 = 一审判决行政机关败诉（撤销或部分撤销、履行法定职责、履行给付义务、确认违法、确认无效、赔偿或补救、变更、承担行政协议责任）的件数"
            " ÷ 一审判决件数 × 100%（按判决日期）。裁定驳回起诉、准予撤诉和调解结案不计入。"
        ),
        source="《行政诉讼法》第六十九条至第七十八条",
        dimensions=(JUDGMENT_KIND, MONTH),
        higher_is_better=False,
        order=150,
    ),
)


# --- the generated work summary (年度工作总结, data part) ----------------------------------------------

FY_REPORT = ReportSection(
    line=FY_KEY,
    title="行政复议工作",
    theme="rule_of_law",
    points=(
        (
            "行政复议主渠道作用有效发挥",
            "{span}共收到行政复议申请{reconsideration.received}，{reconsideration.received:yoy}；"
            "受理{reconsideration.accepted}，不予受理{reconsideration.not_accepted}；审结{reconsideration.concluded}。",
        ),
        (
            "复议监督纠错力度持续加大",
            "作出变更、撤销、确认违法、确认无效、责令履行等纠错决定{reconsideration.correction_rate:num}件，纠错率{reconsideration.correction_rate}"
            "（{reconsideration.correction_rate:basis}），{reconsideration.correction_rate:yoy}；"
            "调解和撤回申请结案{reconsideration.mediation_withdrawal_rate:num}件，调撤率{reconsideration.mediation_withdrawal_rate}；"
            "在法定期限内审结{reconsideration.on_time_rate:num}件，按期审结率{reconsideration.on_time_rate}。",
        ),
    ),
    chart_kpis=("reconsideration.received", "reconsideration.concluded"),
    order=40,
)

YS_REPORT = ReportSection(
    line=YS_KEY,
    title="行政应诉工作",
    theme="rule_of_law",
    points=(
        (
            "行政机关负责人出庭应诉常态化",
            "{span}共办理行政应诉案件{litigation.cases}，{litigation.cases:yoy}；开庭{litigation.hearings}，"
            "行政机关负责人出庭应诉率{litigation.appearance_rate}（{litigation.appearance_rate:basis}），{litigation.appearance_rate:yoy}。",
        ),
        (
            "行政诉讼败诉风险有效防控",
            "一审判决{litigation.first_instance_judgments}，其中行政机关败诉{litigation.loss_rate:num}件，一审败诉率{litigation.loss_rate}，{litigation.loss_rate:yoy}。",
        ),
    ),
    chart_kpis=("litigation.cases", "litigation.first_instance_judgments"),  # one unit (件) per chart
    order=41,
)
