"""填报 on a phone in headless Chromium: an office fills and submits its figure,
the statistics administrator locks it; no page scrolls sideways at 375 px."""

from __future__ import annotations

import os

import pytest

from conftest import no_sideways_scroll
from sifa.filings.models import Filing

from .conftest import define, open_q

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fill_submit_and_lock_on_a_phone(browser_page, orgs, users, stats_users):
    t = stats_users.tongji
    ind = define(t, key="publicity")
    rnd, _ = open_q(t, ind, 2026, 3)
    f = Filing.objects.get(round=rnd, org=orgs.office_a)

    page = browser_page(users.office_a)
    page.goto(f"{page.base}/filings/")
    assert "逾期" in page.locator(f"[data-filing='{f.pk}']").inner_text()
    assert no_sideways_scroll(page)
    page.click(f"[data-filing='{f.pk}'] a.btn")
    page.fill("input[name=value]", "-3")
    page.click("[data-testid=submit-filing]")
    assert "填报数值应为不小于0的数字" in page.content()
    page.fill("input[name=value]", "21")
    page.click("[data-testid=submit-filing]")
    page.wait_for_url("**/filings/")
    assert "已上报" in page.locator(f"[data-filing='{f.pk}']").inner_text()
    assert no_sideways_scroll(page)

    admin = browser_page(t)
    for path in ("/filings/indicators/", f"/filings/indicators/{ind.pk}/", "/filings/indicators/new/"):
        admin.goto(f"{admin.base}{path}")
        assert no_sideways_scroll(admin), path
    admin.goto(f"{admin.base}/filings/rounds/{rnd.pk}/")
    assert no_sideways_scroll(admin)
    if os.environ.get("SIFA_SCREENSHOTS"):
        admin.screenshot(path=os.path.join(os.environ["SIFA_SCREENSHOTS"], "filings-review.png"), full_page=True)
    admin.click(f"[data-testid=lock-{f.pk}]")
    admin.wait_for_selector("[data-testid=locked-total]")
    assert admin.locator("[data-testid=locked-total]").inner_text() == "21场"
    f.refresh_from_db()
    assert f.status == "locked"
