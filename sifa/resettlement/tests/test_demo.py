"""The demo data: every state across the demo offices, the officer's login, the
desk's warnings, the hand-over from correction; idempotent."""

from __future__ import annotations

from collections import Counter

import pytest

from sifa.accounts.models import User
from sifa.cases.models import Case, CaseLink
from sifa.deadlines.selectors import todos

from .. import selectors
from ..choices import CASE_TYPE

pytestmark = [pytest.mark.smoke, pytest.mark.django_db]


def test_demo_seed():
    from sifa.demo.seed import seed

    ctx = seed()
    cases = Case.objects.filter(case_type=CASE_TYPE)
    states = Counter(cases.values_list("status", flat=True))
    assert set(states) == {"pending", "unlinked", "assisting", "ended"}, states
    assert len(set(cases.values_list("owner_org", flat=True))) >= 2
    officer = User.objects.get(username="bangjiao")
    assert officer.role == "resettlement_officer" and officer.org.name == "东湖司法所"
    assert selectors.cases(officer).count() >= 5 and selectors.unlinked(officer).count() >= 2
    assert todos(officer).filter(case__case_type=CASE_TYPE).exists()
    assert selectors.alert_count(ctx.users["leader"]) >= 2
    assert cases.filter(releasee__residence_org__isnull=False).exists()  # 双列管
    if Case.objects.filter(case_type="correction", status="released").exists():
        assert CaseLink.objects.filter(kind="from_correction").exists()
        assert cases.filter(releasee__origin="correction", status="assisting").exists()
    assert seed().created == 0 and Case.objects.filter(case_type=CASE_TYPE).count() == cases.count()
