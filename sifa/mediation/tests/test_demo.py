"""The demo data: idempotent, covers every state, both years, the registry."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.utils.timezone import localdate

from sifa.cases.models import Case
from sifa.kit import registry as kpi_registry
from sifa.mediation import selectors
from sifa.mediation.models import Committee, Dispute, JudicialConfirmation, Mediator
from sifa.stats import engine
from sifa.stats.periods import Period

pytestmark = [pytest.mark.smoke, pytest.mark.django_db]


def test_demo_seed(settings):
    from sifa.demo.seed import seed

    ctx = seed()
    states = Counter(Case.objects.filter(case_type="mediation").values_list("status", flat=True))
    assert set(states) == {"registered", "not_accepted", "accepted", "mediating", "agreed", "terminated", "archived"}
    assert 25 <= sum(states.values()) <= 60
    years = set(Case.objects.filter(case_type="mediation").values_list("year", flat=True))
    this_year = localdate().year
    # A concluded dispute needs about 45 days of steps before today: in the first weeks of
    # January this year has only just begun (as in a real bureau), after that both years show.
    established = localdate() >= date(this_year, 2, 20)
    assert years == {this_year - 1, this_year} if established else this_year - 1 in years and years <= {this_year - 1, this_year}
    assert Committee.objects.count() == 5
    for key in ("committee_0", "committee_1", "committee_2"):
        assert 4 <= Mediator.objects.filter(org=ctx.orgs[key]).count() <= 6
    assert Dispute.objects.filter(risk_flag=True).exists() and JudicialConfirmation.objects.filter(status="confirmed").exists()
    assert selectors.disputes(ctx.users["mediator_a"]).count() >= 3
    # 南桥 is deliberately short of members: the registry shows it.
    assert any("委员不足3人" in w for w in selectors.committee_rows([ctx.orgs["committee_2"]])[0]["warnings"])
    cmp = engine.compare(kpi_registry.kpi("mediation.succeeded"), ctx.orgs["bureau"], Period.year(this_year))
    assert cmp.previous_year.value > 0 and (cmp.current.value > 0 or not established)
    again = seed()
    assert again.created == 0
