"""The hash chain: what goes into an entry's hash, and how it is checked.

Each sealed entry's ``hash`` is HMAC-SHA256, under the audit key, of the
previous entry's hash and the entry's canonical content. The key is kept
outside the database (``SIFA_AUDIT_KEY`` or ``var/keys/audit.key``, like the
field keys), so someone holding only the database login can change a row but
cannot recompute the chain after it: the next check names the row."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings

GENESIS = "0" * 64


@lru_cache(maxsize=1)
def audit_key() -> bytes:
    from sifa.common.crypto import _load_key

    return _load_key(settings.SIFA_AUDIT_KEY, "audit.key")


def canonical(entry) -> str:
    at = entry.at
    if isinstance(at, datetime):
        at = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = {
        "seq": entry.seq,
        "at": at,
        "user_id": entry.user_id,
        "username": entry.username,
        "user_org": entry.user_org,
        "ip": entry.ip,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "result": entry.result,
        "request_id": entry.request_id,
        "detail": entry.detail,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def compute_hash(prev_hash: str, entry) -> str:
    return hmac.new(audit_key(), (prev_hash + "|" + canonical(entry)).encode("utf-8"), hashlib.sha256).hexdigest()


def mac(text: str) -> str:
    """An HMAC over any text under the audit key (checkpoints)."""
    return hmac.new(audit_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def verify(entries) -> tuple[bool, int | None, str]:
    """Walk sealed entries in seq order. Returns (ok, first bad seq, explanation)."""
    prev = GENESIS
    expected_seq = 1
    for e in entries:
        if e.seq != expected_seq:
            return False, e.seq, f"序号不连续：应为 {expected_seq}，实为 {e.seq}（有记录被删除）"
        if e.prev_hash != prev:
            return False, e.seq, "前序哈希不符（链条断裂）"
        if not hmac.compare_digest(compute_hash(prev, e), e.hash):
            return False, e.seq, "内容哈希不符（记录内容被篡改，或哈希被不持有审计密钥者重算）"
        prev = e.hash
        expected_seq += 1
    return True, None, ""
