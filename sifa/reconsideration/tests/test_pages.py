"""The core's step page renders every step of both lines, and bad input on it is
answered in Chinese next to the field (400), never with a 500."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sifa.kit import registry
from sifa.reconsideration.choices import FY_KEY, YS_KEY

from .factories import accepted, fresh, make_application, make_suit, step

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", [FY_KEY, YS_KEY])
def test_every_step_page_renders(users, client_for, key):
    c = client_for(users.staff)
    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3)) if key == FY_KEY else make_suit(users.staff, served_on=date(2026, 6, 1))
    for t in registry.case_type(key).workflow.steps:
        r = c.get(reverse("cases:transition", args=[case.pk, t.name]))
        assert r.status_code == 200, t.name
        assert t.label in r.content.decode()


def test_bad_step_input_on_the_page(users, client_for):
    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    c = client_for(users.staff)
    url = reverse("cases:transition", args=[case.pk, "schedule_hearing"])
    r = c.post(url, {"on": "2026-03-05", "version": fresh(case).version, "hearing_date": "2026-03-06", "place": "听证室", "matters": "事项"})
    assert r.status_code == 400 and "最早可定于2026-03-12" in r.content.decode()
    r = c.post(url, {"on": "2026-03-05", "version": fresh(case).version, "hearing_date": "not a date", "place": "", "matters": ""})
    assert r.status_code == 400 and "请填写听证地点" in r.content.decode()
    r = c.post(url, {"on": "2026-03-05", "version": fresh(case).version, "hearing_date": "2026-03-13", "place": "听证室", "matters": "事项"})
    assert r.status_code == 302 and case.fy_activities.count() == 1


def test_staff_record_lapsed_periods_by_hand(users):
    case = make_application(users.staff, received_on=date(2026, 3, 2))
    step(users.staff, case, "request_correction", date(2026, 3, 3), items="补充", served_on=date(2026, 3, 5))  # due 3-19
    with pytest.raises(Exception, match="尚未届满"):
        step(users.staff, case, "deemed_withdraw", date(2026, 3, 19))
    step(users.staff, case, "deemed_withdraw", date(2026, 3, 20))
    assert fresh(case).status == "abandoned"
    other = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    step(users.staff, other, "suspend", date(2026, 3, 10), ground="org_terminated")  # limit 5-9
    with pytest.raises(Exception, match="不能以此终止"):
        step(users.staff, other, "terminate_after_suspension", date(2026, 5, 9))
    step(users.staff, other, "terminate", date(2026, 5, 11), termination_reason="suspension_expired")
    assert fresh(other).application.termination_reason == "suspension_expired"
