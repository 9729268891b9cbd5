"""The sealed, keyed chain and ``manage.py audit_verify``: an intact log passes;
a changed entry, a removed entry, a removed tail, a chain rebuilt without the
key and an emptied log are named; on PostgreSQL the table refuses every change
but the sealing of an unsealed entry; concurrent writers never fork it and
never wait for one another."""

import hashlib
import io
import threading
import time

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from sifa.audit import checkpoints
from sifa.audit.chain import GENESIS, canonical, compute_hash
from sifa.audit.models import AuditEntry, AuditHead
from sifa.audit.sealer import seal
from sifa.audit.selectors import check_chain
from sifa.audit.services import record

pytestmark = pytest.mark.django_db

needs_pg = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigger and row locks are PostgreSQL's")


def _verify(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _write(n=5, *, sealed=True):
    entries = [record("test.event", detail={"i": i, "text": "中文"}) for i in range(n)]
    if sealed:
        seal()
    return [AuditEntry.objects.get(pk=e.pk) for e in entries]


def _tamper(sql, params=()):
    with connection.cursor() as cur:
        # As the owner (here the superuser) in the test's transaction, rolled back
        # after. Deferred foreign-key checks from this transaction's inserts must
        # fire first: PostgreSQL will not alter a table with pending trigger events.
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
        cur.execute(sql, params)


def test_intact_log_exits_zero():
    _write()
    code, out, _ = _verify()
    assert code == 0 and "审计日志完整" in out and str(AuditEntry.objects.count()) in out


def test_empty_log_is_intact():
    assert _verify()[0] == 0


@pytest.mark.smoke
def test_entries_are_sealed_in_order_and_linked():
    entries = _write(3, sealed=False)
    assert [e.seq for e in entries] == [None, None, None] and all(e.hash == "" for e in entries)
    assert seal() == 3
    entries = [AuditEntry.objects.get(pk=e.pk) for e in entries]
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS
    assert entries[1].prev_hash == entries[0].hash and entries[2].prev_hash == entries[1].hash
    assert AuditHead.objects.get(pk=1).last_hash == entries[2].hash
    assert check_chain().ok


@pytest.mark.smoke
def test_the_hash_is_keyed():
    entry = _write(1)[0]
    plain = hashlib.sha256((GENESIS + "|" + canonical(entry)).encode("utf-8")).hexdigest()
    assert entry.hash == compute_hash(GENESIS, entry) != plain


@pytest.mark.smoke
@pytest.mark.django_db(transaction=True)
def test_an_entry_is_sealed_once_its_transaction_commits():
    with transaction.atomic():
        entry = record("test.event")
        record("test.event")
        assert AuditEntry.objects.get(pk=entry.pk).seq is None
    assert AuditEntry.objects.get(pk=entry.pk).seq is not None
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_entry_leaves_no_gap_in_the_chain():
    record("test.event")
    with pytest.raises(RuntimeError), transaction.atomic():
        record("test.event")
        raise RuntimeError
    record("test.event")
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    assert list(AuditEntry.objects.order_by("id").values_list("seq", flat=True)) == [1, 2]
    if connection.vendor == "postgresql":
        assert ids[1] - ids[0] == 2  # the database's own sequence has the gap; the chain does not
    assert _verify()[0] == 0


@needs_pg
def test_changed_content_is_named_by_seq():
    entries = _write()
    victim = entries[2]
    _tamper("UPDATE audit_auditentry SET detail = '{\"i\": 99}' WHERE seq = %s", [victim.seq])
    code, _, err = _verify()
    assert code == 1 and f"第 {victim.seq} 条" in err and "内容哈希不符" in err


@needs_pg
def test_a_chain_recomputed_without_the_key_is_named_at_the_first_rewritten_entry():
    """The attack of issue 20: rewrite an entry and recompute every following
    hash and the head, as plain SHA-256 (or under any key but ours)."""
    entries = _write()
    rows = list(AuditEntry.objects.order_by("seq"))
    rows[1].action = "forged"
    prev = rows[0].hash
    for row in rows[1:]:
        row.prev_hash = prev
        row.hash = hashlib.sha256((prev + "|" + canonical(row)).encode("utf-8")).hexdigest()
        prev = row.hash
        _tamper("UPDATE audit_auditentry SET action = %s, prev_hash = %s, hash = %s WHERE id = %s", [row.action, row.prev_hash, row.hash, row.id])
    with connection.cursor() as cur:
        cur.execute("ALTER TABLE audit_audithead DISABLE TRIGGER audit_audithead_forward")
        cur.execute("UPDATE audit_audithead SET last_hash = %s", [prev])
    code, _, err = _verify()
    assert code == 1 and f"第 {entries[1].seq} 条" in err and "内容哈希不符" in err


@needs_pg
def test_deleted_middle_entry_is_detected():
    entries = _write()
    _tamper("DELETE FROM audit_auditentry WHERE seq = %s", [entries[2].seq])
    code, _, err = _verify()
    assert code == 1 and "序号不连续" in err and f"应为 {entries[2].seq}" in err


@needs_pg
def test_deleted_last_entry_is_detected():
    entries = _write()
    _tamper("DELETE FROM audit_auditentry WHERE seq = %s", [entries[-1].seq])
    code, _, err = _verify()
    assert code == 1 and f"第 {entries[-1].seq} 条" in err and "链尾记录缺失" in err


def test_an_emptied_log_fails_against_the_latest_checkpoint(tmp_path):
    _write(4)
    point = checkpoints.take(tmp_path / "cp.jsonl")
    assert point["seq"] == 4 and point["count"] == 4 and point["mac"]
    # Empty the log and reset the head as the owner could: without the
    # checkpoint this read "完整：共 0 条".
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
            cur.execute("ALTER TABLE audit_audithead DISABLE TRIGGER audit_audithead_forward")
        cur.execute("DELETE FROM audit_auditentry")
        cur.execute("DELETE FROM audit_audithead")
    assert _verify("--checkpoint", str(tmp_path / "cp.jsonl"))[0] == 1
    code, _, err = _verify("--checkpoint", str(tmp_path / "cp.jsonl"))
    assert code == 1 and "清空或截断" in err and "共 4 条" in err


def test_a_log_rebuilt_from_a_point_fails_against_the_checkpoint(tmp_path):
    _write(3)
    checkpoints.take(tmp_path / "cp.jsonl")
    # A log cut back to its first entry, head moved to match: the chain itself
    # is then consistent, the checkpoint is not.
    first = AuditEntry.objects.get(seq=1)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
            cur.execute("ALTER TABLE audit_audithead DISABLE TRIGGER audit_audithead_forward")
        cur.execute("DELETE FROM audit_auditentry WHERE seq > 1")
        cur.execute("UPDATE audit_audithead SET last_seq = 1, last_hash = %s", [first.hash])
    assert check_chain(checkpoint_file=tmp_path / "cp.jsonl", seal_first=False).ok is False
    code, _, err = _verify("--checkpoint", str(tmp_path / "cp.jsonl"))
    assert code == 1 and "第 3 条" in err


def test_a_changed_checkpoint_is_refused(tmp_path):
    _write(2)
    path = tmp_path / "cp.jsonl"
    checkpoints.take(path)
    path.write_text(path.read_text().replace('"count": 2', '"count": 1'))
    code, _, err = _verify("--checkpoint", str(path))
    assert code == 1 and "校验码不符" in err


def test_a_backup_manifest_serves_as_the_checkpoint(tmp_path):
    import json

    _write(2)
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"files": {}, "audit_checkpoint": checkpoints.take(tmp_path / "cp.jsonl")}, indent=2))
    code, out, _ = _verify("--checkpoint", str(manifest))
    assert code == 0 and "第 2 条" in out


