"""Sentences of the generated work summary, filled from KPI figures: "全年共受理
人民调解案件3,302件，调解成功3,237件，调解成功率98.03%，同比增长12.50%"."""

from __future__ import annotations

import re
from decimal import Decimal

from sifa.kit.kpis import KPI

from ..engine import Comparison
from ..periods import Period

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_.]*)(?::([a-z]+))?\}")


def span(period: Period) -> str:
    if period.kind == "year":
        return "全年"
    if period.kind == "half":
        return "上半年" if period.start.month == 1 else "下半年"
    if period.kind == "quarter":
        return f"第{'一二三四'[(period.start.month - 1) // 3]}季度"
    if period.kind == "month":
        return f"{period.start.month}月"
    return "期间内"


def _count(v: Decimal | None) -> str:
    if v is None:
        return "—"
    return f"{int(v):,}" if v == int(v) else f"{v:,.2f}"


def change_phrase(kpi: KPI, change: dict, word: str = "同比") -> str:
    delta = change.get("delta")
    if delta is None:
        return f"{word}无可比数据"
    if kpi.is_ratio:
        if delta == 0:
            return f"{word}持平"
        return f"{word}{'提高' if delta > 0 else '下降'}{abs(delta):.2f}个百分点"
    pct = change.get("pct")
    if pct is None:
        return f"{word}上期为0" if word != "同比" else "上年同期为0"
    if pct == 0:
        return f"{word}持平"
    return f"{word}{'增长' if pct > 0 else '下降'}{abs(pct)}%"


def _value(kpi: KPI, cmp: Comparison, what: str | None) -> str:
    if what in (None, "", "value"):
        return cmp.current.display
    if what == "yoy":
        return change_phrase(kpi, cmp.yoy, "同比")
    if what == "pop":
        return change_phrase(kpi, cmp.pop, "环比")
    if what == "num":
        return _count(cmp.current.numerator)
    if what == "den":
        return _count(cmp.current.denominator)
    if what == "prev":
        return cmp.previous_year.display
    if what == "label":
        return kpi.label
    if what == "basis" and kpi.is_ratio:
        num, den = kpi.numerator, kpi.denominator
        return f"{den.label}{_count(cmp.current.denominator)}{den.unit}，其中{num.label}{_count(cmp.current.numerator)}{num.unit}"
    raise KeyError(what)


def fill(template: str, cmps: dict, kpis: dict, period: Period, org, *, own: KPI | None = None) -> str:
    """Replace placeholders; an unknown KPI or field reads "—" (a typo in a
    line's template must not break the report)."""

    def sub(m: re.Match) -> str:
        name, what = m.group(1), m.group(2)
        if name == "span":
            return span(period)
        if name == "period":
            return period.label
        if name == "org":
            return org.name
        if own is not None and name in ("value", "yoy", "pop", "num", "den", "prev", "label"):
            return _value(own, cmps[own.key], name)
        k = kpis.get(name)
        if k is None or k.key not in cmps:
            return "—"
        try:
            return _value(k, cmps[k.key], what)
        except KeyError:
            return "—"

    return PLACEHOLDER.sub(sub, template)


def default_sentence(kpi: KPI) -> str:
    return kpi.extra.get("sentence") or "{label}{value}，{yoy}"


def line_paragraph(items: list[KPI], cmps: dict, kpis: dict, period: Period, org) -> str:
    """One paragraph for a line without its own templates: a clause per KPI."""
    clauses = [fill(default_sentence(k), cmps, kpis, period, org, own=k) for k in items]
    text = "；".join(c.rstrip("。；") for c in clauses if c)
    if not text.startswith(span(period)):
        text = f"{span(period)}{text}"
    return text + "。"
