"""The hash chain: what goes into an entry's hash, and how it is checked."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

GENESIS = "0" * 64


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
    return hashlib.sha256((prev_hash + "|" + canonical(entry)).encode("utf-8")).hexdigest()


def verify(entries) -> tuple[bool, int | None, str]:
    """Walk entries in seq order. Returns (ok, first bad seq, explanation)."""
    prev = GENESIS
    expected_seq = 1
    for e in entries:
        if e.seq != expected_seq:
            return False, e.seq, f"序号不连续：应为 {expected_seq}，实为 {e.seq}（有记录被删除）"
        if e.prev_hash != prev:
            return False, e.seq, "前序哈希不符（链条断裂）"
        if compute_hash(prev, e) != e.hash:
            return False, e.seq, "内容哈希不符（记录内容被篡改）"
        prev = e.hash
        expected_seq += 1
    return True, None, ""
