"""The rates the seed reports publish reproduce from data built to match them."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Q

from sifa.cases.tests.testline import KEY
from sifa.kit.kpis import KPI, Measure
from sifa.stats import engine
from sifa.stats.periods import Period

from .bulkdata import bulk_cases

pytestmark = pytest.mark.django_db

RECEIVED = Measure("调解件数", case_types=(KEY,))
SUCCESS = Measure("调解成功件数", case_types=(KEY,), filter=Q(outcome="success"))
RATE = KPI("seed.rate", KEY, "调解成功率", "%", numerator=SUCCESS, denominator=RECEIVED)


@pytest.mark.parametrize(
    "ok,total,expected",
    [
        (37754, 37798, "99.88%"),  # 全市各级调解组织共调解案件37798件，调解成功37754件
        (3237, 3302, "98.03%"),  # 受理调解案件3302宗，调解成功3237宗（报告写作98%）
        (1285, 1323, "97.12%"),  # 负责人出庭1285件，开庭1323件
        (12, 67, "17.91%"),  # 审结67件，纠错率17.91%
        (4137, 4155, "99.56%"),  # 排查调处矛盾纠纷4155件，调处成功4137件
    ],
)
def test_published_rates(orgs, ok, total, expected):
    day = date(2023, 6, 1)
    bulk_cases(orgs.office_a, ok, opened_on=day, closed_on=day, outcome="success")
    bulk_cases(orgs.office_b, total - ok, opened_on=day, closed_on=day, outcome="failed", status="closed")
    fig = engine.compute(RATE, orgs.bureau, Period.year(2023))
    assert (fig.numerator, fig.denominator, fig.display) == (ok, total, expected)
    # The batch path (dashboard, table, report) gives the same figure.
    batch = engine.compute_many([RATE], orgs.bureau, [Period.year(2023)])[(RATE.key, Period.year(2023))]
    assert (batch.numerator, batch.denominator, batch.display) == (ok, total, expected)
