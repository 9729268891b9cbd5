"""API tokens (ADR 0016): stored as a digest only, named, expiring, several per
user, listed and revoked on the user's own page; expired and revoked tokens are
refused with a clear 401; every issue and revocation audited without the key."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from sifa.accounts import services, tokens
from sifa.accounts.models import ApiToken
from sifa.audit.models import AuditEntry

from .api_tokens import token_key
from .matrix import snapshot

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def verified(client_for, user) -> Client:
    c = client_for(user)
    device = TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=True)
    session = c.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return c


def api(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_only_a_digest_and_a_short_prefix_are_stored(users):
    token = tokens.issue(users.office_a, name="报表程序", actor=users.office_a)
    row = ApiToken.objects.get(pk=token.pk)
    assert row.digest == hashlib.sha256(token.key.encode()).hexdigest()
    assert len(row.prefix) == tokens.PREFIX_CHARS and token.key.startswith(row.prefix) and len(token.key) > 40
    stored = " ".join(str(v) for v in ApiToken.objects.values_list(*[f.attname for f in ApiToken._meta.concrete_fields]).get())
    assert token.key not in stored
    assert not hasattr(row, "key")  # a row read back never has the key
    assert token.key not in str(list(AuditEntry.objects.values_list("detail", flat=True)))


def test_default_expiry_is_90_days_and_at_most_a_year(users, client_for):
    c = verified(client_for, users.office_a)
    before = timezone.now()
    r = c.post(reverse("accounts:token_create"), {"name": "默认有效期"})
    assert r.status_code == 200
    token = ApiToken.objects.get(user=users.office_a)
    assert timedelta(days=89, hours=23) < token.expires_at - before <= timedelta(days=90, minutes=1)
    c.post(reverse("accounts:token_create"), {"name": "一年", "days": "365"})
    assert ApiToken.objects.get(name="一年").expires_at - before <= timedelta(days=365, minutes=1)
    page = c.get(reverse("accounts:profile")).content.decode()
    assert "默认有效期" in page and "一年" in page and "从未使用" in page


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"name": "", "days": "90"}, "name", "请填写令牌用途"),
        ({"name": "   ", "days": "90"}, "name", "请填写令牌用途"),
        ({"name": "长" * 51, "days": "90"}, "name", "过长"),
        ({"name": "程序", "days": "400"}, "days", "有效期无效"),
        ({"name": "程序", "days": "0"}, "days", "有效期无效"),
        ({"name": "程序", "days": "abc"}, "days", "有效期无效"),
        ({"name": "程序", "days": "99999999999999999999999"}, "days", "有效期无效"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(users, client_for, data, field, words):
    c = verified(client_for, users.office_a)
    before = snapshot()
    r = c.post(reverse("accounts:token_create"), data)
    assert r.status_code == 400 and words in r.content.decode()
    assert r.context["token_error_field"] == field
    assert snapshot() == before and not AuditEntry.objects.filter(action="token.create").exists()


def test_names_are_unique_among_live_tokens_and_their_number_is_bounded(users):
    user = users.office_a
    first = tokens.issue(user, name="同步", actor=user)
    with pytest.raises(tokens.DomainError, match="已有用途为“同步”"):
        tokens.issue(user, name="同步", actor=user)
    tokens.revoke_token(user, first.pk)
    tokens.issue(user, name="同步", actor=user)  # the name is free again once revoked
    for i in range(tokens.MAX_USABLE - 1):
        tokens.issue(user, name=f"程序{i}", actor=user)
    count = ApiToken.objects.count()
    with pytest.raises(tokens.DomainError, match=f"最多同时持有{tokens.MAX_USABLE}个"):
        tokens.issue(user, name="再来一个", actor=user)
    assert ApiToken.objects.count() == count


def test_expired_revoked_unknown_and_disabled_are_refused_with_a_clear_401(users):
    key = token_key(users.office_a)
    assert api(key).get(CASES).status_code == 200
    ApiToken.objects.filter(user=users.office_a).update(expires_at=timezone.now() - timedelta(minutes=1))
    r = api(key).get(CASES)
    assert r.status_code == 401 and "过期" in r.json()["detail"] and "创建新令牌" in r.json()["detail"]
    assert r["WWW-Authenticate"] == "Token"

    key = token_key(users.office_b)
    tokens.revoke_token(users.office_b)
    r = api(key).get(CASES)
    assert r.status_code == 401 and r.json()["detail"] == "API 令牌已被吊销，请在“账号安全”页面创建新令牌。"

    for bad in ("sifa_" + "x" * 43, "0" * 40, "sifa_"):
        r = api(bad).get(CASES)
        assert r.status_code == 401 and r.json()["detail"] == "API 令牌无效。", bad

    key = token_key(users.staff)
    type(users.staff).objects.filter(pk=users.staff.pk).update(is_active=False)
    r = api(key).get(CASES)
    assert r.status_code == 401 and "账号已停用" in r.json()["detail"]


def test_use_is_noted_at_most_once_a_minute(users):
    key = token_key(users.office_a)
    token = ApiToken.objects.get(user=users.office_a)
    assert token.last_used_at is None
    assert api(key).get(CASES).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    api(key).get(CASES)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    api(key).get(CASES)
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=2)


def test_a_token_call_keeps_no_session(users):
    """A program's call is one request, not a sign-in: no session row, no cookie
    (before, every token call made a session and set the idle cookie)."""
    from django.contrib.sessions.models import Session

    c = api(token_key(users.office_a))
    for _ in range(2):
        resp = c.get(CASES)
        assert resp.status_code == 200
        assert not resp.cookies and "Set-Cookie" not in resp.headers
    assert not Session.objects.exists()


def test_revoking_another_users_token_answers_404_and_changes_nothing(users, client_for):
    theirs = tokens.issue(users.office_b, name="他人的程序", actor=users.office_b)
    c = client_for(users.office_a)
    before = snapshot()
    assert c.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    assert c.post(reverse("accounts:token_revoke", args=[999999])).status_code == 404
    assert snapshot() == before
    assert api(theirs.key).get(CASES).status_code == 200
    # A GET never revokes.
    mine = tokens.issue(users.office_a, name="我的程序", actor=users.office_a)
    assert c.get(reverse("accounts:token_revoke", args=[mine.pk])).status_code == 405
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is None


def test_revocation_is_audited_with_name_and_prefix_never_the_key(users, client_for):
    token = tokens.issue(users.office_a, name="报表程序", actor=users.office_a)
    c = client_for(users.office_a)
    r = c.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert "已吊销" in r.content.decode()
    entry = AuditEntry.objects.get(action="token.revoke")
    assert entry.username == "office_a" and entry.detail["tokens"] == [{"token_id": token.pk, "name": "报表程序", "prefix": token.prefix}]
    assert token.key not in str(entry.detail)
    # Revoking again is a no-op, not a second entry.
    c.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert AuditEntry.objects.filter(action="token.revoke").count() == 1


def test_the_old_service_entry_points_still_work(users):
    # services.create_token / revoke_token / _revoke_token are kept for callers.
    key = token_key(users.office_a)
    token_key(users.office_a, name="第二个")
    assert services._revoke_token(users.office_a) is True
    assert services._revoke_token(users.office_a) is False
    assert not ApiToken.objects.usable().filter(user=users.office_a).exists()
    assert api(key).get(CASES).status_code == 401
    entry = AuditEntry.objects.get(action="token.revoke")
    assert len(entry.detail["tokens"]) == 2
    with pytest.raises(services.PermissionRefused, match="双因素认证"):
        services.create_token(users.office_a, verified=False, name="x")
    assert services.create_token(users.office_a, verified=True, name="新程序").key.startswith(tokens.KEY_PREFIX)


def test_a_role_without_case_data_keeps_no_token(users):
    key = token_key(users.office_b)
    services.grant_role(users.secadmin, users.office_b, role="")
    assert api(key).get(CASES).status_code == 401
    assert not ApiToken.objects.usable().filter(user=users.office_b).exists()


def test_the_migration_drops_the_plain_text_tokens():
    migration = import_module("sifa.accounts.migrations.0004_api_tokens")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id integer)")
        cursor.execute("INSERT INTO authtoken_token (key, created, user_id) VALUES ('0123456789012345678901234567890123456789', CURRENT_TIMESTAMP, 1)")
    migration.drop_plain_text_tokens(None, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
        cursor.execute("DROP TABLE authtoken_token")
    # A database that never had the table (a fresh install) is fine too.
    migration.drop_plain_text_tokens(None, SimpleNamespace(connection=connection))
