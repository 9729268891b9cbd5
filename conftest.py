"""Shared fixtures: an organisation tree, one user per role, and a small test
business line ("ZZ") so the core can be tested without any real line."""

from __future__ import annotations

import os

import pytest

if os.environ.get("SIFA_DB") == "sqlite":
    os.environ.pop("DATABASE_URL", None)


@pytest.fixture(autouse=True)
def _calendar_cache(request):
    from sifa.deadlines import calendar

    # A transactional test ends by truncating every table, including the holiday
    # rows the migration seeded; put them back (committed, outside any test
    # transaction) before the next test that touches the database.
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            from sifa.deadlines.models import Holiday

            if not Holiday.objects.exists():
                from sifa.deadlines.services import seed_from_package

                seed_from_package()
    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture(autouse=True)
def _role_settings_cache():
    # A test's RoleSetting rows vanish with its transaction, unseen by the
    # signal that clears the process's copy of them; start each test without one.
    from sifa.accounts.selectors import forget_role_settings

    forget_role_settings()
    yield
    forget_role_settings()


@pytest.fixture(autouse=True)
def _deadline_frame_caches():
    # Like the role settings: the warning setting and the bells a test saw vanish with its
    # transaction (forget_setting starts a new generation of bells too); so do the menu's numbers.
    from sifa.common import dictionaries
    from sifa.common.badges import forget
    from sifa.deadlines.selectors import forget_setting

    forget_setting()
    forget()
    dictionaries.forget()  # the code lists a test saw vanish with its transaction too
    yield
    forget_setting()
    forget()
    dictionaries.forget()


@pytest.fixture
def orgs(db):
    from sifa.orgs.tests.factories import build_tree

    return build_tree()


@pytest.fixture
def users(orgs):
    from sifa.accounts.tests.factories import users_for

    return users_for(orgs)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as ``user``. For the roles that
    sign in with a second factor by default (the administrators and the leader)
    the session has passed it too, as theirs would in life; a test that makes
    another role require it sees the requirement. ``second_factor=False``: signed
    in with the password only."""
    from django.test import Client

    from sifa.accounts.roles import second_factor_default
    from sifa.accounts.tests.otp import pass_second_factor

    def make(user, second_factor=True):
        c = Client()
        c.force_login(user)
        if second_factor and second_factor_default(user.role):
            pass_second_factor(c, user)
        return c

    return make


# --- browser tests: Debian's Chromium driven by Playwright (never a downloaded browser) ---

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def _playwright_browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("浏览器测试需要 /usr/bin/chromium（apt-get install chromium）；make test 会自动安装。")
    # Playwright's sync API runs an event loop in this thread; the ORM calls our
    # fixtures make around it are ordinary synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_playwright_browser, live_server):
    """page_for(user=None, viewport=PHONE) -> a Playwright page on the live server,
    signed in as ``user`` (through the real login form) when given."""
    from sifa.accounts.tests.factories import PASSWORD

    contexts = []

    def page_for(user=None, viewport=None, password=PASSWORD):
        ctx = _playwright_browser.new_context(viewport=viewport or PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(15000)
        page.base = live_server.url
        if user is not None:
            sign_in(page, user, password)
        return page

    yield page_for
    for ctx in contexts:
        ctx.close()


def sign_in(page, user, password) -> None:
    """Sign ``page`` in as ``user`` through the real login form, as a person does; a role
    that must pass TOTP enters the code its authenticator (enrolled first) shows."""
    from sifa.accounts.middleware import requires_2fa
    from sifa.accounts.tests.otp import authenticator, fresh_code

    device = authenticator(user) if requires_2fa(user) else None
    page.goto(f"{page.base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if device is not None:
        page.wait_for_url(lambda url: "/accounts/otp/verify/" in url)
        page.fill("input[name=token]", fresh_code(device))
        page.click("form:has(input[name=token]) button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/otp/" not in url)


def no_sideways_scroll(page) -> bool:
    """UI.md: on a phone nothing scrolls sideways. When something does, the elements
    that reach past the screen's edge are printed (pytest shows them with the failure)."""
    if page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"):
        return True
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 10)
          .map(el => `${el.tagName}.${el.className} right=${Math.round(el.getBoundingClientRect().right)} `
                     + (el.textContent || '').trim().slice(0, 30))"""
    )
    print(f"wider than {page.viewport_size}: {wide}")
    return False
