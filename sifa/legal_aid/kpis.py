"""The figures 法律援助 reports (DOMAIN.md §6.4; the Ministry's legal-aid return),
declared once (named in ``line.py``). The dashboard, tables, exports and the
annual report compute them in SQL and print each one's definition beside it.

A legal-aid case (法律援助案件) is counted when it is assigned (指派), dated by the
assignment: that is when aid is given. Applications received and refused,
consultations and duty lawyers' helps are counted apart, each by its own date."""

from __future__ import annotations

from functools import partial

from django.db.models import Q

from sifa.kit.kpis import MONTH, OFFICE, Dimension, Measure, ReportSection, family

from .choices import CASE_TYPE, Category, Grade, HelpKind, Kind, Satisfaction, Status

RECORD = "legal_aid.LegalAid"
BASIS = "《法律援助法》；司法部法律援助统计报表口径"

BY_CATEGORY = Dimension("category", "案件类别", "field", field="category", labels=lambda: dict(Category.choices))
BY_KIND = Dimension("kind", "来源", "field", field="kind", labels=lambda: dict(Kind.choices))


def _provider_labels() -> dict:
    from .models import Provider

    return dict(Provider.objects.values_list("pk", "name"))


BY_PROVIDER = Dimension("provider", "承办人员", "field", field="provider", labels=_provider_labels)
DIMS = (BY_CATEGORY, BY_KIND, BY_PROVIDER, OFFICE, MONTH)

_aid = partial(Measure, model=RECORD, case_path="case", case_types=(CASE_TYPE,))
_assigned = partial(_aid, date_field="assigned_on", filter=Q(assigned_on__isnull=False))

RECEIVED = _aid("收到申请和通知", date_field="case__opened_on")
CASES = _assigned("指派承办的案件")
NOTIFIED = _assigned("其中通知辩护/代理", filter=Q(assigned_on__isnull=False, kind=Kind.NOTIFY))
CRIMINAL = _assigned("其中刑事案件", filter=Q(assigned_on__isnull=False, category=Category.CRIMINAL))
GROUPS_Q = Q(migrant_worker=True) | Q(woman=True) | Q(minor=True) | Q(elderly=True) | Q(disabled=True)
SPECIAL = _assigned("其中特殊群体", filter=Q(assigned_on__isnull=False) & GROUPS_Q)
MIGRANT = _assigned("其中农民工", filter=Q(assigned_on__isnull=False, migrant_worker=True))
DECIDED = _aid("作出审查决定", date_field="decided_on", filter=Q(decided_on__isnull=False, kind=Kind.APPLY))
REFUSED = _aid("不予法律援助", date_field="decided_on", filter=Q(decided_on__isnull=False, case__status=Status.REFUSED))
CLOSED = _aid("结案", date_field="case__closed_on", filter=Q(case__status=Status.CLOSED))
GRADED = _aid("已质量评估的结案", date_field="case__closed_on", filter=Q(case__status=Status.CLOSED) & ~Q(grade=""))
EXCELLENT = _aid("质量评估优秀", date_field="case__closed_on", filter=Q(case__status=Status.CLOSED, grade=Grade.EXCELLENT))
VISITED = _aid("已回访的结案", date_field="case__closed_on", filter=Q(case__status=Status.CLOSED) & ~Q(satisfaction=""))
SATISFIED = _aid("回访满意", date_field="case__closed_on", filter=Q(case__status=Status.CLOSED, satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC]))
FEES = _aid("免收律师费", date_field="ended_on", agg="sum", sum_field="fees_waived", filter=Q(ended_on__isnull=False))
LOSSES = _aid("挽回经济损失", date_field="ended_on", agg="sum", sum_field="losses_recovered", filter=Q(ended_on__isnull=False))
# 受援人: the applicants of the cases assigned in the period (one case may aid several people).
AIDED = Measure(
    "受援人",
    model="cases.Party",
    case_path="case",
    date_field="case__legalaid__assigned_on",
    filter=Q(role="applicant", case__legalaid__assigned_on__isnull=False),
    case_types=(CASE_TYPE,),
)
CONSULTATIONS = Measure("法律咨询", model="legal_aid.Consultation", date_field="on")
HELPS = Measure("值班律师法律帮助", model="legal_aid.DutyHelp", date_field="on")
PLEAS = Measure("认罪认罚具结见证", model="legal_aid.DutyHelp", date_field="on", filter=Q(plea_witnessed=True) | Q(help_kind=HelpKind.PLEA))
# 办案补贴 (§52): the subsidies paid, dated by their batch's payment.
SUBSIDY_PAID = _aid(
    "已发放的办案补贴",
    model="legal_aid.Subsidy",
    date_field="batch__paid_on",
    agg="sum",
    sum_field="total",
    filter=Q(status="paid", batch__paid_on__isnull=False),
)

