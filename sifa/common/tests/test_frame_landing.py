"""The frame: each role lands where its work is, one menu entry is lit, and the
demo answers a missing page with the platform's own Chinese page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIT = re.compile(r'class="sf-menu-item active" href="([^"]+)"')


def _signed_in(user) -> Client:
    """Signed in through the sign-in form (the landing is decided there), then past the
    second factor for the roles that need it (the session marked as django-otp marks it)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sifa.accounts.tests.factories import PASSWORD

    client = Client()
    resp = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD, "next": ""})
    assert resp.status_code == 302, resp.content.decode()[:500]
    device = TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.mark.parametrize(
    "who, lands",
    [("leader", "stats:dashboard"), ("auditor", "audit:list"), ("office_a", None), ("staff", None), ("sysadmin", None), ("lawyer", None)],
)
def test_each_role_lands_where_its_work_is_and_keeps_its_desk(users, who, lands):
    client = _signed_in(getattr(users, who))
    first = client.get(reverse("cases:home"))
    if lands is None:
        assert first.status_code == 200
    else:
        assert first.status_code == 302 and first["Location"] == reverse(lands)
        assert client.get(first["Location"]).status_code == 200
        # Only the sign-in lands there: the desk (首页) stays one click away.
        assert client.get(reverse("cases:home")).status_code == 200


def test_a_sign_in_that_asked_for_a_page_does_not_land_elsewhere_later(users):
    from django.contrib.sessions.backends.db import SessionStore

    from sifa.cases import landing

    request = RequestFactory().post("/accounts/login/?next=/cases/")
    request.session = SessionStore()
    landing._mark_landing(None, request, users.leader)
    assert landing.SESSION_KEY not in request.session
    request = RequestFactory().post("/accounts/login/")
    request.session = SessionStore()
    landing._mark_landing(None, request, users.leader)
    assert request.session[landing.SESSION_KEY] is True
    # A test's (or a tool's) force_login is no sign-in form: the desk stays the desk.
    client = Client()
    client.force_login(users.leader)
    assert landing.SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "path, lit",
    [
        ("/", "cases:home"),
        ("cases:home", "cases:home"),
        ("cases:list", "cases:list"),
        ("deadlines:calculator", "deadlines:calculator"),
    ],
)
def test_exactly_one_menu_entry_is_lit(users, client_for, path, lit):
    url = path if path.startswith("/") else reverse(path)
    html = client_for(users.staff).get(url).content.decode()
    assert LIT.findall(html) == [reverse(lit)]


def test_a_case_page_lights_the_case_list_once(orgs, users, client_for):
    from sifa.cases.tests.factories import make_case

    case = make_case(users.office_a, orgs.office_a)
    html = client_for(users.office_a).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert LIT.findall(html) == [reverse("cases:list")]


def test_the_same_address_in_two_groups_lights_once(users):
    from sifa.kit import menu

    menu.add("zz_a", "甲", menu.MenuEntry("统计", "stats:dashboard"), order=9990)
    menu.add("zz_b", "乙", menu.MenuEntry("统计（重复）", "stats:dashboard"), order=9991)
    try:
        groups = menu.for_user(users.staff, reverse("stats:dashboard"))
        assert sum(i["active"] for g in groups for i in g["items"]) == 1
    finally:
        menu._groups.pop("zz_a")
        menu._groups.pop("zz_b")


def test_the_calculator_shows_no_api_address(users, client_for):
    html = client_for(users.office_a).get(reverse("deadlines:calculator")).content.decode()
    assert "/api/" not in html.split("<main", 1)[1]


DEMO_CHECK = """
import django, sys
django.setup()
from django.test import Client
from django.conf import settings
c = Client()
missing = c.get("/no-such-page/")
css = c.get("/static/sifa/app.css")
body = missing.content.decode()
print(settings.DEBUG, missing.status_code, "未找到" in body, "Page not found" in body, css.status_code)
"""


def test_the_demo_answers_a_missing_page_with_its_own_chinese_page_and_still_serves_static_files(tmp_path):
    """The demo settings (config.settings.dev) run with DEBUG off unless SIFA_DEBUG=1,
    static files served by WhiteNoise from the apps: no debug page reaches a user."""
    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k not in ("SIFA_DEBUG", "DJANGO_SETTINGS_MODULE")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "SIFA_VAR_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", DEMO_CHECK], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-5:] == ["False", "404", "True", "False", "200"], out.stdout
