"""The rates the seeds publish, with the numerators and denominators they give,
read exactly as published with the shipped KPI declarations (ADR 0014), and
from data built to match them. Each
row names the KPI whose rule it checks; a rate of a line not built yet checks
the default rule. The figures themselves are built from data in each line's
tests (e.g. 1,285 of 1,323 hearings in the reconsideration line's)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Q

from sifa.cases.tests.testline import KEY
from sifa.kit import registry
from sifa.kit.kpis import KPI, Measure
from sifa.stats import engine
from sifa.stats.periods import Period

from .bulkdata import bulk_cases

# (seed, phrase, KPI key or None for the default, numerator, denominator, as published)
SEEDS = [
    ("市·2022", "调解成功率：成功 37754 ÷ 调解 37798", "mediation.success_rate", 37754, 37798, "99.88"),
    ("区·2023", "调解成功率（以受理数为分母）：3237 ÷ 3302，整数", "mediation.success_rate", 3237, 3302, "98"),
    ("区·2024", "复议纠错率（以审结为分母）：纠错 12 ÷ 审结 67", "reconsideration.correction_rate", 12, 67, "17.91"),
    ("市·2022", "负责人出庭率（按件）：出庭 1285 件 ÷ 开庭 1323 件（截尾）", "litigation.appearance_rate", 1285, 1323, "97.12"),
    ("市·2022", "刑满释放人员无缝衔接率：3060 ÷ 监所释放 3184（四舍五入）", "resettlement.handover_rate", 3060, 3184, "96.11"),
    ("区·2023", "刑满释放人员衔接率：283 ÷ 283", None, 283, 283, "100"),
]


@pytest.mark.parametrize("seed,phrase,key,num,den,published", SEEDS, ids=[row[1][:12] for row in SEEDS])
def test_a_published_rate_reads_as_published(seed, phrase, key, num, den, published):
    decimals = len(published.partition(".")[2])
    rounding = registry.kpi(key).rounding if key else "half_up"
    assert engine.ratio(num, den, decimals, rounding) == Decimal(published), (seed, phrase)


def test_no_single_rule_reads_every_seed():
    """Why the rule belongs to the indicator: one city's report truncates one rate and
    rounds another, and neither rule gives both."""
    assert engine.ratio(1285, 1323, 2, "half_up") != Decimal("97.12")
    assert engine.ratio(3060, 3184, 2, "down") != Decimal("96.11")


# The same figures from data built to match them: cases in two offices, counted by the engine's
# single and batch paths (dashboard, table, report), with each indicator's rounding.
RECEIVED = Measure("件数", case_types=(KEY,))
SUCCESS = Measure("成功件数", case_types=(KEY,), filter=Q(outcome="success"))
RATE = KPI("seed.rate", KEY, "比率", "%", numerator=SUCCESS, denominator=RECEIVED)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ok,total,rounding,expected",
    [
        (37754, 37798, "half_up", "99.88%"),  # 调解成功率 (a city)
        (3237, 3302, "half_up", "98.03%"),  # 调解成功率 over 受理 (a district; published to the unit: 98%)
        (1285, 1323, "down", "97.12%"),  # 负责人出庭率 (a city), published truncated
        (12, 67, "half_up", "17.91%"),  # 纠错率 over 审结 (a district)
        (3060, 3184, "half_up", "96.11%"),  # 无缝衔接率 (a city), published rounded
    ],
)
def test_published_rates_from_data(orgs, ok, total, rounding, expected):
    kpi = replace(RATE, rounding=rounding)
    day = date(2023, 6, 1)
    bulk_cases(orgs.office_a, ok, opened_on=day, closed_on=day, outcome="success")
    bulk_cases(orgs.office_b, total - ok, opened_on=day, closed_on=day, outcome="failed", status="closed")
    fig = engine.compute(kpi, orgs.bureau, Period.year(2023))
    assert (fig.numerator, fig.denominator, fig.display) == (ok, total, expected)
    batch = engine.compute_many([kpi], orgs.bureau, [Period.year(2023)])[(kpi.key, Period.year(2023))]
    assert (batch.numerator, batch.denominator, batch.display) == (ok, total, expected)


def test_no_figure_cites_an_internal_file():
    """A bureau signs what the report prints: definitions and sources name public texts only."""
    for kpi in registry.kpis():
        for text in (kpi.definition, kpi.source):
            assert ".md" not in text and "DOMAIN" not in text and "ADR" not in text, kpi.key
