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
from django.db.models import Q, Sum

from sifa.kit import registry
from sifa.kit.kpis import Measure

from . import engine, rollups
from .models import FieldFact

KINDS = ("CharField", "TextField", "IntegerField", "BooleanField", "ForeignKey")


@lru_cache(maxsize=4096)
def rollable(m: Measure, field: str) -> bool:
    if not rollups.rolled(m):
        return False
    Model = engine._model(m)
    if not rollups._stays_on_case(Model, field, m.case_path):
        return False
    try:
        f = engine._final_field(Model, field)
    except (FieldDoesNotExist, AttributeError):
        return False
    if f is None or hasattr(f, "from_db_value") or getattr(f, "many_to_many", False) or getattr(f, "one_to_many", False):
        return False  # a converted value (JSON …), or several rows per case
    return any(cls.__name__ in KINDS for cls in type(f).__mro__)


def name(key: str, field: str) -> str:
    """How a (measure, field) pair is listed in the rollup state's built measures."""
    return f"{key}|{field}"


def catalogue() -> dict[str, tuple[str, Measure, str]]:
    """{name: (measure key, measure, field)} of every field breakdown held as facts."""
    out = {}
    for k in registry.kpis():
        for kk in [k] + [k.with_choice(v.key) for v in k.variants]:
            fields = [d.field for d in kk.dimensions if d.kind == "field"]
            for m in (kk.numerator, kk.denominator):
                for f in fields if m is not None else ():
                    if rollable(m, f):
                        key = rollups.measure_key(m)
                        out[name(key, f)] = (key, m, f)
    return out


def compute(fcat: dict, *, orgs=None, spans=(), within=None) -> dict:
    """{(org id, case type, measure key, field, value as JSON, month): (value, rows)} from
    the rows, one query per field and group of measures."""
    by_field: dict[str, dict] = {}
    for key, m, f in fcat.values():
        by_field.setdefault(f, {})[key] = m
    out: dict = {}
    for f, cat in by_field.items():
        for (o, t, k, d, val), (v, n) in rollups.compute(cat, orgs=orgs, field=f, spans=spans, within=within).items():
            at = (o, t, k, f, json.dumps(val, ensure_ascii=False), rollups.month_of(d))
            got = out.get(at)
            out[at] = (v, n) if got is None else (got[0] + v, got[1] + n)
    return out


def _objs(values: dict) -> list[FieldFact]:
    return [FieldFact(org_id=o, case_type=t, measure=k, field=f, key=j, month=mo, value=v, rows=n) for (o, t, k, f, j, mo), (v, n) in values.items()]


COLUMNS = ("org", "case_type", "measure", "field", "key", "month", "value", "rows")


def build(fcat: dict, orgs) -> int:
    """A rebuild's field facts for the cases owned by ``orgs``; returns how many."""
    made = _objs(compute(fcat, orgs=orgs))
    rollups._insert(FieldFact, made, COLUMNS)
    return len(made)


def refresh(fcat: dict, pairs: set) -> None:
    """Recompute the field facts of (org id, month) ``pairs`` from the rows."""
    if not pairs or not fcat:
        return
    orgs, months = {o for o, _m in pairs}, sorted({m for _o, m in pairs})
    values = compute(fcat, orgs=orgs, spans=[(m, rollups.month_end(m)) for m in months])
    ordered = sorted(pairs)
    for i in range(0, len(ordered), 200):
        FieldFact.objects.filter(rollups._pairs_q(ordered[i : i + 200], "month")).delete()
    FieldFact.objects.bulk_create(_objs({k: v for k, v in values.items() if (k[0], k[5]) in pairs}), batch_size=rollups.INSERT_BATCH)


def verify(fcat: dict, first, last, within) -> list[dict]:
    """Every field fact of the months ``first``..``last`` that differs from the rows."""
    if not fcat:
        return []
    live = compute(fcat, spans=[(first, rollups.month_end(last))], within=within)
    qs = FieldFact.objects.filter(month__gte=first, month__lte=last, measure__in={k for k, _m, _f in fcat.values()})
    if within is not None:
        qs = qs.filter(org__path__startswith=within.path)
    wanted = set(fcat)
    stored = {
        (o, t, k, f, j, mo): (v, n)
        for o, t, k, f, j, mo, v, n in qs.values_list("org_id", "case_type", "measure", "field", "key", "month", "value", "rows").iterator()
        if name(k, f) in wanted
    }
    labels = field_labels()
    out = []
    for at in sorted(set(live) | set(stored), key=lambda a: (a[5], a[0], a[1], a[2], a[3], a[4])):
        if live.get(at) != stored.get(at):
            o, t, k, f, j, mo = at
            where = f"{mo:%Y年%m月}（{labels.get(name(k, f), f)}：{json.loads(j)}）"
            out.append({"org": o, "case_type": t, "key": k, "day": where, "fact": stored.get(at), "live": live.get(at)})
    return out


def field_labels() -> dict[str, str]:
    """{name(measure key, field): the chart's name}, for messages (a field name such as
    channel means different things on different lines' rows)."""
    out = {}
    for k in registry.kpis():
        for m in (k.numerator, k.denominator):
            for d in k.dimensions if m is not None else ():
                if d.kind == "field":
                    out.setdefault(name(rollups.measure_key(m), d.field), d.label)
    return out


# --- reading --------------------------------------------------------------------------------------


def served(pairs, org, user, period) -> list[tuple[Measure, str]]:
    """The (measure, field) ``pairs`` whose breakdown for this viewer and period come
    from the field facts: whole months, a viewer the facts serve, built."""
    from . import facts

    if not pairs or facts.whole_months(period.start, period.end) is None or facts._spans(period.start, period.end)[1]:
        return []
    if not facts.use_facts(user, org):
        return []
    built = facts.built_keys()
    return [(m, f) for m, f in dict.fromkeys(pairs) if rollable(m, f) and name(rollups.measure_key(m), f) in built]


def breakdowns(pairs, org, period) -> dict:
    """{(measure, field): {field value: Decimal}} for whole-month ``period``, one query;
    a value is listed when rows stand behind it, as the live breakdown lists it."""
    from . import facts

    if not pairs:
        return {}
    first, last = facts.whole_months(period.start, period.end)
    keys = {(rollups.measure_key(m), f): (m, f) for m, f in pairs}
    q = Q()
    for k, f in keys:
        q |= Q(measure=k, field=f)
    qs = FieldFact.objects.filter(q, month__gte=first, month__lte=last, org__path__startswith=org.path).order_by()
    sums: dict = {pair: {} for pair in keys}
    for row in qs.values("measure", "field", "key").annotate(v=Sum("value"), n=Sum("rows")):
        if row["n"]:
            sums[(row["measure"], row["field"])][json.loads(row["key"])] = Decimal(row["v"] or 0)
    out = {}
    for (k, f), (m, _f) in keys.items():
        out[(m, f)] = {val: facts._as_live(m, v) for val, v in sums[(k, f)].items()}
    for m, f in pairs:  # equal measures under one key
        out.setdefault((m, f), out[keys[(rollups.measure_key(m), f)]])
    return out


def reset_caches() -> None:
    rollable.cache_clear()
