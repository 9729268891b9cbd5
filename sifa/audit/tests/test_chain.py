"""The hash chain and ``manage.py audit_verify``: an intact log passes; a
changed entry, a removed entry and a removed tail are named; on PostgreSQL the
table refuses UPDATE and DELETE by itself; concurrent writers never fork it."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from sifa.audit.models import AuditEntry
from sifa.audit.selectors import check_chain
from sifa.audit.services import record

pytestmark = pytest.mark.django_db

needs_pg = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigger and row locks are PostgreSQL's")


def _verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _write(n=5):
    return [record("test.event", detail={"i": i, "text": "中文"}) for i in range(n)]


def _tamper(sql, params=()):
    with connection.cursor() as cur:
        # The trigger is switched off inside the test's transaction (rolled back
        # after). Deferred foreign-key checks from this transaction's inserts must
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
def test_chain_links_each_entry_to_the_previous():
    entries = _write(3)
    assert entries[0].prev_hash == "0" * 64
    assert entries[1].prev_hash == entries[0].hash and entries[2].prev_hash == entries[1].hash
    assert check_chain().ok


@needs_pg
def test_changed_content_is_named_by_seq():
    entries = _write()
    victim = entries[2]
    _tamper("UPDATE audit_auditentry SET detail = '{\"i\": 99}' WHERE seq = %s", [victim.seq])
    code, _, err = _verify()
    assert code == 1 and f"第 {victim.seq} 条" in err and "内容哈希不符" in err


@needs_pg
def test_recomputed_hash_still_breaks_the_next_link():
    from sifa.audit.chain import compute_hash

    entries = _write()
    victim = AuditEntry.objects.get(seq=entries[1].seq)
    victim.action = "forged"
    _tamper("UPDATE audit_auditentry SET action = 'forged', hash = %s WHERE seq = %s", [compute_hash(victim.prev_hash, victim), victim.seq])
    code, _, err = _verify()
    assert code == 1 and f"第 {entries[2].seq} 条" in err and "前序哈希不符" in err


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
@pytest.mark.django_db(transaction=True)
def test_chain_holds_under_concurrent_writers():
    record("test.start")  # the head row exists before the race
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
    total = 1 + threads_n * per_thread
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, total + 1))
    assert check_chain().ok
    assert _verify()[0] == 0
