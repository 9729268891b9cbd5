"""Reads of the audit log: the search behind the audit administrator's page and
the whole-log integrity check (also used by ``manage.py audit_verify``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .chain import verify
from .models import AuditEntry, AuditHead


def _day_start(d: date) -> datetime:
    # Whole days in Asia/Shanghai, as aware datetimes: `at__date` would defeat the index.
    return timezone.make_aware(datetime.combine(d, time.min))


def search(
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    username: str = "",
    action: str = "",
    result: str = "",
    object_type: str = "",
    object_id: str = "",
    ip: str = "",
    request_id: str = "",
) -> QuerySet[AuditEntry]:
    """Newest first. ``action`` ending in "." (e.g. "auth.") matches the group."""
    qs = AuditEntry.objects.all()
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to + timedelta(days=1)))
    if username:
        qs = qs.filter(username=username)
    if action:
        qs = qs.filter(action__startswith=action) if action.endswith(".") else qs.filter(action=action)
    if result:
        qs = qs.filter(result=result)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if ip:
        qs = qs.filter(ip=ip)
    if request_id:
        qs = qs.filter(request_id=request_id)
    return qs.order_by("-id")


def entry(seq: int) -> AuditEntry | None:
    return AuditEntry.objects.filter(seq=seq).first()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    bad_seq: int | None = None
    message: str = ""
    pending: int = 0  # committed, not yet sealed
    checkpoint: str = ""  # what was checked against, for the report


def check_chain(*, checkpoint_file=None, seal_first: bool = True) -> ChainReport:
    """Seal what is pending, then walk the chain up to the head as it stands.
    Entries appended while the check runs are beyond that head and are left for
    the next check.

    Detects: a changed entry (its HMAC no longer matches; without the key a
    forger cannot recompute it), a removed entry in the middle (a gap in the
    chain's own numbering), removed entries at the end (the head remembers the
    last seq and hash), and an emptied, cut or rebuilt log (the latest
    checkpoint, kept outside the database, is ahead of or differs from it)."""
    from . import checkpoints

    if seal_first:
        from .sealer import seal

        seal()
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = head.last_seq if head else 0
    last_hash = head.last_hash if head else ""
    pending = AuditEntry.objects.filter(seq__isnull=True).count()
    try:
        cp = checkpoints.latest(checkpoint_file)
    except checkpoints.CheckpointError as exc:
        return ChainReport(False, 0, None, str(exc), pending)
    noted = f"检查点：{cp.at}，第 {cp.seq} 条" if cp else "尚无检查点"
    entries = AuditEntry.objects.filter(seq__isnull=False, seq__lte=last_seq).order_by("seq")
    ok, bad_seq, why = verify(entries.iterator(chunk_size=2000))
    if not ok:
        return ChainReport(False, entries.count(), bad_seq, why, pending, noted)
    count = entries.count()
    if count != last_seq:
        first_missing = count + 1
        return ChainReport(False, count, first_missing, f"链尾记录缺失：应有 {last_seq} 条，实有 {count} 条（第 {first_missing} 条起被删除）", pending, noted)
    if last_seq:
        tail = entries.order_by("-seq").values_list("hash", flat=True).first()
        if tail != last_hash:
            return ChainReport(False, count, last_seq, "链尾哈希与记录不符（末尾记录被替换）", pending, noted)
    if cp:
        problem = checkpoints.check(cp)
        if problem:
            named = cp.seq if AuditEntry.objects.filter(seq=cp.seq).exists() else None
            return ChainReport(False, count, named, problem, pending, noted)
    return ChainReport(True, count, pending=pending, checkpoint=noted)
