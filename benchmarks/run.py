"""`python -m benchmarks.run`: how the statistics pages scale from 10,000 to
1,000,000 cases. Run under tools/pgharness.py (see benchmarks/README.md)."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
TODAY = date(2026, 11, 20)
YEARS = (2022, 2023, 2024, 2025, 2026)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --- data ---------------------------------------------------------------------------------------


def build_tree():
    from sifa.orgs.choices import OrgKind
    from sifa.orgs.services import create_org

    city = create_org(actor=None, name="基准市司法局", short_name="基市", kind=OrgKind.CITY_BUREAU, region_code="350100")
    bureaus, places = [], []
    for b in range(10):
        bureau = create_org(actor=None, name=f"第{b + 1}区司法局", short_name=f"区{b + 1}", kind=OrgKind.BUREAU, region_code=f"3501{b + 2:02d}", parent=city)
        bureaus.append(bureau)
        places.append(bureau)
        for o in range(8):
            office = create_org(
                actor=None,
                name=f"区{b + 1}第{o + 1}司法所",
                short_name=f"{b + 1}-{o + 1}所",
                kind=OrgKind.OFFICE,
                parent=bureau,
                region_code=bureau.region_code,
            )
            places.append(office)
            for m in range(2):
                places.append(
                    create_org(
                        actor=None,
                        name=f"区{b + 1}-{o + 1}第{m + 1}调委会",
                        short_name=f"{b}{o}{m}调",
                        kind=OrgKind.COMMITTEE,
                        parent=office,
                        region_code=bureau.region_code,
                    )
                )
    return city, bureaus, places


def users_for(city, bureaus):
    from sifa.accounts.models import User
    from sifa.accounts.roles import Role

    office = next(o for o in bureaus[0].children.all().order_by("id"))
    mk = lambda name, role, org, **kw: User.objects.create(username=name, full_name=name, role=role, org=org, **kw)  # noqa: E731
    return {
        "city_leader": mk("city_leader", Role.LEADER, city),
        "leader": mk("leader", Role.LEADER, bureaus[0]),
        "staff": mk("staff", Role.SECTION, bureaus[0], lines=["testline"]),
        "office": mk("office", Role.OFFICE, office),
    }


class Loader:
    """Cases by COPY, with codes from per-(bureau, year) sequences."""

    def __init__(self, places, seed=7):
        from sifa.orgs.selectors import bureau_of

        self.places = places
        self.bureau = {p.pk: bureau_of(p) for p in places}
        self.seq: dict[tuple[int, int], int] = {}
        self.rng = random.Random(seed)
        self.loaded = 0

    def _rows(self, n):
        from sifa.cases import codes

        rng = self.rng
        now = timezone.now()
        for _ in range(n):
            org = rng.choice(self.places)
            bureau = self.bureau[org.pk]
            year = rng.choice(YEARS)
            last = date(year, 12, 31) if year < TODAY.year else TODAY
            opened = date(year, 1, 1) + timedelta(days=rng.randrange((last - date(year, 1, 1)).days + 1))
            key = (bureau.pk, year)
            self.seq[key] = s = self.seq.get(key, 0) + 1
            closed, outcome, status, due = None, "", "registered", None
            r = rng.random()
            closed_on = opened + timedelta(days=rng.randrange(1, 60))
            if r < 0.9 and closed_on <= TODAY:
                closed = closed_on
                outcome, status = ("success", "closed") if rng.random() < 0.85 else ("refused", "refused")
            else:
                status = rng.choice(("registered", "accepted", "accepted", "suspended"))
                due = opened + timedelta(days=60)
            yield (
                codes.build(bureau.region_code, "ZZ", year, s),
                "testline",
                bureau.pk,
                org.pk,
                org.path,
                status,
                f"基准案件{s}",
                "",
                rng.choice(("in_person", "phone", "online", "referral", "initiative")),
                opened,
                closed,
                outcome,
                year,
                s,
                "",
                due,
                False,
                False,
                1,
                False,
                "",
                now,
                now,
            )

    def load(self, n, chunk=100_000):
        cols = (
            "code, case_type, bureau_id, owner_org_id, org_path, status, title, summary, channel, opened_on, closed_on, outcome, year, seq, "
            "doc_number, next_due, is_sealed, legal_hold, version, is_deleted, deleted_reason, created_at, updated_at"
        )
        done = 0
        while done < n:
            k = min(chunk, n - done)
            with connection.cursor() as cur, cur.cursor.copy(f"COPY cases_case ({cols}) FROM STDIN") as copy:
                for row in self._rows(k):
                    copy.write_row(row)
            done += k
            self.loaded += k
            log(f"  {self.loaded:,} cases")
        with connection.cursor() as cur:
            # One open deadline per open case (the dashboard's overdue / due-soon panel).
            cur.execute(
                """INSERT INTO deadlines_deadline (case_id, key, label, basis, start_date, amount, unit, extended, paused_days, due_date, cancelled,
                   rule_text, provisional, created_at, updated_at)
                   SELECT c.id, 'decide', '办结期限', '', c.opened_on, 60, 'day', 0, 0, c.next_due, false, '', false, now(), now()
                   FROM cases_case c WHERE c.next_due IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM deadlines_deadline d WHERE d.case_id = c.id)"""
            )
            for (bureau_pk, year), value in self.seq.items():
                region = next(b.region_code for b in self.bureau.values() if b.pk == bureau_pk)
                cur.execute(
                    "INSERT INTO cases_counter (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    [f"code:{region}:ZZ:{year}", value],
                )
            cur.execute("VACUUM ANALYZE cases_case")
            cur.execute("VACUUM ANALYZE deadlines_deadline")


# --- measuring -------------------------------------------------------------------------------------


def scenarios(users, city, bureaus):
    y = "kind=year&year=2026"
    b = bureaus[0].pk
    return [
        ("dashboard · bureau leader", "leader", f"/stats/?{y}"),
        ("dashboard · city leader (all 10 bureaus)", "city_leader", f"/stats/?{y}"),
        ("dashboard · office user", "office", f"/stats/?{y}"),
        ("dashboard · section staff", "staff", f"/stats/?{y}"),
        ("wall display · bureau leader", "leader", f"/stats/wall/?{y}"),
        ("statistics table · bureau leader", "leader", f"/stats/table/?{y}"),
        ("statistics table · quarter", "leader", "/stats/table/?kind=quarter&year=2026&part=3"),
        ("API KPI by office · bureau leader", "leader", f"/api/v1/stats/testline.success_rate/?{y}&org={b}&dim=office"),
        ("drill-down page 1 · bureau leader", "leader", f"/stats/drill/?{y}&kpi=testline.received&org={b}"),
    ]


def measure(users, city, bureaus, runs: int) -> dict:
    clients = {}
    for name, user in users.items():
        c = Client()
        c.force_login(user)
        clients[name] = c
    out = {}
    for label, who, url in scenarios(users, city, bureaus):
        c = clients[who]
        resp = c.get(url)  # warm-up (also fills the calendar cache)
        assert resp.status_code == 200, (label, resp.status_code)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            c.get(url)
            times.append(time.perf_counter() - t)
        with CaptureQueriesContext(connection) as q:
            c.get(url)
        out[label] = {"ms": round(statistics.median(times) * 1000, 1), "queries": len(q.captured_queries)}
        log(f"  {label}: {out[label]['ms']} ms, {out[label]['queries']} queries")
    t = time.perf_counter()
    from sifa.stats.periods import Period
    from sifa.stats.report.builder import build

    build(users["leader"], bureaus[0], Period.year(2026))
    out["Word report · bureau leader (1 run)"] = {"ms": round((time.perf_counter() - t) * 1000, 1), "queries": None}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="statistics scale benchmark")
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    if connection.vendor != "postgresql":
        print("需要 PostgreSQL：请用 make bench（tools/pgharness.py）运行。", file=sys.stderr)
        return 2
    log("migrating")
    call_command("migrate", verbosity=0)
    from sifa.cases.tests import testline
    from sifa.stats.tests.kpis import register_test_kpis

    testline.register()
    register_test_kpis()
    city, bureaus, places = build_tree()
    users = users_for(city, bureaus)
    loader = Loader(places)
    started = time.perf_counter()
    log(f"loading {args.small:,} cases")
    loader.load(args.small)
    small = measure(users, city, bureaus, args.runs)
    log(f"loading up to {args.cases:,} cases")
    t = time.perf_counter()
    loader.load(args.cases - args.small)
    load_s = time.perf_counter() - t
    large = measure(users, city, bureaus, args.runs)
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
    width = max(len(r["scenario"]) for r in rows)
    print()
    print(f"{'scenario':<{width}}  {'10k ms':>9}  {'1M ms':>9}  {'ratio':>6}  {'queries':>11}")
    for r in rows:
        q = "—" if r["queries_small"] is None else f"{r['queries_small']} → {r['queries_large']}"
        print(f"{r['scenario']:<{width}}  {r['ms_small']:>9.1f}  {r['ms_large']:>9.1f}  {r['ratio']:>6}  {q:>11}")
    result = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "cases_small": args.small,
        "cases_large": args.cases,
        "load_seconds": round(load_s, 1),
        "load_rows_per_second": round((args.cases - args.small) / load_s) if load_s else None,
        "total_seconds": round(time.perf_counter() - started, 1),
        "runs": args.runs,
        "results": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"stats-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nloaded {args.cases - args.small:,} cases in {load_s:.0f}s; results: {path.relative_to(RESULTS.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
