"""Dead-worker detection for django-tasks-db (docs/adr/0018-background-worker.md).

django-tasks-db's ``db_worker`` claims a task (status RUNNING, its id appended
to ``worker_ids``) and never looks back: a worker killed with SIGKILL, by the
OOM killer or a power cut leaves its task RUNNING for ever. ``manage.py worker``
runs the same worker with a beat: every few seconds it stamps a ``WorkerBeat``
row, and every few beats it sweeps, so one live worker notices another's death.

A worker is dead when its beat is older than ``dead_after()`` and, if it ran on
this host, its process is gone (on SQLite a long import holds the file's write
lock and the beat waits behind it; the process table is exact where the beat
may be late). A task claimed by a worker with no beat row (plain ``db_worker``)
is not judged here; the ledger's own heartbeat rule still covers its job.

The sweep tells the apps that registered ``on_dead_task`` (the ledger jobs mark
their job failed, "后台任务中断…可重试") and then marks the task results FAILED.
Nothing here imports an app: common is the foundation (tools/importlint.py).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

from .models import WorkerBeat

log = logging.getLogger("sifa.worker")

BEAT_SECONDS = 5.0
DEAD_AFTER_SECONDS = 60
SWEEP_EVERY_BEATS = 6
# Beat rows of workers gone longer than this are deleted by the sweep.
FORGET_AFTER = timedelta(days=1)
DEAD_TRACEBACK = "后台任务中断：执行它的后台进程已停止（心跳超时），任务未完成。可重试。"


class WorkerDied(Exception):
    """Recorded as the failed task's exception (its class path); never raised."""


def _number(name: str, default: float) -> float:
    value = getattr(settings, name, None) or os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        return default


def beat_seconds() -> float:
    return _number("SIFA_WORKER_BEAT_SECONDS", BEAT_SECONDS)


def dead_after() -> timedelta:
    """A beat older than this is a dead worker's (setting or environment
    SIFA_WORKER_DEAD_SECONDS; several beats, so one slow beat is not death)."""
    return timedelta(seconds=_number("SIFA_WORKER_DEAD_SECONDS", DEAD_AFTER_SECONDS))


def uses_database_queue() -> bool:
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.compat import InvalidTaskBackend

    try:
        return isinstance(task_backends["default"], DatabaseBackend)
    except InvalidTaskBackend:
        return False


# --- the beat ------------------------------------------------------------------------------


def beat(worker_id: str, *, started_at=None, now=None) -> None:
    now = now or timezone.now()
    defaults = {"host": socket.gethostname()[:255], "pid": os.getpid(), "beat_at": now}
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults=defaults, create_defaults={**defaults, "started_at": started_at or now})


def forget(worker_id: str) -> None:
    """A worker that stops cleanly leaves no beat to be mistaken for a dead one."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    except OSError:
        return False
    return True


def is_alive(row: WorkerBeat, now=None) -> bool:
    now = now or timezone.now()
    if row.beat_at >= now - dead_after():
        return True
    if row.host == socket.gethostname():
        return _pid_alive(row.pid)
    return False


def live_worker_ids(now=None) -> set[str]:
    now = now or timezone.now()
    return {b.worker_id for b in WorkerBeat.objects.all() if is_alive(b, now)}


# --- what the ledgers (and any app) ask ----------------------------------------------------


def _uuids(task_ids: Iterable[str]) -> list[str]:
    out = []
    for t in task_ids:
        try:
            out.append(str(uuid.UUID(str(t))))
        except ValueError:
            continue  # the immediate backend's ids, or none
    return out


def dead_running(task_ids: Iterable[str] | None = None, now=None) -> list[str]:
    """Ids of RUNNING tasks whose (last) worker is known and dead."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    running = DBTaskResult.objects.running()
    if task_ids is not None:
        ids = _uuids(task_ids)
        if not ids:
            return []
        running = running.filter(id__in=ids)
    rows = [(str(tid), (wids or [""])[-1]) for tid, wids in running.values_list("id", "worker_ids")]
    if not rows:
        return []
    beats = {b.worker_id: b for b in WorkerBeat.objects.filter(worker_id__in={w for _, w in rows})}
    return [tid for tid, wid in rows if wid in beats and not is_alive(beats[wid], now)]


