"""Daily KPI facts: building them, keeping them up to date, checking them (docs/adr/0021).

A fact (``models.DailyFact``) is one measure's aggregate over one organisation's own
cases of one case type on one day. A figure for an organisation subtree and any period
is then a sum of facts (a rate: sum of numerator facts ÷ sum of denominator facts), so
the dashboard reads a few thousand small rows instead of the case table.

Which measures: those additive over days and organisations (``rolled``) — counts and
sums of rows that each belong to one case and one day, dated and filtered by fields of
that case's own rows. The others stay live: stocks (在册 at a period's end is not a sum
of days), distinct-case counts over rows a case can have many of (a case heard on two
days is one case in the month, not two), rows not tied to a case (register entries,
consultations), rows dated or filtered through another case or another table
(hand-overs dated by the target case, subsidies by their batch), and filters that are
not plain field conditions (a subquery can change without the case changing).

Every variant of every KPI is rolled up (each measure has its own key, ``measure_key``),
so a bureau changing its definition (ADR 0015) or rounding only picks other facts:
nothing to recompute. A measure whose declaration changes in the code gets a new key;
the worker rebuilds all facts when the set of keys differs from the one built.

Marks: every write that can change a figure calls ``sifa.common.figures_hook
.cases_changed`` in its transaction (the case door's ``log_event`` and the ledgers' bulk
commit), which upserts a ``DirtyCase``. ``run`` (the ``stats_rollup`` command, every
minute) turns a marked case into the (organisation, day) pairs it stood on before
(``CaseFootprint``) and stands on now, and recomputes those pairs' facts from the rows.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db import connection, models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sifa.common import copyinsert
from sifa.kit import registry
from sifa.kit.kpis import Measure

from . import deadlinefacts, engine, fieldfacts
from .models import CaseFootprint, DailyFact, DeadlineFact, DirtyCase, FieldFact, MonthlyFact, RollupState
from .periods import month_end, month_of

log = logging.getLogger("sifa.stats.rollups")

BATCH = 500  # marked cases per transaction
INSERT_BATCH = 2000


# --- which measures, under which key ----------------------------------------------------------


def _canon(obj):
    """A text for ``obj`` that is the same in every process (a set's order is not)."""
    if isinstance(obj, Q):
        return ("Q", obj.connector, obj.negated, [_canon(c) for c in obj.children])
    if isinstance(obj, (list, tuple)):
        return [_canon(x) for x in obj]
    if isinstance(obj, (set, frozenset)):
        return sorted(repr(_canon(x)) for x in obj)
    if isinstance(obj, models.Choices):
        return repr(obj.value)
    return repr(obj)


@lru_cache(maxsize=4096)
def measure_key(m: Measure) -> str:
    """The measure's definition as a short digest: equal measures share their facts, a
    changed declaration gets new ones. The label and unit are words, not the definition."""
    parts = (m.model, m.case_path, m.date_field, _canon(m.filter), sorted(m.case_types), m.agg, m.sum_field, m.ends_field, m.stock)
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:32]  # noqa: S324 (a name, not a secret)


def _stays_on_case(Model, path: str, case_path: str) -> bool:
    """``path`` (a filter or date lookup from ``Model``) reads the row itself, its case
    (through ``case_path``) or that case's one-to-one records — never another row."""
    if case_path and (path == case_path or path.startswith(case_path + "__")):
        return True
    from django.core.exceptions import FieldDoesNotExist

    first = path.split("__", 1)[0]
    try:
        f = Model._meta.get_field(first)
    except FieldDoesNotExist:
        return False
    if not f.is_relation:
        return True
    # From the case itself: its line's one-to-one record (case → legalaid).
    return not case_path and f.one_to_one


def _q_paths(q) -> list[str] | None:
    out = []
    for leaf in engine._q_leaves(q):
        if not isinstance(leaf, tuple):
            return None  # an expression (Exists …): may read other tables
        out.append(leaf[0])
    return out


