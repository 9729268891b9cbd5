"""The worker's beat and the sweep of dead workers' tasks (sifa.common.worker)."""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from sifa.common import worker
from sifa.common.models import WorkerBeat

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LONG_AGO = timedelta(minutes=5)


def task_row(status=TaskResultStatus.RUNNING, worker_id="w-dead") -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="sifa.ledgers.tasks.export_task",
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=[worker_id] if status != TaskResultStatus.READY else [],
    )


def beat_of(worker_id: str, *, ago=timedelta(0), host="elsewhere", pid=1) -> WorkerBeat:
    now = timezone.now()
    return WorkerBeat.objects.create(worker_id=worker_id, host=host, pid=pid, started_at=now - ago, beat_at=now - ago)


pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_a_beat_records_host_and_pid_and_moves_on():
    worker.beat("w1")
    first = WorkerBeat.objects.get(worker_id="w1")
    assert (first.host, first.pid) == (socket.gethostname()[:255], os.getpid())
    later = timezone.now() + timedelta(seconds=30)
    worker.beat("w1", now=later)
    again = WorkerBeat.objects.get(worker_id="w1")
    assert again.beat_at == later and again.started_at == first.started_at
    worker.forget("w1")
    assert not WorkerBeat.objects.exists()


def test_alive_by_recent_beat_or_by_its_process_on_this_host():
    assert worker.is_alive(beat_of("fresh"))
    assert not worker.is_alive(beat_of("old-elsewhere", ago=LONG_AGO))
    # On this host the process table is exact: a live pid is alive however late its beat.
    assert worker.is_alive(beat_of("old-here-live", ago=LONG_AGO, host=socket.gethostname(), pid=os.getpid()))
    gone = 2**22 + 12345  # above pid_max's default: no such process
    assert not worker.is_alive(beat_of("old-here-gone", ago=LONG_AGO, host=socket.gethostname(), pid=gone))


@override_settings(SIFA_WORKER_DEAD_SECONDS=60)
def test_only_running_tasks_of_a_known_dead_worker_are_dead():
    beat_of("w-dead", ago=LONG_AGO)
    beat_of("w-live")
    dead = task_row(worker_id="w-dead")
    task_row(worker_id="w-live")
    task_row(worker_id="w-unknown")  # plain db_worker, no beat: not judged here
    task_row(status=TaskResultStatus.READY)
    assert worker.dead_running() == [str(dead.id)]
    assert worker.dead_running([str(dead.id), "not-a-uuid"]) == [str(dead.id)]
    assert worker.dead_running(["not-a-uuid"]) == []


def test_a_queued_task_counts_as_waiting_only_while_a_worker_lives():
    ready = task_row(status=TaskResultStatus.READY)
    assert worker.queued_with_live_worker([str(ready.id)]) == set()
    beat_of("w-live")
    assert worker.queued_with_live_worker([str(ready.id)]) == {str(ready.id)}
    beat_of("w-dead", ago=LONG_AGO)
    running = task_row(worker_id="w-live")
    assert worker.queued_with_live_worker([str(running.id)]) == set()


def test_the_sweep_tells_the_apps_then_fails_the_dead_workers_tasks_and_leaves_the_rest(monkeypatch):
    beat_of("w-dead", ago=LONG_AGO)
    beat_of("w-live")
    dead, live = task_row(worker_id="w-dead"), task_row(worker_id="w-live")
    seen = []
    monkeypatch.setattr(worker, "_on_dead", [seen.append, lambda ids: 1 / 0])  # a failing hook does not stop the sweep
    out = StringIO()
    call_command("worker", "--sweep", stdout=out)
    assert seen == [[str(dead.id)]]
    dead.refresh_from_db()
    live.refresh_from_db()
    assert dead.status == TaskResultStatus.FAILED and dead.exception_class_path == "sifa.common.worker.WorkerDied"
    assert "后台任务中断" in dead.traceback and dead.finished_at
    assert live.status == TaskResultStatus.RUNNING
    assert "1 个" in out.getvalue()
    # Nothing more to do a second time.
    assert worker.sweep() == [] and seen == [[str(dead.id)]]


def test_beat_rows_of_long_gone_workers_are_forgotten():
    beat_of("ancient", ago=timedelta(days=2))
    beat_of("w-live")
    worker.sweep()
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["w-live"]


def test_the_queue_is_known_from_the_settings():
    assert not worker.uses_database_queue()  # the tests run jobs inside the request
    with override_settings(TASKS=DB_QUEUE):
        assert worker.uses_database_queue()


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connections
@override_settings(TASKS=DB_QUEUE)
def test_the_worker_command_beats_runs_a_queued_task_and_forgets_its_beat_when_done(monkeypatch):
    from django_tasks_db.management.commands import db_worker

    seen = {}
    original = db_worker.Worker.run_task

    def spy(self, result):
        seen["beat"] = WorkerBeat.objects.filter(worker_id="w-batch").exists()
        return original(self, result)

    monkeypatch.setattr(db_worker.Worker, "run_task", spy)
    ready = task_row(status=TaskResultStatus.READY)
    DBTaskResult.objects.filter(pk=ready.pk).update(task_path="sifa.common.tests.test_worker.noop_task")
    call_command("worker", "--batch", "--no-startup-delay", "--worker-id", "w-batch", "--interval", "0", verbosity=0)
    ready.refresh_from_db()
    assert seen == {"beat": True}
    assert ready.status == TaskResultStatus.SUCCESSFUL and ready.worker_ids == ["w-batch"]
    assert not WorkerBeat.objects.filter(worker_id="w-batch").exists()


def test_the_worker_refuses_a_backend_that_is_not_the_database_queue():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a database backend"):
        call_command("worker", "--batch", verbosity=0)


from django_tasks import task  # noqa: E402


@task()
def noop_task(n: int) -> int:
    return n
