"""Real pages in headless Chromium (Debian's /usr/bin/chromium): an application
filed on the public portal on a phone reaches staff; its applicant follows it
by code + phone digits; failures look alike; repeated tries are throttled. And
staff work a case from the case page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import no_sideways_scroll
from sifa.cases.models import Case

from .factories import make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def seeded(db):
    """Transactional tests start from tables another transactional test may have
    flushed: put back the code lists and the holiday calendar they rely on."""
    from sifa.common import dictionaries
    from sifa.deadlines.services import seed_from_package
    from sifa.reconsideration import choices as codelists

    codelists.seed(dictionaries.ensure)
    seed_from_package()


def lookup(page, code, digits):
    page.goto(f"{page.base}/portal/track/")
    page.fill("#t-code", code)
    page.fill("#t-digits", digits)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page.locator("main").inner_text()


def test_apply_online_then_staff_sees_it_and_the_applicant_follows_it(seeded, browser_page, orgs, users, settings, tmp_path):
    settings.SIFA_PORTAL_TRACK_MAX_PER_IP = 3
    evidence = tmp_path / "处罚决定书.pdf"
    evidence.write_bytes(PDF)
    page = browser_page()  # the public: no login
    page.goto(f"{page.base}/portal/apply/reconsideration/")
    page.fill("#id_applicant_name", "赵敏")
    page.fill("#id_applicant_id_number", "11010519491231002X")
    page.fill("#id_applicant_phone", "13900004321")
    page.fill("#id_applicant_address", "测试区东湖街道1号")
    page.select_option("#id_respondent_agency", "urban_management")
    page.select_option("#id_category", "penalty_fine")
    page.fill("#id_contested_act", "罚款二千元的决定")
    page.fill("#id_request", "撤销罚款决定")
    page.set_input_files("#id_attachments", str(evidence))
    assert no_sideways_scroll(page)
    # Sent without the declaration: refused, and what was typed is kept.
    page.click("form[data-testid=apply-form] button[type=submit]")
    assert "请勾选承诺声明" in page.get_by_test_id("form-errors").inner_text()
    assert page.input_value("#id_applicant_name") == "赵敏"
    assert not Case.objects.exists()
    page.set_input_files("#id_attachments", str(evidence))
    page.check("#id_declaration")
    page.click("form[data-testid=apply-form] button[type=submit]")
    code = page.get_by_test_id("case-code").inner_text().strip()
    assert re.fullmatch(r"359901FY\d{10}[0-9A-Z]", code)
    page.wait_for_function("() => { const i = document.querySelector('img.sf-portal-qr'); return i && i.complete && i.naturalWidth > 0; }")
    assert no_sideways_scroll(page)

    staff = browser_page(users.staff)
    staff.goto(f"{staff.base}/reconsideration/")
    assert staff.get_by_text(code).is_visible()
    staff.get_by_text(code).click()
    assert "罚款二千元的决定" in staff.locator("main").inner_text()
    assert no_sideways_scroll(staff)

    text = lookup(page, code, "4321")
    assert "已收到申请，正在审查是否受理" in text and "受理审查" in text and "赵敏" not in text
    wrong = lookup(page, code, "0000")
    unknown = lookup(page, "359901FY20269999990", "4321")
    malformed = lookup(page, "abc", "4321")
    assert "未查到相符的案件" in wrong and wrong == unknown == malformed
    # Three failures from this address: now even the right digits get "try later".
    assert "过于频繁" in lookup(page, code, "4321")


def test_staff_accepts_a_case_on_a_phone(seeded, browser_page, users):
    case = make_application(users.staff, received_on=timezone.localdate() - timedelta(days=1))
    page = browser_page(users.staff)
    page.goto(f"{page.base}/cases/{case.pk}/")
    page.get_by_role("link", name="受理", exact=True).click()
    page.select_option("#id_procedure", "simplified")
    page.click("main form button[type=submit]")
    assert "适用简易程序的情形" in page.locator("main").inner_text()
    page.select_option("#id_procedure", "ordinary")
    page.click("main form button[type=submit]")
    page.get_by_role("tab", name="办理进展").click()
    assert "受理（普通程序）" in page.get_by_test_id("timeline").inner_text()
    page.get_by_role("tab", name="期限").click()
    assert "作出行政复议决定" in page.locator("#tab-deadlines").inner_text()
    page.get_by_role("tab", name="文书").click()
    assert "受理通知书" in page.locator("#tab-docs").inner_text()
    assert no_sideways_scroll(page)
