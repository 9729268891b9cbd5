"""What the dashboard's figures cost (issue 19): a stock (在册, 累计列管) is one FILTER-ed
aggregate in its model's query like any other measure, with the same figure as its own
query; the organisation's offices, the bureau's definitions and the rollup state are read
once per page (``engine.reading``); and the page's query count does not grow with the data."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sifa.common.tests.test_query_counts import TYPES, _sample, queries
from sifa.kit import registry
from sifa.stats import engine, facts
from sifa.stats.periods import Period

pytestmark = pytest.mark.django_db

# The dashboard of a bureau leader who sees every line (the query-count world): 32 when set
# (65 on the demo data before stocks joined the grouped queries and small reads were kept per page).
DASHBOARD_QUERIES = 34


def _stocks():
    return [m for k in registry.kpis() for m in (k.numerator, k.denominator) if m is not None and m.stock]


def _periods():
    return [Period.year(2026), Period.year(2025), Period.month(2026, 6), Period.custom(date(2026, 3, 15), date(2026, 3, 15))]


def test_stocks_are_aggregated_with_the_same_figures(orgs, users):
    stocks = _stocks()
    assert stocks, "no line declares a stock"
    assert all(engine.aggregable(m) for m in stocks)
    for key in TYPES:
        for _ in range(3):
            _sample(users, key)
    for org, user in ((orgs.bureau, users.leader), (orgs.bureau, None), (orgs.office_a, users.office_a)):
        got = engine.measure_values(stocks, org, _periods(), user)
        for m in stocks:
            for p in _periods():
                assert got[(m, p)] == engine.measure_value(m, org, p, user), (m.label, p, org.name, user)


def test_stocks_of_one_model_share_one_query(orgs, users):
    stocks = _stocks()
    models = {engine._group_key(m) for m in stocks}
    with CaptureQueriesContext(connection) as ctx:
        engine.measure_values(stocks, orgs.bureau, _periods(), users.leader)
    reads = [q for q in ctx.captured_queries if "stats_rollupstate" not in q["sql"]]
    assert len(reads) == len(models), [q["sql"][:120] for q in reads]


def test_small_reads_happen_once_per_page(orgs):
    def count(fn):
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    def asks():
        engine._children(orgs.bureau)
        engine.office_keys(orgs.bureau)
        engine.choices_for(orgs.bureau)
        facts.built_keys()
        facts.as_of()

    outside = count(asks)
    with engine.reading():
        inside = count(asks)
        again = count(asks)
    assert (inside, again) == (3, 0) and outside > inside
    assert count(asks) == outside  # nothing kept past the block


def test_the_dashboard_query_count(users, client_for):
    c = client_for(users.leader)
    for key in TYPES:
        _sample(users, key)
    url = reverse("stats:dashboard") + "?kind=year&year=2026"
    one = queries(c, url)
    for key in TYPES:
        for _ in range(5):
            _sample(users, key)
    many = queries(c, url)
    assert one == many <= DASHBOARD_QUERIES, (one, many)
