"""The demo stays usable with two-factor sign-in for the administrators and the
leader: seed_demo enrols them with fixed authenticator secrets and prints each
beside the password; a code made from the printed secret signs them in."""

from __future__ import annotations

import base64
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sifa.accounts.models import RoleSetting
from sifa.demo.seed import DEMO_PASSWORD, demo_totp_secret

pytestmark = [pytest.mark.smoke, pytest.mark.django_db]

WITH_TOTP = ("leader", "sysadmin", "secadmin", "auditor")


def code_from(secret: str) -> str:
    """What an authenticator app shows for a base32 secret."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_seed_enrols_prints_the_secrets_and_they_sign_in():
    # One test, one seeding: loading the demo takes a while.
    out = StringIO()
    call_command("seed_demo", stdout=out)
    listing = out.getvalue()
    assert DEMO_PASSWORD in listing
    lines = {line.split()[0]: line for line in listing.splitlines() if line.startswith("  ")}
    for username in WITH_TOTP:
        assert f"验证器密钥 {demo_totp_secret(username)}" in lines[username]
    assert "验证器密钥" not in lines["office_a"] and "验证器密钥" not in lines["staff"]
    assert demo_totp_secret("leader") != demo_totp_secret("auditor")
    # No "off" rows: the demo shows the real defaults.
    assert not RoleSetting.objects.filter(role__in=WITH_TOTP).exists()
    assert TOTPDevice.objects.filter(user__username__in=WITH_TOTP, confirmed=True).count() == len(WITH_TOTP)

    for username in WITH_TOTP:
        c = Client()
        assert c.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}).status_code == 302
        r = c.get(reverse("home"))
        assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_verify")), username
        r = c.post(reverse("accounts:otp_verify"), {"token": code_from(demo_totp_secret(username))})
        assert r.status_code == 302 and "/accounts/otp/" not in r["Location"], username
        assert c.get(reverse("accounts:profile")).status_code == 200
