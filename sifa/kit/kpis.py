"""How a business line declares the figures it reports (ARCHITECTURE rule 9).

A line lists its KPIs once, in its own ``kpis.py``, and names them in its
``Line`` (``line.py``); the kernel reads them from ``kit.registry``. Every place that
shows a figure (dashboard, statistics table, Excel export, annual report, API)
computes it with ``sifa.stats.engine`` from this one declaration, and can print
its definition beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q


@dataclass(frozen=True)
class Measure:
    """A count or a sum over rows, dated by one field.

    ``model`` is "cases.Case" or a line's model ("mediation.Dispute"). For a
    line model, ``case_path`` is the path from it to its ``Case`` ("case").
    ``date_field`` and ``filter`` are relative to ``model``. Deleted cases and
    cases outside the chosen organisation subtree never count.

    A **stock** (在册 at the period's end, 累计列管 during it) is dated by two
    fields: ``date_field`` when a row entered, ``ends_field`` when it left (empty:
    still there). ``stock="end"`` counts the rows entered by the period's end and
    not left by it; ``stock="during"`` those present on any day of the period.
    A stock is computed on its own (not batched) and has no month breakdown.
    """

    label: str
    model: str = "cases.Case"
    case_path: str = ""
    date_field: str = "opened_on"
    filter: Q | None = None
    case_types: tuple[str, ...] = ()
    agg: str = "count"  # "count" | "sum" | "count_cases" (distinct cases)
    sum_field: str | None = None
    ends_field: str = ""  # a stock's exit date (see above)
    stock: str = ""  # "" (a flow), "end" or "during"

    def __post_init__(self):
        if self.agg not in ("count", "sum", "count_cases"):
            raise ValueError(f"unknown aggregate {self.agg}")
        if self.stock not in ("", "end", "during") or bool(self.stock) != bool(self.ends_field):
            raise ValueError("a stock names ends_field and stock ('end' or 'during')")
        if self.agg == "sum" and not self.sum_field:
            raise ValueError("a sum needs sum_field")


@dataclass(frozen=True)
class Dimension:
    """A way to break a KPI down. ``kind``:

    * "office": the judicial offices (or other direct children) under the chosen org;
    * "org": the case's owning organisation (e.g. the mediation committee);
    * "month": calendar month of the measure's date;
    * "field": a field of the measure's model; ``labels()`` names its values.
    """

    key: str
    label: str
    kind: str
    field: str = ""
    labels: Callable[[], dict] | None = None


OFFICE = Dimension("office", "司法所", "office")
ORG = Dimension("org", "承办机构", "org")
MONTH = Dimension("month", "月份", "month")


HALF_UP, DOWN = "half_up", "down"
ROUNDINGS = {HALF_UP: "四舍五入", DOWN: "截尾"}


@dataclass(frozen=True)
class KPI:
    key: str  # "mediation.success_rate"
    line: str  # case-type key or line name, for grouping
    label: str
    unit: str  # "件" "%" "元" "人" "次"
    numerator: Measure
    denominator: Measure | None = None
    definition: str = ""  # 口径, printed beside the figure
    source: str = ""  # where the definition comes from
    dimensions: tuple[Dimension, ...] = (OFFICE, MONTH)
    headline: bool = False  # a number card on the dashboard
    decimals: int = 2
    # How a rate is brought to ``decimals``: half-up (四舍五入, the default) or truncated
    # ("down"), as the bureau publishes this indicator (ADR 0014). Either way a rate reads
    # 100.00% only when it is exactly 100%, and 0.00% only when it is exactly 0.
    rounding: str = "half_up"
    order: int = 100
    higher_is_better: bool = True
    # ``extra["risk"]``: the dashboard's 风险预警 panel shows it with the cases behind it.
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.rounding not in ROUNDINGS:
            raise ValueError(f"KPI {self.key}: rounding is one of {sorted(ROUNDINGS)}")

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None

    @property
    def period_rule(self) -> str:
        m = self.numerator
        return f"按{m.label}的{_date_label(m)}统计"


def family(line: str, *, prefix: str = "", **defaults):
    """A line's KPIs share their case type, key prefix and usually their breakdowns
    and source: ``kpi = family("mediation", dimensions=DIMS, source=BASIS)``, then
    ``kpi("received", "登记纠纷数", "件", RECEIVED, definition=…)`` is
    ``KPI("mediation.received", "mediation", …)``."""

    def kpi(key: str, label: str, unit: str, numerator: Measure, denominator: Measure | None = None, **fields) -> KPI:
        return KPI(f"{prefix or line}.{key}", line, label, unit, numerator, denominator, **(defaults | fields))

    return kpi


def _date_label(m: Measure) -> str:
    f = m.date_field.split("__")[-1]
    return {"opened_on": "收案日期", "closed_on": "结案日期"}.get(f, "发生日期")


@dataclass(frozen=True)
class ReportSection:
    """How a line's part of the generated work summary reads (optional: without
    one, the report writes a sentence per KPI). ``paragraphs`` are templates with
    placeholders: ``{span}`` (全年 / 上半年 / 第一季度 …), ``{period}`` (2026年),
    ``{org}``, and for any KPI key ``{mediation.success_rate}`` (its display value)
    or ``{mediation.received:yoy}`` (同比增长12.50% / 同比提高0.35个百分点),
    ``:pop`` (环比), ``:num``, ``:den``, ``:prev`` (last year's value), ``:label``."""

    line: str
    title: str = ""  # default: the line's label
    paragraphs: tuple[str, ...] = ()
    table_kpis: tuple[str, ...] = ()  # default: every KPI of the line
    chart_kpis: tuple[str, ...] = ()  # default: headline counts with a monthly breakdown
    order: int = 100


@dataclass(frozen=True)
class ReturnRow:
    """One row of a statistical return: a KPI by key, indented under the row above
    (``indent=1`` reads "其中：…")."""

    label: str
    kpi: str  # a KPI key: "legal_aid.cases"
    indent: int = 0


@dataclass(frozen=True)
class StatReturn:
    """A statistical return (统计报表) in a fixed layout: rows of KPIs, each with
    本期, 上年同期 and 同比 (growth for counts and sums, percentage points for
    ratios). Declared as data in the line's ``kpis.py`` so a bureau can reshape it
    (reorder, relabel, indent rows) without code; the stats app shows it at
    ``/stats/returns/<key>/`` and exports exactly that table. A user sees a return
    only if they may see every KPI it names."""

    key: str  # "legal_aid.return"
    label: str  # "法律援助工作统计表"
    line: str  # the line's label: "legal_aid"
    rows: tuple[ReturnRow, ...]
    note: str = ""  # printed under the table and in the export (填报说明)

    @property
    def kpi_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.kpi for r in self.rows))
