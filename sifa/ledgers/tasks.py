"""Background work through Django's task API (``django_tasks``). The demo and
production queue them in the database and ``manage.py worker`` runs them
(docs/adr/0018), while the pages poll the job's progress; the tests use the
immediate backend (the work runs inside the request). Tasks take only the job
id, so they are JSON-serialisable."""

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
