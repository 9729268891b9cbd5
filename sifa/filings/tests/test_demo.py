"""The demo's 填报: six indicators of the demo bureau, last year's figures locked,
the last ended quarter of 普法宣传活动 still to fill for office_a; a second run
changes nothing."""

from __future__ import annotations

import pytest

from sifa.accounts.roles import Role
from sifa.demo.seed import DemoContext
from sifa.filings import demo, selectors
from sifa.filings.models import Filing, Indicator
from sifa.kit import registry
from sifa.orgs.choices import OrgKind
from sifa.stats.periods import Period

pytestmark = pytest.mark.django_db


def test_demo_seeds_figures_and_a_filing_due_for_office_a():
    assert demo.seed in registry.demo_seeders()
    ctx = DemoContext()
    bureau = ctx.org("bureau", "演示区司法局", "演司", OrgKind.BUREAU, None, "359901")
    for i, name in enumerate(("东湖司法所", "西山司法所", "南桥司法所")):
        ctx.org(f"office_{i}", name, name[:2] + "所", OrgKind.OFFICE, bureau)
    ctx.user("staff", "李科员", Role.SECTION, bureau)
    office_a = ctx.user("office_a", "陈所员", Role.OFFICE, ctx.orgs["office_0"])
    ctx.user("office_b", "林所员", Role.OFFICE, ctx.orgs["office_1"])
    ctx.user("tongji", "周统计", Role.STATISTICIAN, bureau)

    assert demo.seed(ctx) > 30
    assert sorted(Indicator.objects.values_list("name", flat=True)) == sorted(i[1] for i in demo.INDICATORS)
    todo = [f for f in selectors.my_filings(office_a) if f.editable]
    assert len(todo) == 1 and todo[0].round.indicator.name == "普法宣传活动"
    assert Filing.objects.filter(status="submitted").count() == 1
    last_year = {f.label: f for f in selectors.figures(bureau, Period.year(ctx.today.year - 1))}
    assert 2000 <= last_year["办理公证"].value <= 4000 and last_year["办理公证"].note == "填报"
    assert last_year["执业律师"].display.endswith("人")
    counts = (Indicator.objects.count(), Filing.objects.count())
    assert demo.seed(ctx) == 0
    assert (Indicator.objects.count(), Filing.objects.count()) == counts
