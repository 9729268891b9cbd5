"""Checkpoints: the chain's tip written outside the database.

A checkpoint is (seq, hash, count, at) with an HMAC under the audit key,
appended as one JSON line to ``SIFA_AUDIT_CHECKPOINT_FILE`` and logged to
``sifa.audit.checkpoint`` (the runbook sends that logger to syslog and ships the
file to write-once storage). Someone who empties or cuts the log in the
database, or rebuilds it from a point, cannot move the checkpoints written
before: ``audit_verify`` finds the database behind or different from the latest
one and says so. The backup manifest carries the checkpoint taken with the
dump, so a restored database is checked against its own."""

from __future__ import annotations

import hmac
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .chain import mac
from .models import AuditEntry, AuditHead
from .sealer import seal

log = logging.getLogger("sifa.audit.checkpoint")


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    count: int
    at: str

    def body(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    def as_dict(self) -> dict:
        return {**asdict(self), "mac": mac(self.body())}


def current() -> Checkpoint:
    """Seal what is pending, then read the tip."""
    seal()
    head = AuditHead.objects.filter(pk=1).first()
    seq = head.last_seq if head else 0
    return Checkpoint(
        seq=seq,
        hash=head.last_hash if head else "0" * 64,
        count=AuditEntry.objects.filter(seq__isnull=False, seq__lte=seq).count(),
        at=timezone.now().isoformat(timespec="seconds"),
    )


def take(path: Path | str | None = None) -> dict:
    """Append a checkpoint to the file (created 0600 with its directory) and the
    log. Returns it as a dict (what the backup manifest records)."""
    point = current().as_dict()
    target = Path(path or settings.SIFA_AUDIT_CHECKPOINT_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(point, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    log.info("audit checkpoint %s", json.dumps(point, sort_keys=True))
    return point


class CheckpointError(Exception):
    pass


def parse(point: dict) -> Checkpoint:
    """A checkpoint read back; refused when its MAC does not verify."""
    try:
        cp = Checkpoint(seq=int(point["seq"]), hash=str(point["hash"]), count=int(point["count"]), at=str(point["at"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"检查点格式错误：{exc}") from exc
    if not hmac.compare_digest(mac(cp.body()), str(point.get("mac", ""))):
        raise CheckpointError(f"检查点（第 {cp.seq} 条，{cp.at}）的校验码不符：检查点文件被改动，或审计密钥不是写入时的密钥")
    return cp


def latest(path: Path | str | None = None) -> Checkpoint | None:
    """The last checkpoint in a file of JSON lines (or a file holding one JSON
    object, as a backup's manifest extract). None when there is no file yet."""
    target = Path(path or settings.SIFA_AUDIT_CHECKPOINT_FILE)
    if not target.exists():
        return None
    text = target.read_text(encoding="utf-8").strip()
    if not text:
        return None
    try:
        last = json.loads(text.splitlines()[-1])
    except json.JSONDecodeError:
        try:
            last = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CheckpointError(f"检查点文件无法读取：{exc}") from exc
    if isinstance(last, dict) and "audit_checkpoint" in last:  # a whole backup manifest
        last = last["audit_checkpoint"]
    if not last:
        return None
    return parse(last)


def check(cp: Checkpoint) -> str:
    """'' when the database holds the checkpoint's entry with the same hash and
    at least as many entries; else what is wrong, in Chinese."""
    if cp.seq == 0:
        return ""
    row = AuditEntry.objects.filter(seq=cp.seq).values_list("hash", flat=True).first()
    if row is None:
        have = AuditEntry.objects.filter(seq__isnull=False).count()
        return f"检查点（{cp.at}）记录共 {cp.count} 条、至第 {cp.seq} 条，数据库中只有 {have} 条已封存记录：日志被清空或截断"
    if row != cp.hash:
        return f"第 {cp.seq} 条的哈希与检查点（{cp.at}）不符：该条或之前的记录被改写后重算了哈希链"
    return ""
