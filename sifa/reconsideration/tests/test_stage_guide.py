"""流程进度 and the step buttons on the case page (issue 18 item 1; the rules:
``sifa/cases/tests/test_step_guide.py``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import localdate

from sifa.cases.tests.stages import case_page as _page
from sifa.cases.tests.stages import current_stage as _current
from sifa.cases.tests.stages import lead_steps as _lead

pytestmark = pytest.mark.django_db


def test_reconsideration_through_its_stages(users, client_for):
    from .factories import heard, make_application, step

    c = client_for(users.staff)
    case = make_application(users.staff, received_on=localdate() - timedelta(days=1))
    page = _page(c, case)
    assert _current(page) == "受理审查" and _lead(page)[0] == "受理"
    step(users.staff, case, "accept", localdate(), procedure="ordinary")
    page = _page(c, case)
    assert _current(page) == "受理" and "发送答复通知" in _lead(page)
    heard(users, case, localdate())
    page = _page(c, case)
    assert _current(page) == "听取意见" and "作出复议决定" in _lead(page)
