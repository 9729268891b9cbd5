"""Session limits, the second factor and password expiry, enforced per request."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

SESSION_STARTED = "sifa_login_at"

# Paths a signed-in user may reach while a second factor or a new password is pending.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz")


class SessionLimitsMiddleware:
    """Absolute session lifetime (12 h). The idle limit (15 min) is the session
    cookie age, renewed on every request (SESSION_SAVE_EVERY_REQUEST)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED)
            if started is None:
                request.session[SESSION_STARTED] = time.time()
            elif time.time() - started > settings.SIFA_SESSION_ABSOLUTE_SECONDS:
                from sifa.audit.services import record

                record("auth.session_expired", actor=user, detail={"reason": "absolute"})
                logout(request)
                if request.path.startswith("/api/"):
                    from django.http import JsonResponse

                    return JsonResponse({"detail": "会话已过期，请重新登录。"}, status=401)
                return redirect(f"{reverse('accounts:login')}?expired=1")
        return self.get_response(request)


def _requires_2fa(user) -> bool:
    from .models import RoleSetting

    return RoleSetting.objects.filter(role=user.role, require_2fa=True).exists()


class SecondFactorMiddleware:
    """Users of a role that must use TOTP are sent to set it up or to enter a code
    before anything else. API token requests are exempt: tokens are issued to
    verified sessions only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES) and not user.is_verified() and _requires_2fa(user):
            from django_otp import devices_for_user

            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": "需要完成双因素认证。"}, status=403)
            has_device = any(True for _ in devices_for_user(user, confirmed=True))
            target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """After 90 days (or when an administrator set a temporary password) the user
    must choose a new password before going on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES):
            max_age = timedelta(days=settings.SIFA_PASSWORD_MAX_AGE_DAYS)
            if user.must_change_password or timezone.now() - user.password_changed_at > max_age:
                if request.path.startswith("/api/"):
                    from django.http import JsonResponse

                    return JsonResponse({"detail": "密码已过期，请先在网页上修改密码。"}, status=403)
                return redirect(f"{reverse('accounts:password_change')}?expired=1")
        return self.get_response(request)
