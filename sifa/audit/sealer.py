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
        head = AuditHead.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()
        if head is None:
            if AuditHead.objects.filter(pk=1).exists():
                return 0  # skipped: another sealer holds it
            AuditHead.objects.get_or_create(pk=1)  # a fresh (or flushed) database
            head = AuditHead.objects.select_for_update().get(pk=1)
        rows = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id")[:batch])
        if not rows:
            return 0
        seq, prev = head.last_seq, head.last_hash
        for row in rows:
            seq += 1
            row.seq, row.prev_hash = seq, prev
            row.hash = compute_hash(prev, row)
            prev = row.hash
        _write(rows)
        AuditHead.objects.filter(pk=1).update(last_seq=seq, last_hash=prev)
    return len(rows)


def _write(rows) -> None:
    """Number and link ``rows`` in one UPDATE … FROM (VALUES …): what bulk_update
    writes as a CASE per column, a few times the Python on every audited request
    (issue 19). PostgreSQL and SQLite (≥ 3.33) both take it; VALUES' columns are
    column1… in both."""
    conn = transaction.get_connection()
    table = conn.ops.quote_name(AuditEntry._meta.db_table)
    for start in range(0, len(rows), 500):
        part = rows[start : start + 500]
        values = ", ".join(["(CAST(%s AS bigint), CAST(%s AS bigint), %s, %s)"] * len(part))
        params = [x for r in part for x in (r.pk, r.seq, r.prev_hash, r.hash)]
        with conn.cursor() as cur:
            cur.execute(
                f"UPDATE {table} SET seq = v.column2, prev_hash = v.column3, hash = v.column4 FROM (VALUES {values}) AS v WHERE {table}.id = v.column1",  # noqa: S608 (names from the schema, values bound)
                params,
            )


def seal_after_commit() -> None:
    """Queued by ``record`` with ``on_commit``. Never raises: the caller's work
    has committed and its entry is safe; an unsealed entry waits for the next
    sealer (and, until then, the trigger still refuses changing or deleting it)."""
    try:
        seal(wait=False, limit=BATCH)
    except DatabaseError:
        log.exception("audit sealing failed; the next sealer will retry")
