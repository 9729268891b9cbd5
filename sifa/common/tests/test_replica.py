"""The read replica (docs/adr/0020-read-replica.md): the router's answers, which
requests enter the replica scope, and, against the harness's real streaming
replica (tools/pgharness.py exports SIFA_TEST_REPLICA_URL), that the dashboard
reads nothing from the primary while a case page reads its case there."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sifa.common import replica
from sifa.common.dbrouter import PrimaryReplicaRouter
from sifa.common.replica import PIN_COOKIE, PRIMARY, REPLICA, ReplicaReadsMiddleware, reading_primary, reading_replica

# The routing tests run on SQLite too (the demo path); those against the replica skip there.
pytestmark = pytest.mark.smoke

router = PrimaryReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    """As if a replica were configured and up, for the tests that need no real one."""
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "reachable", lambda: True)


class _Row:
    class _state:
        db = PRIMARY


class _ReplicaRow:
    class _state:
        db = REPLICA


class _OtherRow:
    class _state:
        db = "archive"


# --- the router ---------------------------------------------------------------------------------


def test_reads_go_to_the_primary_outside_a_scope(with_replica):
    assert router.db_for_read(None) == PRIMARY
    with reading_replica():
        assert router.db_for_read(None) == REPLICA
    assert router.db_for_read(None) == PRIMARY


def test_writes_go_to_the_primary_even_in_a_scope_and_for_a_row_read_from_the_replica(with_replica):
    with reading_replica():
        assert router.db_for_write(None) == PRIMARY
        assert router.db_for_write(None, instance=_ReplicaRow()) == PRIMARY


def test_primary_inside_a_replica_scope_and_nested_scopes_unwind(with_replica):
    with reading_replica():
        with reading_primary():
            assert router.db_for_read(None) == PRIMARY
            with reading_replica():
                assert router.db_for_read(None) == REPLICA
            assert router.db_for_read(None) == PRIMARY
        assert router.db_for_read(None) == REPLICA
        replica.stay_on_primary()
        assert router.db_for_read(None) == PRIMARY
    assert not replica.in_scope()


def test_scope_works_as_a_decorator(with_replica):
    @reading_replica()
    def read():
        return router.db_for_read(None)

    assert read() == REPLICA and router.db_for_read(None) == PRIMARY


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary(with_replica):
    # pytest-django's test transaction is itself an atomic block; one more, to be plain.
    with reading_replica(), transaction.atomic():
        assert router.db_for_read(None) == PRIMARY


class _Refusing:
    in_atomic_block = False

    def ensure_connection(self):
        raise OperationalError("connection refused")


def test_a_replica_that_refuses_connections_is_left_alone_for_a_while(monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "connections", {PRIMARY: _Refusing(), REPLICA: _Refusing()})
    monkeypatch.setattr(replica, "_down_until", 0.0)
    with reading_replica():
        assert router.db_for_read(None) == PRIMARY
    assert replica._down_until > time.monotonic() + replica.DOWN_SECONDS - 5
    # Meanwhile no new attempt: a down replica costs nothing per request.
    monkeypatch.setattr(replica, "connections", {PRIMARY: _Refusing(), REPLICA: None})
    assert replica.reachable() is False


def test_only_the_primary_is_migrated_and_rows_of_both_relate():
    assert router.allow_migrate(REPLICA, "cases") is False
    assert router.allow_migrate(PRIMARY, "cases") is None
    assert router.allow_relation(_Row(), _ReplicaRow()) is True
    assert router.allow_relation(_Row(), _OtherRow()) is None


def test_without_a_replica_every_read_goes_to_the_primary(settings):
    settings.SIFA_REPLICA_READS = True
    if REPLICA in settings.DATABASES:
        settings.SIFA_REPLICA_READS = False  # the switch counts as "not configured"
    assert not replica.configured()
    with reading_replica():
        assert router.db_for_read(None) == PRIMARY


# --- which requests -----------------------------------------------------------------------------


def _scope_seen_by(request, *, status=200):
    seen = {}

    def view(req):
        seen["in_scope"] = replica.in_scope()
        return HttpResponse(status=status)

    response = ReplicaReadsMiddleware(view)(request)
    return seen["in_scope"], response


@pytest.mark.parametrize(
    "path, scoped",
    [
        ("/stats/", True),
        ("/stats/wall/", True),
        ("/stats/report/3/", True),
        ("/api/v1/stats/", True),
        ("/api/v1/stats/mediation.success_rate/", True),
        ("/cases/1/", False),
        ("/ledgers/export/1/", False),
        ("/no/such/page/", False),
    ],
)
def test_declared_views_are_scoped_for_safe_methods(with_replica, path, scoped):
    rf = RequestFactory()
    assert _scope_seen_by(rf.get(path))[0] is scoped
    assert _scope_seen_by(rf.head(path))[0] is scoped
    in_scope, response = _scope_seen_by(rf.post(path))
    assert in_scope is False
    # A browser that writes is kept on the primary for a few seconds (read your own write).
    assert float(response.cookies[PIN_COOKIE].value) > time.time()


def test_a_pinned_browser_reads_the_primary_until_the_pin_runs_out(with_replica):
    rf = RequestFactory()
    request = rf.get("/stats/")
    request.COOKIES[PIN_COOKIE] = f"{time.time() + 5:.0f}"
    assert _scope_seen_by(request)[0] is False
    request = rf.get("/stats/")
    request.COOKIES[PIN_COOKIE] = f"{time.time() - 1:.0f}"
    assert _scope_seen_by(request)[0] is True
    request = rf.get("/stats/")
    request.COOKIES[PIN_COOKIE] = "garbage"
    assert _scope_seen_by(request)[0] is True


def test_with_no_replica_configured_the_middleware_changes_nothing(settings):
    settings.SIFA_REPLICA_READS = False
    rf = RequestFactory()
    assert _scope_seen_by(rf.get("/stats/"))[0] is False
    in_scope, response = _scope_seen_by(rf.post("/stats/report/new/"))
    assert in_scope is False and PIN_COOKIE not in response.cookies


def test_the_middleware_sits_where_the_session_and_the_user_are_read_in_the_scope():
    mw = settings.MIDDLEWARE
    here = mw.index("sifa.common.replica.ReplicaReadsMiddleware")
    assert mw.index("django.contrib.sessions.middleware.SessionMiddleware") < here < mw.index("django.contrib.auth.middleware.AuthenticationMiddleware")


# --- against the harness's streaming replica ----------------------------------------------------

needs_replica = pytest.mark.skipif(
    REPLICA not in settings.DATABASES,
    reason="no streaming replica: run under tools/pgharness.py, which starts one and exports SIFA_TEST_REPLICA_URL",
)


def _caught_up(timeout: float = 30.0) -> None:
    """Wait until the replica has replayed everything the primary has written."""
    with connections[PRIMARY].cursor() as cur:
        # The insert position: with synchronous_commit off (the harness) a commit may
        # return before its WAL is written, and the write position would lag behind it.
        cur.execute("SELECT pg_current_wal_insert_lsn()")
        target = cur.fetchone()[0]
    deadline = time.monotonic() + timeout
    with connections[REPLICA].cursor() as cur:
        while True:
            cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cur.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                pytest.fail(f"the replica did not reach {target} within {timeout:.0f}s")
            time.sleep(0.02)


@contextmanager
def _replay_paused():
    """The replica stops applying the primary's changes: anything written now is
    on the primary only, as it would be under replication lag."""
    with connections[REPLICA].cursor() as cur:
        cur.execute("SELECT pg_wal_replay_pause()")
        for _ in range(500):
            cur.execute("SELECT pg_get_wal_replay_pause_state()")
            if cur.fetchone()[0] == "paused":
                break
            time.sleep(0.01)
    try:
        yield
    finally:
        with connections[REPLICA].cursor() as cur:
            cur.execute("SELECT pg_wal_replay_resume()")


@contextmanager
def _queries():
    with CaptureQueriesContext(connections[PRIMARY]) as primary, CaptureQueriesContext(connections[REPLICA]) as on_replica:
        yield primary, on_replica


def _sign_in(client, user):
    from sifa.accounts.tests.otp import pass_second_factor

    client.force_login(user)
    pass_second_factor(client, user)


@needs_replica
@pytest.mark.django_db(transaction=True, databases=[PRIMARY, REPLICA])
def test_dashboard_reads_only_the_replica_while_a_new_case_is_read_from_the_primary(client, settings, orgs, users):
    from sifa.cases.tests.factories import make_case

    settings.SIFA_REPLICA_READS = True
    make_case(users.office_a, orgs.office_a)
    _sign_in(client, users.leader)
    with connections[REPLICA].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        assert cur.fetchone()[0], "the replica alias must point at a standby"
    # Signing in writes the session twice (created empty by cycle_key, then filled):
    # a real sign-in is a POST, which pins the browser to the primary for a few
    # seconds; this one is not, so let the replica have both writes first.
    _caught_up()
    # The first request after a sign-in starts the idle clock (a session write, on
    # the primary, at most once a minute: accounts.idle); the ones measured follow it.
    assert client.get(reverse("stats:dashboard")).status_code == 200
    _caught_up()

    pages = ("stats:dashboard", "stats:wall", "stats:table", "stats:report", "api:stats-kpis")
    for url in [reverse(name) for name in pages]:
        with _queries() as (primary, on_replica):
            response = client.get(url)
        assert response.status_code == 200, url
        on_primary = [q["sql"][:300] for q in primary.captured_queries]
        assert on_primary == [], f"{url} queried the primary: {on_primary}"
        assert len(on_replica.captured_queries) > 0, url

    # Registered and opened at once, before the replica could have it: the case
    # page is not replica-scoped, so it reads the primary.
    with _replay_paused():
        case = make_case(users.office_a, orgs.office_a, title="刚登记的案件")
        office = Client()
        _sign_in(office, users.office_a)
        with _queries() as (primary, on_replica):
            response = office.get(reverse("cases:detail", args=[case.pk]))
        assert response.status_code == 200 and case.code in response.content.decode()
        assert on_replica.captured_queries == [] and len(primary.captured_queries) > 0


@needs_replica
@pytest.mark.django_db(transaction=True, databases=[PRIMARY, REPLICA])
def test_a_session_the_replica_lacks_is_read_from_the_primary(client, settings, orgs, users):
    settings.SIFA_REPLICA_READS = True
    with _replay_paused():
        _sign_in(client, users.leader)  # a fresh sign-in the replica has not seen
        with _queries() as (primary, on_replica):
            response = client.get(reverse("stats:dashboard"))
        # Signed in, not sent to the login page: the session came from the primary,
        # and so did the rest of the request (the replica is behind for this user).
        assert response.status_code == 200
        assert len(on_replica.captured_queries) == 1 and "django_session" in on_replica.captured_queries[0]["sql"]
        assert len(primary.captured_queries) > 0


@needs_replica
@pytest.mark.django_db(transaction=True, databases=[PRIMARY, REPLICA])
def test_after_a_write_the_browser_reads_the_primary_for_a_while(client, settings, orgs, users):
    settings.SIFA_REPLICA_READS = True
    _sign_in(client, users.leader)
    _caught_up()
    client.post(reverse("stats:dashboard"))  # any unsafe request pins, whatever it answers
    with _queries() as (primary, on_replica):
        assert client.get(reverse("stats:dashboard")).status_code == 200
    assert on_replica.captured_queries == [] and len(primary.captured_queries) > 0
    settings.SIFA_REPLICA_PIN_SECONDS = 0
    client.cookies.pop(PIN_COOKIE)
    client.post(reverse("stats:dashboard"))
    assert PIN_COOKIE not in client.cookies


@needs_replica
@pytest.mark.django_db(transaction=True, databases=[PRIMARY, REPLICA])
def test_a_ledger_export_reads_its_rows_from_the_replica(settings, orgs, users):
    from io import BytesIO

    from openpyxl import load_workbook

    from sifa.cases.tests.factories import make_case
    from sifa.ledgers import jobs
    from sifa.ledgers.models import JobStatus

    settings.SIFA_REPLICA_READS = True
    for i in range(3):
        make_case(users.office_a, orgs.office_a, title=f"导出案件{i}")
    _caught_up()
    with _replay_paused():
        # Written after the replica stopped: an export reading the replica leaves it out.
        make_case(users.office_a, orgs.office_a, title="复制尚未到达的案件")
        with _queries() as (primary, on_replica):
            job = jobs.start_export(users.office_a, "ledgers.cases", {"source": "list", "query": "", "reveal": False}, "案件查询")
    assert job.status == JobStatus.DONE, job.message
    titles = {row[2] for row in load_workbook(BytesIO(job.file.read()), read_only=True).worksheets[0].iter_rows(values_only=True)}
    assert {"导出案件0", "导出案件1", "导出案件2"} <= titles and "复制尚未到达的案件" not in titles
    # The job row itself was read from, and written to, the primary.
    assert any("ledgers_exportjob" in q["sql"] for q in primary.captured_queries)
    assert any("cases_case" in q["sql"] for q in on_replica.captured_queries)
    assert not any(q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for q in on_replica.captured_queries)


def _base_settings(monkeypatch, **env) -> dict:
    import runpy
    from pathlib import Path

    for name in ("DATABASE_URL", "DATABASE_REPLICA_URL", "SIFA_CONN_MAX_AGE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "settings" / "base.py"))


def test_the_settings_add_a_replica_only_when_its_url_is_set(monkeypatch):
    plain = _base_settings(monkeypatch, DATABASE_URL="postgres://app@db1/sifa")
    assert set(plain["DATABASES"]) == {"default"} and "DATABASE_ROUTERS" not in plain

    both = _base_settings(monkeypatch, DATABASE_URL="postgres://app@db1/sifa", DATABASE_REPLICA_URL="postgres://app@db2/sifa?connect_timeout=3")
    primary, copy = both["DATABASES"]["default"], both["DATABASES"]["replica"]
    assert copy["HOST"] == "db2" and copy["NAME"] == "sifa"
    assert (copy["CONN_MAX_AGE"], copy["CONN_HEALTH_CHECKS"]) == (primary["CONN_MAX_AGE"], primary["CONN_HEALTH_CHECKS"])
    assert copy["OPTIONS"]["connect_timeout"] == 3
    assert copy["TEST"] == {"MIRROR": "default"}  # tests never create or flush a database on it
    assert both["DATABASE_ROUTERS"] == ["sifa.common.dbrouter.PrimaryReplicaRouter"]