kpi = family(CASE_TYPE, dimensions=DIMS, source=BASIS)
ENTRY_DIMS = (OFFICE, MONTH)

KPIS = (
    kpi("cases", "法律援助案件数", "件", CASES, definition="统计期内指派承办的法律援助案件件数（含通知辩护/代理），按指派日期统计。", headline=True, order=10),
    kpi(
        "aided",
        "受援人数",
        "人",
        AIDED,
        definition="统计期内指派承办的法律援助案件的受援人（申请人）人数，一案多人的分别计算，按指派日期统计。",
        dimensions=(OFFICE, MONTH),
        order=15,
    ),
    kpi("received", "收到申请和通知数", "件", RECEIVED, definition="统计期内收到的法律援助申请、转交申请和通知辩护/代理通知件数，按收到日期统计。", order=20),
    kpi("criminal", "刑事法律援助案件数", "件", CRIMINAL, definition="指派承办的案件中案件类别为刑事的件数。", order=25),
    kpi(
        "notified_share",
        "通知辩护/代理占比",
        "%",
        NOTIFIED,
        CASES,
        definition="指派承办的案件中，来源为法院、检察院、公安机关通知的件数 ÷ 指派承办的案件数。",
        order=30,
    ),
    kpi(
        "special_share",
        "特殊群体受援占比",
        "%",
        SPECIAL,
        CASES,
        definition="指派承办的案件中，受援人为农民工、妇女、未成年人、老年人或残疾人的件数 ÷ 指派承办的案件数。",
        order=35,
    ),
    kpi("migrant", "农民工法律援助案件数", "件", MIGRANT, definition="指派承办的案件中受援人为农民工的件数。", order=36),
    kpi(
        "refused_rate",
        "不予援助率",
        "%",
        REFUSED,
        DECIDED,
        definition="统计期内作出不予法律援助决定的申请件数 ÷ 作出审查决定的申请件数，按决定日期统计。",
        higher_is_better=False,
        order=40,
    ),
    kpi("closed", "结案数", "件", CLOSED, definition="统计期内结案审查通过的案件件数，按结案日期统计。", order=50),
    kpi("excellent_rate", "质量评估优秀率", "%", EXCELLENT, GRADED, definition="结案并经质量评估的案件中评为优秀的件数 ÷ 经质量评估的结案件数。", order=60),
    kpi("satisfaction", "受援人满意率", "%", SATISFIED, VISITED, definition="结案回访中表示满意或基本满意的件数 ÷ 回访的结案件数。", order=65),
    kpi(
        "fees_waived",
        "免收律师费",
        "元",
        FEES,
        definition="统计期内办结案件的免收律师费金额合计，按办结日期统计。",
        dimensions=(BY_CATEGORY, OFFICE, MONTH),
        order=70,
    ),
    kpi(
        "losses_recovered",
        "挽回经济损失",
        "元",
        LOSSES,
        definition="统计期内办结案件为受援人挽回的经济损失合计，按办结日期统计。",
        dimensions=(BY_CATEGORY, OFFICE, MONTH),
        order=75,
    ),
    kpi(
        "consultations",
        "法律咨询人次",
        "人次",
        CONSULTATIONS,
        definition="统计期内法律咨询登记条数（来访、电话、信函、网络），按登记日期统计。",
        dimensions=ENTRY_DIMS,
        headline=True,
        order=80,
    ),
    kpi("duty_helps", "值班律师法律帮助", "件", HELPS, definition="统计期内值班律师提供法律帮助的登记件数，按登记日期统计。", dimensions=ENTRY_DIMS, order=85),
    kpi("pleas", "认罪认罚具结见证", "件", PLEAS, definition="值班律师法律帮助中在认罪认罚具结书签署时在场见证的件数。", dimensions=ENTRY_DIMS, order=86),
    kpi(
        "subsidy_paid",
        "发放办案补贴",
        "元",
        SUBSIDY_PAID,
        definition="统计期内发放的法律援助办案补贴金额合计（按省级补贴标准计算、经审批的补贴），按发放批次的发放日期统计。",
        dimensions=(BY_CATEGORY, OFFICE, MONTH),
        order=90,
    ),
)

