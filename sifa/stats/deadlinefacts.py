"""The dashboard's deadline panel counts (已超期, 即将到期) from small rows (issue 19,
docs/adr/0021): ``DeadlineFact`` holds how many running deadlines each organisation's
own cases of each case type have due on each day, sealed cases apart.

Why: counted live, the panel joins every running deadline of the subtree to its case
for the viewer's scope. A ledger of old cases imported open is overdue at once, and on
the 1M benchmark (a tenth of the cases open, most long overdue) that join was 65 ms of
a bureau dashboard's 118 ms of SQL and 430 of the city's 535; it grows with the cases.

How it stays right:

* the worker (``rollups.run``) counts again the organisations of every case it takes
  off the marks, as it stood before and as it stands now; the recurring duties' job and
  a holiday edit, which change deadlines without a timeline entry, mark their cases
  themselves (``figures_hook``, like every other writer);
* a day's first run counts every organisation afresh, folding what is then overdue
  into one row dated the day before (``build``): without it the rows would grow by an
  organisation's deadline days, one per day, as time passes;
* a row dated before today is overdue today whatever day it was counted on, and a row
  dated today or later is its own due date, so the counts are right on any later day
  even if the worker has not run since;
* ``stats_verify`` checks the rows against the deadlines (``verify``).

Served to the viewers the facts serve (``facts.use_facts``: a whole subtree of every
line); their sealed cases are the ones they handle, counted live (a handful, by the
handler's index), and a role not allowed restricted files skips those types, as
``visible_q`` does. Everyone else, or before the first build: the live count.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, F, Sum
from django.db.models.functions import Greatest
from django.utils import timezone

from .models import DeadlineFact, RollupState

# Listed among the rollup state's built names: an installation that had facts before these
# rebuilds once, so every case gets the footprint that names its organisation.
NAME = "deadlines"


def _rows(orgs, today: date) -> list[DeadlineFact]:
    """The facts of ``orgs`` (None: every organisation), counted now."""
    from sifa.deadlines.selectors import running

    folded = today - timedelta(days=1)
    qs = running()
    if orgs is not None:
        qs = qs.filter(case__owner_org_id__in=list(orgs))
    qs = qs.order_by().annotate(due=Greatest(F("due_date"), folded)).values("case__owner_org_id", "case__case_type", "case__is_sealed", "due")
    return [
        DeadlineFact(org_id=r["case__owner_org_id"], case_type=r["case__case_type"], sealed=r["case__is_sealed"], due_date=r["due"], count=r["n"])
        for r in qs.annotate(n=Count("pk")).iterator()
    ]


def build(orgs=None, today: date | None = None) -> int:
    """Count ``orgs``' running deadlines again (None: all, and the table is folded:
    see the module's docstring). Runs in the caller's transaction; returns the rows."""
    today = today or timezone.localdate()
    made = _rows(orgs, today)
    (DeadlineFact.objects.all() if orgs is None else DeadlineFact.objects.filter(org_id__in=list(orgs))).delete()
    DeadlineFact.objects.bulk_create(made, batch_size=2000)
    return len(made)


def built() -> bool:
    """Have the facts been built? (The rollup state, read once per ``engine.reading()``.)"""
    from .facts import _state

    state = _state()
    return state is not None and state.get("deadlines_on") is not None


def counts(user, org, today: date) -> dict[str, int] | None:
    """{"overdue": n, "due_soon": n} for ``user`` under ``org`` from the facts; None when
    this viewer or this database is counted live (``deadlines.selectors.counts``)."""
    from sifa.cases.selectors import _spec, handled_ids
    from sifa.deadlines import selectors as dl
    from sifa.kit import registry

    from .facts import use_facts

    if user is None or not use_facts(user, org) or not built():
        return None
    restricted = [] if _spec(user).restricted_files else registry.restricted_types()
    rows = DeadlineFact.objects.filter(org__path__startswith=org.path, sealed=False)
    sealed = dl.running().filter(case__in=handled_ids(user), case__is_sealed=True, case__org_path__startswith=org.path)
    if restricted:
        rows, sealed = rows.exclude(case_type__in=restricted), sealed.exclude(case__case_type__in=restricted)
    got = dl.tally(rows, today, lambda f: Sum("count", filter=f))
    mine = dl.tally(sealed, today)
    return {k: got[k] + mine[k] for k in got}


def _by_day(pairs, today: date) -> dict:
    """{(org, case type, sealed, due or None for overdue): count}, overdue days folded."""
    out: dict = {}
    for org, case_type, sealed, due, n in pairs:
        key = (org, case_type, sealed, due if due >= today else None)
        out[key] = out.get(key, 0) + n
    return {k: v for k, v in out.items() if v}


def verify(within=None, today: date | None = None) -> list[dict]:
    """Where the facts differ from the deadlines (under ``within``), in ``rollups.verify``'s
    shape: the organisation, its case type, "在办期限" and the due day (or 已超期)."""
    from sifa.deadlines.selectors import running

    today = today or timezone.localdate()
    live = running()
    stored = DeadlineFact.objects.all()
    if within is not None:
        live, stored = live.filter(case__org_path__startswith=within.path), stored.filter(org__path__startswith=within.path)
    cols = ("case__owner_org_id", "case__case_type", "case__is_sealed", "due_date")
    real = _by_day(live.order_by().values_list(*cols).annotate(n=Count("pk")), today)
    facts = _by_day(stored.order_by().values_list("org_id", "case_type", "sealed", "due_date").annotate(n=Sum("count")), today)
    out = []
    for key in sorted(set(real) | set(facts), key=lambda k: (k[3] or date.min, k[0], k[1], k[2])):
        if real.get(key) != facts.get(key):
            org, case_type, sealed, due = key
            out.append(
                {
                    "org": org,
                    "case_type": f"{case_type}（封存）" if sealed else case_type,
                    "key": "在办期限",
                    "day": f"{due:%Y-%m-%d}到期" if due else f"{today:%Y-%m-%d}前已到期",
                    "fact": (facts.get(key, 0), None),
                    "live": (real.get(key, 0), None),
                }
            )
    return out


def fold_if_new_day(state: RollupState, today: date | None = None) -> bool:
    """The day's first run: count every organisation afresh (folding). Returns whether it did."""
    today = today or timezone.localdate()
    if state.deadlines_on == today:
        return False
    build(None, today)
    state.deadlines_on = today
    state.save(update_fields=["deadlines_on"])
    return True
