"""`python -m benchmarks.run`: how the statistics pages, the case list, search
and the top bar's bell scale from 10,000 to 1,000,000 cases. Run under
tools/pgharness.py (see benchmarks/README.md)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.data import Loader, build_tree, handler_pools, log, users_for  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


# --- KPIs over a line's model -----------------------------------------------------------------------
#
# The lines' own tables are not filled, but their KPIs take one engine path the
# test line's do not: a measure over a model joined to its case (case_path).
# These two, over core tables that are filled, take that path.


def bench_kpis():
    from sifa.cases.tests.testline import KEY
    from sifa.stats.definitions import KPI, MONTH, OFFICE, Measure

    on_case = {"model": "cases.Party", "case_path": "case", "date_field": "case__opened_on", "case_types": (KEY,)}
    parties = Measure("当事人", **on_case)
    respondents = Measure("被申请人", **on_case, filter=Q(role="respondent"))
    multi = Measure("多方当事人案件", **on_case, filter=Q(sort_order__gt=0), agg="count_cases")
    order_sum = Measure("当事人序号合计", **on_case, agg="sum", sum_field="sort_order")
    overdue = Measure(
        "超期未办结",
        model="deadlines.Deadline",
        case_path="case",
        date_field="due_date",
        case_types=(KEY,),
        filter=Q(completed_on__isnull=True, cancelled=False),
    )
    return (
        KPI("bench.parties", KEY, "当事人人次", "人", numerator=parties, dimensions=(OFFICE, MONTH), headline=True, order=70),
        KPI("bench.respondent_rate", KEY, "有被申请人占比", "%", numerator=respondents, denominator=parties, headline=True, order=71),
        KPI("bench.multi_cases", KEY, "多方当事人案件", "件", numerator=multi, order=72),
        KPI("bench.order_sum", KEY, "当事人序号合计", "", numerator=order_sum, order=73),
        KPI("bench.overdue", KEY, "期限届满未办结", "件", numerator=overdue, dimensions=(OFFICE, MONTH), order=74, higher_is_better=False),
    )


# --- measuring -------------------------------------------------------------------------------------


def scenarios(city, bureaus):
    y = "kind=year&year=2026"
    b = bureaus[0].pk
    office = bureaus[0].children.order_by("id").first()
    return [
        ("dashboard · bureau leader", "leader", f"/stats/?{y}"),
        ("dashboard · city leader (all 10 bureaus)", "city_leader", f"/stats/?{y}"),
        ("dashboard · office user", "office", f"/stats/?{y}"),
        ("dashboard · section staff", "staff", f"/stats/?{y}"),
        ("wall display · bureau leader", "leader", f"/stats/wall/?{y}"),
        ("statistics table · bureau leader", "leader", f"/stats/table/?{y}"),
        ("statistics table · quarter", "leader", "/stats/table/?kind=quarter&year=2026&part=3"),
        ("statistics table · city leader", "city_leader", f"/stats/table/?{y}"),
        ("API KPI by office · bureau leader", "leader", f"/api/v1/stats/testline.success_rate/?{y}&org={b}&dim=office"),
        ("API line-model KPI by office · bureau leader", "leader", f"/api/v1/stats/bench.parties/?{y}&org={b}&dim=office"),
        ("drill-down page 1 · bureau leader", "leader", f"/stats/drill/?{y}&kpi=testline.received&org={b}"),
        ("drill-down line-model page 1 · bureau leader", "leader", f"/stats/drill/?{y}&kpi=bench.parties&org={b}"),
        ("case list · bureau leader", "leader", "/cases/"),
        ("case list · city leader", "city_leader", "/cases/"),
        ("case list · office user, open", "office", "/cases/?due=open"),
        ("case list · filters, sort by due", "leader", f"/cases/?case_type=testline&status=accepted&org={office.pk}&sort=due"),
        ("case list · overdue · bureau leader", "leader", "/cases/?due=overdue"),
        ("case list · date range, page 3", "leader", "/cases/?date_from=2026-01-01&date_to=2026-03-31&page=3"),
        ("search · code prefix", "leader", "/cases/?q=350102ZZ2026000"),
        ("search · full code", "leader", "/cases/?q=__CODE__"),
        ("search · party name", "leader", "/cases/?q=张伟"),
        ("search · party name · city leader", "city_leader", "/cases/?q=张伟"),
        ("search · pinyin initials", "leader", "/cases/?q=zw"),
        ("home page · office user", "office", "/"),
    ]


def calls(users):
    from sifa.deadlines.selectors import bell_count

    return [
        ("bell · office user (handler)", lambda: bell_count(users["office"])),
        ("bell · bureau leader", lambda: bell_count(users["leader"])),
        ("bell · city leader", lambda: bell_count(users["city_leader"])),
    ]


def _timed(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    with CaptureQueriesContext(connection) as q:
        fn()
    return {"ms": round(statistics.median(times) * 1000, 1), "queries": len(q.captured_queries)}


def measure(users, city, bureaus, runs: int, only: str = "") -> dict:
    from sifa.accounts.middleware import requires_2fa
    from sifa.accounts.tests.otp import pass_second_factor
    from sifa.cases.models import Case

    clients = {}
    for name, user in users.items():
        c = Client()
        c.force_login(user)
        if requires_2fa(user):  # leaders sign in with TOTP by default
            pass_second_factor(c, user)
        clients[name] = c
    code = Case.objects.filter(bureau=bureaus[0], year=2026).order_by("seq").values_list("code", flat=True)[12]
    out = {}
    for label, who, url in scenarios(city, bureaus):
        if only and only not in label:
            continue
        url = url.replace("__CODE__", code)
        c = clients[who]

        def get(c=c, url=url, label=label):
            resp = c.get(url)
            assert resp.status_code == 200, (label, resp.status_code)

        out[label] = _timed(get, runs)
        log(f"  {label}: {out[label]['ms']} ms, {out[label]['queries']} queries")
    for label, fn in calls(users):
        if only and only not in label:
            continue
        out[label] = _timed(fn, runs)
        log(f"  {label}: {out[label]['ms']} ms, {out[label]['queries']} queries")
    if not only or "Word" in only:
        from sifa.stats.periods import Period
        from sifa.stats.report.builder import build

        t = time.perf_counter()
        build(users["leader"], bureaus[0], Period.year(2026))
        out["Word report · bureau leader (1 run)"] = {"ms": round((time.perf_counter() - t) * 1000, 1), "queries": None}
    return out


def setup():
    """Migrate, register the test line and its KPIs, build the tree and users."""
    log("migrating")
    call_command("migrate", verbosity=0)
    register()
    city, bureaus, places = build_tree()
    users = users_for(city, bureaus)
    pools = handler_pools(places, users["office"])
    return city, bureaus, places, users, pools


def register():
    from sifa.cases.tests import testline
    from sifa.stats import registry
    from sifa.stats.tests.kpis import register_test_kpis

    testline.register()
    register_test_kpis()
    registry.register(*bench_kpis())


def server_settings() -> dict:
    """The PostgreSQL settings the figures depend on most (the harness runs defaults)."""
    names = ("server_version", "jit", "work_mem", "shared_buffers", "random_page_cost", "max_parallel_workers_per_gather")
    with connection.cursor() as cur:
        cur.execute("SELECT name, setting, unit FROM pg_settings WHERE name = ANY(%s)", [list(names)])
        return {name: f"{setting}{' ' + unit if unit else ''}" for name, setting, unit in cur.fetchall()}


def table(rows) -> str:
    width = max(len(r["scenario"]) for r in rows)
    lines = [f"{'scenario':<{width}}  {'small ms':>9}  {'large ms':>9}  {'ratio':>6}  {'queries':>11}"]
    for r in rows:
        q = "—" if r["queries_small"] is None else f"{r['queries_small']} → {r['queries_large']}"
        lines.append(f"{r['scenario']:<{width}}  {r['ms_small']:>9.1f}  {r['ms_large']:>9.1f}  {r['ratio']!s:>6}  {q:>11}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="scale benchmark: statistics, case list, search, bell")
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="", help="only scenarios whose label contains this text")
    ap.add_argument("--note", default="", help="free text stored with the results")
    args = ap.parse_args(argv)
    if connection.vendor != "postgresql":
        print("需要 PostgreSQL：请用 make bench（tools/pgharness.py）运行。", file=sys.stderr)
        return 2
    city, bureaus, places, users, pools = setup()
    loader = Loader(places, pools)
    started = time.perf_counter()
    log(f"loading {args.small:,} cases")
    loader.load(args.small)
    small = measure(users, city, bureaus, args.runs, args.only)
    log(f"loading up to {args.cases:,} cases")
    t = time.perf_counter()
    loader.load(args.cases - args.small)
    load_s = time.perf_counter() - t
    large = measure(users, city, bureaus, args.runs, args.only)
    rows = []
    for label in small:
        s, g = small[label], large[label]
        rows.append(
            {
                "scenario": label,
                "ms_small": s["ms"],
                "ms_large": g["ms"],
                "ratio": round(g["ms"] / s["ms"], 2) if s["ms"] else None,
                "queries_small": s["queries"],
                "queries_large": g["queries"],
            }
        )
    print()
    print(table(rows))
    result = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "note": args.note,
        "cases_small": args.small,
        "cases_large": args.cases,
        "load_seconds": round(load_s, 1),
        "load_rows_per_second": round((args.cases - args.small) / load_s) if load_s else None,
        "total_seconds": round(time.perf_counter() - started, 1),
        "runs": args.runs,
        "server": server_settings(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "results": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"stats-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nloaded {args.cases - args.small:,} cases in {load_s:.0f}s; results: {path.relative_to(RESULTS.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
