"""Fixtures of the 填报 tests: the statistics administrators (this bureau's, the
neighbouring bureau's, the city's) beside the shared ``orgs``/``users``, and a
quick way to define an indicator and open a round."""

from __future__ import annotations

import pytest

from sifa.accounts.roles import Role
from sifa.accounts.tests.factories import UserFactory
from sifa.filings import services
from sifa.stats.periods import Period

BASE = {
    "key": "",
    "name": "普法宣传活动",
    "unit": "场",
    "period_kind": "quarter",
    "level": "office",
    "definition": "本季度司法所组织的普法宣传活动场次。",
    "theme": "rule_of_law",
    "kpi_key": "",
    "live_from": None,
    "due_days": 10,
    "is_active": True,
}


@pytest.fixture
def stats_users(orgs):
    class StatsUsers:
        tongji = UserFactory(username="tongji", role=Role.STATISTICIAN, org=orgs.bureau)
        other = UserFactory(username="tongji_x", role=Role.STATISTICIAN, org=orgs.other_bureau)
        city = UserFactory(username="tongji_city", role=Role.STATISTICIAN, org=orgs.city)
        other_staff = UserFactory(username="staff_other", role=Role.SECTION, org=orgs.other_bureau)

    return StatsUsers


def define(actor, **over):
    return services.create_indicator(actor, BASE | over)


def open_q(actor, ind, year=2026, q=1):
    return services.open_round(actor, ind.pk, Period.quarter(year, q))
