"""The Tabler frame in a real browser (issue 18 item 9): the confirm dialog that replaced
window.confirm, messages as toasts, the menu with its icons on a desktop and folded on a
phone."""

from __future__ import annotations

import pytest

from conftest import no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def token(users):
    from sifa.accounts.tokens import issue

    return issue(users.office_a, name="台账同步", actor=users.office_a)


def _revoked(token) -> bool:
    token.refresh_from_db()
    return token.revoked_at is not None


def test_a_confirmed_action_asks_in_a_dialog_and_a_message_shows_as_a_toast(browser_page, users, token):
    page = browser_page(users.office_a, viewport=DESKTOP)
    native = []
    page.on("dialog", lambda d: (native.append(d.message), d.dismiss()))
    page.goto(f"{page.base}/accounts/profile/")
    revoke = page.get_by_role("button", name="吊销")
    dialog = page.get_by_test_id("confirm-dialog")

    # 取消: the dialog closes, nothing is sent, the token is still usable.
    revoke.click()
    dialog.wait_for(state="visible")
    assert "确定吊销令牌“台账同步”" in dialog.inner_text()
    page.get_by_test_id("confirm-cancel").click()
    dialog.wait_for(state="hidden")
    assert page.url.endswith("/accounts/profile/") and not _revoked(token)
    assert revoke.is_visible()

    # Esc cancels as well.
    revoke.click()
    dialog.wait_for(state="visible")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert not _revoked(token)

    # 确定: the form is sent as the button would have sent it.
    revoke.click()
    dialog.wait_for(state="visible")
    page.get_by_test_id("confirm-ok").click()
    toast = page.locator(".sf-toast", has_text="已吊销")
    toast.wait_for(state="visible")
    assert _revoked(token) and not native
    assert toast.get_attribute("role") == "status"
    # Below the header, at the right.
    box, head = toast.bounding_box(), page.locator(".sf-topbar").bounding_box()
    assert box["y"] >= head["y"] + head["height"] and box["x"] + box["width"] > DESKTOP["width"] - 40, box
    # A success leaves by itself after about five seconds.
    toast.wait_for(state="hidden", timeout=9000)


def test_the_menu_shows_its_icons_on_a_desktop_and_folds_on_a_phone(browser_page, users):
    page = browser_page(users.office_a, viewport=DESKTOP)
    page.goto(f"{page.base}/cases/")
    menu = page.locator("#sf-menu")
    assert menu.is_visible()
    items = menu.locator("a.sf-menu-item")
    n = items.count()
    assert n >= 3 and menu.locator("a.sf-menu-item > i.bi.sf-menu-icon").count() == n
    icon_box = items.first.locator("i.bi").bounding_box()
    assert icon_box and icon_box["width"] > 8, icon_box  # the icon font is loaded and drawn
    assert menu.locator(".sf-menu-title").first.is_visible()
    head = page.locator(".sf-topbar").bounding_box()
    assert 44 <= head["height"] <= 52, head
    assert menu.bounding_box()["x"] == 0 and page.locator(".sf-bell").is_visible()

    phone = browser_page(users.office_a, viewport=PHONE)
    phone.goto(f"{phone.base}/cases/")
    menu = phone.locator("#sf-menu")
    assert not menu.is_visible()
    assert no_sideways_scroll(phone)
    phone.get_by_role("button", name="菜单").click()
    menu.wait_for(state="visible")
    assert menu.locator("a.sf-menu-item > i.bi").first.is_visible()
    assert no_sideways_scroll(phone)
