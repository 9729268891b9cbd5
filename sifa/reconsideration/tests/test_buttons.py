"""In every state of both workflows, and in the situations inside a state that
change what may be done (a lapsed review period, a copy not yet sent, an
extension awaiting the leader, the simplified procedure), the case page's buttons
are exactly the API's step catalogue for everyone who sees the case; a step the
case cannot take now is not offered and says why."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils.timezone import localdate

from sifa.cases.tests.matrix import assert_buttons_are_the_catalogue
from sifa.kit import registry
from sifa.reconsideration.choices import FY_KEY, YS_KEY

from .factories import accepted, heard, make_application, make_suit, step

pytestmark = pytest.mark.django_db

LONG_AGO = date(2026, 3, 2)  # every period of the review has long lapsed


def _checker(users, client_for):
    offered: dict[str, set] = {}

    def check(case, label):
        for user in (users.staff, users.leader):
            got = assert_buttons_are_the_catalogue(client_for(user), user, case)
            offered[f"{label} [{user.username}]"] = got
        return case

    return offered, check


def test_reconsideration_buttons_in_every_state(users, client_for):
    offered, check = _checker(users, client_for)
    today = localdate()
    check(make_application(users.staff, received_on=today), "received")
    check(make_application(users.staff, received_on=LONG_AGO), "received, review lapsed")
    correcting = make_application(users.staff, received_on=today)
    step(users.staff, correcting, "request_correction", today, items="身份证明")
    check(correcting, "correcting")
    abandoned = make_application(users.staff, received_on=LONG_AGO)
    step(users.staff, abandoned, "request_correction", LONG_AGO, items="身份证明")
    step(users.staff, abandoned, "deemed_withdraw", LONG_AGO + timedelta(days=30))
    check(abandoned, "abandoned")
    refused = make_application(users.staff, received_on=today)
    step(users.staff, refused, "not_accept", today, refusal_reason="out_of_time", competent_organ="", explanation="超过申请期限。")
    check(refused, "not_accepted")
    reviewing = accepted(users, today - timedelta(days=1), on=today)
    check(reviewing, "reviewing")
    step(users.staff, reviewing, "send_copy", today)
    step(users.staff, reviewing, "request_extension", today, days=30, grounds="情况复杂")
    check(reviewing, "reviewing, extension requested")
    simplified = accepted(users, today - timedelta(days=1), on=today, procedure="simplified", ground="warning")
    check(simplified, "reviewing, simplified")
    suspended = accepted(users, today - timedelta(days=1), on=today)
    step(users.staff, suspended, "suspend", today, ground="other_case", note="等待判决")
    check(suspended, "suspended")
    closed = accepted(users, today - timedelta(days=2), on=today - timedelta(days=1))
    heard(users, closed, today)
    step(users.staff, closed, "decide", today, kind="uphold", summary="事实清楚。")
    check(closed, "closed")

    states = {key.split(",")[0].split(" [")[0] for key in offered}
    assert states == set(registry.case_type(FY_KEY).workflow.states), states
    assert {"accept", "not_accept", "request_correction"} <= offered["received [staff]"] and "deemed_accept" not in offered["received [staff]"]
    assert offered["received, review lapsed [staff]"] & {"accept", "not_accept", "request_correction"} == set()
    assert "deemed_accept" in offered["received, review lapsed [staff]"]
    assert "deemed_withdraw" not in offered["correcting [staff]"] and "receive_correction" in offered["correcting [staff]"]
    assert "send_copy" in offered["reviewing [staff]"] and "record_reply" not in offered["reviewing [staff]"]
    assert "approve_extension" in offered["reviewing, extension requested [leader]"]
    assert "approve_extension" not in offered["reviewing, extension requested [staff]"]
    assert "request_extension" not in offered["reviewing, simplified [staff]"] and "convert_to_ordinary" in offered["reviewing, simplified [leader]"]
    assert "resume" in offered["suspended [staff]"] and "terminate_after_suspension" not in offered["suspended [staff]"]
    assert "serve_decision" in offered["closed [staff]"] and offered["abandoned [staff]"] == set()


def test_litigation_buttons_in_every_state(users, client_for):
    offered, check = _checker(users, client_for)
    today = localdate()
    check(make_suit(users.staff, served_on=today), "registered")
    suit = make_suit(users.staff, served_on=today - timedelta(days=2))
    step(users.staff, suit, "file_defence", today - timedelta(days=1), summary="提交答辩状。")
    check(suit, "in_trial")
    step(users.staff, suit, "record_judgment", today, kind="dismiss_claim", judged_on=today, served_on=today)
    check(suit, "judged")
    old = make_suit(users.staff, served_on=LONG_AGO)
    step(users.staff, old, "file_defence", LONG_AGO + timedelta(days=3), summary="提交答辩状。")
    judged_on = LONG_AGO + timedelta(days=30)
    step(users.staff, old, "record_judgment", judged_on, kind="dismiss_claim", judged_on=judged_on, served_on=judged_on)
    check(old, "judged, appeal window over")
    step(users.staff, old, "close", today)
    check(old, "closed")

    states = {key.split(",")[0].split(" [")[0] for key in offered}
    assert states == set(registry.case_type(YS_KEY).workflow.states), states
    assert "close" not in offered["judged [staff]"] and "appeal" in offered["judged [staff]"]
    assert "close" in offered["judged, appeal window over [staff]"] and offered["closed [staff]"] == set()
