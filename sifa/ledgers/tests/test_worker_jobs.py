"""Ledger jobs and the worker's beat (sifa.common.worker, docs/adr/0018): a job
running on a dead worker fails at once, with a message that says it can be
retried; a job waiting in the queue behind a live worker is never "stale"."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sifa.cases.models import Case
from sifa.common import worker
from sifa.common.tests.test_worker import DB_QUEUE, beat_of, task_row
from sifa.ledgers.models import ImportJob, JobStatus

from .test_job_recovery import _validated
from .util import row

LONG_AGO = timedelta(minutes=11)


def _on_task(job, task, *, status=JobStatus.COMMITTING, ago=timedelta(0)) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=status, task_id=str(task.id), heartbeat_at=timezone.now() - ago)


@pytest.fixture
def job(users, client_for, test_ledger):
    return _validated(client_for(users.office_a), [row(i) for i in range(3)])


pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


@override_settings(TASKS=DB_QUEUE)
def test_a_job_on_a_dead_worker_fails_at_once_by_the_sweep_and_its_task_too(job):
    beat_of("w-dead", ago=timedelta(minutes=5))
    task = task_row(worker_id="w-dead")
    _on_task(job, task)  # heartbeat fresh: the old rule alone would wait ten minutes
    before = Case.all_objects.count()
    assert worker.sweep() == [str(task.id)]
    job.refresh_from_db()
    task.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.stage == "中断"
    assert "后台任务中断" in job.message and "后台进程已停止" in job.message and "重试" in job.message
    assert task.status == TaskResultStatus.FAILED
    assert Case.all_objects.count() == before


@override_settings(TASKS=DB_QUEUE)
def test_jobs_sweep_and_the_poll_see_a_dead_worker_too(job, users, client_for):
    beat_of("w-dead", ago=timedelta(minutes=5))
    _on_task(job, task_row(worker_id="w-dead"))
    c = client_for(users.office_a)
    resp = c.get(reverse("ledgers:import_status", args=[job.pk]) + "?was=committing")
    assert resp.status_code == 200
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "后台进程已停止" in job.message
    # And the retry the message promises is there.
    assert c.post(reverse("ledgers:import_retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    # Queued again for a worker, from the same stored file.
    assert job.status == JobStatus.PENDING
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.READY


@override_settings(TASKS=DB_QUEUE)
def test_a_job_on_a_live_worker_is_left_alone(job):
    beat_of("w-live")
    task = task_row(worker_id="w-live")
    _on_task(job, task)
    out = StringIO()
    call_command("jobs_sweep", stdout=out)
    assert worker.sweep() == []
    job.refresh_from_db()
    assert job.status == JobStatus.COMMITTING
    assert "导入任务 0 个" in out.getvalue()


@override_settings(TASKS=DB_QUEUE)
def test_a_job_waiting_in_the_queue_behind_a_busy_live_worker_is_not_stale(job):
    beat_of("w-busy")
    task_row(worker_id="w-busy")  # the long job in hand
    waiting = task_row(status=TaskResultStatus.READY)
    _on_task(job, waiting, ago=LONG_AGO)  # queued for longer than the stale interval
    call_command("jobs_sweep", stdout=StringIO())
    job.refresh_from_db()
    assert job.status == JobStatus.COMMITTING


@override_settings(TASKS=DB_QUEUE)
def test_a_job_waiting_with_no_live_worker_at_all_goes_stale_by_the_old_rule(job):
    beat_of("w-dead", ago=timedelta(minutes=5))
    _on_task(job, task_row(status=TaskResultStatus.READY), ago=LONG_AGO)
    call_command("jobs_sweep", stdout=StringIO())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "超过10分钟没有进展" in job.message


def test_with_the_immediate_backend_the_old_rule_is_unchanged(job):
    _on_task(job, task_row(status=TaskResultStatus.READY), ago=timedelta(minutes=9))
    call_command("jobs_sweep", stdout=StringIO())
    job.refresh_from_db()
    assert job.status == JobStatus.COMMITTING
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - LONG_AGO)
    call_command("jobs_sweep", stdout=StringIO())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