@lru_cache(maxsize=4096)
def rolled(m: Measure) -> bool:
    """Is ``m`` additive over days and organisations, and tied to its case's rows only?"""
    if m.stock or engine.over_entries(m) or not engine.batchable(m):
        return False
    Model = engine._model(m)
    is_case = m.model == "cases.Case"
    if not is_case and not m.case_path:
        return False
    one_row_per_case = is_case or ("__" not in m.case_path and Model._meta.get_field(m.case_path).one_to_one)
    if m.agg == "count_cases" and not one_row_per_case:
        return False
    if m.filter is not None and not isinstance(m.filter, Q):
        return False
    paths = _q_paths(m.filter) if m.filter is not None else []
    if paths is None:
        return False
    paths.append(m.date_field)
    if m.agg == "sum":
        paths.append(m.sum_field)
        field = engine._final_field(Model, m.sum_field)
        # Facts keep two decimals: whole numbers and money, nothing finer.
        if not isinstance(field, (models.IntegerField, models.DecimalField)) or getattr(field, "decimal_places", 0) > 2:
            return False
    return all(_stays_on_case(Model, p, m.case_path) for p in paths)


def every_kpi():
    """Every registered KPI and each of its variants (口径): each has facts of its own."""
    for k in registry.kpis():
        yield k
        yield from (k.with_choice(v.key) for v in k.variants)


def _all_measures() -> dict[Measure, list[str]]:
    """Every measure of every registered KPI and of each of its variants, with the
    names it is shown under ("mediation.success_rate 分子")."""
    out: dict[Measure, list[str]] = {}
    for kk in every_kpi():
        name = f"{kk.key}" + (f"（口径 {kk.chosen}）" if kk.chosen else "")
        out.setdefault(kk.numerator, []).append(f"{name} 分子" if kk.denominator is not None else name)
        if kk.denominator is not None:
            out.setdefault(kk.denominator, []).append(f"{name} 分母")
    return out


def catalogue() -> dict[str, Measure]:
    """{key: measure} of every rolled-up measure."""
    return {measure_key(m): m for m in _all_measures() if rolled(m)}


def names() -> dict[str, str]:
    """{key: the KPIs (and sides) the measure stands for}, for messages."""
    out: dict[str, list[str]] = {}
    for m, shown in _all_measures().items():
        out.setdefault(measure_key(m), []).extend(shown)
    return {k: "、".join(dict.fromkeys(v)) for k, v in out.items()}


def _groups(cat: dict[str, Measure]) -> dict[tuple, list[tuple[str, Measure]]]:
    """Measures read by one query: same model, path to the case and date lookup."""
    out: dict[tuple, list] = {}
    for key, m in sorted(cat.items()):
        out.setdefault((m.model, m.case_path, engine._date_lookup(m)), []).append((key, m))
    return out


# --- marks ------------------------------------------------------------------------------------------


def mark(case_ids) -> None:
    """The cases' figures may have changed: note them for the worker, in the caller's
    transaction. A case marked again gets the newer time (see ``DirtyCase``)."""
    now = timezone.now()
    rows = [DirtyCase(case_id=int(pk), marked_at=now) for pk in dict.fromkeys(case_ids)]
    DirtyCase.objects.bulk_create(rows, batch_size=INSERT_BATCH, update_conflicts=True, unique_fields=["case_id"], update_fields=["marked_at"])


# --- computing facts from rows ---------------------------------------------------------------------


def _manager(Model):
    return Model.all_objects if hasattr(Model, "all_objects") else Model._default_manager


def compute(cat: dict[str, Measure], *, orgs=None, days=None, spans=(), within=None, field=None) -> dict:
    """{(org id, case type, measure key, day): (value, rows)} from the rows themselves,
    one query per group; only for ``orgs`` × ``days`` (own cases), the date ranges
    ``spans`` ([(first, last)]) or the subtree ``within`` when given. With ``field``,
    grouped by that field too: the key gains its value."""
    out = {}
    for (_model, _path, lookup), members in _groups(cat).items():
        sample = members[0][1]
        Model, p = engine._model(sample), engine._prefix(sample)
        qs = _manager(Model).filter(**{f"{p}is_deleted": False, f"{lookup}__isnull": False})
        if orgs is not None:
            qs = qs.filter(**{f"{p}owner_org__in": list(orgs)})
        if days is not None:
            qs = qs.filter(**{f"{lookup}__in": list(days)})
        if within is not None:
            qs = qs.filter(**{f"{p}org_path__startswith": within.path})
        if spans:
            q = Q()
            for lo, hi in spans:
                q |= Q(**{f"{lookup}__gte": lo, f"{lookup}__lte": hi})
            qs = qs.filter(q)
        exprs = {}
        for i, (_key, m) in enumerate(members):
            cond = engine._condition(m, None)
            cond = cond if cond.children else None
            exprs[f"v{i}"] = engine._agg_expr(m, cond)
            exprs[f"n{i}"] = Count("pk", filter=cond)
        org_f, type_f = f"{p}owner_org", f"{p}case_type"
        cols = (org_f, type_f, lookup) + ((field,) if field else ())
        for row in qs.order_by().values(*cols).annotate(**exprs).iterator():
            for i, (key, _m) in enumerate(members):
                if row[f"n{i}"]:
                    at = (row[org_f], row[type_f], key, row[lookup]) + ((row[field],) if field else ())
                    out[at] = (Decimal(row[f"v{i}"] or 0), row[f"n{i}"])
    return out


