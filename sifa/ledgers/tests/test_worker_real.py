"""The one test that goes through a real worker (docs/adr/0018): an import of
5,000 rows queued in the database, run by ``manage.py worker`` in another
process, killed with SIGKILL in the middle of its commit. Nothing is written,
the sweep marks the job failed ("后台任务中断…可重试"), and after a retry a new
worker imports the same file fully, with gapless codes. PostgreSQL only (the
SQLite smoke run does not select it: it is not marked smoke)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sifa.cases.models import Case
from sifa.cases.tests.testline import KEY
from sifa.common import worker
from sifa.ledgers.models import ImportJob, JobStatus

from .util import row, upload, xlsx_bytes

ROOT = Path(__file__).resolve().parents[3]
ROWS = 5000
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

WORKER = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from django.core.management import call_command
    from sifa.kit import registry
    from sifa.ledgers.tests.testledger import LEDGER
    registry.add_ledger(LEDGER)  # the test line's ledger, as the test process has it
    call_command("worker", "--no-startup-delay", "--interval", "0.2", "--worker-id", sys.argv[1])
    """
)


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (":" + quote(s["PASSWORD"]) if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{quote(s['NAME'])}"


class Worker:
    """``manage.py worker`` in a process of its own, on the test database, the
    test process's files (uploads, audit keys) and the database queue."""

    def __init__(self, tmp: Path, worker_id: str):
        (tmp / "worker_settings.py").write_text(
            "from config.settings.test import *  # noqa\n"
            f"TASKS = {DB_QUEUE!r}\n"
            f"MEDIA_ROOT = {str(settings.MEDIA_ROOT)!r}\n"
            f"SIFA_KEY_DIR = {str(settings.SIFA_KEY_DIR)!r}\n"
            f"SIFA_AUDIT_CHECKPOINT_FILE = {str(settings.SIFA_AUDIT_CHECKPOINT_FILE)!r}\n"
        )
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "DJANGO_SETTINGS_MODULE": "worker_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
            "SIFA_WORKER_BEAT_SECONDS": "0.5",
        }
        self.log = tmp / f"{worker_id}.log"
        self.proc = subprocess.Popen([sys.executable, "-c", WORKER, worker_id], cwd=ROOT, env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)  # reaped: its pid is gone, as after a real crash

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def _wait(what, check, worker: Worker, timeout=180.0, running=True):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        if running and worker.proc.poll() is not None:
            pytest.fail(f"the worker exited ({worker.proc.returncode}) while waiting for {what}:\n{worker.log.read_text()[-3000:]}")
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}:\n{worker.log.read_text()[-3000:]}")


def _job(pk) -> ImportJob:
    return ImportJob.objects.get(pk=pk)


def _row_locked(pk) -> bool:
    """Whether another transaction holds the job row: the commit's transaction is open."""
    try:
        with transaction.atomic():
            list(ImportJob.objects.select_for_update(nowait=True).filter(pk=pk))
    except DatabaseError:
        return True
    return False


def _validated(c, pk, w) -> None:
    job = _wait("validation", lambda: (j := _job(pk)).status not in (JobStatus.PENDING, JobStatus.RUNNING) and j, w)
    assert job.status == JobStatus.VALIDATED, (job.status, job.message, job.errors[:3])
    assert c.post(reverse("ledgers:import_commit", args=[pk])).status_code == 302


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_QUEUE, SIFA_WORKER_DEAD_SECONDS=2)
def test_a_worker_killed_mid_commit_writes_nothing_its_job_fails_and_a_retry_imports_it_all(users, client_for, test_ledger, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the real-worker test runs on PostgreSQL")
    c = client_for(users.office_a)
    resp = c.post(reverse("ledgers:import_start"), {"case_type": KEY, "file": upload("台账.xlsx", xlsx_bytes([row(i) for i in range(ROWS)]))})
    assert resp.status_code == 302
    pk = ImportJob.objects.latest("id").pk
    assert _job(pk).status == JobStatus.PENDING  # queued, not run inside the request
    imported = Case.all_objects.filter(case_type=KEY, channel="import")

    first = Worker(tmp_path, "worker-one")
    try:
        _validated(c, pk, first)
        _wait("the commit's transaction", lambda: _job(pk).stage.startswith("写入数据库") and _row_locked(pk), first)
        assert _job(pk).status == JobStatus.COMMITTING, "the import finished before the worker could be killed"
        first.kill()
    finally:
        first.stop()

    # The database rolled the dead connection's transaction back: nothing written.
    _wait("the rollback", lambda: not _row_locked(pk), first, running=False)
    assert imported.count() == 0
    job = _job(pk)
    assert job.status == JobStatus.COMMITTING and job.created_count == 0
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.RUNNING and task.worker_ids == ["worker-one"]

    time.sleep(2.5)  # its beat is now older than SIFA_WORKER_DEAD_SECONDS, and its pid is gone
    assert worker.sweep() == [job.task_id]
    job = _job(pk)
    assert job.status == JobStatus.FAILED
    assert "后台任务中断" in job.message and "未写入任何数据" in job.message and "重试" in job.message
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.exception_class_path == "sifa.common.worker.WorkerDied"

    assert c.post(reverse("ledgers:import_retry", args=[pk])).status_code == 302
    second = Worker(tmp_path, "worker-two")
    try:
        _validated(c, pk, second)
        job = _wait("the import", lambda: (j := _job(pk)).status not in (JobStatus.COMMITTING,) and j, second, timeout=600)
    finally:
        second.stop()
    assert job.status == JobStatus.DONE, job.message
    assert job.created_count == ROWS == imported.count()
    assert sorted(imported.values_list("seq", flat=True)) == list(range(1, ROWS + 1))
    assert {job.first_code, job.last_code} <= set(imported.values_list("code", flat=True))
