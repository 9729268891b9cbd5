"""`python -m benchmarks.load`: mixed load with locust (headless) against
gunicorn running the production settings on loopback. Run under
tools/pgharness.py (`make bench-load`, see benchmarks/README.md).

It loads the benchmark's data (data.py, default 20,000 cases), signs scoped
users in (second factor passed) and gives the office users API tokens, starts
gunicorn with deploy/gunicorn.conf.py and benchmarks/settings.py, warms it up,
then runs locustfile.py at each number of users for a bounded time and writes
throughput and p50/p95 per request type to benchmarks/results/."""

from __future__ import annotations

import argparse
import base64
import csv
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
BIN = Path(sys.executable).parent
VAR = Path(tempfile.mkdtemp(prefix="sifa-bench-load-"))

# Before Django reads its settings: the benchmark's settings module, a throwaway
# secret and keys, and a directory of its own for static files, media and keys.
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
os.environ.setdefault("SIFA_SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
os.environ["SIFA_VAR_DIR"] = str(VAR)
for _k in ("SIFA_FIELD_KEY", "SIFA_HASH_KEY", "SIFA_AUDIT_KEY"):
    os.environ.setdefault(_k, base64.b64encode(secrets.token_bytes(32)).decode())
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks.data import Loader, build_tree, handler_pools, log, users_for  # noqa: E402
from benchmarks.goals import signed_in  # noqa: E402

DASHBOARD = "/stats/?kind=year&year=2026"


def prepare(cases: int, office_sessions: int) -> dict:
    """Data, signed-in sessions, tokens and case ids: the locustfile's config."""
    from sifa.accounts.models import User
    from sifa.accounts.roles import Role
    from sifa.accounts.tokens import issue
    from sifa.cases.models import Case
    from sifa.orgs.models import Org

    log("migrating")
    call_command("migrate", verbosity=0)
    city, bureaus, places = build_tree()
    users = users_for(city, bureaus)
    pools = handler_pools(places, users["office"])
    log(f"loading {cases:,} cases")
    Loader(places, pools).load(cases)
    log("collectstatic")
    call_command("collectstatic", interactive=False, verbosity=0)

    def session_of(user) -> str:
        c = signed_in(user)
        # The session must open a page under the production settings (HTTPS as nginx says it is).
        resp = c.get("/cases/", secure=True, HTTP_HOST="127.0.0.1")
        assert resp.status_code == 200, (user.username, resp.status_code, resp.get("Location"))
        return c.cookies[settings.SESSION_COOKIE_NAME].value

    def case_ids(org) -> list[int]:
        qs = Case.objects.filter(org_path__startswith=org.path, case_type="testline", is_sealed=False).order_by("?")
        return list(qs.values_list("id", flat=True)[:200])

    # One office user per office first (spread over the bureaus), then the next handler of each.
    handlers = list(User.objects.filter(role=Role.OFFICE, org__kind="office").order_by("org_id", "pk").select_related("org"))
    by_office: dict[int, list] = {}
    for u in handlers:
        by_office.setdefault(u.org_id, []).append(u)
    order = [u for rank in range(4) for org_users in by_office.values() if rank < len(org_users) for u in [org_users[rank]]]
    office = []
    log(f"signing in {office_sessions} office users and 10 bureau leaders")
    for user in order[:office_sessions]:
        committee = Org.objects.filter(parent=user.org, kind="committee").order_by("id").first()
        office.append(
            {
                "user": user.username,
                "session": session_of(user),
                "token": issue(user, name="负载基准", days=30).key,
                "cases": case_ids(user.org),
                "committee": committee.pk,
            }
        )
    leaders = []
    for i, bureau in enumerate(bureaus):
        user = users["leader"] if i == 0 else User.objects.create(username=f"leader{i}", full_name=f"局领导{i}", role=Role.LEADER, org=bureau)
        leaders.append({"user": user.username, "session": session_of(user), "cases": case_ids(bureau)})
    # A case page must open for the users it was chosen for.
    c = Client()
    c.cookies[settings.SESSION_COOKIE_NAME] = office[0]["session"]
    assert c.get(f"/cases/{office[0]['cases'][0]}/", secure=True, HTTP_HOST="127.0.0.1").status_code == 200
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "office": office,
        "leaders": leaders,
        "create_url": reverse("api:mediation-disputes"),
        "step_url": reverse("api:mediation-step", args=[0, "accept"]),
        "dashboard_url": DASHBOARD,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, log_path: Path) -> subprocess.Popen:
    env = dict(os.environ, SIFA_WEB_BIND=f"127.0.0.1:{port}")
    out = open(log_path, "w")  # noqa: SIM115 - open for the server's lifetime
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "config.wsgi:application"], cwd=ROOT, env=env, stdout=out, stderr=out
    )
    url = f"http://127.0.0.1:{port}/healthz"
    for _ in range(120):
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited: see {log_path}")
        try:
            req = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
            if urllib.request.urlopen(req, timeout=2).status == 200:  # noqa: S310 - our own http://127.0.0.1 URL
                return proc
        except OSError:
            pass
        time.sleep(0.5)
    proc.terminate()
    raise RuntimeError(f"gunicorn did not answer on {url}: see {log_path}")