def test_checkpoint_command_writes_the_default_file(settings, tmp_path):
    settings.SIFA_AUDIT_CHECKPOINT_FILE = tmp_path / "audit" / "cp.jsonl"
    _write(2, sealed=False)
    out = io.StringIO()
    call_command("audit_checkpoint", stdout=out)
    assert "第 2 条" in out.getvalue()
    assert checkpoints.latest().seq == 2
    assert _verify()[0] == 0


@needs_pg
@pytest.mark.parametrize("sql", ["UPDATE audit_auditentry SET action = 'x' WHERE seq = %s", "DELETE FROM audit_auditentry WHERE seq = %s"])
def test_trigger_refuses_update_and_delete(sql):
    entry = _write(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, [entry.seq])
    assert AuditEntry.objects.get(seq=entry.seq).action == "test.event"
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=entry.seq).update(action="y")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=entry.seq).delete()
    assert _verify()[0] == 0


@needs_pg
def test_trigger_allows_sealing_once_and_never_with_changed_content():
    entry = _write(1, sealed=False)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(seq=1, hash="f" * 64, action="forged")
    assert seal() == 1
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(hash="f" * 64)
    with pytest.raises(DatabaseError, match="only moves forward"), transaction.atomic():
        AuditHead.objects.filter(pk=1).update(last_seq=0)
    assert _verify()[0] == 0


