"""Session limits, the second factor and password expiry, enforced per request."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from . import formkeep, idle
from .authentication import PASSWORD_EXPIRED_MESSAGE
from .idle import IDLE_AT
from .roles import wall_only

SESSION_STARTED = "sifa_login_at"

# Paths a signed-in user may reach while a second factor or a new password is
# pending. Exact pages, not "/accounts/": the administration pages and the
# profile (where API tokens are made) live there too and must stay behind both.
_ALWAYS_OPEN = ("/accounts/login/", "/accounts/logout/", "/accounts/session/", "/static/", "/healthz")
_OPEN_FOR_2FA = (*_ALWAYS_OPEN, "/accounts/otp/")
# Changing the password needs the second factor first: a stolen password alone
# must not be enough to take the account over.
_OPEN_FOR_PASSWORD = (*_OPEN_FOR_2FA, "/accounts/password/")


def _signed_in(request) -> bool:
    """Did this request sign someone in to its session (the login view), rather
    than authenticate one call (an API token)?"""
    session = getattr(request, "session", None)
    return session is not None and session.get(SESSION_KEY) is not None


class SessionLimitsMiddleware:
    """Absolute session lifetime (12 h) and the idle limit (15 min, idle.py).

    The idle clock is pushed at most once a minute by a request the user made,
    never by a background poll; the session row is written only then (or when
    its data changes). A session past either limit is ended here, whatever the
    session backend's own expiry says. A POST that arrives after the session
    ended is kept for its owner (formkeep.py) and restored after the new sign-in.
    A display account's session (roles.wall_only, idle.UNATTENDED) has neither limit
    and ends when the account is disabled or its role changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            if hasattr(request, "session") and request.session.get(idle.UNATTENDED) is not None:
                # A display account's session whose user no longer signs in (disabled,
                # deleted, password changed): ended here, for good, so that enabling
                # the account again does not bring a month-long session back.
                request.session.flush()
            response = self.get_response(request)
            if getattr(request, "user", None) is not None and request.user.is_authenticated and _signed_in(request):
                return self._after(request, response, None)  # signed in by this request
            # An API token's request (DRF sets request.user inside the view) has no
            # session: nothing is written for it, no row and no cookie.
            return formkeep.after_anonymous(request, response)
        session = request.session
        unattended = session.get(idle.UNATTENDED)
        if unattended is not None:
            if unattended != user.role or not wall_only(user):
                # A display account's long session ends the moment its role changes.
                return self._end(request, user, idle.ELSEWHERE)
            before = session.get(IDLE_AT)
            idle.keep_unattended(session)
            return self._after(request, self.get_response(request), before)
        started = session.get(SESSION_STARTED)
        if started is None:
            # Normally set by the login view; this covers sessions made otherwise.
            session[SESSION_STARTED] = time.time()
        elif time.time() - started > settings.SIFA_SESSION_ABSOLUTE_SECONDS:
            return self._end(request, user, idle.ABSOLUTE)
        if idle.idle_expired(session):
            return self._end(request, user, idle.IDLE)
        before = session.get(IDLE_AT)
        if not idle.is_background(request):
            idle.touch(session)
        response = self.get_response(request)
        return self._after(request, response, before)

    @staticmethod
    def _after(request, response, before):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response  # signed out by the view (logout)
        session = request.session
        if session.get(IDLE_AT) is None:
            idle.touch(session)  # a sign-in made by this very request
        if session.get(IDLE_AT) != before:
            # The clock moved: tell this browser's cookie (idle.py) too.
            idle.set_cookie(response, user.pk, idle.deadline(session))
        response[idle.REMAINING_HEADER] = str(idle.remaining(session))
        if formkeep.PARAM in request.GET:
            # The page carries restored form content: keep it out of every cache.
            patch_cache_control(response, no_store=True, private=True)
        return response

    def _end(self, request, user, reason):
        from sifa.audit.services import record

        end = idle.deadline(request.session) or idle.now()
        record("auth.session_expired", actor=user, detail={"reason": reason})
        logout(request)
        request.sifa_signed_out = reason
        if request.path.startswith(_ALWAYS_OPEN):
            # Sign-in, logout and the keep-alive answer a signed-out user themselves.
            response = self.get_response(request)
            if request.user.is_authenticated:
                return self._after(request, response, None)  # someone signed in: theirs now
        elif request.path.startswith("/api/"):
            from django.http import JsonResponse

            response = JsonResponse({"detail": "会话已过期，请重新登录。"}, status=401)
        elif request.method == "POST":
            # Run as the signed-out request it now is (the CSRF check included);
            # a page that needs a user answers "sign in first", and what the
            # user just typed is kept for them, on the server.
            response = formkeep.after_anonymous(request, self.get_response(request), owner=user.pk)
        elif idle.is_htmx(request) or idle.is_background(request):
            response = formkeep.signed_out_answer(reason)
        elif reason == idle.ABSOLUTE:
            response = redirect(f"{reverse('accounts:login')}?expired=1")
        else:
            response = redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
        idle.set_cookie(response, user.pk, end, reason)
        return response


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
        # Both clocks start at sign-in, however it is made, so the first page
        # after it has nothing to write.
        request.session[SESSION_STARTED] = time.time()
        idle.touch(request.session, force=True)
        if wall_only(user):
            # A wall display: no idle or absolute limit, a session of its own length.
            request.session[idle.UNATTENDED] = user.role
            idle.keep_unattended(request.session)


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
            params = {"expired": 1}
            if request.method == "GET" and request.path != "/":
                # Where the user was going (after a sign-in: a page, or a form kept across
                # an idle logout, ?kept=…) is where the new password leads on to.
                params["next"] = request.get_full_path()
            return redirect(f"{reverse('accounts:password_change')}?{urlencode(params)}")
        return self.get_response(request)
