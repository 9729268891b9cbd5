"""Issue 20 item 7: a job whose worker died reads failed (on its page, its
poll, and by ``manage.py jobs_sweep``), stops polling and can be retried;
an import takes the case-code counter lock only as its last step, so another
office's registration does not wait for the import's commit."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from sifa.audit.models import AuditEntry
from sifa.cases.models import Case
from sifa.cases.tests.factories import make_case
from sifa.cases.tests.testline import KEY
from sifa.ledgers import imports, jobs
from sifa.ledgers.models import ExportJob, ImportJob, JobStatus

from .util import row, upload, xlsx_bytes

LONG_AGO = timedelta(minutes=11)


def _validated(client, rows) -> ImportJob:
    resp = client.post(reverse("ledgers:import_start"), {"case_type": KEY, "file": upload("台账.xlsx", xlsx_bytes(rows))})
    assert resp.status_code == 302
    job = ImportJob.objects.latest("id")
    assert job.status == JobStatus.VALIDATED, job.errors
    return job


def _killed(job, status=JobStatus.COMMITTING, ago=LONG_AGO) -> None:
    """As a worker killed mid-job leaves it: active, and nothing moves any more."""
    ImportJob.objects.filter(pk=job.pk).update(status=status, stage="写入数据库（全部成功或全部不写入）", heartbeat_at=timezone.now() - ago)


@pytest.mark.django_db
def test_a_job_whose_worker_died_reads_failed_stops_polling_and_imports_fully_on_retry(users, client_for, test_ledger):
    c = client_for(users.office_a)
    rows = [row(i) for i in range(30)]
    job = _validated(c, rows)
    before = Case.all_objects.count()
    _killed(job)

    resp = c.get(reverse("ledgers:import_status", args=[job.pk]) + "?was=committing")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "后台任务中断" in job.message and "重试" in job.message and "未写入任何数据" in job.message
    html = resp.content.decode()
    assert "hx-trigger" not in html and resp["HX-Refresh"] == "true"
    assert AuditEntry.objects.filter(action="ledger.import", object_id=str(job.pk), result="refused").exists()
    assert Case.all_objects.count() == before
    page = c.get(reverse("ledgers:import_job", args=[job.pk])).content.decode()
    assert "后台任务中断" in page and "data-import-retry" in page and "hx-trigger" not in page

    assert c.post(reverse("ledgers:import_retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED and job.row_count == 30 and job.message.startswith("共30行")
    assert c.post(reverse("ledgers:import_commit", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    imported = Case.objects.filter(channel="import", case_type=KEY)
    assert job.created_count == 30 == imported.count()
    assert sorted(imported.values_list("seq", flat=True)) == list(range(1, 31))
    assert all(code[0] != "~" for code in imported.values_list("code", flat=True))
    assert {job.first_code, job.last_code} <= set(imported.values_list("code", flat=True))


@pytest.mark.django_db
def test_a_job_that_moves_is_not_stale_and_a_done_one_is_never_retried(users, client_for, test_ledger):
    c = client_for(users.office_a)
    job = _validated(c, [row(1)])
    _killed(job, ago=timedelta(minutes=9))
    c.get(reverse("ledgers:import_status", args=[job.pk]) + "?was=committing")
    job.refresh_from_db()
    assert job.status == JobStatus.COMMITTING
    assert 'hx-trigger="every 2s"' in c.get(reverse("ledgers:import_job", args=[job.pk])).content.decode()

    done = _validated(c, [row(2)])
    assert c.post(reverse("ledgers:import_commit", args=[done.pk])).status_code == 302
    done.refresh_from_db()
    assert done.status == JobStatus.DONE
    count = Case.all_objects.count()
    resp = c.post(reverse("ledgers:import_retry", args=[done.pk]))
    assert resp.status_code == 400 and "不能重试" in resp.content.decode()
    done.refresh_from_db()
    assert done.status == JobStatus.DONE and Case.all_objects.count() == count
    # Someone else's job answers like a missing one.
    _killed(job)
    jobs.expire_stale(ImportJob)
    other = client_for(users.office_b)
    assert other.post(reverse("ledgers:import_retry", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


@pytest.mark.django_db
def test_jobs_sweep_marks_failed_only_the_stale_active_jobs(users, client_for, test_ledger):
    c = client_for(users.office_a)
    stale_import = _validated(c, [row(1)])
    _killed(stale_import, status=JobStatus.RUNNING)
    fresh_import = _validated(c, [row(2)])
    _killed(fresh_import, ago=timedelta(minutes=1))
    waiting = _validated(c, [row(3)])  # validated, waiting for the user: not active, never stale
    ImportJob.objects.filter(pk=waiting.pk).update(heartbeat_at=timezone.now() - timedelta(days=3))
    old = timezone.now() - LONG_AGO
    stale_export = ExportJob.objects.create(user=users.office_a, kind="cases", label="导出", status=JobStatus.RUNNING)
    ExportJob.objects.filter(pk=stale_export.pk).update(heartbeat_at=old)

    out = StringIO()
    call_command("jobs_sweep", stdout=out)
    assert "导入任务 1 个，导出任务 1 个" in out.getvalue()
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses[stale_import.pk] == JobStatus.FAILED
    assert statuses[fresh_import.pk] == JobStatus.COMMITTING
    assert statuses[waiting.pk] == JobStatus.VALIDATED
    stale_export.refresh_from_db()
    assert stale_export.status == JobStatus.FAILED and "后台任务中断" in stale_export.message
    page = c.get(reverse("ledgers:export_job", args=[stale_export.pk])).content.decode()
    assert "后台任务中断" in page and "hx-trigger" not in page
    out = StringIO()
    call_command("jobs_sweep", stdout=out)
    assert "导入任务 0 个，导出任务 0 个" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_an_open_import_does_not_hold_the_code_counter_and_codes_stay_gapless(orgs, users, client_for, test_ledger, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks across connections are a PostgreSQL property")
    from sifa.deadlines import services as deadline_services

    n = 200
    c = client_for(users.office_a)
    # Open cases (no closing date, no result): each gets its clocks while the
    # import's transaction is open, the slow part of a real import.
    job = _validated(c, [row(i, closed=None, result=None) for i in range(n)])
    written, release = threading.Event(), threading.Event()
    original = deadline_services.apply_trigger

    def paused_apply_trigger(*args, **kwargs):
        if not written.is_set():
            written.set()  # the rows are being written, the transaction is open
            release.wait(timeout=60)
        return original(*args, **kwargs)

    monkeypatch.setattr(deadline_services, "apply_trigger", paused_apply_trigger)
    errors: list = []
    registered: dict = {}

    def import_it():
        try:
            imports.commit(users.office_a, job.pk)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    def register():
        try:
            started = time.monotonic()
            case = make_case(users.office_b, orgs.office_b, title="同时登记", parties=[], opened_on=date(2025, 3, 5))
            registered.update(seconds=time.monotonic() - started, seq=case.seq)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    importer = threading.Thread(target=import_it)
    importer.start()
    try:
        assert written.wait(timeout=60), errors
        assert Case.all_objects.filter(title="同时登记").count() == 0
        registrar = threading.Thread(target=register)
        registrar.start()
        registrar.join(timeout=15)
        finished_while_open = not registrar.is_alive()
        # The live commit holds its job row: neither a poll nor the sweep takes it for dead.
        monkeypatch.setattr(jobs, "stale_after", lambda: timedelta(0))
        assert jobs.expire_stale(ImportJob) == []
        poll = c.get(reverse("ledgers:import_status", args=[job.pk]) + "?was=committing")
        assert poll.status_code == 200 and 'data-job-status="committing"' in poll.content.decode()
    finally:
        release.set()
        importer.join(timeout=120)
    registrar.join(timeout=60)
    assert errors == []
    assert finished_while_open, "the registration waited for the import's commit"
    assert registered["seconds"] < 10 and registered["seq"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    same_counter = Case.all_objects.filter(case_type=KEY, year=2025, bureau=orgs.bureau)
    assert sorted(same_counter.values_list("seq", flat=True)) == list(range(1, n + 2))
    assert same_counter.values("code").distinct().count() == n + 1
    assert not same_counter.filter(code__startswith="~").exists()
