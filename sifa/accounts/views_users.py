"""User management for the system administrator (MANAGE_USERS): accounts, not
roles. Every other role gets 404 here."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sifa.common.errors import DomainError
from sifa.common.forms import mark_invalid

from . import selectors, services
from .decorators import require_cap
from .forms import PasswordResetForm, UserCreateForm, UserEditForm, UserFilterForm
from .models import User
from .roles import MANAGE_USERS, is_admin_role

PAGE_SIZE = 30


def _crumbs(*tail):
    return [("用户管理", reverse("accounts:user_list")), *tail]


def _status(exc: DomainError) -> int:
    return exc.status_code if exc.status_code in (400, 403, 409) else 400


def _form_error(form, exc: DomainError) -> None:
    # The service names the password "password"; the form has two boxes.
    if exc.field == "password":
        form.add_error("password1", exc.message)
        mark_invalid(form)
    else:
        form.add_domain_error(exc)


@require_cap(MANAGE_USERS)
def user_list(request):
    form = UserFilterForm(request.GET or None)
    qs = selectors.users(**form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    return render(
        request,
        "accounts/users/list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "locked": selectors.locked_usernames(u.username for u in rows),
            "with_otp": selectors.otp_user_ids(u.pk for u in rows),
            "breadcrumbs": _crumbs(),
        },
    )


@require_cap(MANAGE_USERS)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                user = services.create_user(
                    request.user, username=d["username"], full_name=d["full_name"], org=d["org"], phone=d["phone"], password=d["password1"]
                )
            except DomainError as exc:
                _form_error(form, exc)
                status = _status(exc)
            else:
                messages.success(request, f"已创建账号“{user.username}”。账号尚未授权，请联系安全管理员分配角色；用户首次登录须修改临时密码。")
                return redirect("accounts:user_edit", pk=user.pk)
        else:
            status = 400
    return render(request, "accounts/users/form.html", {"form": form, "title": "新建账号", "breadcrumbs": _crumbs(("新建账号", None))}, status=status)


@require_cap(MANAGE_USERS)
def user_edit(request, pk):
    target = get_object_or_404(User.objects.select_related("org"), pk=pk)
    form = UserEditForm(request.POST or None, initial={"full_name": target.full_name, "org": target.org, "phone": target.phone})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.update_user(request.user, target, full_name=d["full_name"], org=d["org"], phone=d["phone"])
            except DomainError as exc:
                form.add_domain_error(exc)
                status = _status(exc)
            else:
                messages.success(request, "已保存。")
                return redirect("accounts:user_edit", pk=target.pk)
        else:
            status = 400
    return render(
        request,
        "accounts/users/form.html",
        {
            "form": form,
            "target": target,
            "title": f"编辑账号 · {target.username}",
            "is_self": target.pk == request.user.pk,
            "is_admin_account": is_admin_role(target.role),
            "locked": target.username in selectors.locked_usernames([target.username]),
            "has_otp": bool(selectors.otp_user_ids([target.pk])),
            "breadcrumbs": _crumbs((target.username, None)),
        },
        status=status,
    )


def _act(request, pk, action, done: str):
    """Run one POST-only account action and go back to the account page; a
    refusal is shown as a message and nothing is changed."""
    target = get_object_or_404(User, pk=pk)
    try:
        action(target)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("accounts:user_edit", pk=target.pk)


@require_cap(MANAGE_USERS)
@require_POST
def user_active(request, pk):
    active = request.POST.get("active") == "1"
    return _act(request, pk, lambda u: services.set_active(request.user, u, active), "账号已启用。" if active else "账号已停用。")


@require_cap(MANAGE_USERS)
@require_POST
def user_unlock(request, pk):
    return _act(request, pk, lambda u: services.unlock(request.user, u), "已解除登录锁定。")


@require_cap(MANAGE_USERS)
@require_POST
def user_otp_reset(request, pk):
    return _act(request, pk, lambda u: services.reset_second_factor(request.user, u), "已重置双因素认证，用户下次登录时重新绑定。")


@require_cap(MANAGE_USERS)
def user_password(request, pk):
    target = get_object_or_404(User, pk=pk)
    form = PasswordResetForm(request.POST or None)
    status = 200
    refusal = ""
    if is_admin_role(target.role) and target.pk != request.user.pk:  # (oneself: the service says why)
        try:
            services.refuse_admin_credentials(target, "重置密码")
        except DomainError as exc:  # said before the administrator types anything
            refusal, status = exc.message, _status(exc)
    if request.method == "POST" and not refusal:
        if form.is_valid():
            try:
                services.reset_password(request.user, target, form.cleaned_data["password1"])
            except DomainError as exc:
                _form_error(form, exc)
                status = _status(exc)
            else:
                messages.success(request, f"已为“{target.username}”设置临时密码，用户下次登录时须修改。")
                return redirect("accounts:user_edit", pk=target.pk)
        else:
            status = 400
    return render(
        request,
        "accounts/users/password.html",
        {
            "form": form,
            "target": target,
            "refusal": refusal,
            "breadcrumbs": _crumbs((target.username, reverse("accounts:user_edit", args=[target.pk])), ("重置密码", None)),
        },
        status=status,
    )
