"""流程进度 and the step buttons in a real browser, at 1440×900 and 390×844: the
current stage is marked, the likely next steps are the visible buttons, the rest
open from 其他办理, a scheduled session fills its record, and nothing widens the page."""

import pytest
from django.utils.timezone import localdate

from conftest import no_sideways_scroll
from sifa.common import dictionaries
from sifa.mediation.choices import DISPUTE_TYPE_SET, DISPUTE_TYPES

from .factories import make_dispute, mediator, profile, step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1440", "390"])
def test_stages_buttons_and_a_scheduled_session(browser_page, orgs, users, viewport):
    dictionaries.ensure(DISPUTE_TYPE_SET, DISPUTE_TYPES)  # a transactional test starts with empty tables
    profile(orgs.committee_a)
    team = [mediator(orgs.committee_a, "张调解", user=users.mediator_a), mediator(orgs.committee_a, "周调解")]
    case = make_dispute(users.office_a, orgs.committee_a)
    step(users.office_a, case, "accept")
    step(users.office_a, case, "assign_mediators", {"mediators": [t.pk for t in team], "lead": team[1].pk, "mediator_choice": "designated"})
    step(
        users.office_a,
        case,
        "schedule_session",
        {"kind": "mediation", "session_on": localdate(), "at_time": "09:30", "place": "村委会", "participants": "双方"},
    )
    page = browser_page(users.office_a, viewport=viewport)
    page.goto(f"{page.base}/cases/{case.pk}/")
    stages = page.get_by_test_id("stages")
    assert stages.is_visible()
    current = stages.locator("[aria-current=step]")
    assert current.count() == 1 and "调查调解" in current.inner_text()
    leads = [x.inner_text().strip() for x in page.get_by_test_id("step-lead").all()]
    assert leads[0] == "调查/调解记录" and len(leads) <= 3
    # The others are one click away, not a row of equal buttons.
    page.get_by_test_id("step-more").get_by_role("button", name="其他办理").click()
    assert page.get_by_role("link", name="延期调解").is_visible()
    assert no_sideways_scroll(page)
    # Choosing the scheduled session fills the record's date, time and place.
    page.get_by_test_id("step-lead").first.click()
    page.wait_for_url(f"**/cases/{case.pk}/do/record_session/")
    page.select_option("select[name=planned]", index=1)
    assert page.input_value("input[name=place]") == "村委会"
    assert page.input_value("input[name=at_time]") == "09:30"
    assert page.input_value("input[name=session_on]") == localdate().isoformat()
    assert page.locator("select[name=planned] option").first.inner_text() == "请选择"
    assert no_sideways_scroll(page)
