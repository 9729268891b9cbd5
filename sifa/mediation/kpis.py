"""The figures people's mediation reports (DOMAIN.md §2.5, §14.2), declared
once (named in ``line.py``). The dashboard, tables, exports and the annual
report compute them and print ``definition`` beside each number.

What "mediated" (调解件数) counts: disputes that reached a mediation outcome
in the period — succeeded (达成协议) plus failed/terminated (调解不成、终止调解) —
dated by the outcome date (达成协议日期 / 终止日期). Disputes still being
mediated, and those not accepted, are not in it. So 调解成功率 =
成功 ÷ (成功 + 终止) of the period, and 3,237 ÷ 3,302 reads 98.03% (half-up, ADR 0014).
"""

from __future__ import annotations

from functools import partial

from django.db.models import Q

from sifa.kit.kpis import MONTH, OFFICE, Dimension, Measure, ReportSection, Variant, family

from .choices import CASE_TYPE, DISPUTE_TYPE_SET, AgreementForm, ConfirmationStatus, Performance, Result, RiskStatus, SourceGroup

DISPUTE = "mediation.Dispute"
CONFIRMATION = "mediation.JudicialConfirmation"
# DOMAIN.md §2.5, §14.2; the printed source names only public texts.
BASIS = "《人民调解法》；司法部人民调解工作统计口径"


def _type_labels() -> dict:
    from sifa.common import dictionaries

    return {e.code: e.label for e in dictionaries.entries(DISPUTE_TYPE_SET, top_level_only=True)}


def _source_labels() -> dict:
    return dict(SourceGroup.choices)


def dims(prefix: str = "") -> tuple[Dimension, ...]:
    """Breakdowns: 纠纷类型, 来源, 调解组织, 司法所, 月份. ``prefix`` is the path to
    the Dispute from the measure's model."""
    return (
        Dimension("dispute_type", "纠纷类型", "field", field=f"{prefix}dispute_type_top", labels=_type_labels),
        Dimension("source", "案件来源", "field", field=f"{prefix}source_group", labels=_source_labels),
        Dimension("committee", "调解组织", "org"),
        OFFICE,
        MONTH,
    )


DIMS = dims()
CONF_DIMS = dims("dispute__")

# --- measures -----------------------------------------------------------------------------------

_dispute = partial(Measure, model=DISPUTE, case_path="case", case_types=(CASE_TYPE,), unit="件")
_confirmation = partial(Measure, model=CONFIRMATION, case_path="dispute__case", case_types=(CASE_TYPE,))
_OUTCOME = {"date_field": "outcome_on"}

RECEIVED = _dispute("登记纠纷", date_field="case__opened_on")
ACCEPTED = _dispute("受理纠纷", date_field="accepted_on", filter=Q(accepted_on__isnull=False))
MEDIATED = _dispute("调解纠纷（成功+终止）", **_OUTCOME, filter=Q(result__in=[Result.SUCCESS, Result.FAILED]))
SUCCEEDED = _dispute("调解成功", **_OUTCOME, filter=Q(result=Result.SUCCESS))
ORAL = _dispute("口头协议", **_OUTCOME, filter=Q(result=Result.SUCCESS, agreement_form=AgreementForm.ORAL))
WRITTEN = _dispute("书面协议", **_OUTCOME, filter=Q(result=Result.SUCCESS, agreement_form=AgreementForm.WRITTEN))
AGREEMENT_AMOUNT = _dispute("协议涉及金额", **_OUTCOME, filter=Q(result=Result.SUCCESS), agg="sum", sum_field="agreement_amount")
DISPUTED_AMOUNT = _dispute("争议金额", date_field="case__opened_on", agg="sum", sum_field="amount_in_dispute")
PERFORMED = _dispute("达成协议且履行完毕", **_OUTCOME, filter=Q(result=Result.SUCCESS, performance=Performance.PERFORMED))
VISITED = _dispute("达成协议且已回访", **_OUTCOME, filter=Q(result=Result.SUCCESS, visit_count__gt=0))
CONF_APPLIED = _confirmation("申请司法确认", date_field="applied_on")
CONFIRMED = _confirmation("司法确认有效", date_field="decided_on", filter=Q(status=ConfirmationStatus.CONFIRMED))
_DEFUSED = {"date_field": "risk_resolved_on", "filter": Q(risk_status=RiskStatus.DEFUSED)}
PREVENTED = _dispute("防止民转刑", **_DEFUSED)
PREVENTED_PERSONS = _dispute("防止民转刑涉及人数", **_DEFUSED, agg="sum", sum_field="risk_persons")
OPEN_RISKS = _dispute(
    "在办风险预警纠纷",
    date_field="risk_flagged_on",
    filter=Q(risk_flag=True, risk_status__in=[RiskStatus.ACTIVE, RiskStatus.REPORTED], case__closed_on__isnull=True),
)


_kpi = family(CASE_TYPE, dimensions=DIMS, source=BASIS)