def _facts(values: dict) -> list[DailyFact]:
    return [DailyFact(org_id=o, case_type=t, measure=k, day=d, value=v, rows=n) for (o, t, k, d), (v, n) in values.items()]


def by_month(values: dict) -> dict:
    """{(org, type, key, day): (value, rows)} summed to {(org, type, key, month): …}."""
    out: dict = {}
    for (o, t, k, d), (v, n) in values.items():
        key = (o, t, k, month_of(d))
        got = out.get(key)
        out[key] = (v, n) if got is None else (got[0] + v, got[1] + n)
    return out


def _months(values: dict) -> list[MonthlyFact]:
    return [MonthlyFact(org_id=o, case_type=t, measure=k, month=m, value=v, rows=n) for (o, t, k, m), (v, n) in by_month(values).items()]


def footprints(case_ids=None, cat: dict[str, Measure] | None = None, *, orgs=None) -> dict[int, tuple[int, set]]:
    """{case id: (org id, {days})}: where each (live) case's rows stand now, for every
    date a rolled-up measure reads (only the cases owned by ``orgs`` when given)."""
    cat = catalogue() if cat is None else cat
    lookups: dict[tuple, set] = {}
    for model, case_path, lookup in _groups(cat):
        lookups.setdefault((model, case_path), set()).add(lookup)
    out: dict[int, tuple[int, set]] = {}
    for (model, case_path), found in lookups.items():
        sample = next(m for m in cat.values() if (m.model, m.case_path) == (model, case_path))
        Model, p = engine._model(sample), engine._prefix(sample)
        qs = _manager(Model).filter(**{f"{p}is_deleted": False})
        if case_ids is not None:
            qs = qs.filter(**{f"{p}pk__in": list(case_ids)})
        if orgs is not None:
            qs = qs.filter(**{f"{p}owner_org__in": list(orgs)})
        cols = sorted(found)
        for case_id, org_id, *days in qs.order_by().values_list(f"{p}pk", f"{p}owner_org", *cols).distinct().iterator():
            entry = out.setdefault(case_id, (org_id, set()))
            entry[1].update(d for d in days if d is not None)
    # Every live case has a footprint, with no days when no rolled measure dates it: it
    # names the organisation a transfer leaves, whose deadline counts change too.
    from sifa.cases.models import Case

    cases = Case.objects.all()
    if case_ids is not None:
        cases = cases.filter(pk__in=list(case_ids))
    if orgs is not None:
        cases = cases.filter(owner_org__in=list(orgs))
    for case_id, org_id in cases.order_by().values_list("pk", "owner_org").iterator():
        out.setdefault(case_id, (org_id, set()))
    return out


# --- building and bringing up to date ------------------------------------------------------------------


def _state(lock: bool = True) -> RollupState:
    RollupState.objects.get_or_create(pk=1)
    qs = RollupState.objects.select_for_update() if lock else RollupState.objects
    return qs.get(pk=1)


# A rebuild reads the rows of about this many cases at a time: holding every case's
# footprint and every fact at once took 7 GB at 5M cases (issue 19).
CHUNK_CASES = 100_000


