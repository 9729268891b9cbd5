"""KPIs of the test-only line "ZZ" (sifa/cases/tests/testline.py), declared
exactly as a real line declares them in its kpis.py, so the stats app is
tested without depending on any real line."""

from __future__ import annotations

import pytest
from django.db.models import Q

from sifa.cases.choices import Channel
from sifa.cases.tests.testline import KEY
from sifa.kit import registry
from sifa.kit.kpis import KPI, MONTH, OFFICE, Dimension, Measure

RECEIVED = Measure("受理", case_types=(KEY,))
CLOSED = Measure("结案", case_types=(KEY,), date_field="closed_on", filter=Q(closed_on__isnull=False))
SUCCESS = Measure("成功结案", case_types=(KEY,), date_field="closed_on", filter=Q(outcome="success"))
REFUSED = Measure("不予受理", case_types=(KEY,), date_field="closed_on", filter=Q(outcome="refused"))
SUSPENDED = Measure("中止中", case_types=(KEY,), filter=Q(status="suspended"))
CHANNEL = Dimension("channel", "来源渠道", "field", field="channel", labels=lambda: dict(Channel.choices))

KPIS = (
    KPI(
        "testline.received",
        KEY,
        "受理测试案件",
        "件",
        numerator=RECEIVED,
        definition="期间内登记受理的测试案件数",
        dimensions=(OFFICE, MONTH, CHANNEL),
        headline=True,
        order=10,
        extra={"sentence": "{span}共受理测试案件{value}，{yoy}"},
    ),
    KPI("testline.success", KEY, "成功结案", "件", numerator=SUCCESS, definition="期间内以成功方式结案的测试案件数", headline=True, order=20),
    KPI(
        "testline.success_rate",
        KEY,
        "成功率",
        "%",
        numerator=SUCCESS,
        denominator=RECEIVED,
        definition="成功结案件数 ÷ 受理件数 × 100%",
        source="测试口径",
        headline=True,
        order=30,
        extra={"sentence": "成功率{value}（{num}件/{den}件）"},
    ),
    KPI("testline.closed", KEY, "结案", "件", numerator=CLOSED, order=40),
    KPI("testline.refused", KEY, "不予受理", "件", numerator=REFUSED, order=50, higher_is_better=False),
    KPI("testline.suspended", KEY, "中止风险", "件", numerator=SUSPENDED, order=60, higher_is_better=False, extra={"risk": True}),
)


def register_test_kpis():
    registry.add_kpis(*KPIS)


def unregister_test_kpis():
    for k in KPIS:
        registry.remove_kpi(k.key)


@pytest.fixture
def test_kpis():
    register_test_kpis()
    yield KPIS
    unregister_test_kpis()