def run_locust(port: int, users: int, seconds: int, config: Path, prefix: Path) -> dict:
    env = dict(os.environ, SIFA_BENCH_LOAD_CONFIG=str(config))
    cmd = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "benchmarks" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "10",
    ]
    load_before = os.getloadavg()[0]
    subprocess.run(cmd, cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=seconds + 120)
    return {"users": users, "seconds": seconds, "load_average_before": round(load_before, 2), **read_stats(Path(f"{prefix}_stats.csv"))}


def read_stats(path: Path) -> dict:
    """Locust's stats CSV: throughput and percentiles per request name, and the total."""
    per, total = {}, {}
    with open(path, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            row = {
                "requests": int(r["Request Count"]),
                "failures": int(r["Failure Count"]),
                "rps": round(float(r["Requests/s"]), 1),
                "p50_ms": _num(r["50%"]),
                "p95_ms": _num(r["95%"]),
                "p99_ms": _num(r["99%"]),
            }
            if r["Name"] == "Aggregated":
                total = row
            else:
                per[r["Name"]] = row
    return {"total": total, "by_request": per}


def _num(value: str):
    try:
        return round(float(value))
    except ValueError:
        return None


def table(runs: list[dict]) -> str:
    names = ("list", "detail", "create", "step", "dashboard")
    head = f"{'users':>5}  {'req/s':>6}  {'fail':>5}  {'p95 all':>8}  " + "  ".join(f"{n + ' p95':>14}" for n in names)
    lines = [head]
    for r in runs:
        t = r["total"]
        cells = "  ".join(f"{r['by_request'].get(n, {}).get('p95_ms', '—')!s:>14}" for n in names)
        lines.append(f"{r['users']:>5}  {t['rps']:>6}  {t['failures']:>5}  {t['p95_ms']!s:>8}  {cells}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="mixed load: locust against gunicorn with the production settings")
    ap.add_argument("--cases", type=int, default=20_000)
    ap.add_argument("--users", default="10,30,50", help="numbers of simulated users, one run each")
    ap.add_argument("--seconds", type=int, default=60, help="length of each run")
    ap.add_argument("--office-sessions", type=int, default=60, help="distinct office users signed in (the simulated users share them round robin)")
    ap.add_argument("--name", default="", help="results file name (results/<name>.json); default load-<timestamp>")
    ap.add_argument("--note", default="")
    args = ap.parse_args(argv)
    if connection.vendor != "postgresql":
        print("需要 PostgreSQL：请用 make bench-load（tools/pgharness.py）运行。", file=sys.stderr)
        return 2
    started = time.perf_counter()
    config = prepare(args.cases, args.office_sessions)
    config_path = VAR / "load-config.json"
    config_path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    connection.close()  # gunicorn's workers open their own
    port = free_port()
    gunicorn_log = VAR / "gunicorn.log"
    log(f"starting gunicorn on 127.0.0.1:{port}")
    proc = start_gunicorn(port, gunicorn_log)
    runs = []
    try:
        log("warm-up: 5 users, 15 s (not recorded)")
        run_locust(port, 5, 15, config_path, VAR / "warmup")
        for n in [int(x) for x in args.users.split(",") if x.strip()]:
            log(f"{n} users, {args.seconds} s")
            runs.append(run_locust(port, n, args.seconds, config_path, VAR / f"u{n}"))
            t = runs[-1]["total"]
            log(f"  {t['rps']} req/s, p95 {t['p95_ms']} ms, {t['failures']} failures")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
    print()
    print(table(runs))
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
    result = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "note": args.note,
        "cases": args.cases,
        "settings": "benchmarks.settings (config.settings.prod + loopback host, test line; X-Forwarded-Proto: https)",
        "gunicorn": {
            "config": "deploy/gunicorn.conf.py",
            "workers": int(os.environ.get("SIFA_WEB_WORKERS") or (os.cpu_count() or 1) + 1),
            "threads": int(os.environ.get("SIFA_WEB_THREADS") or 4),
        },
        "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
        "postgresql": pg,
        "think_time": "none (closed loop)",
        "mix": "office users 4 : leaders 1; office: list 5, detail 3, create 1, step 1; leader: dashboard 1, list 2, detail 2",
        "cpus": os.cpu_count(),
        "load_average_end": round(os.getloadavg()[0], 2),
        "total_seconds": round(time.perf_counter() - started),
        "runs": runs,
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{args.name or f'load-{datetime.now():%Y%m%d-%H%M%S}'}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nresults: {path.relative_to(ROOT)}")
    shutil.rmtree(VAR, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