# --- the application's own database login --------------------------------------------------

APP_ROLE = "sifa_app_test"


@pytest.fixture
def app_role():
    """A login like production's: not a superuser, not the owner, granted by
    ``db_grant_app``. Used through SET LOCAL ROLE inside the test transaction."""
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if not cur.fetchone():
            try:
                with transaction.atomic():
                    cur.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
            except DatabaseError:
                pass  # created meanwhile by the other test worker (roles are cluster-wide)
    call_command("db_grant_app", APP_ROLE, stdout=io.StringIO())
    return APP_ROLE


def _as_app(sql, params=()):
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute(f"SET LOCAL ROLE {APP_ROLE}")
        cur.execute(sql, params)


@needs_pg
@pytest.mark.parametrize(
    ("sql", "refusal"),
    [
        ("UPDATE audit_auditentry SET detail = '{}' WHERE seq = 1", "permission denied"),
        ("UPDATE audit_auditentry SET hash = 'x' WHERE seq = 1", "append-only"),
        ("DELETE FROM audit_auditentry WHERE seq = 1", "permission denied"),
        ("TRUNCATE audit_auditentry", "permission denied"),
        ("TRUNCATE audit_audithead", "permission denied"),
        ("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only", "must be owner"),
        ("DELETE FROM audit_audithead", "permission denied"),
        ("UPDATE audit_audithead SET last_seq = 0", "only moves forward"),
    ],
)
def test_the_application_login_cannot_rewrite_the_audit_trail(app_role, sql, refusal):
    _write(2)
    with pytest.raises(DatabaseError, match=refusal):
        _as_app(sql)
    assert _verify()[0] == 0


@needs_pg
def test_the_application_login_appends_and_seals(app_role):
    _write(1)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"SET LOCAL ROLE {APP_ROLE}")
        record("test.as_app")
        assert seal() == 1
        cur.execute("SELECT count(*) FROM audit_auditentry")
        assert cur.fetchone()[0] == 2
    assert _verify()[0] == 0


