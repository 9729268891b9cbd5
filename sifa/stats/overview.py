"""Many views of the same figures in one pass: the dashboard's comparisons
(this period, 同比, 环比), its per-office, per-month and per-field breakdowns.

``overview`` returns exactly what ``engine.compare_many`` and
``engine.breakdown_many`` return. On PostgreSQL the measures of one model are
read in ONE query: the rows are grouped by GROUPING SETS — the case's
organisation path (summed, the totals for every period; credited to offices,
the office breakdown), the month of each date field, each field dimension —
so the organisation subtree (and, for a line's model, the join to its cases) is
read once instead of once per view (docs/adr/0009). Elsewhere, and for
measures the grouped query cannot take (a to-many filter, a distinct count, a
field with a database converter), the separate queries compute them.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, connections
from django.db.models import Case as CaseWhen
from django.db.models import F, IntegerField, Value, When
from django.db.models.functions import TruncMonth

from sifa.kit.kpis import KPI, MONTH, OFFICE, Dimension, Measure

from . import engine
from .periods import Period


def overview(kpis, org, period: Period, user=None, *, breakdowns=()) -> tuple[dict, list[dict]]:
    """(``compare_many(kpis, org, period, user)``, [``breakdown_many(ks, org, period, dim, user)``
    for each ``(dim, ks)`` in ``breakdowns``])."""
    from .choices import effective

    chosen = engine.choices_for(org)  # the bureau's definitions (choices.py), read once
    kpis = effective(kpis, org, chosen)
    breakdowns = [(dim, effective(ks, org, chosen)) for dim, ks in breakdowns]
    yoy, pop = period.previous_year(), period.previous()
    periods = list(dict.fromkeys([period, yoy, pop]))
    needs: dict[Measure, dict] = {}
    for k in kpis:
        for m in _measures(k):
            needs.setdefault(m, {"office": False, "months": False, "fields": {}})
    for dim, ks in breakdowns:
        for k in ks:
            for m in _measures(k):
                need = needs.setdefault(m, {"office": False, "months": False, "fields": {}})
                if dim.kind == "office":
                    need["office"] = True
                elif dim.kind == "month":
                    need["months"] = True
                elif dim.kind == "field":
                    need["fields"][dim.field] = True
                else:
                    need["other"] = True
    # Rolled-up measures: from the facts when they hold this viewer's figures (facts.py,
    # docs/adr/0021), field breakdowns included when each is held (fieldfacts.py); the
    # rest as below.
    from . import facts, fieldfacts

    fpairs = set(fieldfacts.served([(m, f) for m, need in needs.items() for f in need["fields"]], org, user, period))
    served = facts.served([m for m, need in needs.items() if all((m, f) in fpairs for f in need["fields"])], org, user)
    totals: dict = facts.totals(served, org, periods)  # (measure, period) -> Decimal
    views: dict = {}  # (measure, "office" | ("month",) | ("field", name)) -> {key: Decimal}
    for (m, f), got in fieldfacts.breakdowns([pair for pair in fpairs if pair[0] in served], org, period).items():
        views[(m, ("field", f))] = got
    for kind, view in (("office", "office"), ("months", ("month",))):
        if wanted := [m for m in served if needs[m][kind]]:
            for m, got in facts.breakdowns(wanted, org, period, OFFICE if kind == "office" else MONTH).items():
                views[(m, view)] = got
    grouped, separate = [], []
    for m, need in needs.items():
        if m not in served:
            (grouped if _groupable(m, need) else separate).append(m)

    groups: dict[tuple, list[Measure]] = {}
    for m in grouped:
        groups.setdefault(engine._group_key(m), []).append(m)
    office_keys = engine.office_keys(org) if groups else {}
    for group in groups.values():
        _grouped_pass(group, {m: needs[m] for m in group}, org, period, periods, user, office_keys, totals, views)
    if separate:
        totals |= engine.measure_values(separate, org, periods, user)

    comparisons = {}
    filled = engine.filled_values(kpis, org, periods)  # 填报 before a line went live
    for k in kpis:
        figs = [_figure(k, p, totals, filled) for p in (period, yoy, pop)]
        comparisons[k.key] = engine.Comparison(*figs)
    out = []
    for dim, ks in breakdowns:
        measures = [m for k in ks for m in _measures(k)]
        todo = [m for m in measures if m in separate or dim.kind not in ("office", "month", "field")]
        values = engine.measure_breakdowns(todo, org, period, dim, user) if todo else {}
        for m in measures:
            if m not in values:
                values[m] = views.get((m, _view_key(dim)), {})
        labels = engine.fixed_labels(dim, org, period) if ks else None
        out.append({k.key: engine._rows_for(k, org, period, dim, values[k.numerator], values[k.denominator] if k.denominator else {}, labels) for k in ks})
    return comparisons, out


def _measures(k: KPI) -> list[Measure]:
    return [k.numerator] + ([k.denominator] if k.denominator is not None else [])


def _view_key(dim: Dimension):
    if dim.kind == "office":
        return "office"
    if dim.kind == "month":
        return ("month",)
    return ("field", dim.field)


def _figure(k: KPI, p: Period, totals: dict, filled: dict) -> engine.Figure:
    if (k.key, p) in filled:
        v = filled[(k.key, p)]
        return engine.Figure(k, p, v, None, v, filled=True)
    num = totals[(k.numerator, p)]
    if k.denominator is None:
        return engine.Figure(k, p, num, None, num)
    den = totals[(k.denominator, p)]
    return engine.Figure(k, p, num, den, engine.kpi_ratio(k, num, den))


def _groupable(m: Measure, need: dict) -> bool:
    if connection.vendor != "postgresql" or need.get("other"):
        return False
    if not engine.aggregable(m) or m.agg == "count_cases":
        return False  # a distinct count would make PostgreSQL sort the rows once per grouping set
    model = engine._model(m)
    return not any(hasattr(engine._final_field(model, f), "from_db_value") for f in need["fields"])


def _grouped_pass(group, needs, org, period, periods, user, office_keys, totals, views) -> None:
    """One query for the measures of one model (see the module docstring)."""
    sample = group[0]
    p = engine._prefix(sample)
    qs = engine._base_rows(sample, org, user).filter(engine._span_filter(group, periods))
    keys = {"k_org": F(f"{p}org_path")}
    months = list(dict.fromkeys(m.date_field for m in group if needs[m]["months"]))
    fields = list(dict.fromkeys(f for m in group for f in needs[m]["fields"]))
    for j, date_field in enumerate(months):
        keys[f"k_m{j}"] = TruncMonth(date_field)
    for j, field in enumerate(fields):
        keys[f"k_f{j}"] = F(field)
    cols, aggs = {}, []  # aggs: (alias, SQL aggregate, measure, period or None)
    for i, m in enumerate(group):
        for j, per in enumerate(periods):
            alias = f"v{i}_{j}"
            then = F(m.sum_field) if m.agg == "sum" else Value(1)
            cols[alias] = CaseWhen(When(engine._condition(m, per), then=then), default=None)
            aggs.append((alias, "SUM" if m.agg == "sum" else "COUNT", m, per))
        if m.agg == "sum" and (needs[m]["months"] or needs[m]["fields"]):
            # A sum can be 0 over existing rows: count them, so a breakdown lists a
            # value exactly when the measure has rows there (as engine.breakdown does).
            cols[f"n{i}"] = CaseWhen(When(engine._condition(m, period), then=Value(1)), default=None, output_field=IntegerField())
            aggs.append((f"n{i}", "COUNT", m, None))
    inner = qs.order_by().annotate(**keys, **cols).values(*keys, *cols)
    sql, params = inner.query.sql_with_params()
    # The queryset's own database: the read replica in a replica-read request (docs/adr/0020).
    db = connections[inner.db]
    qn = db.ops.quote_name
    names = list(keys)
    select = [f"GROUPING({', '.join(qn(n) for n in names)})"] + [qn(n) for n in names] + [f"{fn}({qn(alias)})" for alias, fn, _m, _p in aggs]
    sets = ", ".join(f"({qn(n)})" for n in names)
    with db.cursor() as cur:
        # Only quoted aliases chosen here and the ORM's own SQL (values are parameters).
        cur.execute(f"SELECT {', '.join(select)} FROM ({sql}) AS grouped_rows GROUP BY GROUPING SETS ({sets})", params)  # noqa: S608
        result = cur.fetchall()

    for m in group:
        for per in periods:
            totals[(m, per)] = Decimal(0)
        if needs[m]["office"]:
            views[(m, "office")] = {key: Decimal(0) for key in office_keys.values()} | {"self": Decimal(0)}
        if needs[m]["months"]:
            views[(m, ("month",))] = {}
        for f in needs[m]["fields"]:
            views[(m, ("field", f))] = {}
    width = len(names)
    for row in result:
        grouping, key_values, values = row[0], row[1 : 1 + width], row[1 + width :]
        which = next(i for i in range(width) if not (grouping >> (width - 1 - i)) & 1)
        name = names[which]
        got = {alias: v for (alias, _fn, _m, _p), v in zip(aggs, values, strict=True)}
        if name == "k_org":
            office = engine.office_of(key_values[which], org, office_keys)
            for i, m in enumerate(group):
                for j, per in enumerate(periods):
                    totals[(m, per)] += Decimal(got[f"v{i}_{j}"] or 0)
                if needs[m]["office"] and office is not None:
                    views[(m, "office")][office] += Decimal(got[f"v{i}_{periods.index(period)}"] or 0)
            continue
        if name.startswith("k_m"):
            date_field, view, key = months[int(name[3:])], ("month",), engine._norm_key(MONTH, key_values[which])
            members = [(i, m) for i, m in enumerate(group) if needs[m]["months"] and m.date_field == date_field]
        else:
            field = fields[int(name[3:])]
            view, key = ("field", field), key_values[which]
            members = [(i, m) for i, m in enumerate(group) if field in needs[m]["fields"]]
        j = periods.index(period)
        for i, m in members:
            present = got[f"n{i}"] if m.agg == "sum" else got[f"v{i}_{j}"]
            if present:
                views[(m, view)][key] = views[(m, view)].get(key, Decimal(0)) + Decimal(got[f"v{i}_{j}"] or 0)
