"""TOTP second factor (set up, verify, enforced per role, on the API too) and
personal API tokens (only for a session that passed the second factor)."""

import time

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from sifa.accounts.models import ApiToken, RoleSetting
from sifa.audit.models import AuditEntry

from .api_tokens import token_key
from .matrix import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp_throttle(settings):
    # django-otp delays a retry after a wrong code; tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code(device, steps_ahead=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def bound_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=True)


def verified_client(client_for, user, device):
    c = client_for(user)
    session = c.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return c


def require_2fa(role):
    RoleSetting.objects.update_or_create(role=role, defaults={"require_2fa": True})


# --- set up and verify -------------------------------------------------------------------


def test_setup_binds_an_authenticator(users, client_for):
    c = client_for(users.office_a)
    r = c.get(reverse("accounts:otp_setup"))
    assert r.status_code == 200 and r.context["qr"].startswith("data:image/svg+xml;base64,")
    device = TOTPDevice.objects.get(user=users.office_a, confirmed=False)
    r = c.post(reverse("accounts:otp_setup"), {"token": "000000" if code(device) != "000000" else "111111"})
    assert r.status_code == 200 and "验证码不正确" in r.content.decode()
    assert not TOTPDevice.objects.filter(user=users.office_a, confirmed=True).exists()
    assert AuditEntry.objects.filter(action="auth.otp_failed", username="office_a").exists()
    r = c.post(reverse("accounts:otp_setup"), {"token": code(device)})
    assert r.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="auth.otp_enrolled", username="office_a").exists()
    assert c.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_enforced_per_role_pages_and_api(users, client_for):
    require_2fa("office")
    c = client_for(users.office_a)
    r = c.get(reverse("cases:list"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_setup"))
    # Neither the profile, the password page nor the administration pages are ways around it.
    for path in (reverse("accounts:profile"), reverse("accounts:password_change")):
        assert c.get(path)["Location"].startswith(reverse("accounts:otp_setup"))
    r = c.get("/api/v1/cases/")
    assert r.status_code == 403 and r.json()["detail"] == "需要完成双因素认证。"
    # Other roles are not affected.
    assert client_for(users.staff).get(reverse("cases:list")).status_code == 200


def test_verify_after_sign_in(users, client_for):
    require_2fa("office")
    device = bound_device(users.office_a)
    c = client_for(users.office_a)
    r = c.get(reverse("cases:list") + "?q=x")
    assert r["Location"].startswith(reverse("accounts:otp_verify"))
    r = c.post(r["Location"], {"token": "12345"})  # too short
    assert r.status_code == 200 and "token" in r.context["form"].errors
    r = c.post(reverse("accounts:otp_verify") + "?next=/cases/%3Fq%3Dx", {"token": code(device)})
    assert r.status_code == 302 and r["Location"] == "/cases/?q=x"
    assert AuditEntry.objects.filter(action="auth.otp_verified", username="office_a").exists()
    assert c.get(reverse("cases:list")).status_code == 200
    assert c.get("/api/v1/cases/").status_code == 200


def test_verify_refuses_a_wrong_code_and_a_replayed_one(users, client_for):
    device = bound_device(users.office_a)
    c = client_for(users.office_a)
    good = code(device)
    assert c.post(reverse("accounts:otp_verify"), {"token": good}).status_code == 302
    other = client_for(users.office_a)
    r = other.post(reverse("accounts:otp_verify"), {"token": good})
    assert r.status_code == 200 and "验证码不正确" in r.content.decode()
    assert DEVICE_ID_SESSION_KEY not in other.session


def test_a_password_alone_cannot_rebind_the_authenticator(users, client_for):
    require_2fa("office")
    bound_device(users.office_a)
    c = client_for(users.office_a)
    before = snapshot()
    r = c.get(reverse("accounts:otp_setup"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_verify"))
    r = c.post(reverse("accounts:otp_setup"), {"token": "123456"})
    assert r.status_code == 302
    assert snapshot() == before


def test_a_verified_session_may_rebind(users, client_for):
    old = bound_device(users.office_a)
    c = verified_client(client_for, users.office_a, old)
    assert c.get(reverse("accounts:otp_setup")).status_code == 200
    new = TOTPDevice.objects.get(user=users.office_a, confirmed=False)
    assert c.post(reverse("accounts:otp_setup"), {"token": code(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=users.office_a).values_list("pk", flat=True)) == [new.pk]


# --- API tokens ------------------------------------------------------------------------------


def test_token_needs_a_verified_second_factor(users, client_for):
    c = client_for(users.office_a)
    before = snapshot()
    r = c.post(reverse("accounts:token_create"))
    assert r.status_code == 403 and "双因素认证" in r.content.decode()
    assert snapshot() == before
    # With 2FA required for the role, an unverified session (signed in after the
    # change: the requirement is read at sign-in) never reaches the page.
    require_2fa("office")
    c = client_for(users.office_a, second_factor=False)
    before = snapshot()
    r = c.post(reverse("accounts:token_create"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_setup"))
    assert snapshot() == before


def test_token_created_shown_once_used_and_revoked(users, client_for):
    device = bound_device(users.office_a)
    c = verified_client(client_for, users.office_a, device)
    r = c.post(reverse("accounts:token_create"), {"name": "报表程序", "days": "90"})
    assert r.status_code == 200
    token = ApiToken.objects.get(user=users.office_a)
    key = r.context["new_token"].key
    assert key in r.content.decode() and token.name == "报表程序" and key.startswith(token.prefix)
    entry = AuditEntry.objects.get(action="token.create")
    assert key not in str(entry.detail) and entry.detail["prefix"] == token.prefix
    # Shown once: the profile page afterwards has only a prefix.
    page = c.get(reverse("accounts:profile")).content.decode()
    assert key not in page and token.prefix in page and "报表程序" in page
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/cases/").status_code == 200
    # A second token does not replace the first: a user may hold several.
    c.post(reverse("accounts:token_create"), {"name": "同步程序", "days": "30"})
    assert api.get("/api/v1/cases/").status_code == 200
    assert ApiToken.objects.usable().filter(user=users.office_a).count() == 2
    r = c.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.usable().filter(user=users.office_a).count() == 1
    assert api.get("/api/v1/cases/").status_code == 401
    assert AuditEntry.objects.filter(action="token.revoke", username="office_a").exists()


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor"])
def test_administrators_get_no_tokens(users, client_for, who):
    user = getattr(users, who)
    device = bound_device(user)
    c = verified_client(client_for, user, device)
    assert c.post(reverse("accounts:token_create"), {"name": "x", "days": "90"}).status_code == 404
    assert not ApiToken.objects.exists()
    assert "API 令牌" not in c.get(reverse("accounts:profile")).content.decode()


def test_disabled_users_token_stops_working(users, client_for):
    from sifa.accounts.services import set_active

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_key(users.office_a)}")
    assert api.get("/api/v1/cases/").status_code == 200
    set_active(users.sysadmin, users.office_a, False)
    assert api.get("/api/v1/cases/").status_code in (401, 403)


def test_expired_or_temporary_password_stops_the_token_until_changed(users, client_for, settings):
    from datetime import timedelta

    from django.utils import timezone

    from sifa.accounts.models import User
    from sifa.accounts.services import set_password

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_key(users.office_a)}")
    assert api.get("/api/v1/cases/").status_code == 200
    User.objects.filter(pk=users.office_a.pk).update(password_changed_at=timezone.now() - timedelta(days=settings.SIFA_PASSWORD_MAX_AGE_DAYS + 1))
    r = api.get("/api/v1/cases/")
    assert r.status_code == 403 and r.json()["detail"] == "密码已过期，请先在网页上修改密码。"
    User.objects.filter(pk=users.office_a.pk).update(password_changed_at=timezone.now(), must_change_password=True)
    assert api.get("/api/v1/cases/").status_code == 403  # an administrator's temporary password
    set_password(User.objects.get(pk=users.office_a.pk), "Fresh#Pass2027x")  # the user's own change
    assert api.get("/api/v1/cases/").status_code == 200
