"""Writing audit entries. ``record()`` is the only way in."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from sifa.common import context

from .chain import compute_hash
from .models import AuditEntry, AuditHead, Result

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
    and reads are recorded by callers outside any rolled-back transaction."""
    ctx = context.current()
    otype, oid, orepr = _object_facts(obj)
    detail = dict(detail or {})
    text = str(detail)
    if len(text) > MAX_DETAIL_CHARS:
        detail = {"truncated": text[:MAX_DETAIL_CHARS]}
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.last_seq + 1,
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
            detail=detail,
            prev_hash=head.last_hash,
        )
        # Hash what the database will give back (JSON round-trip of detail).
        import json

        entry.detail = json.loads(json.dumps(entry.detail, ensure_ascii=False, default=str))
        entry.hash = compute_hash(head.last_hash, entry)
        entry.save(force_insert=True)
        head.last_seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


def refused(action: str, *, actor=None, obj=None, reason: str = "", **kw) -> None:
    """Record a refused access or action. Never raises: failing to audit a refusal
    must not turn a 404 into a 500."""
    try:
        record(action, actor=actor, obj=obj, result=Result.REFUSED, detail={"reason": reason, **kw.pop("detail", {})}, **kw)
    except Exception:
        log.exception("could not write refusal audit entry for %s", action)
