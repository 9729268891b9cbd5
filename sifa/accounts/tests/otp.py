"""Signing in with the second factor in tests. The administrators and the leader
must pass TOTP (accounts.roles.second_factor_default), so a test that signs them
in either types a code from their authenticator's secret (the login form, the
browser) or marks the test client's session as django-otp's ``login`` does."""

from __future__ import annotations

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator(user) -> TOTPDevice:
    """The user's confirmed authenticator, enrolled if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=True)


def code(device, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (computed from the device's secret)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def fresh_code(device) -> str:
    """A code the device will accept even if this test already used the current
    one: django-otp refuses a replay within the same 30 s step, and a test may
    sign the same person in twice."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return code(device)


def pass_second_factor(client, user) -> TOTPDevice:
    """Mark a signed-in test client's session as having passed TOTP."""
    device = authenticator(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
