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


def test_office_user_on_a_phone_finds_a_case_by_pinyin_and_runs_a_step(browser_page, orgs, users):
    case = make_case(users.office_a, orgs.office_a, title="相邻通行纠纷", parties=[{"name": "张三"}])
    other = make_case(users.office_a, orgs.office_a, title="欠款纠纷", parties=[{"name": "李四"}])
    page = browser_page(users.office_a)
    assert no_sideways_scroll(page)
    # Search from the home page by the party's pinyin initials.
    page.fill("input[name=q]", "zs")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(lambda url: "q=zs" in url)
    assert page.get_by_text(case.code).is_visible()
    assert page.get_by_text(other.code).count() == 0
    assert no_sideways_scroll(page)
    # Open the case and run 受理 through its form.
    page.get_by_text(case.code).click()
    page.wait_for_url(f"**/cases/{case.pk}/**")
    assert no_sideways_scroll(page)
    page.get_by_role("link", name="受理", exact=True).click()
    page.wait_for_url(f"**/cases/{case.pk}/do/accept/")
    assert no_sideways_scroll(page)
    page.fill("textarea[name=reason]", "材料齐全，当场受理")
    page.get_by_role("button", name="确认受理").click()
    page.wait_for_url(lambda url: "tab=timeline" in url)
    timeline = page.get_by_test_id("timeline")
    assert timeline.is_visible()
    text = timeline.inner_text()
    assert "受理" in text and "材料齐全，当场受理" in text and "已登记 → 已受理" in text
    assert no_sideways_scroll(page)
    case.refresh_from_db()
    assert case.status == "accepted" and case.version == 2


def test_deadline_calculator_on_a_desktop(browser_page, users):
    from conftest import DESKTOP

    page = browser_page(users.office_a, viewport=DESKTOP)
    page.goto(f"{page.base}/deadlines/calculator/")
    page.fill("input[name=start]", "2026-09-02")
    page.fill("input[name=amount]", "60")
    page.select_option("select[name=unit]", "day")
    page.get_by_role("button", name="计算").click()
    due = page.get_by_test_id("due")
    due.wait_for()
    text = due.inner_text()
    # 60 days from 2026-09-02 is Sunday 2026-11-01: the period ends on Monday 2026-11-02 (民事诉讼法 §85).
    assert "2026-11-02" in text and "星期一" in text and "顺延" in text


def test_a_long_unbroken_title_and_name_do_not_widen_the_phone_page(browser_page, orgs, users):
    # People paste what they have: a URL, a run of digits from a ledger. The
    # page must wrap it, not make the phone scroll sideways.
    run = "9" * 60
    case = make_case(users.office_a, orgs.office_a, title=run, parties=[{"name": "张" + "X" * 40}])
    page = browser_page(users.office_a)
    for path in ("/", "/cases/", f"/cases/{case.pk}/", f"/cases/{case.pk}/?tab=parties"):
        page.goto(f"{page.base}{path}")
        assert no_sideways_scroll(page), path
