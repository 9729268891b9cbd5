"""Writing audit entries. ``record()`` is the only way in."""

from __future__ import annotations

import json
import logging
import threading

from django.db import transaction
from django.utils import timezone

from sifa.common import context

from .models import AuditEntry, Result
from .sealer import seal_after_commit

log = logging.getLogger("sifa.audit")

MAX_DETAIL_CHARS = 4000


def _object_facts(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = getattr(obj, "_meta", None)
    otype = meta.label_lower if meta else type(obj).__name__
    oid = str(getattr(obj, "pk", "") or "")
    return otype, oid, str(obj)[:200]


def record(
    action: str,
    *,
    actor=None,
    obj=None,
    result: str = Result.OK,
    detail: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    username: str = "",
) -> AuditEntry:
    """Append one entry. Runs inside the caller's transaction when there is one,
    so a rolled-back write leaves no audit entry claiming it happened; refusals
    and reads are recorded by callers outside any rolled-back transaction. The
    entry is sealed into the chain after the commit (``sealer``)."""
    ctx = context.current()
    otype, oid, orepr = _object_facts(obj)
    detail = dict(detail or {})
    text = str(detail)
    if len(text) > MAX_DETAIL_CHARS:
        detail = {"truncated": text[:MAX_DETAIL_CHARS]}
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        at=timezone.now(),
        user=actor if authenticated else None,
        username=(actor.username if authenticated else username)[:150],
        user_org=(str(actor.org) if authenticated and getattr(actor, "org_id", None) else "")[:100],
        ip=ctx.ip,
        action=action,
        object_type=object_type or otype,
        object_id=object_id or oid,
        object_repr=(object_repr or orepr)[:200],
        result=result,
        request_id=ctx.request_id,
        # What the database will give back (the JSON round-trip), which is what
        # the sealer hashes.
        detail=json.loads(json.dumps(detail, ensure_ascii=False, default=str)),
    )
    # No lock here: the entry is numbered and chained by the sealer once this
    # transaction commits, so audited reads and writes never queue on the head.
    entry.save(force_insert=True)
    _seal_on_commit()
    return entry


_request = threading.local()


def _seal_on_commit() -> None:
    # In a request: once the answer has gone out (``seal_when_finished``), so no user waits
    # for the sealing's transaction (issue 19: a case page's read cost five more statements
    # and a commit). Elsewhere (a task, a command): once per transaction, after its commit.
    if context.active() is not None:
        _request.pending = True
        return
    conn = transaction.get_connection()
    if not any(seal_after_commit in item for item in conn.run_on_commit):
        transaction.on_commit(seal_after_commit)


def seal_when_finished(sender=None, **kwargs) -> None:
    """``request_finished``: the server has sent the answer and closed it (the same
    thread). Seals what this request recorded, and whatever else is waiting."""
    if getattr(_request, "pending", False):
        _request.pending = False
        seal_after_commit()


def refused(action: str, *, actor=None, obj=None, reason: str = "", **kw) -> None:
    """Record a refused access or action. Never raises: failing to audit a refusal
    must not turn a 404 into a 500."""
    try:
        record(action, actor=actor, obj=obj, result=Result.REFUSED, detail={"reason": reason, **kw.pop("detail", {})}, **kw)
    except Exception:
        log.exception("could not write refusal audit entry for %s", action)
