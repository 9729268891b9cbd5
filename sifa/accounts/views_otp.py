"""TOTP second factor (django-otp): set up, verify, and the account page."""

from __future__ import annotations

import base64
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sifa.audit.models import Result
from sifa.audit.services import record

from .forms import OtpTokenForm
from .models import RoleSetting


def _next(request, default="cases:home"):
    nxt = request.GET.get("next") or request.POST.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect(default)


def _qr_data_uri(text: str) -> str:
    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


@login_required
def profile(request):
    devices = list(devices_for_user(request.user, confirmed=True))
    required = RoleSetting.objects.filter(role=request.user.role, require_2fa=True).exists()
    return render(request, "accounts/profile.html", {"devices": devices, "required": required, "breadcrumbs": [("账号安全", None)]})


@login_required
def otp_setup(request):
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=False)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user, confirmed=True).delete()
                device.confirmed = True
                device.save()
                record("auth.otp_enrolled", actor=user, obj=user)
            otp_login(request, device)
            messages.success(request, "双因素认证已启用。")
            return _next(request)
        record("auth.otp_failed", actor=user, obj=user, result=Result.FAILED)
        form.add_error("token", "验证码不正确，请确认手机时间准确后重试。")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr": _qr_data_uri(device.config_url), "secret": secret, "next": request.GET.get("next", "")},
    )


@login_required
def otp_verify(request):
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices_for_user(request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                record("auth.otp_verified", actor=request.user, obj=request.user)
                return _next(request)
        record("auth.otp_failed", actor=request.user, obj=request.user, result=Result.FAILED)
        form.add_error("token", "验证码不正确。")
    return render(request, "accounts/otp_verify.html", {"form": form, "next": request.GET.get("next", "")})