def org_chunks(size: int = CHUNK_CASES) -> list[list[int]]:
    """The organisations that own cases, in groups of about ``size`` cases (an
    organisation with more is a group of its own), in the tree's order."""
    from sifa.cases.models import Case

    counts = Case.all_objects.order_by().values_list("owner_org", "owner_org__path").annotate(n=Count("pk"))
    chunks, current, held = [], [], 0
    for org_id, _path, n in sorted(counts, key=lambda r: r[1]):
        if current and held + n > size:
            chunks.append(current)
            current, held = [], 0
        current.append(org_id)
        held += n
    return chunks + ([current] if current else [])


def rebuild(chunk_cases: int = CHUNK_CASES) -> dict:
    """All facts and footprints from the rows, in one transaction (readers keep the old
    facts until it commits), a group of organisations at a time (``org_chunks``) so
    memory stays bounded whatever the size. Marks left by writers meanwhile are
    processed next run."""
    started = timezone.now()
    facts = cases = 0
    with transaction.atomic():
        state = _state()
        cat, fcat = catalogue(), fieldfacts.catalogue()
        for Model in (DailyFact, MonthlyFact, FieldFact, CaseFootprint):
            Model.objects.all().delete()
        for orgs in org_chunks(chunk_cases):
            values = compute(cat, orgs=orgs)
            made = _facts(values)
            # COPY, not INSERTs: millions of facts and footprints at province scale (most of a 5M rebuild).
            copyinsert.insert(DailyFact, made, keys=False)
            copyinsert.insert(MonthlyFact, _months(values), keys=False)
            del values
            fieldfacts.build(fcat, orgs)
            prints = _prints(footprints(None, cat, orgs=orgs))
            copyinsert.insert(CaseFootprint, prints, keys=False)
            facts, cases = facts + len(made), cases + len(prints)
            del made, prints
        deadlinefacts.build(None, timezone.localdate())
        # Marks older than the build are in it; newer ones may not be.
        DirtyCase.objects.filter(marked_at__lt=started).delete()
        _analyze(DailyFact, MonthlyFact, FieldFact, CaseFootprint, DeadlineFact)
        state.measures, state.built_at, state.last_run = built_names(cat, fcat), timezone.now(), timezone.now()
        state.deadlines_on = timezone.localdate()
        state.save()
    log.info("rollups rebuilt: %d facts, %d measures, %d cases", facts, len(cat), cases)
    return {"facts": facts, "measures": len(cat), "cases": cases}


def _analyze(*models_) -> None:
    """Fresh planner statistics for tables just refilled: until autovacuum came round, a
    reader's plan took the new millions of facts for a handful (a nested loop that cost
    250 ms instead of 7 on the 1M benchmark). In the transaction, it samples its rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for Model in models_:
                cur.execute(f'ANALYZE "{Model._meta.db_table}"')


def built_names(cat: dict, fcat: dict) -> list[str]:
    """What the rollup state lists as built: the measure keys and the field breakdowns
    (``fieldfacts.name``). A different list from the code's means a rebuild."""
    return sorted([*cat, *fcat, deadlinefacts.NAME])


def _prints(found: dict) -> list[CaseFootprint]:
    return [CaseFootprint(case_id=c, org_id=o, days=sorted(d.isoformat() for d in days)) for c, (o, days) in found.items()]


def _pairs_q(pairs, field: str = "day") -> Q:
    q = Q()
    for org_id, day in pairs:
        q |= Q(org_id=org_id, **{field: day})
    return q


def _refresh(cat: dict[str, Measure], fcat: dict, pairs: set) -> int:
    """Recompute the facts of (org id, day) ``pairs``, then their months and the months'
    field facts; returns how many daily facts now stand."""
    if not pairs:
        return 0
    orgs, days = {o for o, _d in pairs}, {d for _o, d in pairs}
    values = {k: v for k, v in compute(cat, orgs=orgs, days=days).items() if (k[0], k[3]) in pairs}
    replace(DailyFact, "day", pairs, _facts(values))
    months = {(o, month_of(d)) for o, d in pairs}
    _refresh_months(months)
    fieldfacts.refresh(fcat, months)
    return len(values)


def replace(Model, field: str, pairs: set, objs: list) -> None:
    """Put ``objs`` in place of ``Model``'s facts of the (org id, ``field``) ``pairs``."""
    ordered = sorted(pairs)
    for i in range(0, len(ordered), 200):
        Model.objects.filter(_pairs_q(ordered[i : i + 200], field)).delete()
    Model.objects.bulk_create(objs, batch_size=INSERT_BATCH)