KPIS = (
    _kpi(
        "received",
        "登记纠纷数",
        "件",
        RECEIVED,
        definition="本期登记的人民调解纠纷件数（含申请、主动排查、委托移送），按登记日期统计。",
        headline=True,
        order=10,
    ),
    _kpi("accepted", "受理纠纷数", "件", ACCEPTED, definition="本期受理的纠纷件数，按受理日期统计；不予受理的不计入。", order=20),
    _kpi(
        "mediated",
        "调解纠纷数",
        "件",
        MEDIATED,
        definition="本期有调解结果的纠纷件数＝调解成功件数＋调解不成（终止调解）件数，按达成协议日期或终止日期统计；仍在调解中的、不予受理的不计入。",
        order=30,
    ),
    _kpi(
        "succeeded", "调解成功数", "件", SUCCEEDED, definition="本期调解成功（达成口头或书面调解协议）的纠纷件数，按达成协议日期统计。", headline=True, order=40
    ),
    _kpi(
        "success_rate",
        "调解成功率",
        "%",
        SUCCEEDED,
        MEDIATED,
        definition="调解成功件数 ÷ 调解纠纷数（成功＋终止）× 100%，均按调解结果日期（达成协议或终止之日）在本期内统计。",
        # A city's report divides by 调解 (37,754 ÷ 37,798), a district's by 受理 (3,237 ÷ 3,302).
        variant_label="以调解纠纷数（成功＋终止）为分母",
        variants=(
            Variant(
                "accepted",
                "以受理纠纷数为分母",
                denominator=ACCEPTED,
                definition="调解成功件数（按达成协议日期）÷ 受理纠纷数（按受理日期）× 100%；两者日期口径不同，比率可能超过或低于按调解结果计算的成功率。",
            ),
        ),
        headline=True,
        order=50,
    ),
    _kpi(
        "oral_agreements", "口头协议数", "件", ORAL, definition="本期调解成功且以口头协议方式达成（调解员记录协议内容）的件数，按达成协议日期统计。", order=60
    ),
    _kpi("written_agreements", "书面协议数", "件", WRITTEN, definition="本期调解成功并制作书面调解协议书的件数，按达成协议日期统计。", order=70),
    _kpi(
        "agreement_amount",
        "协议涉及金额",
        "元",
        AGREEMENT_AMOUNT,
        definition="本期调解成功的纠纷中，调解协议载明的涉及金额之和（元），按达成协议日期统计；未填写金额的按0计。",
        headline=True,
        order=80,
    ),
    _kpi("disputed_amount", "争议金额", "元", DISPUTED_AMOUNT, definition="本期登记纠纷登记时填写的争议金额之和（元），按登记日期统计。", order=85),
    _kpi(
        "confirmation_applied",
        "申请司法确认数",
        "件",
        CONF_APPLIED,
        definition="本期双方当事人共同向人民法院申请司法确认的件数，按申请日期统计。",
        dimensions=CONF_DIMS,
        order=90,
    ),
    _kpi(
        "confirmed",
        "司法确认有效数",
        "件",
        CONFIRMED,
        definition="本期人民法院作出确认调解协议有效决定的件数，按法院决定日期统计。",
        dimensions=CONF_DIMS,
        order=100,
    ),
    _kpi(
        "performance_rate",
        "协议履行率",
        "%",
        PERFORMED,
        SUCCEEDED,
        definition="本期达成协议的纠纷中，截至统计时已履行完毕（当场履行或回访确认）的件数 ÷ 本期调解成功件数 × 100%，按达成协议日期统计。",
        order=110,
    ),
    _kpi(
        "followup_rate",
        "回访率",
        "%",
        VISITED,
        SUCCEEDED,
        definition="本期达成协议的纠纷中，截至统计时至少回访一次的件数 ÷ 本期调解成功件数 × 100%，按达成协议日期统计。",
        order=120,
    ),
    _kpi(
        "prevented_criminal",
        "防止民转刑件数",
        "件",
        PREVENTED,
        definition="本期登记风险预警（可能引发治安、刑事案件）后经调解、报告等措施化解的纠纷件数，按化解日期统计。",
        headline=True,
        order=130,
    ),
    _kpi(
        "prevented_criminal_persons",
        "防止民转刑涉及人数",
        "人",
        PREVENTED_PERSONS,
        definition="本期已化解的风险预警纠纷登记的涉及人数之和，按化解日期统计。",
        order=140,
    ),
    # The dashboard's 风险预警 panel lists the KPIs marked "risk" and the cases behind them.
    _kpi(
        "open_risks",
        "在办风险预警纠纷",
        "件",
        OPEN_RISKS,
        definition="本期登记风险预警（可能引发治安案件、刑事案件或群体性事件）且截至统计时尚未处置完毕（预警中或已报告公安机关）、纠纷未结案的件数，按预警日期统计。",
        order=150,
        higher_is_better=False,
        extra={"risk": True},
    ),
)

# The people's-mediation part of the generated work summary (工作总结).
REPORT = ReportSection(
    line=CASE_TYPE,
    title="人民调解工作",
    theme="safety",
    points=(
        (
            "矛盾纠纷排查化解扎实有效",
            "{span}，{org}辖区各级人民调解组织共登记矛盾纠纷{mediation.received}，{mediation.received:yoy}；受理{mediation.accepted}，"
            "调解纠纷{mediation.mediated}，其中调解成功{mediation.succeeded}，{mediation.succeeded:yoy}；调解成功率{mediation.success_rate}"
            "（{mediation.success_rate:basis}），{mediation.success_rate:yoy}。",
        ),
        (
            "调解协议质量和效力不断提升",
            "调解成功的纠纷中，达成口头协议{mediation.oral_agreements}、书面调解协议{mediation.written_agreements}，"
            "协议涉及金额{mediation.agreement_amount}，{mediation.agreement_amount:yoy}；当事人共同申请司法确认{mediation.confirmation_applied}，"
            "人民法院确认调解协议有效{mediation.confirmed}；协议履行率{mediation.performance_rate}，回访率{mediation.followup_rate}。",
        ),
        (
            "源头预防和风险预警持续加强",
            "化解可能引发治安、刑事案件的纠纷{mediation.prevented_criminal}，涉及{mediation.prevented_criminal_persons}；"
            "截至统计时，本期登记的风险预警纠纷中仍有{mediation.open_risks}在跟踪处置。",
        ),
    ),
    chart_kpis=("mediation.received", "mediation.succeeded"),
    order=10,
)
