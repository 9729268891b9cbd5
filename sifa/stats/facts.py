"""Reading figures from the daily facts (``rollups.py``, docs/adr/0021) when they say the
same as the rows would for this viewer: ``use_facts`` decides, the engine and the
overview ask it and compute the rest live.

Facts count every live row under an organisation (sealed cases included, as figures
always do: ``visible_q(counting=True)``). A viewer whose visibility is exactly that —
a whole organisation subtree of every line — gets the same number from them. Anyone
narrower (assignment-only roles, section staff limited to their lines, roles a
restricted line is hidden from, a subtree the viewer only partly sees) gets the live
computation, which applies their scope row by row.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth

from .models import DailyFact, DirtyCase, MonthlyFact, RollupState
from .periods import split


def use_facts(user, org) -> bool:
    """May ``user``'s figures for ``org``'s subtree come from the facts? (One place
    for the decision; ``tests/test_rollups.py`` has a case for each kind of viewer.)"""
    if org is None:
        return False
    if user is None:  # system callers (reports, commands): every live row under ``org``
        return True
    from sifa.cases.selectors import _restricted_for, _spec, scope_root
    from sifa.kit import roles

    root = scope_root(user)
    if root is None or not org.path.startswith(root.path):
        return False  # sees nothing, or only part of the subtree asked for
    spec = _spec(user)
    if spec.scope in (roles.ASSIGNED, roles.ASSIGNED_ANYWHERE, roles.LINES) or spec.assignment_scoped:
        return False
    if spec.case_types is not None:
        return False  # a role limited to some lines
    return spec.scope == roles.BUREAU or not _restricted_for(spec)


def _state() -> dict | None:
    """The rollup state row, read once per ``engine.reading()`` block (a page asks
    whether the facts are built for each of its figure reads, and for "数据截至")."""
    from . import engine

    return engine.once("rollup_state", lambda: RollupState.objects.filter(pk=1).values("built_at", "measures", "last_run", "deadlines_on").first())


def built_keys() -> set[str]:
    """The measure keys the facts hold (empty before the first build: all live)."""
    state = _state()
    if state is None or state["built_at"] is None:
        return set()
    return set(state["measures"])


def served(measures, org, user) -> list:
    """The ``measures`` whose figures for this viewer come from the facts."""
    if not measures or not use_facts(user, org):
        return []
    from .rollups import measure_key, rolled

    keys = built_keys()
    return [m for m in dict.fromkeys(measures) if rolled(m) and measure_key(m) in keys]


def _sources(measures, org, periods) -> tuple[dict, list]:
    """({key: measure}, [(queryset, date field, {period: Q of its rows in that queryset})]):
    the monthly facts for the periods' whole months and the daily facts for the days at
    their edges (no daily query when every period is whole months, as a year, quarter
    or month is)."""
    from .rollups import measure_key

    keys = {measure_key(m): m for m in measures}
    monthly, daily = {}, {}
    for p in periods:
        months, edges = split(p.start, p.end)
        if months is not None:
            monthly[p] = Q(month__gte=months[0], month__lte=months[1])
        if edges:
            q = Q()
            for lo, hi in edges:
                q |= Q(day__gte=lo, day__lte=hi)
            daily[p] = q
    out = []
    for Model, field, wanted in ((MonthlyFact, "month", monthly), (DailyFact, "day", daily)):
        if wanted:
            span = Q()
            for q in wanted.values():
                span |= q
            qs = Model.objects.filter(span, measure__in=list(keys), org__path__startswith=org.path).order_by()
            out.append((qs, field, wanted))
    return keys, out


def totals(measures, org, periods) -> dict:
    """{(measure, period): Decimal}: one query for the whole months, one more only when a
    period has days outside them."""
    periods = list(periods)
    if not measures or not periods:
        return {}
    keys, sources = _sources(measures, org, periods)
    sums = {(m, p): Decimal(0) for m in keys.values() for p in periods}
    seen = set()
    for qs, _field, wanted in sources:
        names = {f"p{j}": p for j, p in enumerate(wanted)}
        exprs = {name: Sum("value", filter=wanted[p]) for name, p in names.items()}
        for row in qs.values("measure").annotate(**exprs):
            m = keys[row["measure"]]
            seen.add(m)
            for name, p in names.items():
                sums[(m, p)] += Decimal(row[name] or 0)
    out = {(m, p): as_live(m, v) if m in seen else v for (m, p), v in sums.items()}
    # Equal measures under one key: each gets the value.
    for m in measures:
        if (m, periods[0]) not in out:
            twin = keys[_key(m)]
            for p in periods:
                out[(m, p)] = out[(twin, p)]
    return out


def as_live(m, value) -> Decimal:
    """The value as the live aggregate gives it: a count as a whole number, a sum with
    its field's decimals (facts store two), so "12件" never reads "12.00件"."""
    value = Decimal(value or 0)
    if m.agg != "sum":
        return Decimal(int(value))
    from django.db import models

    from . import engine

    field = engine._final_field(engine._model(m), m.sum_field)
    if isinstance(field, models.DecimalField):
        return value.quantize(Decimal(1).scaleb(-field.decimal_places))
    return Decimal(int(value))


def _key(m):
    from .rollups import measure_key

    return measure_key(m)


def breakdowns(measures, org, period, dim) -> dict:
    """{measure: {key: Decimal}} for an office, month or owning-organisation breakdown,
    keyed as ``engine.measure_breakdowns`` keys them. One query per source (``totals``)."""
    from . import engine

    if not measures:
        return {}
    if dim.kind not in ("office", "month", "org"):
        raise ValueError(f"no facts for a {dim.kind} breakdown")
    keys, sources = _sources(measures, org, [period])
    out: dict = {m: {} for m in keys.values()}
    if dim.kind == "office":
        office_keys = engine.office_keys(org)
        for m in out:
            out[m] = {k: Decimal(0) for k in office_keys.values()} | {"self": Decimal(0)}
    for qs, field, _wanted in sources:
        if dim.kind == "office":
            for row in qs.values("measure", "org__path").annotate(v=Sum("value")):
                office = engine.office_of(row["org__path"], org, office_keys)
                if office is not None:
                    out[keys[row["measure"]]][office] += Decimal(row["v"] or 0)
            continue
        if dim.kind == "month":
            rows = qs.values("measure", field) if field == "month" else qs.annotate(month=TruncMonth("day")).values("measure", "month")
            name = "month"
        else:
            rows, name = qs.values("measure", "org_id"), "org_id"
        for row in rows.annotate(v=Sum("value"), n=Sum("rows")):
            if not row["n"]:
                continue
            k = engine._norm_key(dim, row[name])
            got = out[keys[row["measure"]]]
            got[k] = got.get(k, Decimal(0)) + Decimal(row["v"] or 0)
    return {m: {k: as_live(m, v) for k, v in out[keys[_key(m)]].items()} for m in measures}


def as_of():
    """Until when the facts are complete: the oldest change not yet rolled up, or
    (none waiting) the last run. None before the first build."""
    state = _state()
    if state is None or state["built_at"] is None:
        return None
    oldest = DirtyCase.objects.order_by("marked_at").values_list("marked_at", flat=True).first()
    return oldest or state["last_run"]
