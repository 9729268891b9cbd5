"""The wall at 1920×1080 in headless Chromium, signed in as the display account
(issue 18 item 8): one screen, nothing to scroll either way, large figures, every
chart drawn, legends not paged, count lines straight."""

from __future__ import annotations

import os
from datetime import date

import pytest

from sifa.accounts.roles import Role
from sifa.accounts.tests.factories import UserFactory

from .bulkdata import bulk_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WALL = {"width": 1920, "height": 1080}


@pytest.fixture
def data(orgs, test_kpis):
    for m in range(1, 7):
        bulk_cases(orgs.office_a, m, opened_on=date(2026, m, 3), closed_on=date(2026, m, 20), outcome="success")
        bulk_cases(orgs.office_b, 2, opened_on=date(2026, m, 5))
    bulk_cases(orgs.office_b, 1, opened_on=date(2026, 3, 5), status="suspended")


def _fits(page) -> dict:
    return page.evaluate(
        """() => ({
            height: document.documentElement.scrollHeight, inner: innerHeight,
            width: document.documentElement.scrollWidth, innerW: innerWidth,
            wider: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1).length,
        })"""
    )


def test_the_display_account_sees_the_wall_on_one_screen(browser_page, orgs, data):
    display = UserFactory(username="display", role=Role.DISPLAY, org=orgs.bureau)
    page = browser_page(display, viewport=WALL)  # signs in through the form: it lands on the wall
    page.wait_for_url("**/stats/wall/**")
    page.goto(f"{page.base}/stats/wall/?kind=year&year=2026")
    page.wait_for_selector("[data-chart=trend][data-ready='1'] canvas")
    page.wait_for_selector("[data-chart=offices][data-ready='1'] canvas")
    page.wait_for_selector("[data-chart=types][data-ready='1'] canvas")
    fit = _fits(page)
    assert fit["height"] <= fit["inner"], fit
    assert fit["width"] <= fit["innerW"] and fit["wider"] == 0, fit
    # Every chart has a real drawing area, not a collapsed box.
    sizes = page.evaluate("() => [...document.querySelectorAll('[data-chart] canvas')].map(c => [c.clientWidth, c.clientHeight])")
    assert sizes and all(w >= 200 and h >= 150 for w, h in sizes), sizes
    # Large figures, for reading across the room.
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.sf-wall-num')).fontSize)")
    assert size >= 32, size
    assert page.locator("[data-kpi='testline.received'] .sf-wall-num").inner_text() == "34件"
    # Legends are plain (not paged), count lines straight.
    options = page.evaluate(
        """() => ['trend', 'offices'].map(k => {
            const o = echarts.getInstanceByDom(document.querySelector(`[data-chart=${k}]`)).getOption();
            return {legend: o.legend.map(l => l.type), smooth: o.series.map(s => s.smooth)};
        })"""
    )
    assert all(t == "plain" for o in options for t in o["legend"]), options
    assert all(s is False for s in options[0]["smooth"]), options
    # No link anywhere: nothing to open from the wall.
    assert page.locator("a[href]").count() == 0
    assert page.evaluate("() => +document.body.dataset.refresh") >= 15
    if os.environ.get("SIFA_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SIFA_SCREENSHOTS"], "wall-display.png"))
