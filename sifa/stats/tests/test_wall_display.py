"""The display account (大屏展示账号, issue 18 item 8): it sees the wall and nothing
else, its wall shows the bureau's aggregate figures and no case data, its session
has no idle or absolute limit, and disabling it or changing its role ends it."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from sifa.accounts import idle
from sifa.accounts.roles import SEE_CASES, SEE_DASHBOARD, SEE_WALL, Role, caps_of, has_cap, second_factor_default, wall_only
from sifa.accounts.tests.factories import PASSWORD, UserFactory
from sifa.cases.tests.factories import make_case
from sifa.stats import facts, selectors

pytestmark = pytest.mark.django_db

Y = {"kind": "year", "year": 2026}
LOGIN = "/accounts/login/"


@pytest.fixture
def display(orgs):
    return UserFactory(username="display", role=Role.DISPLAY, org=orgs.bureau)


@pytest.fixture
def data(orgs, users, test_kpis):
    cases = [make_case(users.office_a, orgs.office_a, title="张三相邻纠纷", opened_on=date(2026, 3, 5)) for _ in range(3)]
    cases.append(make_case(users.office_b, orgs.office_b, title="李四宅基地纠纷", opened_on=date(2026, 4, 5)))
    make_case(users.other_office, orgs.other_office, title="邻区案件", opened_on=date(2026, 4, 6))
    return cases


def _sign_in(client, user):
    r = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert r.status_code == 302, r.content[:300]
    return r


def _at(start, **delta):
    return mock.patch("django.utils.timezone.now", return_value=start + timedelta(**delta))


# --- the role ------------------------------------------------------------------------------------


def test_the_role_has_the_wall_and_nothing_else(display):
    assert caps_of(Role.DISPLAY) == frozenset({SEE_WALL})
    assert not has_cap(display, SEE_CASES) and not has_cap(display, SEE_DASHBOARD)
    assert wall_only(display) and not second_factor_default(Role.DISPLAY)
    assert selectors.may_see_wall(display) and not selectors.may_see(display)
    # Its figures are the whole subtree's (system counting), and the facts may serve them.
    assert selectors.figure_viewer(display) is None
    assert selectors.wall_root(display) == display.org
    assert facts.use_facts(selectors.figure_viewer(display), display.org)


def test_other_roles_are_not_wall_only(users):
    for role in ("leader", "stat_admin", "office_a", "sysadmin", "auditor"):
        assert not wall_only(getattr(users, role)), role


def test_the_role_sits_only_on_a_bureau(orgs):
    from sifa.accounts.roles import role_fits_org

    assert role_fits_org(Role.DISPLAY, "bureau") and role_fits_org(Role.DISPLAY, "city_bureau")
    assert not role_fits_org(Role.DISPLAY, "office")


# --- what it sees --------------------------------------------------------------------------------


def test_it_lands_on_the_wall_and_the_desk_sends_it_back(client, display, data):
    r = _sign_in(client, display)
    r = client.get(r["Location"])
    assert r.status_code == 302 and r["Location"] == reverse("stats:wall")
    assert client.get(reverse("stats:wall")).status_code == 200
    # Not only once: the display has no desk.
    assert client.get(reverse("cases:home"))["Location"] == reverse("stats:wall")


def test_the_wall_shows_the_bureau_figures_as_the_statistician_counts_them(client_for, users, display, data):
    wall = client_for(display).get(reverse("stats:wall"), Y)
    assert wall.status_code == 200
    got = re.search(r'data-kpi="testline.received"[^>]*>.*?data-value="(\d+)"', wall.content.decode(), re.S)
    stat = client_for(users.stat_admin).get(reverse("stats:dashboard"), Y)
    want = re.search(r'data-kpi="testline.received"[^>]*>.*?data-value="(\d+)"', stat.content.decode(), re.S)
    # The bureau's four cases, not the neighbouring district's.
    assert got and want and got.group(1) == want.group(1) == "4"


def test_the_wall_holds_no_case_data(client_for, users, display, data):
    for user in (display, users.leader):
        body = client_for(user).get(reverse("stats:wall"), Y).content.decode()
        for case in data:
            assert case.code not in body
        assert "张三" not in body and "李四" not in body
        assert "/cases/" not in body and "/stats/drill/" not in body
        chart = json.loads(re.search(r'id="sf-chart-data" type="application/json">(.*?)</script>', body, re.S).group(1))
        assert "urls" not in json.dumps(chart) and '"url"' not in json.dumps(chart)
    # The leader may go back to the dashboard; the display has nowhere else to go.
    assert "退出大屏" in client_for(users.leader).get(reverse("stats:wall"), Y).content.decode()
    assert "退出大屏" not in client_for(display).get(reverse("stats:wall"), Y).content.decode()


def test_the_wall_stays_within_its_bureau(client_for, orgs, display, data):
    c = client_for(display)
    assert c.get(reverse("stats:wall"), {**Y, "org": orgs.office_a.pk}).status_code == 200
    assert c.get(reverse("stats:wall"), {**Y, "org": orgs.other_office.pk}).status_code == 404
    assert c.get(reverse("stats:wall"), {**Y, "org": orgs.other_bureau.pk}).status_code == 404
    assert c.get(reverse("stats:wall"), {**Y, "org": "x"}).status_code == 404


def test_case_pages_api_drill_down_and_attachments_are_refused(client_for, display, data):
    c = client_for(display)
    case = data[0]
    att = case.attachments.first()
    refused = [
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("stats:dashboard"),
        reverse("stats:table"),
        reverse("stats:report"),
        reverse("stats:drill") + "?kind=year&year=2026&kpi=testline.received",
        reverse("api:stats-kpis"),
        f"/api/v1/cases/{case.pk}/",
    ]
    if att is not None:
        refused.append(reverse("attachments:download", args=[att.pk]))
    for url in refused:
        assert c.get(url).status_code in (403, 404), url
    # The API's case list answers it as every role without case data: nothing in it.
    r = c.get("/api/v1/cases/")
    assert r.status_code in (403, 404) or (r.status_code == 200 and r.json()["results"] == [])
    assert case.code not in r.content.decode()
    assert c.post(reverse("stats:table_export") + "?kind=year&year=2026").status_code == 404


def _walk(resolver, ns=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{ns}{p.name}", p


def test_every_page_answers_it_as_an_account_without_a_role(client_for, orgs, display, data):
    """Every named route, with a real case's id where it takes one: the display gets
    what an account without any role gets, except the wall (and the desk, which sends
    it there)."""
    fresh = UserFactory(username="norole", role="", org=orgs.bureau)
    c_display, c_fresh = client_for(display), client_for(fresh)
    skip = ("accounts:logout", "djdt", "static")
    own = {"stats:wall", "cases:home", "home"}
    checked = 0
    for name, pattern in _walk(get_resolver()):
        if name.startswith(skip) or name in own:
            continue
        converters = getattr(pattern.pattern, "converters", {})
        args = [data[0].pk if type(conv).__name__ == "IntConverter" else "1" for conv in converters.values()]
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:  # a route whose arguments we cannot guess (a slug, a date)
            continue
        got, want = c_display.get(url).status_code, c_fresh.get(url).status_code
        assert got == want or (got in (403, 404) and want in (403, 404)), (name, got, want)
        checked += 1
    assert checked > 50


# --- its session ---------------------------------------------------------------------------------


def test_no_idle_logout_and_no_absolute_limit(client, display, data):
    _sign_in(client, display)
    start = timezone.now()
    # A day of the wall reloading itself every minute (sampled): never signed out.
    for minutes in (30, 13 * 60, 24 * 60):
        with _at(start, minutes=minutes), mock.patch("time.time", return_value=(start + timedelta(minutes=minutes)).timestamp()):
            assert client.get(reverse("stats:wall")).status_code == 200, minutes
    # Its row lives thirty days from the last refresh, and so does the cookie.
    row = Session.objects.get(session_key=client.cookies["sessionid"].value)
    assert row.expire_date > start + timedelta(days=29)
    assert client.cookies["sessionid"]["max-age"] == idle.UNATTENDED_SECONDS


def test_other_roles_keep_the_idle_limit(client, users, data):
    _sign_in(client, users.office_a)
    start = timezone.now()
    with _at(start, minutes=16):
        r = client.get(reverse("cases:list"))
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)


def test_disabling_the_account_ends_its_session_at_once(client, users, display, data):
    from sifa.accounts import services

    _sign_in(client, display)
    assert client.get(reverse("stats:wall")).status_code == 200
    key = client.cookies["sessionid"].value
    services.set_active(users.sysadmin, display, False)
    r = client.get(reverse("stats:wall"))
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)
    assert not Session.objects.filter(session_key=key).exists()  # killed server-side
    # Enabled again, the old session stays over: a new sign-in is needed.
    services.set_active(users.sysadmin, display, True)
    assert client.get(reverse("stats:wall")).status_code == 302


def test_changing_its_role_ends_its_session_at_once(client, users, display, data):
    from sifa.accounts import services

    _sign_in(client, display)
    key = client.cookies["sessionid"].value
    assert client.get(reverse("stats:wall")).status_code == 200
    services.grant_role(users.secadmin, display, role=Role.STATISTICIAN)
    r = client.get(reverse("cases:list"))
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)
    assert not Session.objects.filter(session_key=key).exists()  # killed server-side
    assert client.get(reverse("cases:list")).status_code == 302


def test_another_session_is_not_exempt_by_becoming_a_display(client, users, orgs, data):
    """A session signed in under another role keeps its limits if the account is made a
    display meanwhile: only a display sign-in is unattended."""
    from sifa.accounts import services

    user = UserFactory(username="stat2", role=Role.STATISTICIAN, org=orgs.bureau)
    _sign_in(client, user)
    services.grant_role(users.secadmin, user, role=Role.DISPLAY)
    start = timezone.now()
    with _at(start, minutes=16):
        r = client.get(reverse("stats:wall"))
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)


def test_a_display_signed_in_with_a_client_of_its_own(display, data):
    """The real sign-in form, no second factor asked."""
    c = Client()
    r = c.post(LOGIN, {"username": display.username, "password": PASSWORD}, follow=True)
    assert r.status_code == 200 and r.redirect_chain[-1][0] == reverse("stats:wall")
