"""Real pages in headless Chromium (Debian's /usr/bin/chromium), on a phone: a
member of the public applies for legal aid on the portal and follows it by code
+ phone digits; the centre's worker takes it from 待分配案件 and grants it; the
assigned lawyer sees only their own case and records progress on it."""

from __future__ import annotations

import re
from datetime import date

import pytest

from conftest import PHONE, no_sideways_scroll
from sifa.accounts.tests.factories import UserFactory
from sifa.cases.models import Case
from sifa.cases.services import transition

from .. import services
from ..models import Provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID_NUMBER = "11010519491231002X"


def online_application(orgs, *, title="张三追索劳动报酬", name="张三", phone="13900004321"):
    """What the portal files: the same service, for the first district bureau's centre."""
    cleaned = {
        "applicant_name": name,
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": phone,
        "title": title,
        "category": "civil",
        "income": "600.00",
        "economy": "家庭三口人，仅靠打零工收入。",
        "summary": "工地拖欠工资三个月，多次讨要未果。",
    }
    return services.submit_online(cleaned, orgs.bureau)


def test_the_public_applies_on_a_phone_and_follows_it(browser_page, orgs):
    page = browser_page(viewport=PHONE)  # the public: no login
    page.goto(f"{page.base}/portal/apply/legal_aid/")
    assert page.get_by_role("heading", name="法律援助申请").is_visible()
    page.fill("#id_applicant_name", "张三")
    page.fill("#id_applicant_id_number", ID_NUMBER)
    page.fill("#id_applicant_phone", "13900004321")
    page.fill("#id_applicant_address", "测试区东湖街道1号")
    page.fill("#id_title", "追索劳动报酬")
    page.select_option("#id_category", "civil")
    page.fill("#id_income", "600")
    page.fill("#id_economy", "家庭三口人，仅靠打零工收入。")
    page.fill("#id_summary", "工地拖欠工资三个月，多次讨要未果。")
    assert no_sideways_scroll(page)
    page.check("#id_declaration")
    page.click("form[data-testid=apply-form] button[type=submit]")

    code = page.get_by_test_id("case-code").inner_text().strip()
    assert re.fullmatch(r"359901YZ\d{10}[0-9A-Z]", code)
    assert "法律援助申请回执" in page.get_by_test_id("receipt").inner_text()
    assert no_sideways_scroll(page)
    case = Case.objects.get(code=code)
    assert (case.owner_org, case.handler, case.title) == (orgs.legal_aid, None, "追索劳动报酬")

    # The receipt's link opens the lookup with the code filled in.
    page.get_by_role("link", name="查询进度").click()
    page.wait_for_url(lambda url: "/portal/track/" in url)
    assert page.input_value("#t-code") == code
    page.fill("#t-digits", "4321")
    page.click("main form button[type=submit]")
    progress = page.get_by_test_id("progress")
    assert "审查中" in page.get_by_test_id("stage").inner_text()
    text = progress.inner_text()
    assert code in text and "张三" not in text and ID_NUMBER not in text
    assert no_sideways_scroll(page)

    # Wrong digits: the one failure page.
    page.goto(f"{page.base}/portal/track/")
    page.fill("#t-code", code)
    page.fill("#t-digits", "0000")
    page.click("main form button[type=submit]")
    assert page.get_by_test_id("lookup-failed").is_visible()


def test_the_centre_worker_takes_and_grants_on_a_phone(browser_page, orgs, users):
    case = online_application(orgs)
    worker = UserFactory(username="aid_w", role="aid_staff", org=orgs.legal_aid)
    page = browser_page(worker, viewport=PHONE)

    page.goto(f"{page.base}/cases/intake/")
    assert page.get_by_role("heading", name="待分配案件").is_visible()
    row = page.get_by_test_id("intake").locator("tbody tr", has_text=case.code)
    assert "张三追索劳动报酬" in row.inner_text()
    assert no_sideways_scroll(page)
    row.get_by_role("button", name="认领").click()
    page.wait_for_url(lambda url: url.rstrip("/").endswith(f"/cases/{case.pk}"))
    assert f"已认领 {case.code}" in page.locator(".alert-success").first.inner_text()
    assert page.get_by_test_id("case-code").inner_text().strip() == case.code
    assert no_sideways_scroll(page)

    page.get_by_role("link", name="决定给予法律援助", exact=True).first.click()
    page.wait_for_url(lambda url: "/do/grant/" in url)
    page.get_by_label("经济困难审查方式").select_option(label="个人诚信承诺")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="确认决定给予法律援助").click()
    page.wait_for_url(lambda url: "/do/" not in url)
    assert "已决定给予" in page.locator("main").inner_text()
    page.get_by_role("tab", name="办理进展").click()
    assert "决定给予法律援助（个人诚信承诺）" in page.get_by_test_id("timeline").inner_text()
    case.refresh_from_db()
    assert (case.status, case.handler) == ("granted", worker)
    page.goto(f"{page.base}/cases/intake/")
    assert page.get_by_test_id("intake").locator("tbody tr", has_text=case.code).count() == 0


def test_the_lawyer_sees_only_their_case_and_records_progress(browser_page, orgs, users):
    staff = UserFactory(username="aid_w", role="aid_staff", org=orgs.legal_aid)
    p = Provider.objects.create(center=orgs.legal_aid, org_path=orgs.legal_aid.path, name="王律师", practice_since=date(2015, 1, 1), user=users.lawyer)
    mine = services.register(staff, owner_org=orgs.legal_aid, title="张三追索劳动报酬", category="civil", parties=[{"role": "applicant", "name": "张三"}])
    transition(staff, mine, "grant", data={"means_basis": "pledge"})
    transition(staff, mine, "assign", data={"provider": p.pk, "assign_mode": "rotation"})
    nobodys = services.register(staff, owner_org=orgs.legal_aid, title="李四离婚纠纷代理", category="civil", parties=[{"role": "applicant", "name": "李四"}])
    transition(staff, nobodys, "grant", data={"means_basis": "pledge"})

    page = browser_page(users.lawyer, viewport=PHONE)
    page.goto(f"{page.base}/legal_aid/")
    rows = page.get_by_test_id("line-list").locator("tbody tr")
    assert rows.count() == 1
    listed = rows.first.inner_text()
    assert mine.code in listed and "张三追索劳动报酬" in listed
    assert nobodys.code not in page.locator("main").inner_text()
    assert no_sideways_scroll(page)

    rows.first.get_by_role("link", name=mine.code).click()
    page.wait_for_url(lambda url: url.rstrip("/").endswith(f"/cases/{mine.pk}"))
    page.get_by_role("link", name="记录办理进展", exact=True).first.click()
    page.wait_for_url(lambda url: "/do/progress/" in url)
    page.fill("textarea[name=note]", "已会见受援人，调取工资欠条和考勤记录。")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="确认记录办理进展").click()
    page.wait_for_url(lambda url: "/do/" not in url)
    page.get_by_role("tab", name="办理进展").click()
    assert "办理进展：已会见受援人，调取工资欠条和考勤记录。" in page.get_by_test_id("timeline").inner_text()
    assert no_sideways_scroll(page)
