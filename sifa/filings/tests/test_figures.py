"""The figures the dashboard and the report print: only locked filings count; a
year of a quarterly indicator sums its quarters; a bureau's indicators reach its
offices, a city's reach every district; an indicator tied to a line's KPI gives
way to the platform from the day the line went live (``for_kpi`` before it)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sifa.filings import selectors, services
from sifa.filings.models import Filing
from sifa.kit import registry
from sifa.kit.kpis import KPI, Measure
from sifa.stats.periods import Period

from .conftest import define, open_q

pytestmark = pytest.mark.django_db

KPI_KEY = "filings_test.notarized"


@pytest.fixture
def tied_kpi():
    kpi = KPI(KPI_KEY, "filings_test", "办理公证（平台）", "件", Measure("公证"))
    registry.add_kpis(kpi)
    yield kpi
    registry.remove_kpi(KPI_KEY)


def fill_and_lock(stat, rnd, values: dict) -> None:
    """values: {org: (filler, value)}; each is submitted and locked."""
    for org, (filler, value) in values.items():
        f = Filing.objects.get(round=rnd, org=org)
        services.save_filing(filler, f.pk, value=value, submit=True)
        services.lock_filing(stat, f.pk)


def test_a_year_of_a_quarterly_indicator_sums_the_locked_quarters(orgs, users, stats_users):
    t = stats_users.tongji
    ind = define(t, key="publicity")
    for q in (1, 2, 3):
        rnd, _ = open_q(t, ind, 2026, q)
        fill_and_lock(t, rnd, {orgs.office_a: (users.office_a, 10 * q), orgs.office_b: (users.office_b, q)})
    # A submitted, unlocked figure does not count.
    rnd4, _ = open_q(t, ind, 2025, 4)
    services.save_filing(users.office_a, Filing.objects.get(round=rnd4, org=orgs.office_a).pk, value="999", submit=True)

    year = selectors.figures(orgs.bureau, Period.year(2026))
    assert [(f.value, f.filled, f.expected, f.note) for f in year] == [(Decimal("66"), 6, 12, "填报，6/12份已审核")]
    assert selectors.figures(orgs.bureau, Period.half(2026, 1))[0].value == Decimal("33")
    assert selectors.figures(orgs.office_b, Period.year(2026))[0].value == Decimal("6")
    # Nothing locked: shown as "—"; a month holds no quarter, so no figure at all.
    last = selectors.figures(orgs.bureau, Period.year(2025))[0]
    assert (last.value, last.display, last.filled) == (None, "—", 0)
    assert selectors.figures(orgs.bureau, Period.month(2026, 2)) == []
    # The theme filter, and the neighbouring bureau never sees it.
    assert selectors.figures(orgs.bureau, Period.year(2026), theme="public_service") == []
    assert selectors.figures(orgs.other_bureau, Period.year(2026)) == []
    assert selectors.figures(orgs.committee_a, Period.year(2026)) == []


def test_all_filled_reads_plainly_and_amounts_keep_their_cents(orgs, users, stats_users):
    t = stats_users.tongji
    ind = define(t, key="fees", name="法律援助补贴", unit="元", period_kind="year", level="bureau", theme="public_service")
    rnd, _ = services.open_round(t, ind.pk, Period.year(2025))
    fill_and_lock(t, rnd, {orgs.bureau: (users.staff, "12345.5")})
    fig = selectors.figures(orgs.bureau, Period.year(2025))
    assert [(f.display, f.note, f.filled, f.expected) for f in fig] == [("12,345.50元", "填报", 1, 1)]


def test_figures_for_a_city_over_two_districts(orgs, users, stats_users):
    """A city bureau's indicator is filled by each district bureau (or each office):
    the city figure is their sum, each district's its own."""
    city = stats_users.city
    notary = define(city, key="notary", name="办理公证", unit="件", period_kind="year", level="bureau", theme="public_service")
    events = define(city, key="events", name="普法活动", unit="场", period_kind="year", level="office")
    n_rnd, made = services.open_round(city, notary.pk, Period.year(2025))
    assert made == 2 and set(n_rnd.filings.values_list("org", flat=True)) == {orgs.bureau.pk, orgs.other_bureau.pk}
    e_rnd, made = services.open_round(city, events.pk, Period.year(2025))
    assert made == 4  # A, B, C and the neighbouring district's office
    fill_and_lock(city, n_rnd, {orgs.bureau: (users.staff, 3000), orgs.other_bureau: (stats_users.other_staff, 2100)})
    fill_and_lock(city, e_rnd, {orgs.office_a: (users.office_a, 20), orgs.other_office: (users.other_office, 7)})
    # The district's own indicator is not the city's.
    define(stats_users.tongji, key="notary", name="办理公证", unit="件", period_kind="year", level="bureau", theme="public_service")

    with CaptureQueriesContext(connection) as q:
        at_city = {f.key: f for f in selectors.figures(orgs.city, Period.year(2025))}
    assert len(q.captured_queries) <= 3, [x["sql"] for x in q.captured_queries]
    assert (at_city["notary"].value, at_city["notary"].display, at_city["notary"].expected) == (Decimal("5100"), "5,100件", 2)
    assert (at_city["events"].value, at_city["events"].note) == (Decimal("27"), "填报，2/4个单位已审核")
    at_district = selectors.figures(orgs.other_bureau, Period.year(2025))
    assert [(f.key, f.value, f.expected) for f in at_district] == [("events", Decimal("7"), 1), ("notary", Decimal("2100"), 1)]
    # This district sees the city's indicators and its own (nothing filled in its own yet).
    mine = [(f.key, f.value) for f in selectors.figures(orgs.bureau, Period.year(2025))]
    assert ("notary", Decimal("3000")) in mine and ("notary", None) in mine