def queued_with_live_worker(task_ids: Iterable[str], now=None) -> set[str]:
    """Ids of tasks still waiting in the queue (READY) while a worker is alive:
    they are behind other work, not lost, and must not be called stale."""
    from django_tasks_db.models import DBTaskResult

    ids = _uuids(task_ids)
    if not ids or not live_worker_ids(now):
        return set()
    return {str(t) for t in DBTaskResult.objects.ready().filter(id__in=ids).values_list("id", flat=True)}


_on_dead: list[Callable[[list[str]], object]] = []


def on_dead_task(fn: Callable[[list[str]], object]) -> Callable[[list[str]], object]:
    """Register ``fn(task_ids)``: called by the sweep with the ids of tasks whose
    worker died, before they are marked failed (an app fails its own records)."""
    if fn not in _on_dead:
        _on_dead.append(fn)
    return fn


def notify_dead(task_ids: list[str]) -> None:
    for fn in list(_on_dead):
        try:
            fn(task_ids)
        except Exception:
            log.exception("on_dead_task hook %s failed", getattr(fn, "__qualname__", fn))


def sweep(now=None) -> list[str]:
    """Mark failed the tasks running on dead workers; returns their ids."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    dead = dead_running(now=now)
    if dead:
        notify_dead(dead)
        DBTaskResult.objects.filter(id__in=dead, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}",
            traceback=DEAD_TRACEBACK,
            return_value=None,
        )
        log.warning("tasks of dead workers marked failed: %s", dead)
    gone = [b.worker_id for b in WorkerBeat.objects.filter(beat_at__lt=now - FORGET_AFTER) if not is_alive(b, now)]
    if gone:
        WorkerBeat.objects.filter(worker_id__in=gone).delete()
    return dead


# --- the worker ----------------------------------------------------------------------------


def beating_worker_class():
    """django-tasks-db's Worker with a beat thread (imported late: the command
    module pulls in the task backends)."""
    from django_tasks_db.management.commands.db_worker import Worker

    class BeatingWorker(Worker):
        def run(self) -> None:
            started = timezone.now()
            beat(self.worker_id, started_at=started)  # before the first claim
            stop = threading.Event()
            thread = threading.Thread(target=_beat_loop, args=(self.worker_id, started, stop), name="sifa-worker-beat", daemon=True)
            thread.start()
            try:
                super().run()
            finally:
                stop.set()
                thread.join(timeout=beat_seconds() + 1)
                try:
                    forget(self.worker_id)
                except Exception:
                    log.exception("could not remove the beat of %s", self.worker_id)

        def run_task(self, db_task_result) -> None:
            super().run_task(db_task_result)
            # A second Ctrl+C / SIGTERM stops the task in hand: db_worker records it
            # FAILED (SystemExit) and exits. Its app's record is as interrupted as a
            # dead worker's, so tell the apps now rather than after the stale interval.
            if db_task_result.status == "FAILED" and db_task_result.exception_class_path in INTERRUPTED:
                notify_dead([str(db_task_result.id)])

    return BeatingWorker


INTERRUPTED = ("builtins.SystemExit", "builtins.KeyboardInterrupt")


def _beat_loop(worker_id: str, started, stop: threading.Event) -> None:
    # Its own database connection (Django's are per thread), closed on the way out.
    n = 0
    try:
        while not stop.wait(beat_seconds()):
            n += 1
            try:
                close_old_connections()
                beat(worker_id, started_at=started)
                if n % SWEEP_EVERY_BEATS == 0:
                    sweep()
            except Exception:
                # A locked SQLite file or a database restart: the next beat tries again.
                log.warning("worker %s: beat failed", worker_id, exc_info=True)
    finally:
        connections.close_all()
