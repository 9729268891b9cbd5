"""Computing KPIs by SQL aggregation for any organisation subtree and period,
with breakdowns, comparisons and the cases behind a number (drill-down).

Scoping: pass ``user`` and only cases that user may see are counted, so an
office user's dashboard, export and report hold only their office's data.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from sifa.kit.kpis import KPI, Dimension, Measure

from .periods import Period


@dataclass
class Figure:
    kpi: KPI
    period: Period
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None  # None when the denominator is 0
    # Filled by hand (填报) for a period before the line went live, not computed.
    filled: bool = False

    @property
    def display(self) -> str:
        return format_value(self.kpi, self.value)


@dataclass
class Comparison:
    current: Figure
    previous_year: Figure
    previous_period: Figure

    @staticmethod
    def _change(cur: Figure, prev: Figure) -> dict:
        if cur.value is None or prev.value is None:
            return {"delta": None, "pct": None, "text": "—"}
        delta = cur.value - prev.value
        if cur.kpi.is_ratio:
            return {"delta": delta, "pct": None, "text": f"{'+' if delta >= 0 else ''}{delta:.2f}个百分点"}
        if prev.value == 0:
            return {"delta": delta, "pct": None, "text": "上期为0"}
        pct = (delta / prev.value * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return {"delta": delta, "pct": pct, "text": f"{'增长' if pct >= 0 else '下降'}{abs(pct)}%"}

    @property
    def yoy(self) -> dict:
        return self._change(self.current, self.previous_year)

    @property
    def pop(self) -> dict:
        return self._change(self.current, self.previous_period)


def format_value(kpi: KPI, value: Decimal | None) -> str:
    if value is None:
        return "—"
    if kpi.is_ratio:
        return f"{value:.{kpi.decimals}f}%"
    if kpi.unit == "元":
        return f"{value:,.2f}元"
    return f"{int(value):,}{kpi.unit}"


def ratio(num, den, decimals: int = 2, rounding: str = "half_up") -> Decimal | None:
    """num ÷ den × 100 to ``decimals``, half-up (四舍五入) or truncated (``"down"``) as the
    KPI declares (ADR 0014): 1285 ÷ 1323 → 97.13 or 97.12. Either way a rate reads
    100.00% only when it is exactly 100%, and 0.00% only when it is exactly 0: a bureau
    cannot stand behind "100%" for 99,999 of 100,000."""
    if not den:
        return None
    q = Decimal(1).scaleb(-decimals)
    exact = Decimal(num) * 100 / Decimal(den)
    value = exact.quantize(q, ROUND_DOWN if rounding == "down" else ROUND_HALF_UP)
    if value >= 100 and exact < 100:
        value = Decimal(100) - q
    elif value == 0 and exact > 0:
        value = q
    return value


def kpi_ratio(kpi: KPI, num, den) -> Decimal | None:
    return ratio(num, den, kpi.decimals, kpi.rounding)


# --- read once per request --------------------------------------------------------------
#
# A page computing many figures asks the same small questions again and again: the
# organisation's offices, the bureau's definitions, whether the daily facts are built.
# Inside ``reading()`` (the dashboard and the wall wrap their figures in it) each is
# read once; outside it, every call reads afresh, so nothing outlives the request.

_memo: ContextVar[dict | None] = ContextVar("sifa_stats_memo", default=None)


@contextmanager
def reading():
    """Answers to the small questions above are read once until the block ends."""
    if _memo.get() is not None:  # nested: the outer block's answers stand
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def once(key, compute):
    """``compute()``, read once per ``reading()`` block (every time outside one)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def choices_for(org) -> dict:
    """The bureau's definitions in force at ``org`` (``choices.settings_for``)."""
    from .choices import settings_for

    return once(("choices", getattr(org, "pk", None)), lambda: settings_for(org))


# --- rows behind a measure ---------------------------------------------------------------


def _model(measure: Measure):
    return apps.get_model(measure.model)


def over_entries(measure: Measure) -> bool:
    """The measure counts a register's entries (``registers.models.Entry``): rows with
    the case's scoping fields but no assignments."""
    return not measure.case_path and hasattr(_model(measure), "register_key")


def _prefix(measure: Measure) -> str:
    return f"{measure.case_path}__" if measure.case_path else ""


def _final_field(model, path: str):
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return field


