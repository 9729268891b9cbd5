"""Field breakdowns from facts: the dashboard's "by type" charts (纠纷类型, 案件类别,
来源渠道 …) of a rolled-up measure, read from monthly facts per field value
(``models.FieldFact``, docs/adr/0021) instead of every row of the period.

Which: every (measure, field) pair a registered KPI (or a variant of it) is charted by,
where the measure is rolled up (``rollups.rolled``) and the field is a plain column of
the measure's row, its case or that case's one-to-one records, holding text, a
number, a yes/no or a reference (``rollable``). Only periods made of whole calendar
months read them (every period the dashboard offers but a custom one); others, and
viewers the facts do not serve (``facts.use_facts``), are computed live.

Kept with the monthly facts: the rebuild writes each group's, the worker recomputes
the (organisation, month)s it touches from the rows (a field edited without its date
moving still marks the case, and its month is recomputed), ``stats_verify`` checks
each month against the rows.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, Sum

from sifa.common import copyinsert
from sifa.kit.kpis import Measure

from . import engine, facts, rollups
from .models import FieldFact
from .periods import month_end, month_of, split

# Values a JSON text gives back as the live query returns them (a reference: its id).
KINDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


@lru_cache(maxsize=4096)
def rollable(m: Measure, field: str) -> bool:
    if not rollups.rolled(m):
        return False
    Model = engine._model(m)
    if not rollups._stays_on_case(Model, field, m.case_path):
        return False  # another row (many per case), another case or another table
    try:
        f = engine._final_field(Model, field)
    except FieldDoesNotExist:
        return False
    return isinstance(f, KINDS) and not hasattr(f, "from_db_value")  # not a converted value (JSON …)


def name(key: str, field: str) -> str:
    """How a (measure, field) pair is listed in the rollup state's built measures."""
    return f"{key}|{field}"


def catalogue() -> dict[str, tuple[str, Measure, str, str]]:
    """{name: (measure key, measure, field, the chart's name)} of every field breakdown
    held as facts."""
    out = {}
    for kk in rollups.every_kpi():
        for d in kk.dimensions:
            for m in (kk.numerator, kk.denominator):
                if d.kind == "field" and m is not None and rollable(m, d.field):
                    key = rollups.measure_key(m)
                    out.setdefault(name(key, d.field), (key, m, d.field, d.label))
    return out


def compute(fcat: dict, *, orgs=None, spans=(), within=None) -> dict:
    """{(org id, case type, measure key, month, field, value as JSON): (value, rows)} from
    the rows, one query per field and group of measures."""
    by_field: dict[str, dict] = {}
    for key, m, f, _label in fcat.values():
        by_field.setdefault(f, {})[key] = m
    out: dict = {}
    for f, cat in by_field.items():
        for (o, t, k, d, val), (v, n) in rollups.compute(cat, orgs=orgs, field=f, spans=spans, within=within).items():
            at = (o, t, k, month_of(d), f, json.dumps(val, ensure_ascii=False))
            got = out.get(at)
            out[at] = (v, n) if got is None else (got[0] + v, got[1] + n)
    return out


def _objs(values: dict) -> list[FieldFact]:
    return [FieldFact(org_id=o, case_type=t, measure=k, month=mo, field=f, key=j, value=v, rows=n) for (o, t, k, mo, f, j), (v, n) in values.items()]


def build(fcat: dict, orgs) -> int:
    """A rebuild's field facts for the cases owned by ``orgs``; returns how many."""
    made = _objs(compute(fcat, orgs=orgs))
    copyinsert.insert(FieldFact, made, keys=False)
    return len(made)


def refresh(fcat: dict, pairs: set) -> None:
    """Recompute the field facts of (org id, month) ``pairs`` from the rows."""
    if not pairs or not fcat:
        return
    orgs, months = {o for o, _m in pairs}, sorted({m for _o, m in pairs})
    values = compute(fcat, orgs=orgs, spans=[(m, month_end(m)) for m in months])
    rollups.replace(FieldFact, "month", pairs, _objs({k: v for k, v in values.items() if (k[0], k[3]) in pairs}))


def verify(fcat: dict, first, last, within) -> list[dict]:
    """Every field fact of the months ``first``..``last`` (whole months) that differs
    from the rows."""
    if not fcat:
        return []
    live = compute(fcat, spans=[(first, last)], within=within)
    qs = FieldFact.objects.filter(month__gte=first, month__lte=last)
    stored = {at: got for at, got in rollups.stored(qs, ("month", "field", "key"), {v[0] for v in fcat.values()}, within).items() if name(at[2], at[4]) in fcat}
    labels = {n: label for n, (_k, _m, _f, label) in fcat.items()}
    return rollups.differences(live, stored, lambda at: f"{at[3]:%Y年%m月}（{labels[name(at[2], at[4])]}：{json.loads(at[5])}）")


# --- reading --------------------------------------------------------------------------------------


def served(pairs, org, user, period) -> list[tuple[Measure, str]]:
    """The (measure, field) ``pairs`` whose breakdown for this viewer and period come
    from the field facts: a period of whole months, a viewer the facts serve, built."""
    months, edges = split(period.start, period.end)
    if not pairs or months is None or edges or not facts.use_facts(user, org):
        return []
    built = facts.built_keys()
    return [(m, f) for m, f in dict.fromkeys(pairs) if rollable(m, f) and name(rollups.measure_key(m), f) in built]


def breakdowns(pairs, org, period) -> dict:
    """{(measure, field): {field value: Decimal}} for a whole-month ``period`` (``served``),
    one query; a value is listed when rows stand behind it, as the live breakdown lists it."""
    if not pairs:
        return {}
    keys = {(rollups.measure_key(m), f): (m, f) for m, f in pairs}
    q = Q()
    for k, f in keys:
        q |= Q(measure=k, field=f)
    qs = FieldFact.objects.filter(q, month__gte=period.start, month__lte=period.end, org__path__startswith=org.path).order_by()
    sums: dict = {pair: {} for pair in keys}
    for row in qs.values("measure", "field", "key").annotate(v=Sum("value"), n=Sum("rows")):
        if row["n"]:
            sums[(row["measure"], row["field"])][json.loads(row["key"])] = Decimal(row["v"] or 0)
    out = {(m, f): {val: facts.as_live(m, v) for val, v in sums[k].items()} for k, (m, f) in keys.items()}
    for m, f in pairs:  # equal measures under one key
        out.setdefault((m, f), out[keys[(rollups.measure_key(m), f)]])
    return out


def reset_caches() -> None:
    rollable.cache_clear()
