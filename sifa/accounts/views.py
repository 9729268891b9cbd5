"""Sign-in, sign-out, password and second factor."""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from sifa.audit.models import Result
from sifa.audit.services import record

from . import formkeep, idle
from .forms import LoginForm, PasswordForm
from .middleware import SESSION_STARTED
from .services import password_policy_text, set_password

LOCKED_MESSAGE = "登录失败次数过多，该账户已被锁定30分钟。请稍后再试或联系系统管理员。"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        reason = idle.signed_out_reason(self.request)
        ctx["signed_out"] = idle.REASONS.get(reason, "")
        # A form posted after the logout was kept on the server (formkeep.py).
        key = dict(parse_qsl(urlsplit(ctx.get("next") or "").query)).get(formkeep.PARAM, "")
        ctx["form_kept"] = formkeep.pending(key) is not None
        return ctx

    def form_valid(self, form):
        user = form.get_user()
        # django.contrib.auth.login() rotates the session key (fixation defence).
        auth_login(self.request, user)
        # The 12-hour absolute limit counts from here (SessionLimitsMiddleware).
        self.request.session[SESSION_STARTED] = time.time()
        idle.touch(self.request.session, force=True)
        # Form content kept for another user is discarded, never handed over.
        formkeep.purge_expired()
        return redirect(formkeep.discard_unless_owner(self.get_success_url(), user))


def locked_out(request, credentials=None, *args, **kwargs):
    """Axes lockout answer: the same for an unknown user and a real one."""
    form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "locked": LOCKED_MESSAGE}, status=429)


@require_POST
def logout_view(request):
    # auth_views.LogoutView flushes the server-side session and fires the signal.
    response = auth_views.LogoutView.as_view(next_page="accounts:login")(request)
    # A chosen logout: the login page has nothing to explain, nothing is kept.
    idle.delete_cookie(response)
    return response


@require_http_methods(["GET", "POST"])
def session_state(request):
    """The idle clock for idle.js. GET (sent as a background request) reads it;
    POST (继续使用, CSRF-checked) pushes it now. Answers 401 once signed out."""
    if not request.user.is_authenticated:
        reason = idle.signed_out_reason(request) or idle.ELSEWHERE
        return JsonResponse({"signed_in": False, "reason": reason, "message": idle.REASONS[reason]}, status=401)
    if request.method == "POST":
        idle.touch(request.session, force=True)
    return JsonResponse({"signed_in": True, "remaining": idle.remaining(request.session), "warn": settings.SIFA_SESSION_WARN_SECONDS})


@login_required
def password_change(request):
    form = PasswordForm(request.user, request.POST or None)
    status = 200
    if request.method == "POST" and not form.is_valid():
        # Wrong current password or a new one the policy refuses: audited, nothing changed.
        record("auth.password_change", actor=request.user, obj=request.user, result=Result.FAILED, detail={"fields": sorted(form.errors)})
        status = 400
    elif request.method == "POST":
        try:
            set_password(request.user, form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc)
            status = 400
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            nxt = request.GET.get("next", "")
            if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
                return redirect(nxt)
            return redirect("cases:home")
    expired = request.GET.get("expired") == "1" or request.user.must_change_password
    return render(request, "accounts/password_change.html", {"form": form, "expired": expired, "policy": password_policy_text()}, status=status)
