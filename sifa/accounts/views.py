"""Sign-in, sign-out, password and second factor."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from sifa.audit.models import Result
from sifa.audit.services import record

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
        ctx["expired"] = self.request.GET.get("expired") == "1"
        return ctx

    def form_valid(self, form):
        # django.contrib.auth.login() rotates the session key (fixation defence).
        auth_login(self.request, form.get_user())
        # The 12-hour absolute limit counts from here (SessionLimitsMiddleware).
        self.request.session[SESSION_STARTED] = time.time()
        return redirect(self.get_success_url())


def locked_out(request, credentials=None, *args, **kwargs):
    """Axes lockout answer: the same for an unknown user and a real one."""
    form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "locked": LOCKED_MESSAGE}, status=429)


@require_POST
def logout_view(request):
    # auth_views.LogoutView flushes the server-side session and fires the signal.
    return auth_views.LogoutView.as_view(next_page="accounts:login")(request)


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
