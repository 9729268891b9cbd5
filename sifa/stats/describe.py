"""Definitions that travel with numbers (ARCHITECTURE rule 9): the text printed
beside, under or behind every figure, built from the KPI's one declaration."""

from __future__ import annotations

from sifa.kit.kpis import KPI, Measure


def _date_word(m: Measure) -> str:
    f = m.date_field.split("__")[-1]
    return {"opened_on": "收案日期", "closed_on": "结案日期"}.get(f, "发生日期")


def formula(kpi: KPI) -> str:
    if kpi.is_ratio:
        return f"{kpi.numerator.label}÷{kpi.denominator.label}×100%"
    word = "合计" if kpi.numerator.agg == "sum" else "数"
    return f"{kpi.numerator.label}{word}"


def period_rule(kpi: KPI) -> str:
    num = _date_word(kpi.numerator)
    if kpi.denominator is not None and _date_word(kpi.denominator) != num:
        return f"分子按{num}、分母按{_date_word(kpi.denominator)}计入统计期间"
    return f"按{num}计入统计期间"


def rounding_rule(kpi: KPI) -> str:
    """The rate's rounding in one plain sentence (ADR 0014)."""
    how = "截尾（不四舍五入）" if kpi.rounding == "down" else "四舍五入"
    return f"结果{how}保留{kpi.decimals}位小数，不足100%的不显示为100%，大于0的不显示为0；分母为0时不计算"


def definition(kpi: KPI) -> str:
    """The full 口径: what is counted, how it is dated, how it is rounded, and its source."""
    parts = [(kpi.definition or formula(kpi)).rstrip("。；; ")]
    parts.append(period_rule(kpi))
    if kpi.is_ratio:
        parts.append(rounding_rule(kpi))
    if kpi.variants:
        others = [label for key, label in kpi.variant_options() if key != kpi.chosen]
        parts.append(f"采用口径：{kpi.variant_name}（可选的其他口径：{'；'.join(others)}，由本局统计管理员设置）")
    parts.append("统计范围为所选机构及其下属机构，已删除的案件不计")
    if kpi.source:
        parts.append(f"依据：{kpi.source}")
    return "；".join(parts) + "。"
