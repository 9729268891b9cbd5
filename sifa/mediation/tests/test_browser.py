"""A mediator of office A registers, mediates and closes a dispute on a
phone-sized screen in headless Chromium; the timeline shows every step and the
Word agreement carries the parties and terms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import localdate

from conftest import no_sideways_scroll
from sifa.common import dictionaries
from sifa.common.docgen import read_text
from sifa.mediation.choices import DISPUTE_TYPE_SET, DISPUTE_TYPES

from .factories import mediator, profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_step(page, label: str, fill=None):
    link = page.get_by_role("link", name=label, exact=True).first
    if not link.is_visible():  # not one of the likely next steps: in the 其他办理 menu
        page.get_by_test_id("step-more").get_by_role("button", name="其他办理").click()
    link.click()
    page.wait_for_selector("main form button[type=submit]")
    assert no_sideways_scroll(page), label
    if fill:
        fill(page)
    page.get_by_role("button", name=f"确认{label}").click()
    page.wait_for_url(lambda url: "/do/" not in url)
    alert = page.locator(".alert-success")
    assert alert.count() and f"已{label}" in alert.first.inner_text(), label


def test_mediator_registers_mediates_and_closes_on_a_phone(browser_page, orgs, users):
    dictionaries.ensure(DISPUTE_TYPE_SET, DISPUTE_TYPES)
    profile(orgs.committee_a)
    mediator(orgs.committee_a, "张调解", gender="M", user=users.mediator_a)
    page = browser_page(users.mediator_a)

    page.goto(f"{page.base}/mediation/")
    assert page.get_by_role("heading", name="我的调解").is_visible()
    assert no_sideways_scroll(page)

    # Register in under a minute: source, type, one party on each side, summary.
    page.get_by_test_id("quick-register").click()
    page.select_option("select[name=source]", "application")
    page.select_option("select[name=dispute_type]", "02")
    page.fill("input[name=applicant_name]", "张三")
    page.fill("input[name=applicant_phone]", "13812345678")
    page.fill("input[name=respondent_name]", "李四")
    page.fill("input[name=respondent_phone]", "13900001111")
    page.fill("textarea[name=summary]", "楼上卫生间漏水，双方就维修和赔偿发生争执。")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="登记").click()
    page.wait_for_url(lambda url: "/cases/" in url)
    code = page.get_by_test_id("case-code").inner_text()
    assert code.startswith("359901TJ")
    assert no_sideways_scroll(page)

    run_step(page, "受理")
    run_step(page, "指派调解员", lambda p: p.get_by_label("张调解").check())

    def session(p):
        p.fill("input[name=place]", "A调委会调解室")
        p.fill("input[name=participants]", "张三、李四")
        p.fill("textarea[name=record]", "双方陈述事实，调解员释法说理，双方同意协商解决。")

    run_step(page, "调查/调解记录", session)

    # A refused step says why and changes nothing: success without an agreement.
    page.get_by_role("link", name="调解成功", exact=True).first.click()
    page.get_by_role("button", name="确认调解成功").click()
    assert "/do/succeed/" in page.url and page.locator(".invalid-feedback").count() >= 1
    page.goto(page.url.split("/do/")[0] + "/")

    def agreement(p):
        p.fill("textarea[name=facts]", "李四家卫生间漏水致张三家天花板受损，李四负主要责任。")
        p.fill("textarea[name=agreement_content]", "李四于十五日内修复漏水，并赔偿张三损失人民币三千元。")
        p.fill("input[name=performance_manner]", "银行转账")
        p.fill("input[name=performance_deadline]", (localdate() + timedelta(days=15)).isoformat())
        p.fill("input[name=agreement_amount]", "3000")

    run_step(page, "调解成功", agreement)
    run_step(page, "回访", lambda p: p.select_option("select[name=performance]", "performed"))
    run_step(page, "结案归档")

    page.get_by_role("tab", name="办理进展").click()
    timeline = page.get_by_test_id("timeline").inner_text()
    for label in ("登记纠纷", "受理", "指派调解员：张调解", "调解记录", "调解成功（书面调解协议书）", "回访：履行完毕", "结案归档（调解成功）"):
        assert label in timeline, label
    assert "已结案归档" in page.content()
    assert no_sideways_scroll(page)

    page.get_by_role("tab", name="文书").click()
    with page.expect_download() as dl:
        page.locator("#tab-docs li", has_text="人民调解协议书").get_by_role("link").click()
    download = dl.value
    assert download.suggested_filename == f"{code}-人民调解协议书.docx"
    with open(download.path(), "rb") as fh:
        text = read_text(fh.read())
    for expected in (
        "人民调解协议书",
        "张三",
        "李四",
        "赔偿张三损失人民币三千元",
        "银行转账",
        "本协议一式三份，双方当事人、人民调解委员会各执一份。",
        "A调委会",
    ):
        assert expected in text, expected
