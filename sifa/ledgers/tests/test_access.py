"""Access matrix for ledger routes: every role × own / someone else's job.
Refused actions change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sifa.cases.models import Case
from sifa.cases.tests.testline import KEY
from sifa.ledgers.models import ExportJob, ImportJob

from .access import COVERED_ROUTES
from .util import row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

ROLES = ("leader", "staff", "office_a", "office_b", "mediator_a", "lawyer", "sysadmin", "secadmin", "auditor")
IMPORTERS = {"staff", "office_a", "office_b"}
EXPORTERS = {"leader", "staff", "office_a", "office_b"}


@pytest.fixture
def jobs(users, client_for, test_ledger):
    c = client_for(users.office_a)
    c.post(reverse("ledgers:import_start"), {"case_type": KEY, "file": upload("a.xlsx", xlsx_bytes([row(1)]))})
    c.post(reverse("ledgers:export"))
    return ImportJob.objects.get(), ExportJob.objects.get()


@pytest.mark.parametrize("role", ROLES)
def test_matrix(role, users, client_for, jobs):
    imp, exp = jobs
    user = getattr(users, role)
    c = client_for(user)
    owner = role == "office_a"
    checks = {
        "ledgers:jobs": (reverse("ledgers:jobs"), 200 if role in EXPORTERS else 404),
        "ledgers:import_start": (reverse("ledgers:import_start"), 200 if role in IMPORTERS else 404),
        "ledgers:template": (reverse("ledgers:template", args=[KEY]), 200 if role in IMPORTERS else 404),
        "ledgers:export": (reverse("ledgers:export"), 200 if role in EXPORTERS else 404),
        "ledgers:import_job": (reverse("ledgers:import_job", args=[imp.pk]), 200 if owner else 404),
        "ledgers:import_status": (reverse("ledgers:import_status", args=[imp.pk]), 200 if owner else 404),
        "ledgers:import_errors": (reverse("ledgers:import_errors", args=[imp.pk]), 200 if owner else 404),
        "ledgers:export_job": (reverse("ledgers:export_job", args=[exp.pk]), 200 if owner else 404),
        "ledgers:export_status": (reverse("ledgers:export_status", args=[exp.pk]), 200 if owner else 404),
        "ledgers:export_download": (reverse("ledgers:export_download", args=[exp.pk]), 200 if owner else 404),
        # 导出审批 (a restricted line's exports): every exporter may open it; deciding is tested
        # with the restricted line (sifa/correction/tests/test_exports.py).
        "ledgers:export_approvals": (reverse("ledgers:export_approvals"), 200 if role in EXPORTERS else 404),
    }
    for name, (url, expected) in checks.items():
        assert c.get(url).status_code == expected, (name, role)
    # Retry: only the owner's own failed job; this one has not failed, so the
    # owner gets 400, everyone else 404, and the job does not change.
    status = ImportJob.objects.get(pk=imp.pk).status
    resp = c.post(reverse("ledgers:import_retry", args=[imp.pk]))
    assert resp.status_code == (400 if owner else 404), role
    assert ImportJob.objects.get(pk=imp.pk).status == status
    # Commit: only the owner, once; everyone else 404 and nothing is written.
    before = Case.objects.count()
    resp = c.post(reverse("ledgers:import_commit", args=[imp.pk]))
    assert resp.status_code == (302 if owner else 404), role
    assert Case.objects.count() == before + (1 if owner else 0)
    assert set(checks) | {"ledgers:import_commit", "ledgers:import_retry"} == COVERED_ROUTES
