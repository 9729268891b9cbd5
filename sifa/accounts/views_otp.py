"""TOTP second factor (django-otp): set up, verify, and the account page with
the personal API tokens (sifa.accounts.tokens)."""

from __future__ import annotations

import base64
import io
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sifa.audit.models import Result
from sifa.audit.services import record
from sifa.common.errors import DomainError

from . import tokens
from .forms import OtpTokenForm
from .middleware import requires_2fa
from .models import ApiToken
from .roles import SEE_CASES, has_cap


def _next(request, default="cases:home"):
    nxt = request.GET.get("next") or request.POST.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect(default)


def _qr_data_uri(text: str) -> str:
    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def _profile(request, *, new_token=None, error: str = "", error_field: str = "", form_values=None, status: int = 200):
    user = request.user
    devices = list(devices_for_user(user, confirmed=True))
    can_token = has_cap(user, SEE_CASES)
    return render(
        request,
        "accounts/profile.html",
        {
            "devices": devices,
            "required": requires_2fa(user),
            "can_token": can_token,
            "verified": user.is_verified(),
            "tokens": tokens.tokens_of(user) if can_token else [],
            "expiry_choices": tokens.EXPIRY_CHOICES,
            "default_days": tokens.DEFAULT_DAYS,
            "max_usable": tokens.MAX_USABLE,
            "new_token": new_token,
            "token_error": error,
            "token_error_field": error_field,
            "token_form": form_values or {},
            "breadcrumbs": [("账号安全", None)],
        },
        status=status,
    )


@login_required
def profile(request):
    return _profile(request)


def _token_user(request):
    # Administrator roles see no case data, so for them the token pages do not
    # exist (404 before the method check, so a GET does not reveal them either).
    if not has_cap(request.user, SEE_CASES):
        raise Http404()
    return request.user


@login_required
def token_create(request):
    user = _token_user(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # No expiry chosen (a client posting only the name) means the default; a wrong one is refused.
    values = {"name": request.POST.get("name", "")[:200], "days": request.POST.get("days", "")[:30] or str(tokens.DEFAULT_DAYS)}
    try:
        token = tokens.create_token(user, verified=user.is_verified(), name=values["name"], days=values["days"])
    except DomainError as exc:
        return _profile(request, error=exc.message, error_field=exc.field or "", form_values=values, status=exc.status_code)
    # Rendered, not redirected: the key appears in this one answer and nowhere else.
    return _profile(request, new_token=token)


@login_required
def token_revoke(request, pk: int):
    user = _token_user(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # Another user's token answers like a missing one.
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    if tokens.revoke_token(user, token.pk):
        messages.success(request, f"API 令牌“{token.name}”已吊销。")
    return redirect("accounts:profile")


@login_required
def otp_setup(request):
    user = request.user
    if not user.is_verified() and any(True for _ in devices_for_user(user, confirmed=True)):
        # Re-binding needs the current authenticator first; otherwise a password
        # alone could replace the second factor. A lost phone is reset by the
        # system administrator.
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': reverse('accounts:otp_setup')})}")
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
    if not any(True for _ in devices_for_user(request.user, confirmed=True)):
        return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': request.GET.get('next', '')})}")
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
