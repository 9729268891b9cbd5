"""The dashboard in headless Chromium: number cards, ECharts charts drawn from
locally served assets under the strict CSP, click-through, the wall display."""

from __future__ import annotations

import os
from datetime import date

import pytest

from conftest import DESKTOP, no_sideways_scroll

from .bulkdata import bulk_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(orgs, test_kpis):
    for m in range(1, 7):
        bulk_cases(orgs.office_a, m, opened_on=date(2026, m, 3), closed_on=date(2026, m, 20), outcome="success")
        bulk_cases(orgs.office_b, 2, opened_on=date(2026, m, 5))
    bulk_cases(orgs.office_b, 1, opened_on=date(2026, 3, 5), status="suspended")


def test_dashboard_renders_charts_and_drills_down(browser_page, users, data):
    page = browser_page(users.leader, viewport=DESKTOP)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{page.base}/stats/?kind=year&year=2026")
    page.wait_for_selector("[data-chart=trend][data-ready='1'] canvas")
    page.wait_for_selector("[data-chart=offices][data-ready='1'] canvas")
    assert page.locator("[data-kpi='testline.received'] .sf-num").inner_text() == "34件"
    assert "期间内登记受理的测试案件数" in page.locator("[data-kpi='testline.received']").get_attribute("title")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    if os.environ.get("SIFA_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SIFA_SCREENSHOTS"], "dashboard.png"), full_page=True)
    page.click("[data-kpi='testline.received']")
    page.wait_for_url("**/stats/drill/**")
    assert "口径" in page.locator("[data-definition]").inner_text()
    assert "共 34 条" in page.content()


def test_wall_mode_is_dark_and_refreshes_itself(browser_page, users, data):
    page = browser_page(users.leader, viewport={"width": 1920, "height": 1080})
    page.goto(f"{page.base}/stats/wall/?kind=year&year=2026")
    page.wait_for_selector("[data-chart=trend][data-ready='1'] canvas")
    assert page.evaluate("() => document.body.classList.contains('sf-wall')")
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(11, 23, 48)"
    assert page.evaluate("() => +document.body.dataset.refresh") >= 15
    assert page.locator("[data-fullscreen]").count() == 1
    if os.environ.get("SIFA_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SIFA_SCREENSHOTS"], "wall.png"))


def test_office_dashboard_on_a_phone(browser_page, users, data):
    page = browser_page(users.office_a)
    page.goto(f"{page.base}/stats/")
    page.wait_for_selector("[data-kpi='testline.received']")
    assert "B司法所" not in page.content()
    assert no_sideways_scroll(page)
