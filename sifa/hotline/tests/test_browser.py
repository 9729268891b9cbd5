"""Real pages in headless Chromium (Debian's /usr/bin/chromium): the operator
registers a call and answers it on the spot (closed at once), registers another
and dispatches it to an office; the office finds it in 待办工单 on a phone, signs
for it and replies; the operator calls back and closes it."""

from __future__ import annotations

import pytest

from conftest import DESKTOP, PHONE, no_sideways_scroll
from sifa.cases.models import Case

from ..choices import Satisfaction, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _register_call(page, *, summary, answer=""):
    page.goto(f"{page.base}/hotline/new/")
    page.fill("#id_caller_name", "张三")
    page.fill("#id_caller_phone", "13900001234")
    page.select_option("#id_category", "labour")
    page.fill("#id_summary", summary)
    if answer:
        page.fill("#id_answer", answer)
        page.select_option("#id_satisfaction", Satisfaction.SATISFIED)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/cases/" in url and "/hotline/new/" not in url)
    return Case.objects.get(code=page.get_by_test_id("case-code").inner_text().strip())


def test_a_call_answered_then_one_dispatched_replied_and_called_back(browser_page, orgs, users, operator):
    page = browser_page(operator, viewport=DESKTOP)
    case = _register_call(page, summary="公司拖欠两个月工资怎么办？", answer="可向劳动保障监察机构投诉或申请劳动仲裁。")
    assert (case.status, case.record.satisfaction) == (Status.CLOSED, Satisfaction.SATISFIED)
    assert "即时解答" in page.get_by_test_id("workorder").inner_text()
    header = page.locator("main").inner_text()
    assert f"已登记并办结，案件编码 {case.code}" in header and "受理单位：" in header and "承办机构：" not in header

    case = _register_call(page, summary="邻居占用公共通道堆放杂物，要求协调。")
    assert case.status == Status.ACCEPTED
    page.get_by_role("link", name="派单", exact=True).first.click()
    page.wait_for_url(lambda url: "/do/dispatch/" in url)
    page.select_option("#id_target", "office")
    page.select_option("#id_org", str(orgs.office_a.pk))
    page.fill("#id_instructions", "请联系诉求人现场查看。")
    page.get_by_role("button", name="确认派单").click()
    page.wait_for_url(lambda url: "/do/" not in url)
    assert f"派单至{orgs.office_a.name}" in page.locator("main").inner_text()

    office = browser_page(users.office_a, viewport=PHONE)
    office.goto(f"{office.base}/hotline/todo/")
    rows = office.get_by_test_id("line-list").locator("tbody tr")
    assert rows.count() == 1 and case.code in rows.first.inner_text()
    assert no_sideways_scroll(office)
    rows.first.get_by_role("link", name=case.code).click()
    office.get_by_role("link", name="签收", exact=True).first.click()
    office.wait_for_url(lambda url: "/do/sign/" in url)
    office.get_by_role("button", name="确认签收").click()
    office.wait_for_url(lambda url: "/do/" not in url)
    office.get_by_role("link", name="办理反馈", exact=True).first.click()
    office.wait_for_url(lambda url: "/do/reply/" in url)
    office.fill("#id_answer", "已现场查看，督促清理了杂物。")
    office.check("#id_contacted")
    assert no_sideways_scroll(office)
    office.get_by_role("button", name="确认办理反馈").click()
    office.wait_for_url(lambda url: "/do/" not in url)
    case.refresh_from_db()
    assert case.status == Status.REPLIED

    page.goto(f"{page.base}/cases/{case.pk}/")
    page.get_by_role("link", name="回访", exact=True).first.click()
    page.wait_for_url(lambda url: "/do/callback/" in url)
    page.select_option("#id_satisfaction", Satisfaction.SATISFIED)
    page.get_by_role("button", name="确认回访").click()
    page.wait_for_url(lambda url: "/do/" not in url)
    case.refresh_from_db()
    assert (case.status, case.record.satisfaction) == (Status.CLOSED, Satisfaction.SATISFIED)
