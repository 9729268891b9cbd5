"""Background work through Django's task API (``django_tasks``). Settings use
the immediate backend by default (the work runs inside the request); with a
database or Celery backend the same tasks run in a worker and the pages poll
the job's progress. Tasks take only the job id, so they are JSON-serialisable."""

from __future__ import annotations

from django_tasks import task


@task()
def export_task(job_id: int) -> None:
    from .jobs import run_export

    run_export(job_id)


@task()
def validate_import_task(job_id: int) -> None:
    from .imports import run_validation

    run_validation(job_id)


@task()
def commit_import_task(job_id: int) -> None:
    from .imports import run_commit

    run_commit(job_id)
