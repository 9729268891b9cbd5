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
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sifa.audit.services import record, refused
from sifa.common import worker
from sifa.common.errors import DomainError, PermissionRefused
from sifa.common.replica import reading_replica

from .models import ACTIVE, ExportJob, ImportJob, JobStatus
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
        # Touched now: an export approved hours after it was asked for is not stale.
        ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64], heartbeat_at=timezone.now())
    except Exception:
        log.exception("could not enqueue export %s", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message="后台任务服务不可用，请稍后重试。", finished_at=timezone.now())


def progress_for(job) -> Progress:
    state = {"last": -1}

    def report(done: int, total: int) -> None:
        step = max(total // 50, 1)
        if done == total or done - state["last"] >= step:
            state["last"] = done
            type(job).objects.filter(pk=job.pk).update(progress=done, total=total, heartbeat_at=timezone.now())

    return report


# --- stale jobs ------------------------------------------------------------------------------
# A worker killed mid-job, or a database that went away, leaves a job "active"
# forever and its page polling. Until the operations issue's worker supervises
# its own tasks, a job active but untouched for longer than this is marked
# failed whenever someone looks at it (its page, its poll) and by
# ``manage.py jobs_sweep``. Every step of a job touches ``heartbeat_at``; a
# commit holds its job row locked for the whole of its transaction, so a long
# but live commit is never taken for a dead one (skip_locked below).

STALE_AFTER = timedelta(minutes=10)
STALE_MESSAGE = {
    ImportJob: "后台任务中断（超过{minutes}分钟没有进展，可能是服务重启或数据库中断），未写入任何数据。可点击“重试”重新校验并导入同一文件。",
    ExportJob: "后台任务中断（超过{minutes}分钟没有进展，可能是服务重启或数据库中断）。可重新发起导出。",
}
DEAD_MESSAGE = {
    ImportJob: "后台任务中断（执行它的后台进程已停止），未写入任何数据。可点击“重试”重新校验并导入同一文件。",
    ExportJob: "后台任务中断（执行它的后台进程已停止）。可重新发起导出。",
}


def stale_after() -> timedelta:
    minutes = getattr(settings, "LEDGER_JOB_STALE_MINUTES", None)
    return timedelta(minutes=minutes) if minutes else STALE_AFTER


def stale_message(model) -> str:
    return STALE_MESSAGE[model].format(minutes=int(stale_after().total_seconds() // 60))


def dead_message(model) -> str:
    return DEAD_MESSAGE[model]


def expire_stale(model=ImportJob, *, pks=None, now=None, task_ids=None) -> list[int]:
    """Mark failed the active jobs of ``model`` (only ``pks`` if given) with no
    heartbeat for longer than ``stale_after()``; returns their ids. A job whose
    row another transaction holds (a commit under way) is alive and skipped.

    With the database queue (sifa.common.worker, docs/adr/0018) two rules more:
    a job whose task runs on a dead worker fails at once, however recent its
    heartbeat; a job whose task still waits in the queue while a worker is
    alive is behind other work, not lost, however old its heartbeat.
    ``task_ids``: only the jobs of these tasks, whose worker died (the sweep's hook)."""
    now = now or timezone.now()
    active = model.objects.filter(status__in=ACTIVE)
    if pks is not None:
        active = active.filter(pk__in=pks)
    if task_ids is not None:
        dead = set(task_ids)
        candidates = active.filter(task_id__in=dead)
    else:
        dead, waiting = _queue_state(active, now)
        candidates = active.filter((Q(heartbeat_at__lt=now - stale_after()) & ~Q(task_id__in=waiting)) | Q(task_id__in=dead))
    action = "ledger.import" if model is ImportJob else "ledger.export"
    with transaction.atomic():
        found = list(candidates.select_for_update(skip_locked=True, of=("self",)).select_related("user"))
        if not found:
            return []
        died = [j for j in found if j.task_id in dead]
        for group, message in ((died, dead_message(model)), ([j for j in found if j not in died], stale_message(model))):
            if not group:
                continue
            model.objects.filter(pk__in=[j.pk for j in group]).update(status=JobStatus.FAILED, message=message, finished_at=now, **_stage(model))
            for job in group:
                refused(action, actor=job.user, obj=job, reason=message, detail={"stale_since": job.heartbeat_at.isoformat(), "was": job.status})
    log.warning("marked %d stale %s failed: %s", len(found), model.__name__, [j.pk for j in found])
    return [j.pk for j in found]


def _queue_state(active, now) -> tuple[set[str], set[str]]:
    """(tasks on a dead worker, tasks waiting behind a live one) among ``active``'s."""
    if not worker.uses_database_queue():
        return set(), set()
    ids = list(active.exclude(task_id="").values_list("task_id", flat=True))
    if not ids:
        return set(), set()
    return set(worker.dead_running(ids, now)), worker.queued_with_live_worker(ids, now)


@worker.on_dead_task
def _fail_jobs_of_dead_tasks(task_ids: list[str]) -> None:
    # Called by the worker's sweep before it marks the tasks themselves failed.
    for model in (ImportJob, ExportJob):
        expire_stale(model, task_ids=task_ids)


def _stage(model) -> dict:
    return {"stage": "中断"} if model is ImportJob else {}


def expire_if_stale(job) -> None:
    """For a job page or its poll: a stale job, or one whose worker died, reads failed (and stops polling)."""
    if not job.is_active:
        return
    now = timezone.now()
    died = bool(job.task_id) and worker.uses_database_queue() and bool(worker.dead_running([job.task_id], now))
    if (died or job.heartbeat_at < now - stale_after()) and expire_stale(type(job), pks=[job.pk], now=now):
        job.refresh_from_db()


def run_export(job_id: int) -> None:
    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.PENDING:
        return
    job.status = JobStatus.RUNNING
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "heartbeat_at"])
    try:
        kind = get_kind(job.kind)
        # The rows come from the read replica when there is one (docs/adr/0020); the
        # job itself was read above, and its progress is written, on the primary.
        with reading_replica():
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
