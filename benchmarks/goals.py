"""The measures of issue 19's goal table that the page scenarios of run.py do
not give: the bureau-year dashboard cold (first request of a fresh process)
and against a hand-written SQL aggregate over the same rows, the scoped case
list as p50/p95 of many requests, case creation through the API with a
token, and a ledger import end to end (upload, validation, commit).

Each returns plain figures; run.py stores them with the page scenarios."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

from django.db import connection
from django.test import Client

from benchmarks.data import log

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = "/stats/?kind=year&year=2026"
YEAR = 2026


def percentiles(times: list[float]) -> dict:
    """p50 / p95 / max in ms of a list of seconds (p95 by nearest rank)."""
    s = sorted(times)
    p95 = s[max(0, int(round(0.95 * len(s))) - 1)]
    return {"n": len(s), "p50_ms": round(statistics.median(s) * 1000, 1), "p95_ms": round(p95 * 1000, 1), "max_ms": round(s[-1] * 1000, 1)}


def signed_in(user) -> Client:
    from sifa.accounts.middleware import requires_2fa
    from sifa.accounts.tests.otp import pass_second_factor

    c = Client()
    c.force_login(user)
    if requires_2fa(user):
        pass_second_factor(c, user)
    return c


# --- cold: the first request of a new process ---------------------------------------------------------


def cold_dashboard(username: str, url: str = DASHBOARD) -> dict:
    """Run benchmarks.cold in a new Python process (the app server just
    started: nothing imported, no URL, template or KPI state yet; the database
    is running and its buffers are as the previous scenarios left them)."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"))
    out = subprocess.run([sys.executable, "-m", "benchmarks.cold", username, url], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"benchmarks.cold failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the same figures in one hand-written SQL statement -------------------------------------------------

# What the bureau leader's year dashboard shows for the test line, straight
# from the tables: this year's and last year's (the 同比) counts of received,
# closed, successful, refused and suspended cases, received by month and by
# office, the parties KPIs (count, respondents) and the open deadlines that are
# overdue or due within 7 days. One statement, the scope as a path prefix.
SQL = """
WITH scoped AS (
    SELECT id, owner_org_id, opened_on, closed_on, outcome, status
    FROM cases_case
    WHERE org_path LIKE %(path)s AND case_type = 'testline' AND NOT is_deleted
      AND (opened_on BETWEEN %(prev)s AND %(end)s OR closed_on BETWEEN %(prev)s AND %(end)s OR status = 'suspended')
), totals AS (
    SELECT
        count(*) FILTER (WHERE opened_on BETWEEN %(start)s AND %(end)s) AS received,
        count(*) FILTER (WHERE opened_on BETWEEN %(prev)s AND %(prev_end)s) AS received_prev,
        count(*) FILTER (WHERE closed_on BETWEEN %(start)s AND %(end)s) AS closed,
        count(*) FILTER (WHERE closed_on BETWEEN %(prev)s AND %(prev_end)s) AS closed_prev,
        count(*) FILTER (WHERE outcome = 'success' AND closed_on BETWEEN %(start)s AND %(end)s) AS success,
        count(*) FILTER (WHERE outcome = 'success' AND closed_on BETWEEN %(prev)s AND %(prev_end)s) AS success_prev,
        count(*) FILTER (WHERE outcome = 'refused' AND closed_on BETWEEN %(start)s AND %(end)s) AS refused,
        count(*) FILTER (WHERE status = 'suspended' AND opened_on BETWEEN %(start)s AND %(end)s) AS suspended
    FROM scoped
), by_month AS (
    SELECT json_object_agg(m, n) AS months FROM (
        SELECT extract(month FROM opened_on)::int AS m, count(*) AS n FROM scoped
        WHERE opened_on BETWEEN %(start)s AND %(end)s GROUP BY 1) t
), by_office AS (
    SELECT json_object_agg(o, n) AS offices FROM (
        SELECT owner_org_id AS o, count(*) AS n FROM scoped
        WHERE opened_on BETWEEN %(start)s AND %(end)s GROUP BY 1) t
), parties AS (
    SELECT count(*) AS parties, count(*) FILTER (WHERE p.role = 'respondent') AS respondents
    FROM cases_party p JOIN scoped c ON c.id = p.case_id
    WHERE c.opened_on BETWEEN %(start)s AND %(end)s
), due AS (
    SELECT count(*) FILTER (WHERE d.due_date < %(today)s) AS overdue,
           count(*) FILTER (WHERE d.due_date BETWEEN %(today)s AND %(today)s + 7) AS due_soon
    FROM deadlines_deadline d JOIN cases_case c ON c.id = d.case_id
    WHERE d.completed_on IS NULL AND NOT d.cancelled AND c.org_path LIKE %(path)s AND NOT c.is_deleted
)
SELECT * FROM totals, by_month, by_office, parties, due
"""


def sql_aggregate(bureau, runs: int) -> dict:
    from django.utils import timezone

    params = {
        "path": f"{bureau.path}%",
        "start": date(YEAR, 1, 1),
        "end": date(YEAR, 12, 31),
        "prev": date(YEAR - 1, 1, 1),
        "prev_end": date(YEAR - 1, 12, 31),
        "today": timezone.localdate(),
    }

    def run():
        with connection.cursor() as cur:
            cur.execute(SQL, params)
            return cur.fetchone()

    first = run()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return {"ms": round(statistics.median(times) * 1000, 1), "received": first[0], "success": first[4]}


# --- many requests: p50 / p95 ---------------------------------------------------------------------------


def repeated(client: Client, url: str, n: int) -> dict:
    client.get(url)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        resp = client.get(url)
        times.append(time.perf_counter() - t)
        assert resp.status_code == 200, (url, resp.status_code)
    return percentiles(times)


def dispute_body(committee_pk: int, i: int) -> dict:
    """A new mediation dispute, with parties of their own (no duplicate check hit)."""
    tag = uuid.uuid4().hex[:6]
    return {
        "owner_org": committee_pk,
        "source": "application",
        "dispute_type": "02",
        "summary": "楼上漏水，双方就维修和赔偿发生争执。",
        "parties": [
            {"role": "applicant", "name": f"申请人{tag}", "phone": f"138{i % 10**8:08d}"},
            {"role": "respondent", "name": f"被申请人{tag}"},
        ],
        "confirm_duplicate": True,
    }


def api_token(user, name: str) -> str:
    from sifa.accounts.tokens import issue

    return issue(user, name=name, days=30).key


def api_create(user, committee_pk: int, n: int) -> dict:
    """POST /api/v1/mediation/disputes/ with a token, n times (after one warm-up)."""
    c = Client(HTTP_AUTHORIZATION=f"Token {api_token(user, f'基准-{uuid.uuid4().hex[:6]}')}")
    url = "/api/v1/mediation/disputes/"
    times = []
    for i in range(n + 1):
        body = json.dumps(dispute_body(committee_pk, i))
        t = time.perf_counter()
        resp = c.post(url, data=body, content_type="application/json")
        if i:
            times.append(time.perf_counter() - t)
        assert resp.status_code == 201, (resp.status_code, resp.content[:500])
    return percentiles(times)


# --- a ledger import, end to end ------------------------------------------------------------------------


def ledger_import(user, committees: list, rows: int) -> dict:
    """Generate an .xlsx of ``rows`` mediation-ledger rows (sifa.mediation's
    own test rows, spread over ``committees``) and take it through the import
    service: upload + validation, then the commit (one transaction). Jobs run
    in the process (the immediate task backend), so the time is the work."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sifa.ledgers.imports import commit, start_import
    from sifa.ledgers.models import JobStatus
    from sifa.mediation.tests import ledgerdata as L

    names = [c.name for c in committees]
    t = time.perf_counter()
    data = L.xlsx([L.row(i, names[i % len(names)], years=(2024, 2025)) for i in range(rows)])
    build_s = time.perf_counter() - t
    log(f"  ledger file: {rows:,} rows, {len(data) / 1e6:.1f} MB in {build_s:.1f}s")
    t = time.perf_counter()
    job = start_import(user, "mediation", SimpleUploadedFile("基准台账.xlsx", data))
    validated = time.perf_counter() - t
    assert job.status == JobStatus.VALIDATED, (job.status, job.message, job.errors[:3])
    job = commit(user, job.pk)
    total = time.perf_counter() - t
    assert job.status == JobStatus.DONE and job.created_count == rows, (job.status, job.message)
    return {
        "rows": rows,
        "validate_s": round(validated, 1),
        "commit_s": round(total - validated, 1),
        "total_s": round(total, 1),
        "rows_per_s": round(rows / total),
    }


# --- all of them ----------------------------------------------------------------------------------------


def importer_for(bureau):
    """Section staff of the bureau on the mediation line: imports its committees' ledgers."""
    from sifa.accounts.models import User
    from sifa.accounts.roles import Role

    user, _ = User.objects.get_or_create(username="importer", defaults={"full_name": "导入员", "role": Role.SECTION, "org": bureau, "lines": ["mediation"]})
    return user


def from_facts(leader: Client, city: Client, runs: int, sql_ms: float) -> dict:
    """The dashboards again once the daily facts are built (ADR 0021): what a leader
    sees in production, where the worker keeps them up to date. The build itself is
    timed (a first deployment, or ``stats_rollup --rebuild`` after a KPI change)."""
    from sifa.stats import rollups

    out = {}
    t = time.perf_counter()
    built = rollups.rebuild()
    out["facts_build"] = {"s": round(time.perf_counter() - t, 1), **built}
    log(f"  goals: facts built {out['facts_build']}")
    page = leader.get(DASHBOARD).content.decode()
    # The page says how current its figures are only when it read them from the facts.
    assert "数据截至" in page, "the dashboard did not read the facts"
    out["dashboard_cold_facts"] = cold_dashboard("leader")
    out["dashboard_warm_facts"] = repeated(leader, DASHBOARD, runs)
    out["dashboard_vs_sql_facts"] = {
        "cold": round(out["dashboard_cold_facts"]["ms"] / sql_ms, 1),
        "warm_p50": round(out["dashboard_warm_facts"]["p50_ms"] / sql_ms, 1),
    }
    out["city_dashboard_facts"] = repeated(city, DASHBOARD, runs)
    log(f"    cold {out['dashboard_cold_facts']}, warm {out['dashboard_warm_facts']}, city {out['city_dashboard_facts']}")
    return out


def measure(users, bureaus, *, runs: int, list_runs: int, creates: int, import_rows: int, facts: bool = True) -> dict:
    from sifa.orgs.models import Org
    from sifa.stats.models import RollupState

    out = {}
    # The live figures first: facts a previous size built would be stale (the loader
    # writes rows in bulk, not through the services that mark changed cases).
    RollupState.objects.filter(pk=1).update(built_at=None)
    leader, city = signed_in(users["leader"]), signed_in(users["city_leader"])
    log("  goals: bureau-year dashboard cold (new process)")
    out["dashboard_cold"] = cold_dashboard("leader")
    log(f"    {out['dashboard_cold']}")
    out["dashboard_warm"] = repeated(leader, DASHBOARD, runs)
    out["sql_aggregate"] = sql_aggregate(bureaus[0], runs)
    sql_ms = out["sql_aggregate"]["ms"] or 0.1
    out["dashboard_vs_sql"] = {
        "cold": round(out["dashboard_cold"]["ms"] / sql_ms, 1),
        "warm_p50": round(out["dashboard_warm"]["p50_ms"] / sql_ms, 1),
    }
    log(f"    warm {out['dashboard_warm']}, SQL {out['sql_aggregate']}, ratios {out['dashboard_vs_sql']}")
    out["city_dashboard"] = repeated(city, DASHBOARD, runs)
    log(f"  goals: city dashboard {out['city_dashboard']}")
    if facts:
        out.update(from_facts(leader, city, runs, sql_ms))
    office = signed_in(users["office"])
    out["case_list_office"] = repeated(office, "/cases/", list_runs)
    out["case_list_leader"] = repeated(leader, "/cases/", list_runs)
    out["case_list_api_office"] = repeated(office, "/api/v1/cases/", list_runs)
    log(f"  goals: scoped list office {out['case_list_office']}, leader {out['case_list_leader']}, API {out['case_list_api_office']}")
    committees = list(Org.objects.filter(kind="committee", path__startswith=bureaus[0].path).order_by("id"))
    mine = [c for c in committees if c.parent_id == users["office"].org_id]
    if creates:
        out["api_create"] = api_create(users["office"], mine[0].pk, creates)
        log(f"  goals: API create {out['api_create']}")
    if import_rows:
        out["ledger_import"] = ledger_import(importer_for(bureaus[0]), committees, import_rows)
        log(f"  goals: ledger import {out['ledger_import']}")
    return out
