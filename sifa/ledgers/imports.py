"""Importing a ledger: upload → validation of every row (preview) → commit in
ONE transaction. Any error, in any row, and nothing is written; the report
names the row (as the spreadsheet numbers it), the column and the problem."""

from __future__ import annotations

import logging
import os
import uuid

from django.db import connection, transaction
from django.utils import timezone

from sifa.audit.models import Result as AuditResult
from sifa.audit.services import record, refused
from sifa.common.errors import DomainError, PermissionRefused, Refused
from sifa.kit import registry
from sifa.kit import registry as case_registry
from sifa.kit.columns import as_text
from sifa.kit.ledger import ImportContext, Ledger, RowRefused

from . import parsed, readers
from .bulk import import_rows
from .jobs import progress_for
from .models import ImportJob, JobStatus
from .permissions import can_import
from .readers import _norm_header
from .validation import validate

log = logging.getLogger("sifa.ledgers")

ALLOWED_EXTENSIONS = (".xlsx", ".xlsm", ".csv", ".txt")
PREVIEW_ROWS = 20


def importable_ledger(user, case_type: str) -> Ledger:
    ledger = registry.find_ledger(case_type)
    if ledger is None or not ledger.importable:
        raise DomainError("该业务没有可导入的台账。", field="case_type")
    if not can_import(user, case_type):
        refused("ledger.import", actor=user, reason="无权导入该业务台账", detail={"case_type": case_type})
        raise PermissionRefused("您无权导入该业务的台账。")
    return ledger


def start_import(user, case_type: str, upload) -> ImportJob:
    importable_ledger(user, case_type)
    if upload is None:
        raise DomainError("请选择要导入的文件。", field="file")
    name = os.path.basename(getattr(upload, "name", "") or "台账")[:200]
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise DomainError("只能导入 .xlsx 或 .csv 文件。", field="file")
    if getattr(upload, "size", 0) > readers.MAX_BYTES:
        raise DomainError(f"文件过大，单个台账文件不超过{readers.MAX_BYTES // 1024 // 1024}MB，可拆分后分批导入。", field="file")
    if not getattr(upload, "size", 1):
        raise DomainError("文件是空的。", field="file")
    job = ImportJob(user=user, case_type=case_type, file_name=name, stage="排队")
    job.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=True)
    _enqueue("validate", job)
    job.refresh_from_db()
    return job


def _enqueue(which: str, job: ImportJob) -> None:
    from .tasks import commit_import_task, validate_import_task

    task = validate_import_task if which == "validate" else commit_import_task
    try:
        result = task.enqueue(job.pk)
        _touch(job, task_id=str(result.id)[:64])
    except Exception:
        log.exception("could not enqueue import %s", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message="后台任务服务不可用，请稍后重试。", finished_at=timezone.now())


def _touch(job: ImportJob, **fields) -> None:
    """Update the job and its heartbeat (jobs.expire_stale)."""
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now(), **fields)


def _context(job: ImportJob) -> ImportContext:
    from sifa.cases.selectors import creatable_orgs, registration_scope
    from sifa.orgs.choices import kind_label
    from sifa.orgs.selectors import bureau_of

    scope = registry.scope_type(job.case_type)  # a register's ledger is scoped as its line's cases
    entries = registry.find_register(job.case_type) is not None
    return ImportContext(
        user=job.user,
        case_type=job.case_type,
        file_name=job.file_name,
        today=timezone.localdate(),
        job=job,
        # A line that registers beyond the user's scope (通办: an office for the centre) names the orgs itself.
        orgs_for=lambda: (creatable_orgs if registry.case_type(scope).owners_for and not entries else registration_scope)(job.user, scope),
        bureau=bureau_of(job.user.org),
        owner_kinds={} if entries else {k: kind_label(k) for k in registry.case_type(scope).owner_kinds},
    )


def _read_and_validate(job: ImportJob, ctx: ImportContext, *, keep: bool = False):
    """Read the upload (or the rows its validation kept, ``parsed``) and validate every row.
    ``keep``: a validation that passes keeps what it read for the commit."""
    ledger = registry.ledger(job.case_type)
    with job.file.open("rb") as fh:
        data = fh.read()
    known = {_norm_header(c.header) for c in ledger.import_columns()}
    sheet_key = parsed.key(data, known)
    sheet = None if keep else parsed.load(job, sheet_key)
    if sheet is None:
        sheet = readers.read(job.file_name, data, known)
    _touch(job, total=sheet.total, progress=0, stage="逐行校验")
    res = validate(ledger, sheet, ctx, progress_for(job))
    if keep and res.ok:
        parsed.save(job, sheet_key, sheet)
    return ledger, sheet, res


