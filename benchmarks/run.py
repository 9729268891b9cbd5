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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.data import Loader, build_tree, handler_pools, log, users_for  # noqa: E402
from benchmarks.kpis import register  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


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


def measure(users, city, bureaus, runs: int, only: str = "", word: bool = True) -> dict:
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
    if word and (not only or "Word" in only):
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


def run_goals(args, users, bureaus, import_rows: int) -> dict:
    if args.no_goals or (args.only and not args.goals):
        return {}
    from benchmarks import goals

    return goals.measure(users, bureaus, runs=args.runs, list_runs=args.list_runs, creates=args.creates, import_rows=import_rows, facts=not args.no_facts)


def goals_table(small: dict, large: dict) -> str:
    """Issue 19's goal table, both sizes side by side."""

    def row(label, key, field, goal):
        s, g = small.get(key, {}).get(field, "—"), large.get(key, {}).get(field, "—")
        return f"{label:<44} {s!s:>10} {g!s:>10}   {goal}"

    lines = [f"{'goal measure':<44} {'small':>10} {'large':>10}   goal"]
    lines.append(row("bureau-year dashboard cold, ms", "dashboard_cold", "ms", "≤ 300"))
    lines.append(row("  ÷ hand-written SQL (cold)", "dashboard_vs_sql", "cold", "≤ 1.5"))
    lines.append(row("  warm p50, ms", "dashboard_warm", "p50_ms", ""))
    lines.append(row("  ÷ hand-written SQL (warm)", "dashboard_vs_sql", "warm_p50", "≤ 1.5"))
    lines.append(row("  hand-written SQL, ms", "sql_aggregate", "ms", ""))
    lines.append(row("city dashboard p50, ms", "city_dashboard", "p50_ms", "≤ 1000"))
    lines.append(row("daily facts built, s", "facts_build", "s", ""))
    lines.append(row("bureau-year dashboard cold · facts, ms", "dashboard_cold_facts", "ms", "≤ 300"))
    lines.append(row("  ÷ hand-written SQL (cold)", "dashboard_vs_sql_facts", "cold", "≤ 1.5"))
    lines.append(row("  warm p50 · facts, ms", "dashboard_warm_facts", "p50_ms", ""))
    lines.append(row("city dashboard p50 · facts, ms", "city_dashboard_facts", "p50_ms", "≤ 1000"))
    lines.append(row("scoped case list p95 · office user, ms", "case_list_office", "p95_ms", "≤ 50"))
    lines.append(row("scoped case list p95 · bureau leader, ms", "case_list_leader", "p95_ms", "≤ 50"))
    lines.append(row("scoped case list API p95 · office user, ms", "case_list_api_office", "p95_ms", ""))
    lines.append(row("case creation via API p50, ms", "api_create", "p50_ms", "≤ 15"))
    lines.append(row("ledger import end to end, rows/s", "ledger_import", "rows_per_s", "≥ 1000"))
    lines.append(row("  rows imported", "ledger_import", "rows", ""))
    return "\n".join(lines)


def compare(small: dict, large: dict) -> list[dict]:
    rows = []
    for label in small:
        s, g = small[label], large.get(label)
        if g is None:
            continue
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
    return rows


def sizes_of(args) -> list[int]:
    """The small size, then every size of --cases (comma-separated, ascending)."""
    large = sorted({int(x.replace("_", "")) for x in str(args.cases).split(",") if x.strip()})
    return [args.small, *(n for n in large if n > args.small)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="scale benchmark: statistics, case list, search, bell, and issue 19's goal measures")
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument(
        "--cases",
        default="1000000",
        help="the large size, or several (1000000,5000000): measured at each in turn, the results file rewritten after each, so a run stopped "
        "for time keeps every size it finished",
    )
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="", help="only scenarios whose label contains this text")
    ap.add_argument("--note", default="", help="free text stored with the results")
    ap.add_argument("--name", default="", help="results file name (results/<name>.json); default stats-<timestamp>")
    ap.add_argument("--goals", action="store_true", help="with --only: take the goal measures too (skipped by --only otherwise)")
    ap.add_argument("--no-goals", action="store_true", help="skip the goal measures (goals.py: cold dashboard, SQL ratio, p95s, API create, import)")
    ap.add_argument("--no-facts", action="store_true", help="skip building the daily KPI facts and the dashboards read from them")
    ap.add_argument("--no-word", action="store_true", help="skip the Word report (tens of seconds at every size)")
    ap.add_argument("--list-runs", type=int, default=40, help="requests per scoped list for its p95")
    ap.add_argument("--creates", type=int, default=30, help="cases created through the API for the p50")
    ap.add_argument("--import-rows", type=int, default=50_000, help="ledger rows imported end to end at each large size")
    ap.add_argument("--small-import-rows", type=int, default=5_000, help="ledger rows imported at the small size")
    args = ap.parse_args(argv)
    if connection.vendor != "postgresql":
        print("需要 PostgreSQL：请用 make bench（tools/pgharness.py）运行。", file=sys.stderr)
        return 2
    city, bureaus, places, users, pools = setup()
    loader = Loader(places, pools)
    started = time.perf_counter()
    path = RESULTS / f"{args.name or f'stats-{datetime.now():%Y%m%d-%H%M%S}'}.json"
    RESULTS.mkdir(exist_ok=True)
    stages = []
    for i, size in enumerate(sizes_of(args)):
        log(f"loading up to {size:,} cases")
        t = time.perf_counter()
        loader.load(size - loader.loaded)
        load_s = time.perf_counter() - t
        pages = measure(users, city, bureaus, args.runs, args.only, word=not args.no_word)
        goals = run_goals(args, users, bureaus, args.small_import_rows if i == 0 else args.import_rows)
        stages.append(
            {
                "cases": size,
                "load_seconds": round(load_s, 1),
                "load_average": round(os.getloadavg()[0], 2),
                "pages": pages,
                "goals": goals,
            }
        )
        first, last = stages[0], stages[-1]
        rows = compare(first["pages"], last["pages"])
        result = {
            "when": datetime.now().isoformat(timespec="seconds"),
            "note": args.note,
            "cases_small": first["cases"],
            "cases_large": last["cases"],
            "load_seconds": last["load_seconds"],
            "total_seconds": round(time.perf_counter() - started, 1),
            "runs": args.runs,
            "server": server_settings(),
            "cpus": os.cpu_count(),
            "load_average": round(os.getloadavg()[0], 2),
            "results": rows,
            "goals": {"small": first["goals"], "large": last["goals"]},
            "stages": stages,
        }
        path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        log(f"{size:,} cases measured (load average {result['load_average']}); results so far: {path.relative_to(RESULTS.parent.parent)}")
    print()
    print(table(rows))
    if stages[-1]["goals"]:
        print(goals_table(stages[0]["goals"], stages[-1]["goals"]))
    print(f"\nresults: {path.relative_to(RESULTS.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
