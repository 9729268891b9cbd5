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


def upload(actor, case_pk, uploaded_file, *, category: str = "", description: str = "", event=None) -> Attachment:
    name = _safe_name(getattr(uploaded_file, "name", ""))
    size = getattr(uploaded_file, "size", None)
    limit = settings.SIFA_ATTACHMENT_MAX_BYTES
    if size is not None and size > limit:
        raise DomainError(f"附件“{name}”超过大小限制（最大 {limit // (1024 * 1024)} MB）。", field="file")
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise DomainError(f"附件“{name}”超过大小限制（最大 {limit // (1024 * 1024)} MB）。", field="file")
    if not data:
        raise DomainError(f"附件“{name}”是空文件。", field="file")
    kind = classify(name, data)
    if kind is None:
        raise DomainError(f"附件“{name}”的类型不被允许或与扩展名不符。允许的类型：{LABEL}。", field="file")
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        case = _require_write(actor, case_pk)
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
            uploaded_by=actor,
        )
        att.file.save(att.token, ContentFile(data), save=False)
        att.save()
        if event is None:
            ev = log_event(case, actor, EventKind.ATTACHMENT, f"上传附件：{name}", data={"attachment": att.pk})
            att.event = ev
            att.save(update_fields=["event"])
        record("attachment.upload", actor=actor, obj=att, detail={"case": case.code, "sha256": digest, "size": len(data)})
    return att


class DigestMismatch(DomainError):
    pass


def read_verified(actor, att: Attachment) -> bytes:
    """File content after checking its SHA-256; the download is audited."""
    with att.file.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != att.sha256:
        refused("attachment.download", actor=actor, obj=att, reason="文件摘要不符，可能已被篡改")
        raise DigestMismatch("该附件的校验值不符，文件可能已损坏或被篡改，已拒绝下载并记录。")
    record("attachment.download", actor=actor, obj=att, detail={"case_id": att.case_id})
    return data
