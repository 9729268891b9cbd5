"""Computing KPIs by SQL aggregation for any organisation subtree and period,
with breakdowns, comparisons and the cases behind a number (drill-down).

Scoping: pass ``user`` and only cases that user may see are counted, so an
office user's dashboard, export and report hold only their office's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from .definitions import KPI, Dimension, Measure
from .periods import Period


@dataclass
class Figure:
    kpi: KPI
    period: Period
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None  # None when the denominator is 0

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


def ratio(num, den, decimals: int = 2) -> Decimal | None:
    """num ÷ den × 100, truncated (not rounded) to ``decimals``: 1285 ÷ 1323 →
    97.12, so a rate never reads 100.00% unless it is 100% (docs/adr/0006)."""
    if not den:
        return None
    q = Decimal(1).scaleb(-decimals)
    return (Decimal(num) * 100 / Decimal(den)).quantize(q, ROUND_DOWN)


# --- rows behind a measure ---------------------------------------------------------------


def _model(measure: Measure):
    return apps.get_model(measure.model)


def _prefix(measure: Measure) -> str:
    return f"{measure.case_path}__" if measure.case_path else ""


def _final_field(model, path: str):
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return field


def rows(measure: Measure, org, period: Period, user=None):
    """The queryset of rows a measure counts for ``org``'s subtree in ``period``."""
    Model = _model(measure)
    p = _prefix(measure)
    manager = Model.all_objects if hasattr(Model, "all_objects") else Model._default_manager
    qs = manager.filter(**{f"{p}is_deleted": False, f"{p}org_path__startswith": org.path})
    if measure.case_types:
        qs = qs.filter(**{f"{p}case_type__in": measure.case_types})
    date_lookup = measure.date_field
    if isinstance(_final_field(Model, measure.date_field), models.DateTimeField):
        date_lookup += "__date"
    qs = qs.filter(**{f"{date_lookup}__gte": period.start, f"{date_lookup}__lte": period.end})
    if measure.filter is not None:
        qs = qs.filter(measure.filter)
    if user is not None:
        from sifa.cases.selectors import visible_to

        qs = qs.filter(**{f"{p}pk__in" if p else "pk__in": visible_to(user).values("pk")})
    return qs


def _agg_expr(measure: Measure, condition: Q | None = None):
    p = _prefix(measure)
    if measure.agg == "sum":
        return Sum(measure.sum_field, filter=condition)
    if measure.agg == "count_cases":
        return Count(f"{p}pk" if p else "pk", filter=condition, distinct=True)
    return Count("pk", filter=condition)


def measure_value(measure: Measure, org, period: Period, user=None) -> Decimal:
    v = rows(measure, org, period, user).aggregate(v=_agg_expr(measure))["v"]
    return Decimal(v or 0)


def compute(kpi: KPI, org, period: Period, user=None) -> Figure:
    num = measure_value(kpi.numerator, org, period, user)
    if kpi.denominator is None:
        return Figure(kpi, period, num, None, num)
    den = measure_value(kpi.denominator, org, period, user)
    return Figure(kpi, period, num, den, ratio(num, den, kpi.decimals))


def compare(kpi: KPI, org, period: Period, user=None) -> Comparison:
    return Comparison(compute(kpi, org, period, user), compute(kpi, org, period.previous_year(), user), compute(kpi, org, period.previous(), user))


# --- breakdowns -----------------------------------------------------------------------------------


def _children(org):
    from sifa.orgs.models import Org

    return list(Org.objects.filter(parent=org).order_by("sort_order", "id"))


def _measure_breakdown(measure: Measure, org, period: Period, dim: Dimension, user=None) -> dict:
    """{dimension value: aggregate} for one measure, in one SQL query."""
    qs = rows(measure, org, period, user)
    p = _prefix(measure)
    if dim.kind == "office":
        # One conditional aggregate per child subtree, plus the org's own cases.
        exprs = {f"c{child.pk}": _agg_expr(measure, Q(**{f"{p}org_path__startswith": child.path})) for child in _children(org)}
        exprs["own"] = _agg_expr(measure, Q(**{f"{p}org_path": org.path}))
        agg = qs.aggregate(**exprs)
        return {("self" if k == "own" else k): Decimal(v or 0) for k, v in agg.items()}
    if dim.kind == "org":
        key = f"{p}owner_org"
    elif dim.kind == "month":
        qs = qs.annotate(_m=TruncMonth(measure.date_field))
        key = "_m"
    elif dim.kind == "field":
        key = dim.field
    else:
        raise ValueError(f"unknown dimension kind {dim.kind}")
    out = {}
    for row in qs.order_by().values(key).annotate(v=_agg_expr(measure)):
        k = row[key]
        if dim.kind == "month" and k is not None:
            k = k.date() if hasattr(k, "date") else k
            k = date(k.year, k.month, 1)
        out[k] = Decimal(row["v"] or 0)
    return out


def breakdown(kpi: KPI, org, period: Period, dim: Dimension, user=None) -> list[dict]:
    """Rows of {key, label, numerator, denominator, value, display} in display order."""
    num = _measure_breakdown(kpi.numerator, org, period, dim, user)
    den = _measure_breakdown(kpi.denominator, org, period, dim, user) if kpi.denominator else {}
    keys_labels = _labels(dim, org, period, set(num) | set(den))
    out = []
    for key, label in keys_labels:
        n = num.get(key, Decimal(0))
        d = den.get(key, Decimal(0)) if kpi.denominator else None
        value = ratio(n, d, kpi.decimals) if kpi.denominator else n
        out.append({"key": key, "label": label, "numerator": n, "denominator": d, "value": value, "display": format_value(kpi, value)})
    return out


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
    case_ids = qs.values(f"{p}pk" if p else "pk")
    return visible_to(user).filter(pk__in=case_ids)
