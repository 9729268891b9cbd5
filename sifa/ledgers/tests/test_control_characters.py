"""Control characters in a ledger's cells (issue 20) are dropped as each cell is
read for validation: a stored U+0001 broke every Word document of its case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sifa.cases.models import Case, Party
from sifa.cases.tests.testline import KEY
from sifa.ledgers.models import ImportJob, JobStatus

from .util import csv_bytes, row, upload

pytestmark = pytest.mark.django_db


def test_control_characters_in_cells_are_dropped(orgs, users, client_for, test_ledger):
    c = client_for(users.office_a)
    r = row(1)
    r[0], r[3] = "纠纷\x1f一\x7f", "\x01张\x0b三"
    resp = c.post(reverse("ledgers:import_start"), {"case_type": KEY, "file": upload("台账.csv", csv_bytes([r]))})
    assert resp.status_code == 302
    job = ImportJob.objects.latest("id")
    assert job.status == JobStatus.VALIDATED, job.errors
    assert c.post(reverse("ledgers:import_commit", args=[job.pk])).status_code == 302
    assert Case.objects.get().title == "纠纷一"
    assert Party.objects.filter(role="applicant").get().name == "张三"