def rows(measure: Measure, org, period: Period, user=None, *, counting: bool = False):
    """The queryset of rows a measure counts for ``org``'s subtree in ``period``.
    ``counting``: only aggregated, never listed (sealed cases count; see ``visible_q``)."""
    Model = _model(measure)
    p = _prefix(measure)
    manager = Model.all_objects if hasattr(Model, "all_objects") else Model._default_manager
    qs = _scoped(manager.filter(**{f"{p}is_deleted": False}), measure, org, user, counting=counting)
    if measure.case_types:
        qs = qs.filter(**{f"{p}case_type__in": measure.case_types})
    date_lookup = measure.date_field
    if isinstance(_final_field(Model, measure.date_field), models.DateTimeField):
        date_lookup += "__date"
    if measure.stock:
        # Entered by the period's end, and not yet left at its end (or at its start: "during").
        left_after = period.end if measure.stock == "end" else period.start - timedelta(days=1)
        ends = measure.ends_field
        qs = qs.filter(Q(**{f"{ends}__isnull": True}) | Q(**{f"{ends}__gt": left_after}), **{f"{date_lookup}__lte": period.end})
    else:
        qs = qs.filter(**{f"{date_lookup}__gte": period.start, f"{date_lookup}__lte": period.end})
    if measure.filter is not None:
        qs = qs.filter(measure.filter)
    return qs


def _scoped(qs, measure: Measure, org, user, *, counting: bool = False):
    """Only rows of cases under ``org`` that ``user`` may see. The scope is
    applied as plain conditions on the case (the case table itself, or a line's
    model joined to its case), never as ``case IN (visible cases)``, which
    would read the organisation subtree a second time."""
    p = _prefix(measure)
    if user is None:
        return qs.filter(**{f"{p}org_path__startswith": org.path})
    from sifa.cases.selectors import visible_q

    cond = visible_q(user, p, within=org, entries=over_entries(measure), counting=counting)
    return qs.none() if cond is None else qs.filter(cond)


def _agg_expr(measure: Measure, condition: Q | None = None):
    p = _prefix(measure)
    if measure.agg == "sum":
        return Sum(measure.sum_field, filter=condition)
    if measure.agg == "count_cases":
        return Count(f"{p}pk" if p else "pk", filter=condition, distinct=True)
    return Count("pk", filter=condition)


def measure_value(measure: Measure, org, period: Period, user=None) -> Decimal:
    v = rows(measure, org, period, user, counting=True).aggregate(v=_agg_expr(measure))["v"]
    return Decimal(v or 0)


def _as_defined(kpis, org) -> list[KPI]:
    """The KPIs as ``org``'s bureau has set their definitions (``choices``)."""
    from .choices import effective

    return effective(kpis, org, choices_for(org))


def compute(kpi: KPI, org, period: Period, user=None) -> Figure:
    kpi = _as_defined([kpi], org)[0]
    num = measure_value(kpi.numerator, org, period, user)
    if kpi.denominator is None:
        return Figure(kpi, period, num, None, num)
    den = measure_value(kpi.denominator, org, period, user)
    return Figure(kpi, period, num, den, kpi_ratio(kpi, num, den))


def compare(kpi: KPI, org, period: Period, user=None) -> Comparison:
    return compare_many([kpi], org, period, user)[kpi.key]


# --- many figures at once --------------------------------------------------------------------
#
# The dashboard, the statistics table, the report and the API show many KPIs for
# several periods (this period, 同比, 环比). Measures over the same model are
# computed together: one SQL query with one FILTER-ed aggregate per measure and
# period, so the number of queries depends on how many models the KPIs read,
# never on the number of KPIs or rows. The figures are the same as ``compute``'s.


def _q_leaves(q):
    for child in q.children:
        if isinstance(child, Q):
            yield from _q_leaves(child)
        else:
            yield child


def _forward_only(model, path: str) -> bool:
    from django.core.exceptions import FieldDoesNotExist

    for part in path.split("__"):
        try:
            f = model._meta.get_field(part)
        except FieldDoesNotExist:
            return True  # a lookup or transform ("in", "gte", "year")
        if f.many_to_many or f.one_to_many:
            return False
        if not f.is_relation:
            return True
        model = f.related_model
    return True


def batchable(measure: Measure) -> bool:
    """Can this measure share a query with others? Not when its filter follows a
    to-many relation (the join would multiply every other measure's rows), nor a
    stock (its period condition is not a date range). See also ``aggregable``."""
    return not measure.stock and _plain_filter(measure)