def _refresh_months(pairs: set) -> None:
    """Sum the (org id, month) ``pairs``' months again from their days, just rewritten."""
    orgs, months = {o for o, _m in pairs}, {m for _o, m in pairs}
    rows = (
        DailyFact.objects.filter(org_id__in=orgs, day__gte=min(months), day__lte=month_end(max(months)))
        .order_by()
        .annotate(m=TruncMonth("day"))
        .values("org_id", "case_type", "measure", "m")
        .annotate(v=Sum("value"), n=Sum("rows"))
    )
    made = [
        MonthlyFact(org_id=r["org_id"], case_type=r["case_type"], measure=r["measure"], month=r["m"], value=r["v"], rows=r["n"])
        for r in rows
        if (r["org_id"], r["m"]) in pairs
    ]
    replace(MonthlyFact, "month", pairs, made)


def _process_batch(cat: dict[str, Measure], fcat: dict, limit: int, until) -> int:
    """One transaction: up to ``limit`` cases marked by ``until``. Returns how many."""
    with transaction.atomic():
        state = _state()
        marks = list(DirtyCase.objects.filter(marked_at__lte=until).order_by("marked_at", "case_id").values_list("case_id", "marked_at")[:limit])
        if not marks:
            state.last_run = timezone.now()
            state.save(update_fields=["last_run"])
            return 0
        ids = [c for c, _at in marks]
        old = {f.case_id: (f.org_id, {date.fromisoformat(d) for d in f.days}) for f in CaseFootprint.objects.filter(case_id__in=ids)}
        new = footprints(ids, cat)
        pairs = set()
        for case_id in ids:
            for org_id, days in (old.get(case_id, (None, ())), new.get(case_id, (None, ()))):
                pairs |= {(org_id, d) for d in days}
        CaseFootprint.objects.filter(case_id__in=ids).delete()
        CaseFootprint.objects.bulk_create(_prints(new))
        _refresh(cat, fcat, pairs)
        # The deadline panel's counts: the organisations the cases stood under and stand under now.
        if orgs := {o for o, _days in (*old.values(), *new.values())}:
            deadlinefacts.build(orgs)
        done = Q()
        for case_id, at in marks:
            done |= Q(case_id=case_id, marked_at=at)  # a newer mark (a change meanwhile) stays
        DirtyCase.objects.filter(done).delete()
        state.last_run = timezone.now()
        state.save(update_fields=["last_run"])
        return len(marks)


def run(*, limit: int | None = None) -> dict:
    """Bring the facts up to date: build them when none are built or the measures
    changed, then process the marked cases in batches. ``limit``: at most this many
    cases this run (the rest wait for the next)."""
    cat, fcat = catalogue(), fieldfacts.catalogue()
    state = _state(lock=False)
    rebuilt = None
    if state.built_at is None or sorted(state.measures) != built_names(cat, fcat):
        rebuilt = rebuild()
    elif state.deadlines_on != timezone.localdate():
        with transaction.atomic():
            deadlinefacts.fold_if_new_day(_state())  # the day's first run (another may have done it meanwhile)
    # Only the marks made before this run started: cases changing all the time cannot keep it running.
    until, processed = timezone.now(), 0
    while limit is None or processed < limit:
        n = _process_batch(cat, fcat, BATCH if limit is None else min(BATCH, limit - processed), until)
        processed += n
        if n == 0:
            break
    return {"rebuilt": rebuilt, "processed": processed, "pending": DirtyCase.objects.count()}


# --- checking -----------------------------------------------------------------------------------


