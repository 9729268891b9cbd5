"""How a business line declares the figures it reports (ARCHITECTURE rule 9).

A line lists its KPIs once, in its own ``kpis.py``, and names them in its
``Line`` (``line.py``); the kernel reads them from ``kit.registry``. Every place that
shows a figure (dashboard, statistics table, Excel export, annual report, API)
computes it with ``sifa.stats.engine`` from this one declaration, and can print
its definition beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

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
    unit: str = ""  # what one counts ("件" "次" "人"), for sentences naming the measure

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


@dataclass(frozen=True)
class Variant:
    """Another definition of the same indicator, as some bureaus publish it (纠错率
    over 审结 or over 作出决定的案件; 出庭率 by case or by hearing). A bureau's statistics
    administrator picks one (``sifa.stats.choices``); what it leaves unset is the KPI's
    own. ``source`` says who publishes it that way."""

    key: str
    label: str  # "以作出行政复议决定的案件为分母"
    numerator: Measure | None = None
    denominator: Measure | None = None
    definition: str = ""
    source: str = ""


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
    # Where practice differs: the declared definition's short name and the others a bureau
    # may choose instead; ``chosen`` is the one in force, set by the stats app ("" = declared).
    variant_label: str = ""
    variants: tuple[Variant, ...] = ()
    chosen: str = ""
    order: int = 100
    higher_is_better: bool = True
    # ``extra["risk"]``: the dashboard's 风险预警 panel shows it with the cases behind it.
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.rounding not in ROUNDINGS:
            raise ValueError(f"KPI {self.key}: rounding is one of {sorted(ROUNDINGS)}")
        if self.variants and not self.variant_label:
            raise ValueError(f"KPI {self.key}: a KPI with variants names its own (variant_label)")

    def variant_options(self) -> list[tuple[str, str]]:
        """(key, label) of every definition a bureau may choose, the declared one first."""
        return [("", self.variant_label)] + [(v.key, v.label) for v in self.variants] if self.variants else []

    @property
    def variant_name(self) -> str:
        """The label of the definition in force ("" when the KPI has no variants)."""
        return dict(self.variant_options()).get(self.chosen, "")

    def with_choice(self, variant: str = "", rounding: str = "") -> KPI:
        """This KPI under another of its definitions and/or rounding; unknown keys are
        ignored (a variant removed from the code falls back to the declared one)."""
        v = next((v for v in self.variants if v.key == variant), None)
        changes: dict = {"rounding": rounding} if rounding in ROUNDINGS else {}
        if v is not None:
            changes |= {
                "numerator": v.numerator or self.numerator,
                "denominator": v.denominator or self.denominator,
                "definition": v.definition or self.definition,
                "source": v.source or self.source,
                "chosen": v.key,
            }
        return replace(self, **changes) if changes else self

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


# The chapters of a work summary (工作总结), by theme as the bureaus' reports are
# organised, not by business line: each line's section, and each hand-filled
# indicator (填报), names the theme it belongs to.
THEMES: tuple[tuple[str, str], ...] = (
    ("overall", "服务中心大局"),
    ("rule_of_law", "推进法治政府建设"),
    ("safety", "维护社会和谐稳定"),
    ("public_service", "完善公共法律服务体系"),
    ("team", "加强队伍建设"),
)
THEME_LABELS = dict(THEMES)


@dataclass(frozen=True)
class ReportSection:
    """How a line's part of the generated work summary reads (optional: without
    one, the report writes a sentence per KPI). ``paragraphs`` are templates with
    placeholders: ``{span}`` (全年 / 上半年 / 第一季度 …), ``{period}`` (2026年),
    ``{org}``, and for any KPI key ``{mediation.success_rate}`` (its display value)
    or ``{mediation.received:yoy}`` (同比增长12.50% / 同比提高0.35个百分点),
    ``:pop`` (环比), ``:num``, ``:den``, ``:prev`` (last year's value), ``:label``, and
    ``:basis`` (the rate's numerator and denominator by name: "审结案件67件中纠错决定12件"),
    which follows the definition the bureau has chosen."""

    line: str
    title: str = ""  # default: the line's label
    paragraphs: tuple[str, ...] = ()
    # The chapter (``THEMES`` key) the section stands in, and its points in the bureaus'
    # "一是…二是…" manner: (lead, template) pairs, each printed "一是{lead}。{filled template}".
    theme: str = "overall"
    points: tuple[tuple[str, str], ...] = ()
    table_kpis: tuple[str, ...] = ()  # default: every KPI of the line
    chart_kpis: tuple[str, ...] = ()  # default: headline counts with a monthly breakdown
    order: int = 100

    def __post_init__(self):
        if self.theme not in THEME_LABELS:
            raise ValueError(f"report section {self.line}: theme is one of {sorted(THEME_LABELS)}")


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
