"""`python -m benchmarks.cold <username> <url>`: the first request of a fresh
process, as after an app server starts (run by goals.cold_dashboard against
the benchmark's database). Prints one JSON line: the time of the first GET and
of the second (warm), and the queries of the first."""

from __future__ import annotations

import json
import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

started = time.perf_counter()

import django  # noqa: E402

django.setup()


def main(username: str, url: str) -> dict:
    from django.db import connections

    from benchmarks.goals import signed_in
    from benchmarks.kpis import register
    from sifa.accounts.models import User

    # What the app server does at start (the line and the benchmark's KPIs registered, as run.py does).
    register()
    # What config/wsgi.py does after building the application (the server's start).
    from sifa.common.warmup import warm

    warm()
    setup_s = time.perf_counter() - started
    client = signed_in(User.objects.get(username=username))
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    t = time.perf_counter()
    with ExitStack() as stack:
        for alias in connections:  # the primary and, when configured, the read replica
            stack.enter_context(connections[alias].execute_wrapper(count))
        resp = client.get(url)
    first = time.perf_counter() - t
    assert resp.status_code == 200, resp.status_code
    t = time.perf_counter()
    client.get(url)
    second = time.perf_counter() - t
    return {"ms": round(first * 1000, 1), "second_ms": round(second * 1000, 1), "queries": len(queries), "process_setup_ms": round(setup_s * 1000)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