def aggregable(measure: Measure) -> bool:
    """Can this measure be one FILTER-ed aggregate in a query over its model's rows?
    ``batchable`` ones, and stocks with such a filter: a stock's period condition
    (entered by the end, not left by then) is a plain condition too (``_condition``)."""
    return _plain_filter(measure)


def _plain_filter(measure: Measure) -> bool:
    """The measure's filter follows no to-many relation (nor anything but Q and Exists)."""
    if measure.filter is None:
        return True
    if not isinstance(measure.filter, Q):
        return isinstance(measure.filter, models.Exists)
    Model = _model(measure)
    for leaf in _q_leaves(measure.filter):
        if isinstance(leaf, tuple):
            if not _forward_only(Model, leaf[0]):
                return False
        elif not isinstance(leaf, models.Exists):
            return False
    return True


def _date_lookup(measure: Measure) -> str:
    lookup = measure.date_field
    if isinstance(_final_field(_model(measure), measure.date_field), models.DateTimeField):
        lookup += "__date"
    return lookup


def _stock_q(measure: Measure, end: date, left_after: date) -> Q:
    """Entered by ``end`` and not left by ``left_after`` (``rows()``'s stock condition)."""
    ends = measure.ends_field
    return (Q(**{f"{ends}__isnull": True}) | Q(**{f"{ends}__gt": left_after})) & Q(**{f"{_date_lookup(measure)}__lte": end})


def _left_after(measure: Measure, period: Period) -> date:
    return period.end if measure.stock == "end" else period.start - timedelta(days=1)


def _condition(measure: Measure, period: Period | None) -> Q:
    """What ``rows()`` adds beyond org, deletion and scope, as one Q."""
    p = _prefix(measure)
    cond = Q()
    if period is not None and measure.stock:
        cond &= _stock_q(measure, period.end, _left_after(measure, period))
    elif period is not None:
        lookup = _date_lookup(measure)
        cond &= Q(**{f"{lookup}__gte": period.start, f"{lookup}__lte": period.end})
    if measure.case_types:
        cond &= Q(**{f"{p}case_type__in": measure.case_types})
    if measure.filter is not None:
        cond &= measure.filter
    return cond


def _base_rows(sample: Measure, org, user):
    """Rows of ``sample``'s model under ``org`` (not deleted, scoped), no period."""
    Model = _model(sample)
    p = _prefix(sample)
    manager = Model.all_objects if hasattr(Model, "all_objects") else Model._default_manager
    # Only ever aggregated (measure_values, breakdowns): sealed cases count.
    return _scoped(manager.filter(**{f"{p}is_deleted": False}), sample, org, user, counting=True)


def _span_filter(measures, periods) -> Q:
    """A WHERE clause every counted row satisfies: the case types, when every
    measure names them, and each measure's date within the span of the
    periods. The exact periods stay in the FILTERs; the span only spares the
    aggregates the rows no period holds (and, for a line's model, keeps the
    cases outside the span out of the join)."""
    cond = Q()
    types = {t for m in measures for t in m.case_types}
    if types and all(m.case_types for m in measures):
        p = _prefix(measures[0])
        cond &= Q(**{f"{p}case_type__in": sorted(types)})
    periods = list(periods)
    if periods:
        start, end = min(x.start for x in periods), max(x.end for x in periods)
        span = Q()
        for lookup in dict.fromkeys(_date_lookup(m) for m in measures if not m.stock):
            span |= Q(**{f"{lookup}__gte": start, f"{lookup}__lte": end})
        # A stock's rows: entered by the last end, not left by the earliest "left after".
        stocks: dict[tuple, tuple] = {}  # (date lookup, ends field) -> (a measure, earliest "left after")
        for m in measures:
            if m.stock:
                key, left = (_date_lookup(m), m.ends_field), min(_left_after(m, x) for x in periods)
                if key not in stocks or left < stocks[key][1]:
                    stocks[key] = (m, left)
        for m, left in stocks.values():
            span |= _stock_q(m, end, left)
        cond &= span
    return cond


def _group_key(measure: Measure) -> tuple:
    return (measure.model, measure.case_path)


