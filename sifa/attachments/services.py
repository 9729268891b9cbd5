"""Attachment writes and verified reads."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from sifa.audit.services import record, refused
from sifa.cases.choices import EventKind
from sifa.cases.services import _require_write, log_event
from sifa.common.errors import DomainError

from .filetypes import ALLOWED, LABEL, classify
from .models import Attachment


def _safe_name(name: str) -> str:
    name = (name or "").replace("\\", "/").split("/")[-1].strip()
    name = "".join(c for c in name if c.isprintable() and c not in '<>:"|?*')
    return name[:200] or "附件"


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    if n >= 1024:
        return f"{n / 1024:g} KB"
    return f"{n} 字节"


def upload(actor, case_pk, uploaded_file, *, category: str = "", description: str = "", event=None) -> Attachment:
    """Store one file of a case after checking size and type by content. With
    ``event`` the file joins that timeline entry; otherwise an entry “上传附件”
    is written for it. Refused for roles that may not change the case."""
    name, data, kind = _checked(uploaded_file)
    with transaction.atomic():
        case = _require_write(actor, case_pk)
        return _store(actor, case, name, data, kind, category=category, description=description, event=event)


def attach_to_event(actor, case, event, files) -> list[Attachment]:
    """Files sent with a workflow step, stored on that step's timeline entry.
    Called by ``cases.services.transition`` inside its transaction, after it has
    checked the step's own permission (a lawyer's report may carry files)."""
    checked = [_checked(f) for f in files]  # every file is checked before any is stored
    return [_store(actor, case, *c, event=event) for c in checked]


def _checked(uploaded_file) -> tuple[str, bytes, str]:
    name = _safe_name(getattr(uploaded_file, "name", ""))
    size = getattr(uploaded_file, "size", None)
    limit = settings.SIFA_ATTACHMENT_MAX_BYTES
    too_big = f"附件“{name}”超过大小限制（最大 {size_text(limit)}）。"
    if size is not None and size > limit:
        raise DomainError(too_big, field="file")
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise DomainError(too_big, field="file")
    if not data:
        raise DomainError(f"附件“{name}”是空文件。", field="file")
    kind = classify(name, data)
    if kind is None:
        raise DomainError(f"附件“{name}”的类型不被允许或与扩展名不符。允许的类型：{LABEL}。", field="file")
    return name, data, kind


def _store(actor, case, name: str, data: bytes, kind: str, *, category: str = "", description: str = "", event=None) -> Attachment:
    digest = hashlib.sha256(data).hexdigest()
    att = Attachment(
        case=case,
        event=event,
        token=secrets.token_hex(16),
        original_name=name,
        category=(category or "")[:40],
        kind=kind,
        content_type=ALLOWED[kind][0],
        size=len(data),
        sha256=digest,
        description=(description or "")[:200],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    att.file.save(att.token, ContentFile(data), save=False)
    att.save()
    if event is None:
        att.event = log_event(case, actor, EventKind.ATTACHMENT, f"上传附件：{name}", data={"attachment": att.pk})
        att.save(update_fields=["event"])
    record("attachment.upload", actor=actor, obj=att, detail={"case": case.code, "sha256": digest, "size": len(data)})
    return att


class DigestMismatch(DomainError):
    pass


def read_verified(actor, att: Attachment) -> bytes:
    """File content after checking its SHA-256; the download is audited."""
    try:
        with att.file.open("rb") as fh:
            data = fh.read()
    except OSError:
        refused("attachment.download", actor=actor, obj=att, reason="存储中找不到该文件")
        raise DigestMismatch("该附件的文件在存储中找不到，已拒绝下载并记录，请联系系统管理员。") from None
    if hashlib.sha256(data).hexdigest() != att.sha256:
        refused("attachment.download", actor=actor, obj=att, reason="文件摘要不符，可能已被篡改")
        raise DigestMismatch("该附件的校验值不符，文件可能已损坏或被篡改，已拒绝下载并记录。")
    record("attachment.download", actor=actor, obj=att, detail={"case_id": att.case_id})
    return data


# --- orphan files -----------------------------------------------------------------------------------


def sweep_orphans(*, older_than_hours: float = 24, dry_run: bool = False) -> list[str]:
    """Delete stored files that no attachment row names, returning their storage names.

    A file is written before the row's transaction commits (the storage cannot join
    the transaction); if a later check of the same step refuses it, the row rolls
    back and the file stays behind. Nothing refers to such a file, so nothing is
    lost by removing it. Files younger than ``older_than_hours`` are left alone: their
    upload may still be committing. Names are looked up by token (unique, indexed),
    a bucket at a time, so this stays cheap with millions of attachments."""
    import time

    from django.core.files.storage import default_storage

    cutoff = time.time() - older_than_hours * 3600
    removed: list[str] = []
    try:
        buckets, _ = default_storage.listdir("attachments")
    except FileNotFoundError:
        return removed
    for bucket in sorted(buckets):
        _, names = default_storage.listdir(f"attachments/{bucket}")
        for start in range(0, len(names), 1000):
            batch = names[start : start + 1000]
            known = set(Attachment.objects.filter(token__in=batch).values_list("token", flat=True))
            for name in batch:
                path = f"attachments/{bucket}/{name}"
                if name in known or default_storage.get_modified_time(path).timestamp() > cutoff:
                    continue
                if not dry_run:
                    default_storage.delete(path)
                removed.append(path)
    if removed and not dry_run:
        record("attachment.sweep", detail={"removed": len(removed), "first": removed[:20]})
    return removed
