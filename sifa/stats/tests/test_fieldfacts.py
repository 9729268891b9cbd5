"""Field breakdowns ("by type" charts) read from monthly field facts (fieldfacts.py,
docs/adr/0021): the same figures as the rows, kept up to date by the worker, checked
by stats_verify, and only for whole months and viewers the facts serve."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from sifa.cases import services
from sifa.cases.tests.factories import make_case
from sifa.kit import registry
from sifa.stats import engine, facts, fieldfacts, rollups
from sifa.stats.models import FieldFact
from sifa.stats.overview import overview
from sifa.stats.periods import Period

from .kpis import CHANNEL, RECEIVED

pytestmark = pytest.mark.django_db


def _cases(orgs, users):
    made = []
    for i, (channel, day) in enumerate((("phone", 3), ("phone", 9), ("online", 12), ("post", 28), ("online", 40), ("phone", 75))):
        actor, org = (users.office_a, orgs.office_a) if i % 2 else (users.office_b, orgs.office_b)
        made.append(make_case(actor, org, opened_on=date(2026, 1, 1) + timedelta(days=day), channel=channel))
    return made


def _live(kpi, org, period, user):
    with mock.patch.object(fieldfacts, "served", return_value=[]), mock.patch.object(facts, "served", return_value=[]):
        return engine.breakdown(kpi, org, period, CHANNEL, user)


def test_the_charted_fields_of_rolled_measures_are_held(test_kpis):
    cat = fieldfacts.catalogue()
    assert fieldfacts.name(rollups.measure_key(RECEIVED), "channel") in cat
    assert fieldfacts.rollable(RECEIVED, "channel")
    assert not fieldfacts.rollable(RECEIVED, "parties__name")  # many rows per case
    assert not fieldfacts.rollable(RECEIVED, "no_such_field")


def test_a_chart_by_field_reads_the_facts_and_equals_the_rows(orgs, users, test_kpis):
    _cases(orgs, users)
    rollups.run()
    kpi = registry.kpi("testline.received")
    for period in (Period.year(2026), Period(date(2026, 1, 1), date(2026, 2, 28)), Period(date(2026, 1, 1), date(2026, 1, 31))):
        got = engine.breakdown(kpi, orgs.bureau, period, CHANNEL, users.leader)
        assert got == _live(kpi, orgs.bureau, period, users.leader)
        assert fieldfacts.served([(RECEIVED, "channel")], orgs.bureau, users.leader, period)
    year = {r["key"]: r["value"] for r in engine.breakdown(kpi, orgs.bureau, Period.year(2026), CHANNEL, users.leader) if r["value"]}
    assert year == {"phone": 3, "online": 2, "post": 1}
    # A custom period cut inside a month, and a narrower viewer: computed live.
    odd = Period(date(2026, 1, 5), date(2026, 2, 20))
    assert not fieldfacts.served([(RECEIVED, "channel")], orgs.bureau, users.leader, odd)
    assert not fieldfacts.served([(RECEIVED, "channel")], orgs.bureau, users.staff, Period.year(2026))
    assert engine.breakdown(kpi, orgs.bureau, odd, CHANNEL, users.leader) == _live(kpi, orgs.bureau, odd, users.leader)
    # Proof the chart comes from the facts: a fact changed by hand changes it (dashboard pass too).
    FieldFact.objects.filter(measure=rollups.measure_key(RECEIVED), key='"post"').update(value=9, rows=9)
    year = {r["key"]: r["value"] for r in engine.breakdown(kpi, orgs.bureau, Period.year(2026), CHANNEL, users.leader) if r["value"]}
    assert year["post"] == 9
    _cmps, (by_channel,) = overview([kpi], orgs.bureau, Period.year(2026), users.leader, breakdowns=[(CHANNEL, [kpi])])
    assert {r["key"]: r["value"] for r in by_channel[kpi.key]}["post"] == 9


def test_an_edited_field_moves_its_fact_and_stats_verify_checks_them(orgs, users, test_kpis):
    made = _cases(orgs, users)
    rollups.run()
    call_command("stats_verify", "--from", "2026-01-01", "--to", "2026-03-31", stdout=StringIO())
    case = made[3]  # post, office A, 29 January
    services.update_case(users.office_a, case.pk, expected_version=None, channel="phone")  # same day, another channel
    rollups.run()
    kpi = registry.kpi("testline.received")
    year = {r["key"]: r["value"] for r in engine.breakdown(kpi, orgs.bureau, Period.year(2026), CHANNEL, users.leader) if r["value"]}
    assert year == {"phone": 4, "online": 2}
    call_command("stats_verify", "--from", "2026-01-01", "--to", "2026-03-31", stdout=StringIO())
    # An altered field fact is named, with its month, field and value.
    FieldFact.objects.filter(measure=rollups.measure_key(RECEIVED), key='"online"', org=orgs.office_b).update(value=4, rows=4)
    err = StringIO()
    with pytest.raises(CommandError, match="1处"):
        call_command("stats_verify", "--from", "2026-01-10", "--to", "2026-01-20", stdout=StringIO(), stderr=err)
    text = err.getvalue()
    assert "2026年01月（来源渠道：online）" in text and "B司法所" in text