def measure_values(measures, org, periods, user=None) -> dict:
    """{(measure, period): Decimal} for every pair, in one query per model (the
    rolled-up ones from the daily facts when they hold this viewer's figures: facts.py)."""
    from . import facts

    from_facts = facts.served(measures, org, user)
    out: dict = facts.totals(from_facts, org, periods)
    groups: dict[tuple, list[Measure]] = {}
    for m in dict.fromkeys(measures):  # equal measures are computed once
        if m in from_facts:
            continue
        if aggregable(m):
            groups.setdefault(_group_key(m), []).append(m)
        else:
            for period in periods:
                out[(m, period)] = measure_value(m, org, period, user)
    for group in groups.values():
        exprs, keys = {}, {}
        for i, m in enumerate(group):
            for j, period in enumerate(periods):
                alias = f"m{i}_p{j}"
                exprs[alias] = _agg_expr(m, _condition(m, period))
                keys[alias] = (m, period)
        qs = _base_rows(group[0], org, user).filter(_span_filter(group, periods))
        row = qs.aggregate(**exprs)
        for alias, key in keys.items():
            out[key] = Decimal(row[alias] or 0)
    return out


def compute_many(kpis, org, periods, user=None) -> dict:
    """{(kpi.key, period): Figure} for every KPI and period."""
    kpis, periods = _as_defined(kpis, org), list(dict.fromkeys(periods))
    measures = [k.numerator for k in kpis] + [k.denominator for k in kpis if k.denominator is not None]
    values = measure_values(measures, org, periods, user)
    filled = filled_values(kpis, org, periods)
    out = {}
    for k in kpis:
        for period in periods:
            if (k.key, period) in filled:
                v = filled[(k.key, period)]
                out[(k.key, period)] = Figure(k, period, v, None, v, filled=True)
                continue
            num = values[(k.numerator, period)]
            if k.denominator is None:
                out[(k.key, period)] = Figure(k, period, num, None, num)
            else:
                den = values[(k.denominator, period)]
                out[(k.key, period)] = Figure(k, period, num, den, kpi_ratio(k, num, den))
    return out


def filled_values(kpis, org, periods) -> dict:
    """{(kpi key, period): value} where a count has no data on the platform for the period
    because its line was not live yet, and the bureau filled it in (``sifa.filings``): a
    year-on-year comparison across go-live compares with what was reported then."""
    if not apps.is_installed("sifa.filings"):
        return {}
    from sifa.filings import selectors as filings

    tied = filings.tied_keys(org)
    out = {}
    for k in kpis:
        if k.key in tied and not k.is_ratio:
            for period in periods:
                v = filings.for_kpi(k.key, org, period)
                if v is not None:
                    out[(k.key, period)] = Decimal(v)
    return out


def compare_many(kpis, org, period: Period, user=None) -> dict:
    """{kpi.key: Comparison} (this period, same period last year, previous period)."""
    kpis = list(kpis)  # compute_many applies the bureau's definitions
    yoy, pop = period.previous_year(), period.previous()
    figs = compute_many(kpis, org, [period, yoy, pop], user)
    return {k.key: Comparison(figs[(k.key, period)], figs[(k.key, yoy)], figs[(k.key, pop)]) for k in kpis}


# --- breakdowns -----------------------------------------------------------------------------------


def _children(org):
    from sifa.orgs.models import Org

    return once(("children", org.pk), lambda: list(Org.objects.filter(parent=org).order_by("sort_order", "id")))


def office_keys(org, children=None) -> dict:
    """{child pk as text: "c<pk>"} for the direct children of ``org``."""
    return {str(child.pk): f"c{child.pk}" for child in (_children(org) if children is None else children)}


def office_of(path: str, org, keys: dict) -> str | None:
    """The office-breakdown key a case's organisation path falls under:
    "self" for ``org`` itself, "c<pk>" for the direct child it lies under."""
    rest = path[len(org.path) :]
    return "self" if not rest else keys.get(rest.split("/", 1)[0])


def _by_office(qs, prefix: str, org, exprs: dict) -> dict:
    """{"c<child pk>" | "self": [aggregate rows]}: ``exprs`` grouped by the
    case's organisation path, each path then credited to the direct child of
    ``org`` it lies under (or to ``org`` itself). One GROUP BY over the subtree
    instead of one FILTER per child and measure: the aggregates are evaluated
    once per row, and a case's path puts it under exactly one child, so even
    distinct counts add up."""
    keys = office_keys(org)
    out: dict = {key: [] for key in keys.values()} | {"self": []}
    path = f"{prefix}org_path"
    for row in qs.order_by().values(path).annotate(**exprs):
        key = office_of(row[path], org, keys)
        if key is not None:
            out[key].append(row)
    return out