@needs_pg
def test_truncate_is_refused_by_the_trigger_even_with_the_privilege(app_role):
    _write(1)
    with pytest.raises(DatabaseError, match="cannot be truncated"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute(f"GRANT TRUNCATE ON audit_auditentry TO {APP_ROLE}")
        cur.execute(f"SET LOCAL ROLE {APP_ROLE}")
        cur.execute("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.count() == 1


@needs_pg
def test_grant_refuses_a_superuser():
    from sifa.audit.dbroles import RoleError, grant_app_role

    with connection.cursor() as cur:
        cur.execute("SELECT current_user")
        me = cur.fetchone()[0]
    with pytest.raises(RoleError, match="超级用户"):
        grant_app_role(me)
    with pytest.raises(RoleError, match="不存在"):
        grant_app_role("no_such_role_here")


# --- concurrency ---------------------------------------------------------------------------


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_chain_holds_under_concurrent_writers():
    record("test.start")
    threads_n, per_thread = 6, 15
    barrier = threading.Barrier(threads_n)
    errors = []

    def worker(t):
        try:
            barrier.wait(timeout=30)
            for i in range(per_thread):
                with transaction.atomic():
                    record("test.concurrent", detail={"thread": t, "i": i})
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seal()
    total = 1 + threads_n * per_thread
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, total + 1))
    assert check_chain().ok
    assert _verify()[0] == 0


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_an_audited_read_does_not_wait_for_the_sealer():
    """Before, every entry took the head-row lock inside the request's
    transaction: reads queued behind one another and behind writes."""
    record("test.start")
    locked, release, took = threading.Event(), threading.Event(), []

    def hold_the_head():
        try:
            with transaction.atomic():
                AuditHead.objects.select_for_update().get(pk=1)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def read():
        try:
            started = time.monotonic()
            record("case.view")
            took.append(time.monotonic() - started)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_head)
    holder.start()
    assert locked.wait(timeout=10)
    reader = threading.Thread(target=read)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive() and took and took[0] < 2
    release.set()
    holder.join()
    assert AuditEntry.objects.filter(action="case.view", seq__isnull=True).exists()  # waits for the next sealer
    seal()
    assert _verify()[0] == 0


# --- moving an existing log onto the key -----------------------------------------------------


def _migration():
    import importlib

    return importlib.import_module("sifa.audit.migrations.0003_sealed_keyed_chain")


def _old_chain(n):
    """Entries as the plain SHA-256 chain wrote them before the key."""
    from django.utils import timezone

    prev = GENESIS
    for i in range(1, n + 1):
        e = AuditEntry(seq=i, at=timezone.now(), action="old.event", detail={"i": i}, prev_hash=prev)
        e.hash = hashlib.sha256((prev + "|" + canonical(e)).encode("utf-8")).hexdigest()
        prev = e.hash
        e.save(force_insert=True)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("ALTER TABLE audit_audithead DISABLE TRIGGER audit_audithead_forward")
            cur.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
    AuditHead.objects.update_or_create(pk=1, defaults={"last_seq": n, "last_hash": prev})


def test_an_intact_old_chain_is_resealed_under_the_key():
    from django.apps import apps

    _old_chain(3)
    _migration().reseal(apps, None)
    assert _verify()[0] == 0


def test_a_broken_old_chain_is_not_laundered():
    from django.apps import apps

    _old_chain(3)
    AuditEntry.objects.filter(seq=2).update(action="forged")
    with pytest.raises(RuntimeError, match="第 2 条"):
        _migration().reseal(apps, None)


def test_a_request_seals_its_entries_once_the_answer_has_gone_out(users, client_for):
    """An audited read inside a request is sealed when the server closes the answer
    (``request_finished``), not while the user waits for it: a WSGI server calls
    ``close()`` after sending, as gunicorn does."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import RequestFactory

    from sifa.cases.tests.factories import make_case

    case = make_case(users.office_a, users.office_a.org)
    seal()
    client = client_for(users.office_a)
    cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    environ = RequestFactory()._base_environ(PATH_INFO=f"/cases/{case.pk}/", HTTP_COOKIE=cookie)
    statuses = []
    # As the test client does: the test's connection must stay open across the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
        assert statuses == ["200 OK"]
        read = AuditEntry.objects.filter(action="case.view", object_id=str(case.pk))
        assert read.exists() and read.get().seq is None  # answered: recorded, not sealed yet
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert read.get().seq is not None and not AuditEntry.objects.filter(seq__isnull=True).exists()
    assert check_chain().ok