def verify(start: date, end: date, within=None) -> list[dict]:
    """Every (organisation, case type, measure, day) in ``start``..``end`` (under
    ``within``) whose fact differs from the rows, and every month touching the period
    whose monthly or field facts differ from the rows: [{org, case_type, key, day, fact, live}].
    Empty: the facts are the live computation for the period."""
    state = _state(lock=False)
    built = set(state.measures)
    cat = {k: m for k, m in catalogue().items() if k in built}
    fcat = {n: v for n, v in fieldfacts.catalogue().items() if n in built}
    first, last = month_of(start), month_end(end)
    live = compute(cat, spans=[(first, last)], within=within)  # whole months, for the monthly facts
    daily = stored(DailyFact.objects.filter(day__gte=start, day__lte=end), ("day",), cat, within)
    monthly = stored(MonthlyFact.objects.filter(month__gte=first, month__lte=last), ("month",), cat, within)
    return (
        differences({k: v for k, v in live.items() if start <= k[3] <= end}, daily, lambda key: key[3])
        + differences(by_month(live), monthly, lambda key: f"{key[3]:%Y年%m月}（月汇总）")
        + fieldfacts.verify(fcat, first, last, within)
        + _verify_totals(cat, start, end, within)
        + (deadlinefacts.verify(within) if state.deadlines_on else [])
    )


def stored(qs, cols: tuple[str, ...], keys, within) -> dict:
    """{(org id, case type, measure key, *cols): (value, rows)} of the facts in ``qs`` of
    the measure ``keys`` (under ``within``)."""
    qs = qs.filter(measure__in=list(keys))
    if within is not None:
        qs = qs.filter(org__path__startswith=within.path)
    return {tuple(r[:-2]): tuple(r[-2:]) for r in qs.values_list("org_id", "case_type", "measure", *cols, "value", "rows").iterator()}


def differences(live: dict, facts: dict, where) -> list[dict]:
    """Where ``facts`` and ``live`` (keyed (org, case type, measure key, date, …)) differ,
    date first; ``where(key)`` says which day or month, for the message."""
    out = []
    for key in sorted(set(live) | set(facts), key=lambda k: (k[3], k[0], k[1], k[2], *k[4:])):
        fact, real = facts.get(key), live.get(key)
        if fact != real:
            out.append({"org": key[0], "case_type": key[1], "key": key[2], "day": where(key), "fact": fact, "live": real})
    return out


def _verify_totals(cat: dict[str, Measure], start: date, end: date, within) -> list[dict]:
    """Each organisation's period total as readers sum it (facts, by the organisation's
    path) against the rows grouped by the case's own path, as the engine scopes them:
    catches a case whose path no longer matches its organisation's, which the per-day
    check (by owning organisation) cannot see."""
    from sifa.orgs.models import Org

    live: dict = {}
    for (_model, _path, lookup), members in _groups(cat).items():
        sample = members[0][1]
        Model, p = engine._model(sample), engine._prefix(sample)
        qs = _manager(Model).filter(**{f"{p}is_deleted": False, f"{lookup}__gte": start, f"{lookup}__lte": end})
        if within is not None:
            qs = qs.filter(**{f"{p}org_path__startswith": within.path})
        exprs = {}
        for i, (_key, m) in enumerate(members):
            cond = engine._condition(m, None)
            exprs[f"v{i}"] = engine._agg_expr(m, cond if cond.children else None)
        for row in qs.order_by().values(f"{p}org_path").annotate(**exprs):
            for i, (key, _m) in enumerate(members):
                if row[f"v{i}"]:
                    live[(row[f"{p}org_path"], key)] = Decimal(row[f"v{i}"])
    qs = DailyFact.objects.filter(measure__in=list(cat), day__gte=start, day__lte=end)
    if within is not None:
        qs = qs.filter(org__path__startswith=within.path)
    stored = {(r["org__path"], r["measure"]): r["v"] for r in qs.order_by().values("org__path", "measure").annotate(v=Sum("value")) if r["v"]}
    wrong = sorted(k for k in set(live) | set(stored) if live.get(k) != stored.get(k))
    ids = dict(Org.objects.filter(path__in={path for path, _k in wrong}).values_list("path", "pk"))
    out = []
    for path, key in wrong:
        got = {"fact": (stored.get((path, key), Decimal(0)), None), "live": (live.get((path, key), Decimal(0)), None)}
        out.append({"org": ids.get(path, path), "case_type": "", "key": key, "day": f"{start}至{end}合计"} | got)
    return out


def pending() -> int:
    return DirtyCase.objects.count()


def reset_caches() -> None:
    """For tests that declare KPIs on the fly."""
    rolled.cache_clear()
    measure_key.cache_clear()
    fieldfacts.reset_caches()