def _dim_key(dim: Dimension, measure: Measure) -> str:
    p = _prefix(measure)
    if dim.kind == "org":
        return f"{p}owner_org"
    if dim.kind == "month":
        return "_m"
    if dim.kind == "field":
        return dim.field
    raise ValueError(f"unknown dimension kind {dim.kind}")


def _norm_key(dim: Dimension, k):
    if dim.kind == "month" and k is not None:
        k = k.date() if hasattr(k, "date") else k
        k = date(k.year, k.month, 1)
    return k


def _group_breakdown(group: list[Measure], org, period: Period, dim: Dimension, user) -> dict:
    """{measure: {dimension value: aggregate}} for measures of one model, one query."""
    qs = _base_rows(group[0], org, user).filter(_span_filter(group, [period]))
    conds = {m: _condition(m, period) for m in group}
    if dim.kind == "office":
        exprs = {f"m{i}": _agg_expr(m, conds[m]) for i, m in enumerate(group)}
        by_office = _by_office(qs, _prefix(group[0]), org, exprs)
        return {m: {key: sum((Decimal(r[f"m{i}"] or 0) for r in found), Decimal(0)) for key, found in by_office.items()} for i, m in enumerate(group)}
    key = _dim_key(dim, group[0])
    if dim.kind == "month":
        qs = qs.annotate(_m=TruncMonth(group[0].date_field))
    exprs = {f"m{i}": _agg_expr(m, conds[m]) for i, m in enumerate(group)}
    # A sum can be 0 over existing rows; count them so a value is listed exactly
    # when the measure has rows there (as with one query per measure).
    exprs |= {f"n{i}": Count("pk", filter=conds[m]) for i, m in enumerate(group) if m.agg == "sum"}
    out: dict = {m: {} for m in group}
    for row in qs.order_by().values(key).annotate(**exprs):
        k = _norm_key(dim, row[key])
        for i, m in enumerate(group):
            present = row[f"n{i}"] if m.agg == "sum" else row[f"m{i}"]
            if present:
                out[m][k] = out[m].get(k, Decimal(0)) + Decimal(row[f"m{i}"] or 0)
    return out


def measure_breakdowns(measures, org, period: Period, dim: Dimension, user=None) -> dict:
    """{measure: {dimension value: aggregate}}: one query per model (per date
    field for months, since the month is taken from each measure's own date); the
    rolled-up ones by office, month or organisation from the daily facts (facts.py)."""
    from . import facts, fieldfacts

    if dim.kind == "field":  # "by type": from the field facts for whole months (fieldfacts.py)
        pairs = fieldfacts.served([(m, dim.field) for m in measures], org, user, period)
        from_facts = [m for m, _f in pairs]
        out: dict = {m: got for (m, _f), got in fieldfacts.breakdowns(pairs, org, period).items()}
    else:
        from_facts = facts.served(measures, org, user) if dim.kind in ("office", "month", "org") else []
        out = facts.breakdowns(from_facts, org, period, dim)
    groups: dict[tuple, list[Measure]] = {}
    for m in dict.fromkeys(measures):
        if m in from_facts:
            continue
        if not aggregable(m):
            groups[("solo", id(m))] = [m]
            continue
        gk = _group_key(m) + ((m.date_field,) if dim.kind == "month" else ())
        groups.setdefault(gk, []).append(m)
    for group in groups.values():
        if len(group) == 1 and not aggregable(group[0]):
            out[group[0]] = _solo_breakdown(group[0], org, period, dim, user)
        else:
            out.update(_group_breakdown(group, org, period, dim, user))
    return out


def _solo_breakdown(measure: Measure, org, period: Period, dim: Dimension, user=None) -> dict:
    qs = rows(measure, org, period, user, counting=True)
    p = _prefix(measure)
    if dim.kind == "office":
        by_office = _by_office(qs, p, org, {"v": _agg_expr(measure)})
        return {key: sum((Decimal(r["v"] or 0) for r in found), Decimal(0)) for key, found in by_office.items()}
    key = _dim_key(dim, measure)
    if dim.kind == "month":
        qs = qs.annotate(_m=TruncMonth(measure.date_field))
    return {_norm_key(dim, row[key]): Decimal(row["v"] or 0) for row in qs.order_by().values(key).annotate(v=_agg_expr(measure))}


