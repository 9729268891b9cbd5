"""Export jobs and the kinds of export other apps plug in (the case ledger,
the statistics table, the annual report …). A kind's ``run(job, progress)``
builds the file; this module stores it, records the audit entry and reports
progress, so every export behaves the same: it can be left and come back to
from "我的导入导出"."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from sifa.audit.services import record, refused
from sifa.common.errors import DomainError, PermissionRefused

from .models import ExportJob, JobStatus
from .permissions import can_export

log = logging.getLogger("sifa.ledgers")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

Progress = Callable[[int, int], None]


@dataclass
class ExportResult:
    file_name: str
    content: bytes
    content_type: str = XLSX
    row_count: int = 0
    audit: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ExportKind:
    key: str
    label: str
    run: Callable[[ExportJob, Progress], ExportResult]
    # Extra permission check beyond EXPORT: (user, params) -> message or None.
    check: Callable[[object, dict], str | None] | None = None


_kinds: dict[str, ExportKind] = {}


def register_kind(kind: ExportKind) -> ExportKind:
    _kinds[kind.key] = kind
    return kind


def get_kind(key: str) -> ExportKind:
    try:
        return _kinds[key]
    except KeyError:
        raise DomainError("未知的导出类别。") from None


def start_export(user, kind_key: str, params: dict, label: str) -> ExportJob:
    """Create the job and hand it to the task backend. With the immediate
    backend the job is finished when this returns; with a real one it runs
    in a worker and the job page shows its progress."""
    kind = get_kind(kind_key)
    if not can_export(user):
        refused("ledger.export", actor=user, reason="角色无导出权限", detail={"kind": kind_key})
        raise PermissionRefused("您的角色不能导出数据。")
    if kind.check is not None:
        why = kind.check(user, params)
        if why:
            refused("ledger.export", actor=user, reason=why, detail={"kind": kind_key})
            raise PermissionRefused(why)
    job = ExportJob.objects.create(user=user, kind=kind_key, params=params, label=label[:200])
    enqueue_export(job)
    job.refresh_from_db()
    return job


def enqueue_export(job) -> None:
    """Hand a created (or just approved) export to the task backend."""
    from .tasks import export_task

    try:
        result = export_task.enqueue(job.pk)
        ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    except Exception:
        log.exception("could not enqueue export %s", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message="后台任务服务不可用，请稍后重试。", finished_at=timezone.now())


def progress_for(job) -> Progress:
    state = {"last": -1}

    def report(done: int, total: int) -> None:
        step = max(total // 50, 1)
        if done == total or done - state["last"] >= step:
            state["last"] = done
            type(job).objects.filter(pk=job.pk).update(progress=done, total=total)

    return report


def run_export(job_id: int) -> None:
    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.PENDING:
        return
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        kind = get_kind(job.kind)
        result = kind.run(job, progress_for(job))
        ext = result.file_name.rsplit(".", 1)[-1] if "." in result.file_name else "bin"
        job.file.save(f"{job.pk}-{uuid.uuid4().hex[:12]}.{ext}", ContentFile(result.content), save=False)
        job.file_name = result.file_name[:200]
        job.content_type = result.content_type
        job.row_count = result.row_count
        job.progress = job.total = max(result.row_count, 1)
        job.status = JobStatus.DONE
        job.finished_at = timezone.now()
        job.save()
        record("ledger.export", actor=job.user, obj=job, detail={"kind": job.kind, "label": job.label, "rows": result.row_count, **result.audit})
    except DomainError as exc:
        _fail(job, exc.message)
    except Exception:
        log.exception("export job %s failed", job.pk)
        _fail(job, "导出失败，请稍后重试；如仍失败请联系系统管理员。")


def _fail(job, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message=message, finished_at=timezone.now())
    refused("ledger.export", actor=job.user, obj=job, reason=message, detail={"kind": job.kind})
