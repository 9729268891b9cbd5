"""The idle clock without a session write per request, the idle warning, the
keep-alive, why the login page says the user was signed out, and a form posted
after the session ended surviving the new sign-in for that user only
(issue 18 item 2, issue 19 item 6)."""

import json
import re
from datetime import timedelta
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sifa.accounts import formkeep, idle
from sifa.accounts.formkeep import KeptForm
from sifa.accounts.tests.otp import authenticator, code, fresh_code

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
BG = {"HTTP_X_SIFA_BACKGROUND": "1"}


def _login(client, user, **extra):
    return client.post(LOGIN + extra.pop("query", ""), {"username": user.username, "password": PASSWORD}, **extra)


def _at(start, **delta):
    return mock.patch("django.utils.timezone.now", return_value=start + timedelta(**delta))


def _session_writes(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE") and "django_session" in q["sql"]]


def _expiry(client):
    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


def test_settings_no_write_per_request(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SIFA_SESSION_REFRESH_SECONDS == 60 and settings.SESSION_COOKIE_AGE == 15 * 60


def test_session_is_not_written_on_every_request(users, client):
    _login(client, users.office_a)
    client.get(reverse("cases:list"))  # first page after sign-in settles the session's data
    start = timezone.now()
    with _at(start, seconds=5), CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            r = client.get(reverse("cases:list"))
            assert r.status_code == 200
    assert _session_writes(ctx.captured_queries) == []
    assert "sessionid" not in r.cookies  # no new cookie either


def test_idle_clock_moves_after_a_minute(users, client):
    _login(client, users.office_a)
    start = timezone.now()
    before = _expiry(client)
    with _at(start, seconds=30):
        client.get(reverse("cases:list"))
    assert _expiry(client) == before
    with _at(start, seconds=61), CaptureQueriesContext(connection) as ctx:
        r = client.get(reverse("cases:list"))
    assert len(_session_writes(ctx.captured_queries)) == 1
    assert _expiry(client) > before + timedelta(seconds=55)
    assert 880 <= int(r[idle.REMAINING_HEADER]) <= 900


def test_idle_limit_is_exact_within_the_minute(users, client):
    _login(client, users.office_a)
    start = timezone.now()
    with _at(start, minutes=14, seconds=50):
        assert client.get(reverse("cases:list")).status_code == 200
    # Pushed at 14:50, so the limit is 29:50: still signed in at 29:40 …
    with _at(start, minutes=29, seconds=40):
        assert client.get(reverse("cases:list")).status_code == 200
    # … which pushed it to 44:40: signed out a second later.
    with _at(start, minutes=44, seconds=41):
        r = client.get(reverse("cases:list"))
        assert r.status_code == 302 and r["Location"].startswith(LOGIN)
        assert "因 15 分钟无操作，已自动退出登录" in client.get(r["Location"]).content.decode()


def test_background_requests_neither_extend_nor_write(users, client):
    _login(client, users.office_a)
    start = timezone.now()
    before = _expiry(client)
    with _at(start, minutes=5), CaptureQueriesContext(connection) as ctx:
        r = client.get(reverse("cases:list"), **BG)
    assert r.status_code == 200 and _session_writes(ctx.captured_queries) == []
    assert _expiry(client) == before
    assert 590 <= int(r[idle.REMAINING_HEADER]) <= 600
    # Polling alone for 15 minutes ends the session; the poll gets no login page to swap in.
    with _at(start, minutes=10):
        client.get(reverse("cases:list"), **BG)
    with _at(start, minutes=15, seconds=1):
        r = client.get(reverse("cases:list"), **BG)
    assert r.status_code == 204 and r[idle.SIGNED_OUT_HEADER] == idle.IDLE
    assert client.get(reverse("cases:list")).status_code == 302


def test_a_session_write_by_a_poll_does_not_extend_the_limit(users, client):
    """The limit is kept in the session (idle.IDLE_AT), not in the row's expiry,
    which any write would push on."""
    _login(client, users.office_a)
    start = timezone.now()
    with _at(start, minutes=10):
        session = client.session
        session["something"] = 1  # a write for another reason
        session.save()
    with _at(start, minutes=15, seconds=5):
        r = client.get(reverse("cases:list"))
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)


def test_job_progress_poll_is_marked_background():
    from django.template.loader import render_to_string

    html = render_to_string("ledgers/_progress.html", {"job": mock.Mock(is_active=True, status="running", stage=""), "status_url": "/x/"})
    assert 'hx-trigger="every 2s"' in html and '"X-Sifa-Background": "1"' in html


def test_warning_markup_with_the_deadline(users, client):
    _login(client, users.office_a)
    start = timezone.now()
    with _at(start, minutes=3):
        html = client.get(reverse("cases:list")).content.decode()
    assert 'id="sf-idle-modal"' in html and "sifa/idle.js" in html
    assert "您已 13 分钟无操作，2 分钟后将自动退出登录" in html and "继续使用" in html and "退出登录" in html
    remaining = int(re.search(r'data-remaining="(\d+)"', html).group(1))
    assert 895 <= remaining <= 900  # pushed at 3:00
    assert 'data-warn="120"' in html and f'data-url="{reverse("accounts:session")}"' in html
    # Background: no push, the page says what is left of the earlier deadline.
    with _at(start, minutes=3, seconds=30):
        html = client.get(reverse("cases:list"), **BG).content.decode()
    assert 865 <= int(re.search(r'data-remaining="(\d+)"', html).group(1)) <= 870
    # Signed out: no warning.
    assert 'id="sf-idle-modal"' not in Client().get(LOGIN).content.decode()


def test_keep_alive(users, client):
    url = reverse("accounts:session")
    assert Client().post(url).status_code in (401, 403)
    _login(client, users.office_a)
    start = timezone.now()
    with _at(start, minutes=14):
        r = client.get(url, **BG)
        assert r.json()["signed_in"] and 55 <= r.json()["remaining"] <= 60
        r = client.post(url)
    assert r.status_code == 200 and 895 <= r.json()["remaining"] <= 900
    with _at(start, minutes=28):
        assert client.get(reverse("cases:list")).status_code == 200
    # The keep-alive needs the CSRF token.
    strict = Client(enforce_csrf_checks=True)
    strict.get(LOGIN)
    strict.post(LOGIN, {"username": "office_b", "password": PASSWORD, "csrfmiddlewaretoken": strict.cookies["csrftoken"].value})
    assert strict.post(url).status_code == 403
    token = strict.cookies["csrftoken"].value
    assert strict.post(url, HTTP_X_CSRFTOKEN=token).status_code == 200
    with _at(start, minutes=45):
        r = client.get(url, **BG)
    assert r.status_code == 401 and r.json()["reason"] == idle.IDLE


def test_login_page_says_why(users, client):
    assert 'data-testid="signed-out-reason"' not in Client().get(LOGIN).content.decode()
    # Logged out on purpose: nothing to explain.
    _login(client, users.office_a)
    client.post(reverse("accounts:logout"))
    assert "signed-out-reason" not in client.get(LOGIN).content.decode()
    # Ended elsewhere (deleted server-side) before the deadline.
    _login(client, users.office_a)
    client.get(reverse("cases:list"))
    Session.objects.all().delete()
    r = client.get(reverse("cases:list"))
    assert r.status_code == 302
    assert "已在别处结束" in client.get(r["Location"]).content.decode()
    # The 12-hour limit.
    _login(client, users.office_a)
    session = client.session
    session["sifa_login_at"] -= 13 * 3600
    session.save()
    r = client.get(reverse("cases:list"))
    assert "登录已满 12 小时" in client.get(r["Location"]).content.decode()
    assert "登录已满 12 小时" in client.get(LOGIN).content.decode()  # and on a later visit


FORM = {"summary": "邻里漏水纠纷，双方同意调解", "parties-0-name": "张三", "tags": ["a", "b"], "password": "x", "csrfmiddlewaretoken": "t"}


def _expire_and_post(client, user, path, start, referer=None, **extra):
    _login(client, user)
    client.get(reverse("cases:list"))
    headers = {"HTTP_REFERER": f"http://testserver{referer}"} if referer else {}
    with _at(start, minutes=16):
        return client.post(path, FORM, **headers, **extra)


def test_form_posted_after_expiry_is_restored_for_the_same_user(users, client):
    start = timezone.now()
    path = reverse("cases:list")
    r = _expire_and_post(client, users.office_a, path, start, referer=path + "?page=1")
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)
    nxt = parse_qs(urlsplit(r["Location"]).query)["next"][0]
    key = parse_qs(urlsplit(nxt).query)[formkeep.PARAM][0]
    assert nxt.startswith(path + "?page=1&")  # back to the page that showed the form
    kept = KeptForm.objects.get(pk=key)
    assert kept.user == users.office_a and kept.action == path
    assert kept.fields == {"summary": [FORM["summary"]], "parties-0-name": ["张三"], "tags": ["a", "b"]}  # no password, no token
    with _at(start, minutes=16, seconds=5):
        html = client.get(r["Location"]).content.decode()
        assert "因 15 分钟无操作，已自动退出登录；您填写的内容已暂存，登录后将恢复" in html
        r = _login(client, users.office_a, query="?" + urlsplit(r["Location"]).query)
        assert r.status_code == 302 and r["Location"] == nxt
        page = client.get(nxt)
    html = page.content.decode()
    data = json.loads(re.search(r'<script id="sf-restored" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert data == {"action": path, "fields": kept.fields, "files": False}
    assert "登录前提交的内容已恢复" in html
    assert "no-store" in page["Cache-Control"]
    # One use only.
    assert not KeptForm.objects.filter(pk=key).exists()
    assert "sf-restored" not in client.get(nxt).content.decode()


def test_another_user_gets_nothing_and_it_is_discarded(users, client):
    start = timezone.now()
    r = _expire_and_post(client, users.office_a, reverse("cases:list"), start)
    key = parse_qs(urlsplit(parse_qs(urlsplit(r["Location"]).query)["next"][0]).query)[formkeep.PARAM][0]
    with _at(start, minutes=16, seconds=5):
        r = _login(client, users.office_b, query="?" + urlsplit(r["Location"]).query)
        assert formkeep.PARAM not in r["Location"]
        assert not KeptForm.objects.filter(pk=key).exists()
        assert "sf-restored" not in client.get(f"{reverse('cases:list')}?{formkeep.PARAM}={key}").content.decode()


def test_claim_by_another_user_is_refused_and_deletes(users, client_for):
    kept = KeptForm.objects.create(
        key="k" * 32, user=users.office_a, page="/", action="/", fields={"a": ["1"]}, expires_at=timezone.now() + timedelta(minutes=5)
    )
    html = client_for(users.office_b).get(f"{reverse('cases:list')}?{formkeep.PARAM}={kept.key}").content.decode()
    assert "sf-restored" not in html
    assert not KeptForm.objects.exists()


def test_kept_form_expires(users, client):
    start = timezone.now()
    r = _expire_and_post(client, users.office_a, reverse("cases:list"), start)
    query = urlsplit(r["Location"]).query
    nxt = parse_qs(query)["next"][0]
    with _at(start, minutes=32):
        assert "已暂存" not in client.get(f"{LOGIN}?{query}").content.decode()
        _login(client, users.office_a, query="?" + query)
        assert not KeptForm.objects.exists()  # deleted, not merely ignored
        assert "sf-restored" not in client.get(nxt).content.decode()


def test_kept_for_the_owner_after_the_second_factor(users, client):
    """An administrator signs in with TOTP: the content waits until both factors pass."""
    user = users.sysadmin
    device = authenticator(user)
    start = timezone.now()
    _login(client, user)
    client.post(reverse("accounts:otp_verify"), {"token": code(device)})
    with _at(start, minutes=16):
        r = client.post(reverse("accounts:user_list"), {"q": "张三"}, HTTP_REFERER="http://testserver" + reverse("accounts:user_list"))
    query = urlsplit(r["Location"]).query
    nxt = parse_qs(query)["next"][0]
    with _at(start, minutes=16, seconds=5):
        r = _login(client, user, query="?" + query)
        r = client.get(r["Location"])
        assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_verify"))
        assert KeptForm.objects.exists()  # not claimed by the second-factor page
        r = client.post(r["Location"], {"token": fresh_code(device)})
        assert r["Location"] == nxt
        html = client.get(nxt).content.decode()
    assert '"q": ["\\u5f20\\u4e09"]' in html or '"q": ["张三"]' in html


def test_nothing_kept_without_the_owner_cookie_or_when_too_large(users, client):
    assert Client().post(reverse("cases:list"), FORM).status_code == 302
    assert not KeptForm.objects.exists()
    start = timezone.now()
    _login(client, users.office_a)
    with _at(start, minutes=16):
        r = client.post(reverse("cases:list"), {"big": "x" * (formkeep.MAX_BYTES + 1)})
    assert r.status_code == 302 and formkeep.PARAM not in r["Location"]
    assert not KeptForm.objects.exists()


def test_files_are_not_kept_and_the_user_is_told(users, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    start = timezone.now()
    _login(client, users.office_a)
    with _at(start, minutes=16):
        r = client.post(reverse("cases:list"), {"note": "附件说明", "file": SimpleUploadedFile("a.pdf", b"%PDF")})
    nxt = parse_qs(urlsplit(r["Location"]).query)["next"][0]
    kept = KeptForm.objects.get()
    assert kept.had_files and kept.fields == {"note": ["附件说明"]}
    with _at(start, minutes=16, seconds=5):
        _login(client, users.office_a)
        assert "请重新选择文件" in client.get(nxt).content.decode()


def _cookie_owner(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.COOKIES[idle.COOKIE] = client.cookies[idle.COOKIE].value
    return idle.read_cookie(request)[0]


def test_signing_in_as_another_user_over_an_ended_session_takes_the_cookie(users, client):
    """The cookie that decides whose a later kept form is follows the new sign-in."""
    _login(client, users.office_a)
    assert _cookie_owner(client) == users.office_a.pk
    start = timezone.now()
    with _at(start, minutes=10):
        session = client.session
        session["something"] = 1  # the row outlives the idle limit
        session.save()
    with _at(start, minutes=15, seconds=5):
        assert _login(client, users.office_b).status_code == 302
    assert _cookie_owner(client) == users.office_b.pk


# --- access: the idle clock's route, every role and anonymous ---------------------------------------

SESSION_ROLES = ("leader", "staff", "office_a", "mediator_a", "lawyer", "sysadmin", "secadmin", "auditor", "anonymous")


@pytest.mark.parametrize("role", SESSION_ROLES)
def test_the_idle_clock_answers_only_about_the_callers_own_session(users, client_for, role):
    """Every signed-in role reads and pushes its own clock (nothing about anyone else);
    anonymous gets 401 with the reason, and a POST without CSRF is refused."""
    from django.test import Client
    from django.urls import reverse

    url = reverse("accounts:session")
    c = Client() if role == "anonymous" else client_for(getattr(users, role))
    r = c.get(url, HTTP_X_SIFA_BACKGROUND="1")
    if role == "anonymous":
        assert r.status_code == 401 and r.json()["signed_in"] is False
        return
    body = r.json()
    assert r.status_code == 200 and body["signed_in"] is True and set(body) == {"signed_in", "remaining", "warn"}
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = c.cookies
    assert strict.post(url).status_code == 403
    assert c.post(url).status_code == 200
