"""Issue 18's checks in a real browser, over the demo: every role's landing page and
"no element wider than the viewport on any page at 390 px".

* Each demo login signs in through the real sign-in form (and its authenticator's
  code, for the roles with a second factor) at 1440×900 and at 390×844: it lands where
  its work is (cases.landing), the page has its heading, no script error, and at 390
  nothing scrolls sideways.
* At 390×844 every page the demo crawl reaches (test_crawl_demo.crawl, one page per
  route, each user on its own pages) is opened; every page wider than the screen is
  collected with the elements that reach past its edge, so one run lists every offender.

Select with ``-k walk``. Takes a few minutes: the demo load and the crawl are most of it.
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from conftest import no_sideways_scroll, sign_in
from sifa.common.tests import test_crawl_demo
from sifa.common.tests.test_crawl_demo import _route_key, _signed_in, crawl

demo = test_crawl_demo.demo  # the fixture that loads the demo, shared with the crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

# The elements that reach past the right edge, innermost first (the one to fix is usually
# the innermost: its parents only grow to hold it). A selector a person can search for.
WIDE = """() => {
  const w = window.innerWidth + 1;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].slice(0, 3).map(c => '.' + c).join('');
  const path = el => {
    const out = [];
    for (let e = el; e && e !== document.body && out.length < 4; e = e.parentElement) out.unshift(name(e));
    return out.join(' > ');
  };
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= w) return false;
    // Inside a box that scrolls or clips sideways on purpose (the 流程进度 strip, a modal
    // off screen, a collapsed menu), it does not widen the page.
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) return false;
      if (s.position === 'fixed') return false;
    }
    return getComputedStyle(el).position !== 'fixed';
  });
  const inner = wide.filter(el => !wide.some(o => o !== el && el.contains(o)));
  return inner.slice(0, 5).map(el => `${path(el)} right=${Math.round(el.getBoundingClientRect().right)} «${(el.textContent || '').trim().slice(0, 24)}»`);
}"""


def _landing(user) -> str:
    from sifa.cases.landing import landing_name

    return reverse(landing_name(user.role) or "cases:home")


def _watch(page) -> list[str]:
    """Script errors and console errors of the page, as they happen."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"脚本错误 {exc}"))
    page.on("console", lambda msg: errors.append(f"控制台 {msg.text}") if msg.type == "error" else None)
    return errors


def _sign_in(page, user, password):
    """conftest.sign_in, with the page already watched for errors, then fully loaded."""
    sign_in(page, user, password)
    page.wait_for_load_state("load")


def _too_wide(page) -> str | None:
    if no_sideways_scroll(page):
        return None
    return "; ".join(page.evaluate(WIDE)) or f"scrollWidth={page.evaluate('document.documentElement.scrollWidth')}"


def _check_landing(page, user, size: str, errors: list[str]) -> list[str]:
    path = page.url.removeprefix(page.base).split("?")[0]
    where = f"{user.username} {size} {path}"
    found = [] if path == _landing(user) else [f"{where}: 登录后落在此页，应为 {_landing(user)}"]
    if not page.locator("h1").first.is_visible():
        found.append(f"{where}: 没有标题 h1")
    found += [f"{where}: {e}" for e in errors]
    if size == "390px" and (wide := _too_wide(page)):
        found.append(f"{where}: 横向滚动 {wide}")
    errors.clear()
    return found


def test_walk_every_demo_login_lands_on_its_page_and_every_page_fits_a_390px_phone(demo, browser_page, monkeypatch):
    """One test, so the demo is loaded once (it is most of the time): for each demo login,
    its landing at 1440 and at 390 px, then, still signed in at 390, the pages the crawl
    reaches for it that no earlier login showed."""
    from sifa.demo.seed import DEMO_PASSWORD

    # One page of each route is enough to see its layout (the crawl's own check reads two).
    monkeypatch.setattr(test_crawl_demo, "PER_ROUTE", 1)
    started = time.monotonic()
    landings, walked, routes, found = 0, 0, set(), []
    for username, user in sorted(demo.users.items()):
        page = browser_page(viewport=DESKTOP)
        errors = _watch(page)
        _sign_in(page, user, DEMO_PASSWORD)
        found += _check_landing(page, user, "1440px", errors)
        page.context.close()
        page = browser_page(viewport=PHONE)
        errors = _watch(page)
        _sign_in(page, user, DEMO_PASSWORD)
        found += _check_landing(page, user, "390px", errors)
        landings += 2
        # Each user on its own pages; a route another user already showed is not shown again.
        paths = list(crawl(_signed_in(user)))
        if not routes:
            paths.append(reverse("common:styleguide"))  # not in any menu: every component at once
        for path in paths:
            key = _route_key(path)
            if key in routes:
                continue
            routes.add(key)
            resp = page.goto(f"{page.base}{path}", wait_until="load")
            walked += 1
            where = f"{username} 390px {path}"
            if resp is None or resp.status >= 400:
                found.append(f"{where}: HTTP {resp and resp.status}")
            elif page.url.removeprefix(page.base).startswith("/accounts/login"):
                found.append(f"{where}: 被退出登录")
                break
            elif wide := _too_wide(page):
                found.append(f"{where}: {wide}")
            found += [f"{where}: {e}" for e in errors]
            errors.clear()
        page.context.close()
    print(f"walk: {landings} sign-ins, {walked} pages ({len(routes)} routes) in {time.monotonic() - started:.0f}s")
    assert walked > 100, walked  # the walk really went through the demo
    assert found == [], f"{len(found)} 处问题：\n" + "\n".join(found)


def test_walk_the_style_guide_fits_a_phone_and_its_confirm_asks_first(browser_page, users):
    """The living page (/ui/) at 390 px: every component fits, no script error, and the
    confirm demo asks in the dialog before its (harmless) POST."""
    page = browser_page(users.staff, viewport=PHONE)
    errors = _watch(page)
    page.goto(f"{page.base}{reverse('common:styleguide')}")
    assert _too_wide(page) is None
    page.click("[data-testid=sg-confirm]")
    dialog = page.locator("[data-testid=confirm-dialog]")
    dialog.wait_for(state="visible")
    assert "本操作不会改动任何数据" in dialog.inner_text()
    dialog.locator("[data-testid=confirm-ok]").click()
    page.wait_for_url(lambda url: url.endswith("#confirm"))
    assert "已确认：这是示例操作" in page.content()
    assert errors == []
