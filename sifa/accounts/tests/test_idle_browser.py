"""The idle warning and a step form surviving a re-login, in a real browser
(issue 18 item 2)."""

import pytest

from sifa.accounts.idle import IDLE_AT
from sifa.cases.tests.factories import make_case

from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _age_session(page, seconds):
    """Move the server's idle clock back, as if the user had been away."""
    from django.contrib.sessions.backends.db import SessionStore

    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[IDLE_AT] = session[IDLE_AT] - seconds
    session.save()


def test_warning_two_minutes_before_the_idle_logout_and_stay_signed_in(browser_page, users, settings):
    # A 2 min 8 s idle limit: the 2-minute warning comes 8 s after the page loads.
    settings.SESSION_COOKIE_AGE = 128
    page = browser_page(users.office_a)
    page.goto(f"{page.base}/cases/")
    # A second tab of the same browser.
    other = page.context.new_page()
    other.goto(f"{page.base}/cases/")
    dialog = page.get_by_test_id("idle-warning")
    dialog.wait_for(state="visible", timeout=20000)
    assert "分钟后将自动退出登录" in dialog.inner_text() and "剩余" in dialog.inner_text()
    other.get_by_test_id("idle-warning").wait_for(state="visible", timeout=20000)
    page.get_by_role("button", name="继续使用").click()
    dialog.wait_for(state="hidden")
    # The other tab learns of the new deadline (localStorage) and drops its warning too.
    other.get_by_test_id("idle-warning").wait_for(state="hidden", timeout=5000)
    # The server's clock moved: it reports (nearly) the whole limit again.
    remaining = page.evaluate("fetch('/accounts/session/', {headers: {'X-Sifa-Background': '1'}}).then(r => r.json())")["remaining"]
    assert remaining >= 120


def test_a_step_form_posted_after_the_timeout_survives_the_new_sign_in(browser_page, orgs, users):
    case = make_case(users.office_a, orgs.office_a, title="相邻通行纠纷")
    page = browser_page(users.office_a)
    page.goto(f"{page.base}/cases/{case.pk}/do/accept/")
    page.fill("textarea[name=reason]", "材料齐全，当场受理")
    _age_session(page, 16 * 60)
    page.evaluate("document.querySelector('textarea[name=reason]').form.requestSubmit()")
    page.wait_for_url(lambda url: "/accounts/login/" in url)
    assert "您填写的内容已暂存，登录后将恢复" in page.get_by_test_id("signed-out-reason").inner_text()
    page.fill("input[name=username]", users.office_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: f"/cases/{case.pk}/do/accept/" in url)
    assert page.get_by_test_id("form-restored").is_visible()
    assert page.input_value("textarea[name=reason]") == "材料齐全，当场受理"
    assert "sifa_restore" not in page.url  # used up, not left in the address bar
    # Nothing of it is kept in the browser.
    assert "材料齐全" not in page.evaluate("JSON.stringify(window.localStorage)")
