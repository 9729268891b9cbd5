"""On PostgreSQL an import writes each case once, with its code: the rows
that refer to it go first, the case row last (ledgers.bulk). What the open
cases' clocks set on them (最近期限) is in the row written."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Min
from django.test.utils import CaptureQueriesContext

from sifa.cases.models import Case
from sifa.deadlines.models import Deadline, Kind
from sifa.ledgers import imports

from .util import row, uploaded, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_each_case_is_written_once_with_its_code_and_its_next_due(users, client_for, test_ledger):
    c = client_for(users.office_a)
    rows = [row(i, closed=None, result=None) if i % 2 else row(i) for i in range(12)]
    job = uploaded(c, xlsx_bytes(rows))
    before = Case.all_objects.count()
    with CaptureQueriesContext(connection) as ctx:
        imports.commit(users.office_a, job.pk)
    job.refresh_from_db()
    assert job.status == "done", job.message
    imported = list(Case.all_objects.filter(pk__gt=0).order_by("-pk")[:12])
    assert Case.all_objects.count() == before + 12
    assert all(not c.code.startswith("~") for c in imported)
    opened = [c for c in imported if c.closed_on is None]
    assert len(opened) == 6
    for case in opened:
        running = Deadline.objects.filter(case=case, kind=Kind.ORGAN, completed_on__isnull=True, cancelled=False, paused_since__isnull=True)
        due = running.aggregate(m=Min("due_date"))["m"]
        assert due is not None and case.next_due == due
    if connection.vendor == "postgresql":
        updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "cases_case"')]
        assert updates == []
