"""The demo seeder: every stage is represented, and a second run changes nothing."""

from __future__ import annotations

from collections import Counter

import pytest

from sifa.cases import settle
from sifa.cases.models import Case
from sifa.demo.seed import DemoContext
from sifa.reconsideration import demo
from sifa.reconsideration.choices import FY_KEY, YS_KEY

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_demo_covers_the_stages_and_is_idempotent(orgs, users):
    ctx = DemoContext(orgs={"bureau": orgs.bureau}, users={"staff": users.staff, "leader": users.leader})
    assert demo.seed(ctx) > 30
    fy = Case.objects.filter(case_type=FY_KEY)
    statuses = Counter(fy.values_list("status", flat=True))
    assert {"received", "correcting", "reviewing", "suspended", "closed", "not_accepted", "abandoned"} <= set(statuses)
    outcomes = set(fy.values_list("outcome", flat=True))
    assert {"uphold", "revoke", "change", "confirm_illegal", "mediation", "terminate", "dismiss_application"} <= outcomes
    assert any(settle.stage(c).key == "deemed_accepted" for c in fy)
    assert fy.filter(application__extension_days__isnull=False).exists()
    assert fy.filter(application__deemed_accepted=True).exists()
    assert len({c.opened_on.year for c in fy}) == 2
    ys = Case.objects.filter(case_type=YS_KEY)
    assert ys.count() >= 5 and ys.filter(ys_hearings__head_attended=False).exists() and ys.filter(ys_judgments__instance="second").exists()
    before = Case.all_objects.count()
    assert demo.seed(ctx) == 0 and Case.all_objects.count() == before
