"""The batch engine (one query per model for many KPIs and periods) gives the
same figures as ``compute`` one by one, and its query count does not grow
with the data."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from sifa.cases.models import Party
from sifa.cases.tests.testline import KEY
from sifa.kit.kpis import KPI, MONTH, OFFICE, Measure
from sifa.stats import engine
from sifa.stats.periods import Period

from .bulkdata import bulk_cases
from .kpis import KPIS

pytestmark = pytest.mark.django_db

WITH_PARTY = KPI("t.party", KEY, "有申请人", "件", numerator=Measure("有当事人", case_types=(KEY,), filter=Q(parties__role="applicant")))
WITH_EXISTS = KPI("t.exists", KEY, "有当事人", "件", numerator=Measure("有当事人", case_types=(KEY,), filter=Exists(Party.objects.filter(case=OuterRef("pk")))))


def _data(orgs, n):
    for i, org in enumerate((orgs.office_a, orgs.committee_a, orgs.office_b, orgs.bureau)):
        bulk_cases(org, n + i, opened_on=date(2026, 1 + i, 3), closed_on=date(2026, 5, 1), outcome="success")
        bulk_cases(org, n, opened_on=date(2026, 2 + i, 3))
        bulk_cases(org, n - i, opened_on=date(2025, 2 + i, 3), closed_on=date(2025, 8, 1), outcome="refused")
        bulk_cases(org, 2, opened_on=date(2026, 3, 3), status="suspended")


def test_batch_equals_one_by_one(orgs, users):
    _data(orgs, 5)
    from sifa.cases.tests.factories import make_case

    make_case(users.office_a, orgs.office_a, opened_on=date(2026, 4, 4))
    kpis = [*KPIS, WITH_PARTY, WITH_EXISTS]
    periods = [
        Period.year(2026),
        Period.year(2025),
        Period.half(2026, 1),
        Period.quarter(2026, 2),
        Period.month(2026, 3),
        Period.custom(date(2025, 6, 1), date(2026, 2, 28)),
    ]
    for user in (None, users.leader, users.office_a, users.office_b):
        for org in (orgs.bureau, orgs.office_a, orgs.office_b):
            many = engine.compute_many(kpis, org, periods, user)
            for k in kpis:
                for p in periods:
                    one = engine.compute(k, org, p, user)
                    got = many[(k.key, p)]
                    assert (got.numerator, got.denominator, got.value) == (one.numerator, one.denominator, one.value), (k.key, p, org, user)
            for dim in (OFFICE, MONTH, KPIS[0].dimensions[2]):
                rows = engine.breakdown_many([k for k in kpis if k.key != "t.party"], org, Period.year(2026), dim, user)
                for k in kpis:
                    if k.key == "t.party":
                        continue
                    solo_num = engine._solo_breakdown(k.numerator, org, Period.year(2026), dim, user)
                    got = {r["key"]: r["numerator"] for r in rows[k.key] if r["numerator"]}
                    assert got == {key: v for key, v in solo_num.items() if v}, (k.key, dim.key)


def test_to_many_filters_are_not_batched():
    assert not engine.batchable(WITH_PARTY.numerator)
    assert engine.batchable(WITH_EXISTS.numerator)
    assert all(engine.batchable(k.numerator) for k in KPIS)


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_data(orgs, users, client_for, test_kpis):
    from django.urls import reverse

    c = client_for(users.leader)
    params = {"kind": "year", "year": 2026}
    _data(orgs, 2)
    c.get(reverse("stats:dashboard"), params)  # warm the calendar and content-type caches
    small = (_queries(lambda: c.get(reverse("stats:dashboard"), params)), _queries(lambda: c.get(reverse("stats:table"), params)))
    _data(orgs, 60)
    large = (_queries(lambda: c.get(reverse("stats:dashboard"), params)), _queries(lambda: c.get(reverse("stats:table"), params)))
    assert small == large
    # compare_many for every KPI and three periods: one query per model (and one asking
    # whether the daily facts are built, docs/adr/0021: here not, so all live).
    n = _queries(lambda: engine.compare_many(list(KPIS), orgs.bureau, Period.year(2026), users.leader))
    assert n <= 4
