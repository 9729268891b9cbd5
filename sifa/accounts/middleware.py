"""Session limits, the second factor and password expiry, enforced per request."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from .authentication import PASSWORD_EXPIRED_MESSAGE

SESSION_STARTED = "sifa_login_at"

# Paths a signed-in user may reach while a second factor or a new password is
# pending. Exact pages, not "/accounts/": the administration pages and the
# profile (where API tokens are made) live there too and must stay behind both.
_ALWAYS_OPEN = ("/accounts/login/", "/accounts/logout/", "/static/", "/healthz")
_OPEN_FOR_2FA = (*_ALWAYS_OPEN, "/accounts/otp/")
# Changing the password needs the second factor first: a stolen password alone
# must not be enough to take the account over.
_OPEN_FOR_PASSWORD = (*_OPEN_FOR_2FA, "/accounts/password/")


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
                # Normally set by the login view; this covers sessions made otherwise.
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


# [role, required]: whether this session's user must pass TOTP, decided at sign-in.
SESSION_2FA = "sifa_2fa_required"


def requires_2fa(user, session=None) -> bool:
    """Whether ``user`` must pass the second factor, without a query per request
    (issue 19).

    Two answers, either of which requires it:

    * the one decided at sign-in from the settings read fresh, kept in the
      (server-side) session for the role it was decided for. A changed setting
      therefore applies to every new sign-in at once, in every process; a role
      granted mid-session is decided afresh on its next request;
    * the process's copy of the settings (selectors.second_factor_required, at
      most a minute old), so switching a role on reaches sessions already open
      within a minute.

    A session without an answer (made some other way) is decided here: a missing
    answer never means "not required". The administrators' requirement is fixed
    in code and needs neither."""
    from .selectors import second_factor_required

    if session is None:
        return second_factor_required(user.role, fresh=True)
    kept = session.get(SESSION_2FA)
    if not (isinstance(kept, list) and len(kept) == 2 and kept[0] == user.role):
        kept = [user.role, second_factor_required(user.role, fresh=True)]
        session[SESSION_2FA] = kept
    return bool(kept[1]) or second_factor_required(user.role)


@receiver(user_logged_in, dispatch_uid="sifa.accounts.decide_second_factor")
def _decide_at_sign_in(sender, request, user, **kwargs):
    # Sign-in keeps the session's data (cycle_key), so decide afresh here rather
    # than trust an answer left from before.
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_2FA, None)
        requires_2fa(user, request.session)


class SecondFactorMiddleware:
    """Users of a role that must use TOTP are sent to set it up or to enter a code
    before anything else. Requests carrying an API token never reach this check
    with a user (DRF authenticates them later); tokens are issued only to
    sessions that passed the second factor (views_otp.token_create)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_FOR_2FA)
            and not user.is_verified()
            and requires_2fa(user, request.session)
        ):
            from django_otp import devices_for_user

            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": "需要完成双因素认证。"}, status=403)
            has_device = any(True for _ in devices_for_user(user, confirmed=True))
            target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """After 90 days (or when an administrator set a temporary password) the user
    must choose a new password before going on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(_OPEN_FOR_PASSWORD) and user.password_expired:
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": PASSWORD_EXPIRED_MESSAGE}, status=403)
            return redirect(f"{reverse('accounts:password_change')}?expired=1")
        return self.get_response(request)
