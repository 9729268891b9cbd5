"""Sealing: numbering committed entries and linking them into the chain.

Writers only insert (``services.record``); this is the one place that takes the
head-row lock. It runs after a writer's transaction commits (without waiting:
if another sealer holds the head, that one or the next will pick the entry up),
from ``audit_checkpoint`` on a timer, and before every check. So an audited
read never waits for another request's audit write (issue 19's throughput), and
the chain stays one line in commit order."""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction

from .chain import compute_hash
from .models import AuditEntry, AuditHead

log = logging.getLogger("sifa.audit")

BATCH = 2000


def seal(*, wait: bool = True, limit: int | None = None) -> int:
    """Seal what is committed and unsealed, oldest first. Returns how many were
    sealed. With ``wait=False`` it returns 0 at once when another sealer is at
    work (PostgreSQL; SQLite serialises writers by itself)."""
    total = 0
    while limit is None or total < limit:
        batch = BATCH if limit is None else min(BATCH, limit - total)
        done = _seal_batch(wait=wait, batch=batch)
        total += done
        if done < batch:
            break
    return total


def _seal_batch(*, wait: bool, batch: int) -> int:
    with transaction.atomic():
        found = _head_and_rows(wait=wait, batch=batch)
        if found is None:
            head = AuditHead.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()
            if head is None:
                if AuditHead.objects.filter(pk=1).exists():
                    return 0  # skipped: another sealer holds it
                AuditHead.objects.get_or_create(pk=1)  # a fresh (or flushed) database
                head = AuditHead.objects.select_for_update().get(pk=1)
            found = head.last_seq, head.last_hash, list(AuditEntry.objects.filter(seq__isnull=True).order_by("id")[:batch])
        seq, prev, rows = found
        if not rows:
            return 0
        for row in rows:
            seq += 1
            row.seq, row.prev_hash = seq, prev
            row.hash = compute_hash(prev, row)
            prev = row.hash
        _write(rows, seq, prev)
    return len(rows)


def _head_and_rows(*, wait: bool, batch: int):
    """PostgreSQL: lock the head and read the unsealed entries in one statement
    (head, then the rows, on every audited request: issue 19). None when the head
    is held by another sealer or missing (the general path above decides which),
    and on SQLite."""
    conn = transaction.get_connection()
    if conn.vendor != "postgresql":
        return None
    q = conn.ops.quote_name
    lock = "FOR UPDATE" if wait else "FOR UPDATE SKIP LOCKED"
    sql = (
        f"WITH h AS (SELECT last_seq, last_hash FROM {q(AuditHead._meta.db_table)} WHERE id = 1 {lock}) "  # noqa: S608 (names from the schema)
        f"SELECT e.*, h.last_seq AS sifa_head_seq, h.last_hash AS sifa_head_hash FROM h LEFT JOIN LATERAL "
        f"(SELECT * FROM {q(AuditEntry._meta.db_table)} WHERE seq IS NULL ORDER BY id LIMIT %s) AS e ON TRUE"
    )
    got = list(AuditEntry.objects.raw(sql, [batch], using=conn.alias))  # the transaction's own connection, never a replica
    if not got:
        return None
    return got[0].sifa_head_seq, got[0].sifa_head_hash, [row for row in got if row.pk is not None]


def _write(rows, seq: int, last_hash: str) -> None:
    """Number and link ``rows`` with UPDATE … FROM (VALUES …), and move the head:
    what bulk_update writes as a CASE per column, a few times the Python on every
    audited request (issue 19). PostgreSQL and SQLite (≥ 3.33) both take it;
    VALUES' columns are column1… in both. On PostgreSQL the head moves in the same
    statement (a data-modifying WITH) when the rows fit in one."""
    conn = transaction.get_connection()
    table, head = (conn.ops.quote_name(m._meta.db_table) for m in (AuditEntry, AuditHead))
    move = f"UPDATE {head} SET last_seq = %s, last_hash = %s WHERE id = 1"  # noqa: S608 (names from the schema)
    parts = [rows[i : i + 500] for i in range(0, len(rows), 500)]
    together = conn.vendor == "postgresql" and len(parts) == 1
    with conn.cursor() as cur:
        for part in parts:
            values = ", ".join(["(CAST(%s AS bigint), CAST(%s AS bigint), %s, %s)"] * len(part))
            params = [x for r in part for x in (r.pk, r.seq, r.prev_hash, r.hash)]
            number = f"UPDATE {table} SET seq = v.column2, prev_hash = v.column3, hash = v.column4 FROM (VALUES {values}) AS v WHERE {table}.id = v.column1"  # noqa: S608
            if together:
                cur.execute(f"WITH numbered AS ({number} RETURNING 1) {move}", [*params, seq, last_hash])
            else:
                cur.execute(number, params)
        if not together:
            cur.execute(move, [seq, last_hash])


def seal_after_commit() -> None:
    """Queued by ``record`` with ``on_commit``. Never raises: the caller's work
    has committed and its entry is safe; an unsealed entry waits for the next
    sealer (and, until then, the trigger still refuses changing or deleting it)."""
    try:
        seal(wait=False, limit=BATCH)
    except DatabaseError:
        log.exception("audit sealing failed; the next sealer will retry")
