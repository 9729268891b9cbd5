"""Background tasks of the statistics (docs/adr/0018, 0021).

``rollup_task`` is what ``manage.py stats_rollup`` does, for a deployment that schedules
through the task queue instead of the systemd timer (enqueue it every minute; runs that
overlap wait for each other on the rollup state's row lock)."""

from __future__ import annotations

from django_tasks import task


@task()
def rollup_task() -> dict:
    from . import rollups

    result = rollups.run()
    return {"processed": result["processed"], "pending": result["pending"], "rebuilt": bool(result["rebuilt"])}
