"""流程进度 and the step buttons on the case page (issue 18 item 1; the rules:
``sifa/cases/tests/test_step_guide.py``)."""

from __future__ import annotations

import pytest

from sifa.cases.tests.stages import case_page as _page
from sifa.cases.tests.stages import current_stage as _current
from sifa.cases.tests.stages import lead_steps as _lead

pytestmark = pytest.mark.django_db


def test_mediation_through_its_stages(orgs, users, client_for):
    from .factories import agreement_data, make_dispute, mediator, profile, session_data, step

    profile(orgs.committee_a)
    team = [mediator(orgs.committee_a, "张调解", user=users.mediator_a), mediator(orgs.committee_a, "周调解")]
    c = client_for(users.office_a)
    case = make_dispute(users.office_a, orgs.committee_a)
    page = _page(c, case)
    # Three steps offered: all shown, the likely one first.
    assert _current(page) == "登记" and _lead(page) == ["受理", "不予受理", "风险预警"] and 'data-testid="step-more"' not in page
    step(users.office_a, case, "accept")
    assert _current(_page(c, case)) == "受理" and _lead(_page(c, case)) == ["指派调解员"]
    step(users.office_a, case, "assign_mediators", {"mediators": [t.pk for t in team], "lead": team[1].pk, "mediator_choice": "designated"})
    page = _page(c, case)
    assert _current(page) == "指派调解员" and _lead(page) == ["安排调解", "调查/调解记录"]
    step(users.office_a, case, "record_session", session_data())
    page = _page(c, case)
    assert _current(page) == "调查调解" and _lead(page)[:2] == ["安排调解", "调解成功"] and "终止调解" in _lead(page)
    # Not offered at all: 法院受理情况 before any application for 司法确认.
    step(users.office_a, case, "succeed", agreement_data())
    page = _page(c, case)
    assert _current(page) == "调解结果" and _lead(page)[:2] == ["回访", "申请司法确认"] and "法院受理情况" not in page and "风险处置结果" not in page