def _rows_for(kpi: KPI, org, period: Period, dim: Dimension, num: dict, den: dict, labels: list | None = None) -> list[dict]:
    """``labels``: the dimension's (key, label) list when it does not depend on
    the keys found (offices, months), computed once for several KPIs."""
    keys_labels = labels if labels is not None else _labels(dim, org, period, set(num) | set(den))
    out = []
    for key, label in keys_labels:
        n = num.get(key, Decimal(0))
        d = den.get(key, Decimal(0)) if kpi.denominator else None
        value = kpi_ratio(kpi, n, d) if kpi.denominator else n
        out.append({"key": key, "label": label, "numerator": n, "denominator": d, "value": value, "display": format_value(kpi, value)})
    return out


def breakdown(kpi: KPI, org, period: Period, dim: Dimension, user=None) -> list[dict]:
    """Rows of {key, label, numerator, denominator, value, display} in display order."""
    return breakdown_many([kpi], org, period, dim, user)[kpi.key]


def breakdown_many(kpis, org, period: Period, dim: Dimension, user=None) -> dict:
    """{kpi.key: breakdown rows} for several KPIs, sharing queries."""
    kpis = _as_defined(kpis, org)
    measures = [k.numerator for k in kpis] + [k.denominator for k in kpis if k.denominator is not None]
    values = measure_breakdowns(measures, org, period, dim, user)
    labels = fixed_labels(dim, org, period) if kpis else None
    return {k.key: _rows_for(k, org, period, dim, values[k.numerator], values[k.denominator] if k.denominator else {}, labels) for k in kpis}


def fixed_labels(dim: Dimension, org, period: Period) -> list | None:
    """The (key, label) rows of an office or month breakdown (the same for every KPI)."""
    return _labels(dim, org, period, set()) if dim.kind in ("office", "month") else None


def _labels(dim: Dimension, org, period: Period, keys: set) -> list[tuple]:
    from sifa.orgs.models import Org

    if dim.kind == "office":
        items = [(f"c{c.pk}", c.name) for c in _children(org)]
        return items + [("self", f"{org.name}（本级）")]
    if dim.kind == "org":
        names = dict(Org.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return sorted(((k, names.get(k, "—")) for k in keys), key=lambda x: x[1])
    if dim.kind == "month":
        return [(m, f"{m.year}年{m.month}月") for m in period.months()]
    labels = dim.labels() if dim.labels else {}
    ordered = [(k, v) for k, v in labels.items() if k in keys]
    rest = sorted((k for k in keys if k not in labels), key=lambda x: str(x))
    return ordered + [(k, str(k) if k not in (None, "") else "未填写") for k in rest]


# --- drill-down ---------------------------------------------------------------------------------------


def cases_behind(kpi: KPI, org, period: Period, user, *, part: str = "numerator", dim: Dimension | None = None, dim_key=None):
    """The cases (scoped to ``user``) behind a figure or one cell of a breakdown."""
    from sifa.cases.selectors import visible_to

    kpi = _as_defined([kpi], org)[0]
    measure = kpi.numerator if part == "numerator" or kpi.denominator is None else kpi.denominator
    qs = rows(measure, org, period, user)
    p = _prefix(measure)
    if dim is not None and dim_key is not None:
        if dim.kind == "office":
            if dim_key == "self":
                qs = qs.filter(**{f"{p}org_path": org.path})
            else:
                child = next((c for c in _children(org) if f"c{c.pk}" == str(dim_key)), None)
                qs = qs.filter(**{f"{p}org_path__startswith": child.path}) if child else qs.none()
        elif dim.kind == "org":
            qs = qs.filter(**{f"{p}owner_org": dim_key})
        elif dim.kind == "month":
            y, m = (int(x) for x in str(dim_key)[:7].split("-"))
            qs = qs.filter(**{f"{measure.date_field}__year": y, f"{measure.date_field}__month": m})
        elif dim.kind == "field":
            qs = qs.filter(**{dim.field: dim_key})
    if over_entries(measure) or (not p and batchable(measure)):
        return qs  # already the user's visible, live rows, each once (rows() scopes them)
    return visible_to(user).filter(pk__in=qs.values(f"{p}pk"))
