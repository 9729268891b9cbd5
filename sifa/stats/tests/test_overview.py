"""overview() — the dashboard's figures in one pass per model — returns what
compare_many and breakdown_many return, for the case table and for a line's
model joined to its case, for every scope; and its query count does not grow
with the data."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from sifa.cases.models import Case, CaseAssignment, Party
from sifa.cases.tests.testline import KEY
from sifa.deadlines.models import Deadline
from sifa.kit.kpis import KPI, MONTH, OFFICE, Dimension, Measure
from sifa.stats import engine
from sifa.stats.overview import overview
from sifa.stats.periods import Period

from .bulkdata import bulk_cases
from .kpis import CHANNEL, KPIS

pytestmark = pytest.mark.django_db

ON_CASE = {"model": "cases.Party", "case_path": "case", "date_field": "case__opened_on", "case_types": (KEY,)}
PARTIES = Measure("当事人", **ON_CASE)
RESPONDENTS = Measure("被申请人", **ON_CASE, filter=Q(role="respondent"))
ROLE = Dimension("role", "身份", "field", field="role")
LINE_KPIS = (
    KPI("t.parties", KEY, "当事人", "人", numerator=PARTIES, dimensions=(OFFICE, MONTH, ROLE)),
    KPI("t.respondent_rate", KEY, "被申请人占比", "%", numerator=RESPONDENTS, denominator=PARTIES, dimensions=(OFFICE, MONTH)),
    KPI("t.order_sum", KEY, "序号合计", "", numerator=Measure("序号合计", **ON_CASE, agg="sum", sum_field="sort_order"), dimensions=(OFFICE, MONTH, ROLE)),
    KPI("t.multi", KEY, "多方案件", "件", numerator=Measure("多方", **ON_CASE, filter=Q(sort_order__gt=0), agg="count_cases"), dimensions=(OFFICE, MONTH)),
    KPI(
        "t.to_many",
        KEY,
        "有被申请人案件",
        "件",
        numerator=Measure("有被申请人", case_types=(KEY,), filter=Q(parties__role="respondent")),
        dimensions=(OFFICE, MONTH),
    ),
    KPI(
        "t.running",
        KEY,
        "未完成期限",
        "件",
        numerator=Measure(
            "未完成", model="deadlines.Deadline", case_path="case", date_field="due_date", case_types=(KEY,), filter=Q(completed_on__isnull=True)
        ),
        dimensions=(OFFICE, MONTH),
    ),
)
ALL = (*KPIS, *LINE_KPIS)


def _data(orgs, users, n):
    cases = []
    for i, org in enumerate((orgs.office_a, orgs.committee_a, orgs.office_b, orgs.bureau)):
        cases += bulk_cases(org, n + i, opened_on=date(2026, 1 + i, 3), closed_on=date(2026, 5, 1), outcome="success", channel="phone")
        cases += bulk_cases(org, n, opened_on=date(2026, 2 + i, 3), handler=users.office_a)
        cases += bulk_cases(org, n - i, opened_on=date(2025, 2 + i, 3), closed_on=date(2025, 8, 1), outcome="refused")
        cases += bulk_cases(org, 2, opened_on=date(2026, 3, 3), status="suspended", is_sealed=True)
    Party.objects.bulk_create(
        [Party(case=c, name=f"当事人{k}", role="respondent" if k else "applicant", sort_order=k) for j, c in enumerate(cases) for k in range(1 + j % 3)]
    )
    Deadline.objects.bulk_create(
        [
            Deadline(case=c, key="decide", label="办结期限", start_date=c.opened_on, amount=60, unit="day", due_date=c.opened_on, completed_on=c.closed_on)
            for c in cases
        ]
    )
    sealed = [c for c in cases if c.is_sealed]
    CaseAssignment.objects.create(case=sealed[0], user=users.leader, role="assistant")
    Case.objects.filter(pk=cases[1].pk).update(is_deleted=True)


def _rows(rows):
    return [(r["key"], r["numerator"], r["denominator"], r["value"]) for r in rows]


def test_overview_equals_compare_and_breakdowns(orgs, users):
    _data(orgs, users, 4)
    period = Period.year(2026)
    breakdowns = [(OFFICE, ALL), (MONTH, [k for k in ALL if not k.is_ratio]), (CHANNEL, [KPIS[0]]), (ROLE, [LINE_KPIS[0], LINE_KPIS[2]])]
    for user in (None, users.leader, users.staff, users.office_a, users.mediator_a):
        for org in (orgs.bureau, orgs.office_a, orgs.office_b):
            cmps, views = overview(ALL, org, period, user, breakdowns=breakdowns)
            ref = engine.compare_many(ALL, org, period, user)
            for k in ALL:
                for side in ("current", "previous_year", "previous_period"):
                    got, want = getattr(cmps[k.key], side), getattr(ref[k.key], side)
                    assert (got.numerator, got.denominator, got.value) == (want.numerator, want.denominator, want.value), (k.key, side, org.name, user)
            for (dim, ks), got in zip(breakdowns, views, strict=True):
                want = engine.breakdown_many(ks, org, period, dim, user)
                for k in ks:
                    assert _rows(got[k.key]) == _rows(want[k.key]), (k.key, dim.key, org.name, user)


def test_overview_reads_each_model_once(orgs, users):
    period = Period.year(2026)
    breakdowns = [(OFFICE, KPIS), (MONTH, [k for k in KPIS if not k.is_ratio]), (CHANNEL, [KPIS[0]])]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            overview(KPIS, orgs.bureau, period, users.leader, breakdowns=breakdowns)
        return [q["sql"] for q in ctx.captured_queries if "cases_case" in q["sql"]]

    _data(orgs, users, 1)
    small = count()
    _data(orgs, users, 20)
    large = count()
    assert len(small) == len(large)
    if connection.vendor == "postgresql":
        assert len(large) == 1 and "GROUPING SETS" in large[0]
