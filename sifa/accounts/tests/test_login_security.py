"""SECURITY.md bars for signing in: password policy, lockout, session limits,
logout, and the audit entries each of them writes."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sifa.accounts.middleware import SESSION_STARTED
from sifa.accounts.models import User
from sifa.accounts.services import set_password
from sifa.audit.models import AuditEntry

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, username, password, ip="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


# --- password policy ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1#xyz", "密码太短"),
        ("abcdefgh1", "至少3类"),
        ("ABCDEFGH!", "至少3类"),
        ("Password1!", "太常见"),
        ("Office_A#2026", "不能包含用户名"),
        ("A_eciffo#2026", "不能包含用户名"),  # the username reversed
        ("Office_a1", "太相似"),
    ],
)
def test_password_policy_refuses(users, password, message):
    with pytest.raises(ValidationError) as exc:
        validate_password(password, users.office_a)
    assert any(message in m for m in exc.value.messages), exc.value.messages


@pytest.mark.parametrize("password", ["Qw3#Lkz9Tv", "qw3#lkz9tv", "QW3LKZ9TVX1a", "长城Kz9#abc"])
def test_password_policy_accepts(users, password):
    validate_password(password, users.office_a)


def test_no_reuse_of_the_last_five(users):
    u = users.office_a
    history = [f"Qw3#Lkz9T{i}" for i in range(7)]
    for p in history:
        set_password(u, p)
    # The current password and the five before it are refused (stricter than
    # "the last 5", whichever way one counts) …
    for p in history[1:]:
        with pytest.raises(ValidationError, match="相同"):
            validate_password(p, u)
    # … and older ones have dropped out of the window.
    validate_password(history[0], u)
    assert u.password_history.count() == 5


def test_password_change_page(users, client_for):
    c = client_for(users.office_a)
    r = c.post(reverse("accounts:password_change"), {"old_password": "bad", "new_password1": "Qw3#Lkz9Tv", "new_password2": "Qw3#Lkz9Tv"})
    assert r.status_code == 400 and "old_password" in r.context["form"].errors
    users.office_a.refresh_from_db()
    assert users.office_a.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="auth.password_change", result="failed").count() == 1
    r = c.post(reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert r.status_code == 400  # the current password may not be reused
    r = c.post(reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": "Qw3#Lkz9Tv", "new_password2": "Qw3#Lkz9Tv"})
    assert r.status_code == 302
    users.office_a.refresh_from_db()
    assert users.office_a.check_password("Qw3#Lkz9Tv") and not users.office_a.must_change_password
    assert AuditEntry.objects.filter(action="auth.password_change", result="ok").count() == 1
    # The session survives its own password change (and got a new key).
    assert c.get(reverse("accounts:profile")).status_code == 200


def test_ninety_day_expiry_forces_a_change(users, client_for):
    User.objects.filter(pk=users.office_a.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    c = client_for(users.office_a)
    r = c.get(reverse("cases:list"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:password_change"))
    # The profile (where API tokens are made) is not a way around it; the API answers 403.
    assert c.get(reverse("accounts:profile")).status_code == 302
    assert c.get("/api/v1/cases/").status_code == 403
    assert c.get(reverse("accounts:password_change")).status_code == 200
    User.objects.filter(pk=users.office_a.pk).update(password_changed_at=timezone.now() - timedelta(days=89))
    assert c.get(reverse("cases:list")).status_code == 200


def test_temporary_password_forces_a_change(users, client_for):
    set_password(users.office_a, "Qw3#Lkz9Tv", actor=users.sysadmin, temporary=True)
    c = client_for(users.office_a)
    assert c.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:password_change"))
    assert "临时密码" in c.get(reverse("accounts:password_change")).content.decode()
    c.post(reverse("accounts:password_change"), {"old_password": "Qw3#Lkz9Tv", "new_password1": "Zx8$Mnb7Qa", "new_password2": "Zx8$Mnb7Qa"})
    assert c.get(reverse("cases:list")).status_code == 200


# --- lockout --------------------------------------------------------------------------


def _answer(r, typed_username: str) -> tuple[int, str]:
    """Status and page, with what legitimately differs between two requests
    (the CSRF token, the username the form echoes back) blanked out."""
    import re

    body = r.content.decode().replace(typed_username, "<typed>")
    return r.status_code, re.sub(r"[A-Za-z0-9]{64}", "<csrf>", body)


def test_unknown_user_and_wrong_password_answer_identically(users):
    real = [_answer(_login(Client(), "office_a", f"wrong{i}", ip=f"10.0.0.{i}"), "office_a") for i in range(6)]
    ghost = [_answer(_login(Client(), "nobody_here", f"wrong{i}", ip=f"10.0.1.{i}"), "nobody_here") for i in range(6)]
    assert real == ghost
    assert real[0][0] == 200 and "用户名或密码不正确" in real[0][1]
    assert real[4][0] == 429 and "锁定30分钟" in real[4][1]  # the fifth failure locks
    assert real[5] == real[4]


def test_disabled_account_answers_like_a_wrong_password(users):
    User.objects.filter(pk=users.office_b.pk).update(is_active=False)
    assert _answer(_login(Client(), "office_b", PASSWORD), "office_b") == _answer(_login(Client(), "office_a", "wrong"), "office_a")


def test_five_failures_across_ips_lock_the_account_even_for_the_right_password(users):
    for i in range(5):
        _login(Client(), "office_a", f"wrong{i}", ip=f"192.168.{i}.9")
    r = _login(Client(), "office_a", PASSWORD, ip="172.16.0.1")
    assert r.status_code == 429 and "_auth_user_id" not in r.client.session
    # Another account is not affected (the lock is per account, not per IP).
    assert _login(Client(), "office_b", PASSWORD, ip="192.168.0.9").status_code == 302
    assert AuditEntry.objects.filter(action="auth.login_failed", username="office_a").count() == 6
    assert AuditEntry.objects.filter(action="auth.lockout", username="office_a").exists()


def test_four_failures_do_not_lock_and_success_resets_the_count(users):
    for i in range(4):
        _login(Client(), "office_a", f"wrong{i}")
    assert _login(Client(), "office_a", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="office_a").exists()


def test_lock_lifts_after_thirty_minutes(users):
    for i in range(5):
        _login(Client(), "office_a", f"wrong{i}")
    assert _login(Client(), "office_a", PASSWORD).status_code == 429
    AccessAttempt.objects.filter(username="office_a").update(attempt_time=timezone.now() - timedelta(minutes=29))
    assert _login(Client(), "office_a", PASSWORD).status_code == 429
    AccessAttempt.objects.filter(username="office_a").update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert _login(Client(), "office_a", PASSWORD).status_code == 302


# --- sessions ---------------------------------------------------------------------------


def test_login_rotates_the_session_key_and_is_audited(users, client):
    client.get(LOGIN)
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    r = _login(client, "office_a", PASSWORD)
    assert r.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert abs(client.session[SESSION_STARTED] - time.time()) < 60
    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.username == "office_a" and entry.ip == "10.1.1.1" and entry.user_org == users.office_a.org.name


def test_logout_is_post_only_and_deletes_the_server_side_session(users, client):
    _login(client, "office_a", PASSWORD)
    key = client.cookies["sessionid"].value
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert Session.objects.filter(session_key=key).exists()
    r = client.post(reverse("accounts:logout"))
    assert r.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert AuditEntry.objects.filter(action="auth.logout", username="office_a").exists()
    # Replaying the old cookie gets nothing.
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get(reverse("cases:list")).status_code == 302


def test_idle_timeout_fifteen_minutes(users, client):
    _login(client, "office_a", PASSWORD)
    start = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=14)):
        assert client.get(reverse("cases:list")).status_code == 200  # activity renews the session …
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=28)):
        assert client.get(reverse("cases:list")).status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=44)):
        r = client.get(reverse("cases:list"))  # … 16 idle minutes end it
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)


def test_absolute_limit_twelve_hours(users, client):
    _login(client, "office_a", PASSWORD)
    session = client.session
    session[SESSION_STARTED] = time.time() - 12 * 3600 + 60
    session.save()
    assert client.get(reverse("cases:list")).status_code == 200
    session = client.session
    session[SESSION_STARTED] = time.time() - 12 * 3600 - 1
    session.save()
    key = session.session_key
    r = client.get(reverse("cases:list"))
    assert r.status_code == 302 and r["Location"] == f"{LOGIN}?expired=1"
    assert not Session.objects.filter(session_key=key).exists()
    assert AuditEntry.objects.filter(action="auth.session_expired", username="office_a").exists()
    assert "会话已过期" in client.get(r["Location"]).content.decode()


def test_absolute_limit_on_the_api(users, client):
    _login(client, "office_a", PASSWORD)
    session = client.session
    session[SESSION_STARTED] = time.time() - 13 * 3600
    session.save()
    assert client.get("/api/v1/cases/").status_code == 401


def test_session_cookie_settings(settings):
    # The idle clock is pushed once a minute, not by a write per request (test_idle.py).
    assert settings.SESSION_COOKIE_AGE == 15 * 60 and not settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_a_forced_password_change_leads_on_to_the_page_the_user_was_going_to(users, client_for):
    """After a sign-in with an expired password the user was on the way somewhere (a page,
    or a form kept across an idle logout, ?kept=…): the new password leads there."""
    set_password(users.office_a, "Qw3#Lkz9Tv", actor=users.sysadmin, temporary=True)
    c = client_for(users.office_a)
    going = reverse("cases:list") + "?kept=abc123"
    change = c.get(going)["Location"]
    assert change.startswith(reverse("accounts:password_change")) and "expired=1" in change
    r = c.post(change, {"old_password": "Qw3#Lkz9Tv", "new_password1": "Zx8$Mnb7Qa", "new_password2": "Zx8$Mnb7Qa"})
    assert r.status_code == 302 and r["Location"] == going