def _preview(ledger: Ledger, sheet, errors) -> dict:
    cols = ledger.import_columns()
    by_header = {_norm_header(c.header): i for i, c in enumerate(cols)}
    pos = {}
    for i, h in enumerate(sheet.headers):
        if h in by_header and by_header[h] not in pos:
            pos[by_header[h]] = i
    bad = {e.row for e in errors}
    rows = []
    for number, cells in sheet.rows[:PREVIEW_ROWS]:
        values = [as_text(cells[pos[i]]) if i in pos and pos[i] < len(cells) else "" for i in range(len(cols))]
        rows.append({"row": number, "values": values, "bad": number in bad})
    return {"headers": [c.header for c in cols], "rows": rows}


def run_validation(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.PENDING:
        return
    # Only the one that moves it from PENDING runs it (a retried job, a task delivered twice).
    if not ImportJob.objects.filter(pk=job.pk, status=JobStatus.PENDING).update(status=JobStatus.RUNNING, stage="读取文件", heartbeat_at=timezone.now()):
        return
    ctx = _context(job)
    try:
        ledger, sheet, res = _read_and_validate(job, ctx, keep=True)
    except DomainError as exc:
        _finish_invalid(job, [[0, "文件", exc.message]], 1, [], exc.message)
        return
    except Exception:
        log.exception("import validation %s failed", job.pk)
        _finish_failed(job, "读取或校验文件时出错，未写入任何数据。")
        return
    job.refresh_from_db()
    job.preview = _preview(ledger, sheet, res.errors)
    job.notes = res.notes
    job.row_count = len(res.rows)
    job.error_count = res.error_count
    job.errors = [e.as_list() for e in res.errors]
    job.progress = job.total = sheet.total
    job.finished_at = job.heartbeat_at = timezone.now()
    if res.ok:
        job.status, job.stage = JobStatus.VALIDATED, "待确认"
        job.message = f"共{len(res.rows):,}行数据全部通过校验，确认后将一次性导入。"
        job.save()
        record("ledger.import.check", actor=job.user, obj=job, detail={"case_type": job.case_type, "file": job.file_name, "rows": len(res.rows)})
    else:
        job.status, job.stage = JobStatus.INVALID, "校验未通过"
        job.message = f"发现{res.error_count:,}处错误，未写入任何数据。请修改文件后重新上传。"
        job.save()
        record(
            "ledger.import.check",
            actor=job.user,
            obj=job,
            result=AuditResult.FAILED,
            detail={"case_type": job.case_type, "file": job.file_name, "errors": res.error_count, "first": job.errors[:3]},
        )


def commit(user, job_id) -> ImportJob:
    """Confirm a validated import. Only its owner may; only once."""
    job = ImportJob.objects.filter(pk=job_id, user=user).first()
    if job is None:
        from django.http import Http404

        raise Http404("未找到该导入任务。")
    importable_ledger(user, job.case_type)
    if job.status != JobStatus.VALIDATED:
        raise Refused(f"该导入任务当前为“{job.get_status_display()}”，不能确认导入。")
    # A double click or a second tab must not import twice: only one request wins the status change.
    if not ImportJob.objects.filter(pk=job.pk, status=JobStatus.VALIDATED).update(
        status=JobStatus.COMMITTING, stage="排队", progress=0, heartbeat_at=timezone.now()
    ):
        raise Refused("该导入任务已在处理中。")
    _enqueue("commit", job)
    job.refresh_from_db()
    return job


def retry(user, job_id) -> ImportJob:
    """Start a failed import (its worker killed, the database gone …) again
    from the same stored file: validation first, then the user confirms as
    for a new upload. Only its owner may; only one request wins."""
    job = ImportJob.objects.filter(pk=job_id, user=user).first()
    if job is None:
        from django.http import Http404

        raise Http404("未找到该导入任务。")
    importable_ledger(user, job.case_type)
    if job.status != JobStatus.FAILED:
        raise Refused(f"该导入任务当前为“{job.get_status_display()}”，不能重试。")
    if not job.file or not job.file.storage.exists(job.file.name):
        raise Refused("该导入任务的文件已不存在，请重新上传。")
    reset = {"progress": 0, "total": 0, "row_count": 0, "error_count": 0, "errors": [], "notes": [], "preview": {}, "message": "", "finished_at": None}
    if not ImportJob.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(status=JobStatus.PENDING, stage="排队", heartbeat_at=timezone.now(), **reset):
        raise Refused("该导入任务已在处理中。")
    record("ledger.import.retry", actor=user, obj=job, detail={"case_type": job.case_type, "file": job.file_name})
    _enqueue("validate", job)
    job.refresh_from_db()
    return job


def run_commit(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.COMMITTING:
        return
    try:
        _run_commit(job)
    finally:
        parsed.drop(job)  # whatever the outcome: a retry validates (and keeps) afresh


def _run_commit(job: ImportJob) -> None:
    user = job.user
    if not can_import(user, job.case_type):
        _finish_failed(job, "您已无权导入该业务的台账，未写入任何数据。")
        return
    ctx = _context(job)
    _touch(job, stage="重新校验")
    try:
        # Validate again: the data may have changed since the preview (an office closed, a rule changed).
        ledger, sheet, res = _read_and_validate(job, ctx)
        if not res.ok:
            _finish_invalid(
                job, [e.as_list() for e in res.errors], res.error_count, res.notes, f"确认导入时重新校验发现{res.error_count:,}处错误，未写入任何数据。"
            )
            return
        _touch(job, stage="写入数据库（全部成功或全部不写入）")
        with transaction.atomic():
            # Held to the end of the transaction: jobs.expire_stale skips a
            # locked job, so a long live commit is never taken for a dead one,
            # and a job already marked failed (stale) is not imported after all.
            if ImportJob.objects.select_for_update().filter(pk=job.pk, status=JobStatus.COMMITTING).first() is None:
                return
            cases = import_rows(ledger, res.rows, ctx)
            if len(cases) != len(res.rows):
                raise RuntimeError(f"ledger {ledger.case_type} created {len(cases)} cases for {len(res.rows)} rows")
            found_codes = sorted(c.code for c in cases)
            record(
                "ledger.import",
                actor=user,
                obj=job,
                detail={
                    "case_type": job.case_type,
                    "file": job.file_name,
                    "rows": len(cases),
                    "first_code": found_codes[0] if found_codes else "",
                    "last_code": found_codes[-1] if found_codes else "",
                },
            )
            # DONE in the same transaction as the cases: a worker killed after
            # the commit leaves a done job, never a "stale" one that a retry
            # would import twice.
            _touch(
                job,
                status=JobStatus.DONE,
                stage="已完成",
                created_count=len(cases),
                first_code=found_codes[0] if found_codes else "",
                last_code=found_codes[-1] if found_codes else "",
                progress=sheet.total,
                message=_done_message(job.case_type, len(cases)),
                finished_at=timezone.now(),
            )
    except RowRefused as exc:
        _finish_invalid(job, [[exc.row, exc.column, exc.message]], 1, [], "导入时发现错误，未写入任何数据。")
        return
    except DomainError as exc:
        _finish_invalid(job, [[0, "—", exc.message]], 1, [], f"导入时发现错误，未写入任何数据：{exc.message}")
        return
    except Exception:
        log.exception("import commit %s failed", job.pk)
        _finish_failed(job, "导入失败，未写入任何数据。请稍后重试；如仍失败请联系系统管理员。")
        return
    _refresh_planner_statistics(len(cases))


# Below this many rows autovacuum's own ANALYZE comes soon enough.
ANALYZE_AFTER_ROWS = 1000
# An import adding less than this share of the rows the statistics already describe
# barely moves them (autovacuum's own threshold, autovacuum_analyze_scale_factor, is
# 10 %), so it is not worth the wait: at 1M cases the ANALYZE took 2 s of a 2,000-row
# import's time and more at 5M, whatever the import's size (it samples the tables).
ANALYZE_SHARE = 0.1


def _known_cases() -> float:
    """Rows of the case table as the planner's statistics know them (-1: never analysed)."""
    with connection.cursor() as cur:
        cur.execute("SELECT reltuples FROM pg_class WHERE oid = 'cases_case'::regclass")
        return cur.fetchone()[0]


def _refresh_planner_statistics(rows: int) -> None:
    """After a big import, refresh PostgreSQL's statistics of the registry
    tables at once: until autovacuum gets round to it the planner still sees
    the old row counts and may pick a scan over the index walks that keep lists
    and the dashboard fast (docs/adr/0009). Not when the import is small beside
    the tables already there (``ANALYZE_SHARE``). Best effort: the import is done."""
    if rows < ANALYZE_AFTER_ROWS or connection.vendor != "postgresql":
        return
    try:
        known = _known_cases()
        if known >= 0 and rows < known * ANALYZE_SHARE:
            return
        with connection.cursor() as cur:
            cur.execute("ANALYZE cases_case, cases_party, deadlines_deadline")
    except Exception:
        log.exception("ANALYZE after import failed")


def _finish_invalid(job, errors: list, count: int, notes: list, message: str) -> None:
    _touch(job, status=JobStatus.INVALID, stage="校验未通过", errors=errors, error_count=count, notes=notes, message=message, finished_at=timezone.now())
    record(
        "ledger.import",
        actor=job.user,
        obj=job,
        result=AuditResult.FAILED,
        detail={"case_type": job.case_type, "file": job.file_name, "errors": count, "first": errors[:3]},
    )


def _finish_failed(job, message: str) -> None:
    _touch(job, status=JobStatus.FAILED, stage="失败", message=message, finished_at=timezone.now())
    refused("ledger.import", actor=job.user, obj=job, reason=message, detail={"case_type": job.case_type})


def _done_message(key: str, n: int) -> str:
    reg = case_registry.find_register(key)
    if reg is not None:
        return f"已导入{n:,}条{reg.label}。"
    return f"已导入{n:,}件{case_registry.case_type(key).label}案件。"