def test_a_tied_indicator_gives_way_to_the_platform_once_the_line_is_live(orgs, users, stats_users, tied_kpi):
    t = stats_users.tongji
    ind = define(t, key="notary", name="办理公证", unit="件", period_kind="quarter", level="bureau", kpi_key=KPI_KEY, live_from=date(2026, 4, 1))
    for q, value in ((4, 700), (1, 800)):
        rnd, _ = open_q(t, ind, 2026 if q == 1 else 2025, q)
        fill_and_lock(t, rnd, {orgs.bureau: (users.staff, value)})
    q1, q2, h1 = Period.quarter(2026, 1), Period.quarter(2026, 2), Period.half(2026, 1)
    # Before live_from: the filled figure, from figures and for_kpi alike.
    assert selectors.for_kpi(KPI_KEY, orgs.bureau, q1) == Decimal("800")
    assert [f.value for f in selectors.figures(orgs.bureau, q1)] == [Decimal("800")]
    assert selectors.for_kpi(KPI_KEY, orgs.bureau, Period.year(2025)) == Decimal("700")
    # From live_from on the platform computes it: no filled figure, for_kpi gives None.
    assert selectors.figures(orgs.bureau, q2) == []
    assert selectors.for_kpi(KPI_KEY, orgs.bureau, q2) is None
    # A period across the day: not the platform's alone, but for_kpi cannot stand in either.
    assert selectors.for_kpi(KPI_KEY, orgs.bureau, h1) is None
    assert [f.value for f in selectors.figures(orgs.bureau, h1)] == [Decimal("800")]
    # Nothing locked, another KPI, or an office below: None.
    assert selectors.for_kpi(KPI_KEY, orgs.bureau, Period.quarter(2025, 3)) is None
    assert selectors.for_kpi("mediation.received", orgs.bureau, q1) is None
    assert selectors.for_kpi(KPI_KEY, orgs.office_a, q1) is None
    assert selectors.for_kpi(KPI_KEY, orgs.other_bureau, q1) is None


def test_an_inactive_indicator_keeps_its_counted_past(orgs, users, stats_users):
    from .conftest import BASE

    t = stats_users.tongji
    ind = define(t, key="publicity")
    rnd, _ = open_q(t, ind, 2025, 4)
    fill_and_lock(t, rnd, {orgs.office_a: (users.office_a, 5)})
    services.update_indicator(t, ind.pk, BASE | {"key": "publicity", "is_active": False})
    assert [f.value for f in selectors.figures(orgs.bureau, Period.year(2025))] == [Decimal("5")]
    assert selectors.figures(orgs.bureau, Period.year(2026)) == []
