"""What the dashboard draws: one unit per chart, lines in the registry's order,
months still to come left as gaps."""

from datetime import date

import pytest
from django.utils import timezone

from sifa.cases.tests.factories import make_case
from sifa.kit import registry
from sifa.kit import registry as case_registry
from sifa.kit.kpis import KPI, MONTH, OFFICE, Measure
from sifa.stats import selectors
from sifa.stats.periods import Period

from .kpis import KPIS

AMOUNT_SUM = Measure("金额", case_types=KPIS[0].numerator.case_types)
AMOUNT = KPI("testline.amount", KPIS[0].line, "测试金额", "元", numerator=AMOUNT_SUM, dimensions=(OFFICE, MONTH), headline=True, order=15)


def test_one_unit_keeps_the_most_common_unit():
    count, other = KPIS[0], KPIS[1]
    assert selectors.one_unit([count, AMOUNT, other]) == [count, other]
    # A tie goes to counts (件): an amount would flatten them.
    assert selectors.one_unit([AMOUNT, count]) == [count]
    assert selectors.one_unit([AMOUNT]) == [AMOUNT]
    assert selectors.one_unit([]) == []


def test_lines_follow_the_case_type_registry_order():
    ranks = {ct.key: ct.order for ct in case_registry.case_types()}
    lines = [line for line, _label in registry.kpi_lines() if line in ranks]
    assert lines == sorted(lines, key=lambda line: (ranks[line], line))


@pytest.mark.django_db
def test_dashboard_charts_have_one_unit_and_no_future_months(orgs, users, test_kpis):
    registry.add_kpis(AMOUNT)
    try:
        make_case(users.office_a, orgs.office_a, opened_on=date(2026, 3, 5))
        today = timezone.localdate()
        data = selectors.dashboard(users.leader, orgs.bureau, Period.year(today.year))["chart_data"]
    finally:
        registry.remove_kpi(AMOUNT.key)
    trend, offices = data["trend"], data["offices"]
    assert trend["unit"] == "件" and offices["unit"] == "件"
    names = [s["name"] for s in trend["series"]] + [s["name"] for s in offices["series"]]
    assert names and not any("测试金额" in n for n in names)
    for s in trend["series"]:
        assert len(s["data"]) == 12
        assert all(v is None for v in s["data"][today.month :])
        assert all(v is not None for v in s["data"][: today.month])
