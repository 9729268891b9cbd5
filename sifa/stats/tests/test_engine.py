from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Q

from sifa.cases.tests.factories import make_case
from sifa.cases.tests.testline import KEY
from sifa.kit.kpis import KPI, MONTH, OFFICE, Measure
from sifa.stats import engine
from sifa.stats.periods import Period


@pytest.mark.parametrize(
    "num,den,rounding,expected",
    [
        (3237, 3302, "half_up", "98.03"),
        (1285, 1323, "half_up", "97.13"),
        (1285, 1323, "down", "97.12"),
        (3060, 3184, "half_up", "96.11"),
        (3060, 3184, "down", "96.10"),
        (99999, 100000, "half_up", "99.99"),  # never 100.00% unless it is 100%
        (99999, 100000, "down", "99.99"),
        (1, 100000, "half_up", "0.01"),  # never 0.00% unless it is 0
        (0, 5, "half_up", "0.00"),
        (5, 5, "half_up", "100.00"),
    ],
)
def test_ratio_rounds_as_the_kpi_declares(num, den, rounding, expected):
    assert engine.ratio(num, den, 2, rounding) == Decimal(expected)


def test_ratio_without_denominator_is_none():
    assert engine.ratio(3, 0) is None


RECEIVED = Measure("受理", case_types=(KEY,))
CLOSED_OK = Measure("结案", case_types=(KEY,), date_field="closed_on", filter=Q(outcome="success"))
RATE = KPI("test.rate", KEY, "成功率", "%", numerator=CLOSED_OK, denominator=RECEIVED, dimensions=(OFFICE, MONTH))
COUNT = KPI("test.count", KEY, "受理数", "件", numerator=RECEIVED)


@pytest.fixture
def data(orgs, users):
    from sifa.cases import services

    made = []
    for org, user, n in ((orgs.office_a, users.office_a, 3), (orgs.committee_a, users.office_a, 1), (orgs.office_b, users.office_b, 2)):
        for _ in range(n):
            made.append(make_case(user, org, opened_on=date(2026, 3, 5)))
    for c in made[:3]:
        services.transition(c.handler, c, "accept", on=date(2026, 3, 6))
        services.transition(c.handler, c, "close", data={"agreement": "x"}, on=date(2026, 3, 7))
    make_case(users.office_a, orgs.office_a, opened_on=date(2025, 3, 5))
    return made


@pytest.mark.django_db
def test_compute_for_subtrees_and_periods(orgs, users, data):
    y = Period.year(2026)
    assert engine.compute(COUNT, orgs.bureau, y).value == 6
    assert engine.compute(COUNT, orgs.office_a, y).value == 4
    assert engine.compute(COUNT, orgs.bureau, Period.year(2025)).value == 1
    fig = engine.compute(RATE, orgs.bureau, y)
    assert (fig.numerator, fig.denominator, fig.display) == (3, 6, "50.00%")


@pytest.mark.django_db
def test_scoping_by_user(orgs, users, data):
    y = Period.year(2026)
    assert engine.compute(COUNT, orgs.bureau, y, users.office_b).value == 2
    assert engine.compute(COUNT, orgs.bureau, y, users.sysadmin).value == 0
    assert set(engine.cases_behind(COUNT, orgs.bureau, y, users.office_b)) == {c for c in data if c.owner_org == orgs.office_b}


@pytest.mark.django_db
def test_breakdown_by_office_and_month(orgs, users, data):
    y = Period.year(2026)
    rows = {r["label"]: r for r in engine.breakdown(RATE, orgs.bureau, y, OFFICE)}
    assert rows["A司法所"]["denominator"] == 4 and rows["A司法所"]["display"] == "75.00%"
    assert rows["B司法所"]["denominator"] == 2 and rows["B司法所"]["value"] == 0
    assert rows["C司法所"]["value"] is None
    months = engine.breakdown(COUNT, orgs.bureau, y, MONTH)
    assert len(months) == 12 and months[2]["value"] == 6
    # Drill-down of one office cell lists exactly its cases.
    cell = engine.cases_behind(RATE, orgs.bureau, y, users.leader, part="denominator", dim=OFFICE, dim_key=f"c{orgs.office_a.pk}")
    assert cell.count() == 4


@pytest.mark.django_db
def test_comparisons(orgs, users, data):
    cmp = engine.compare(COUNT, orgs.bureau, Period.year(2026))
    assert cmp.previous_year.value == 1 and cmp.yoy["text"] == "增长500.00%"


def test_periods():
    assert Period.quarter(2026, 1).previous() == Period.quarter(2025, 4)
    assert Period.month(2026, 3).previous_year().start == date(2025, 3, 1)
    assert Period.half(2026, 2).previous() == Period.half(2026, 1)
    assert len(Period.year(2026).months()) == 12