REPORT = ReportSection(
    CASE_TYPE,
    title="法律援助工作",
    theme="public_service",
    points=(
        (
            "法律援助应援尽援",
            "{span}，{org}共办理法律援助案件{legal_aid.cases}（{legal_aid.cases:yoy}），其中刑事案件{legal_aid.criminal}，"
            "通知辩护/代理占{legal_aid.notified_share}；为农民工等特殊群体提供法律援助，特殊群体受援占{legal_aid.special_share}。",
        ),
        (
            "值班律师和法律咨询服务延伸到位",
            "值班律师提供法律帮助{legal_aid.duty_helps}，见证认罪认罚具结{legal_aid.pleas}；解答法律咨询{legal_aid.consultations}。",
        ),
        (
            "援助质量和群众获得感同步提升",
            "免收律师费{legal_aid.fees_waived}，为受援人挽回经济损失{legal_aid.losses_recovered}；受援人满意率{legal_aid.satisfaction}。",
        ),
    ),
    order=45,
)


# The Ministry's periodic legal-aid return (司法部法律援助统计报表), in its spirit: the
# exact form is not reproduced; a bureau may reorder, relabel or indent these rows.
def _row(label: str, key: str, indent: int = 0):
    from sifa.kit.kpis import ReturnRow

    return ReturnRow(label, f"legal_aid.{key}", indent)


def _return():
    from sifa.kit.kpis import StatReturn

    return StatReturn(
        "legal_aid.return",
        "法律援助工作统计表",
        "legal_aid",
        rows=(
            _row("收到法律援助申请和通知", "received"),
            _row("指派承办法律援助案件", "cases"),
            _row("其中：刑事法律援助案件", "criminal", 1),
            _row("受援人数", "aided", 1),
            _row("通知辩护/代理占比", "notified_share", 1),
            _row("其中：农民工案件", "migrant", 1),
            _row("特殊群体受援占比", "special_share", 1),
            _row("不予法律援助率", "refused_rate"),
            _row("结案", "closed"),
            _row("免收律师费", "fees_waived", 1),
            _row("挽回经济损失", "losses_recovered", 1),
            _row("发放办案补贴", "subsidy_paid"),
            _row("法律咨询", "consultations"),
            _row("值班律师法律帮助", "duty_helps"),
            _row("其中：认罪认罚具结见证", "pleas", 1),
            _row("质量评估优秀率", "excellent_rate"),
            _row("受援人满意率", "satisfaction"),
        ),
        note="案件按指派日期、结案按结案日期、咨询和值班律师法律帮助按登记日期计入统计期间；各项口径见“指标口径”。",
    )


RETURN = _return()
