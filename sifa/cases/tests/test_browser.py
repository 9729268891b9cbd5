"""The case page in a real browser on a phone-sized screen."""

import pytest

from conftest import no_sideways_scroll

from .factories import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_user_sees_case_with_timeline_on_a_phone(browser_page, orgs, users):
    from sifa.cases import services

    case = make_case(users.office_a, orgs.office_a, title="邻里漏水纠纷")
    services.transition(users.office_a, case, "accept")
    page = browser_page(users.office_a)
    page.goto(f"{page.base}/cases/")
    assert page.get_by_text(case.code).is_visible()
    assert no_sideways_scroll(page)
    page.get_by_text(case.code).click()
    page.get_by_role("tab", name="办理进展").click()
    timeline = page.get_by_test_id("timeline")
    assert "受理" in timeline.inner_text() and "登记" in timeline.inner_text()
    assert no_sideways_scroll(page)
    # The full ID number never reaches the page; the masked form does.
    html = page.content()
    assert "11010519491231002X" not in html and "110105********002X" in html
