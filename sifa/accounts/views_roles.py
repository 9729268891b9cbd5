"""Roles and permissions for the security administrator (MANAGE_ROLES): grant
roles and business lines, per-role 2FA, and the read-only permission matrix."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from sifa.common.errors import DomainError

from . import selectors, services
from .decorators import require_cap
from .forms import RoleGrantForm, RoleSettingsForm, UserFilterForm
from .models import User
from .roles import MANAGE_ROLES, Role, is_admin_role, role_choices

PAGE_SIZE = 30


def _crumbs(*tail):
    return [("角色与权限", reverse("accounts:role_list")), *tail]


@require_cap(MANAGE_ROLES)
def role_list(request):
    form = UserFilterForm(request.GET or None)
    page = Paginator(selectors.users(**form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    line_labels = dict(services.line_choices())
    rows = [(u, [line_labels.get(k, k) for k in (u.lines or [])]) for u in page.object_list]
    admin_roles = [code for code, _ in role_choices() if is_admin_role(code)]
    return render(
        request,
        "accounts/roles/list.html",
        {"form": form, "page_obj": page, "rows": rows, "admin_roles": admin_roles, "tab": "users", "breadcrumbs": _crumbs()},
    )


def _admin_refusal(target) -> str:
    """Why an administrator account's role is not edited here ("" otherwise)."""
    if not is_admin_role(target.role):
        return ""
    try:
        services.refuse_admin_role_change(target, target.role)
    except DomainError as exc:
        return exc.message
    return ""


@require_cap(MANAGE_ROLES)
def role_edit(request, pk):
    target = get_object_or_404(User.objects.select_related("org"), pk=pk)
    is_self = target.pk == request.user.pk
    admin_refusal = _admin_refusal(target)
    form = RoleGrantForm(request.POST or None, initial={"role": target.role, "lines": list(target.lines or [])}, locked=bool(admin_refusal))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                # An administrator account still goes to the service, which refuses and audits.
                services.grant_role(request.user, target, role=form.cleaned_data["role"], lines=form.cleaned_data["lines"])
            except DomainError as exc:
                if not admin_refusal:  # (otherwise the page already says it)
                    form.add_domain_error(exc)
                status = exc.status_code if exc.status_code in (400, 403) else 400
            else:
                messages.success(request, f"已更新“{target.display_name}”的角色。")
                return redirect("accounts:role_list")
        else:
            status = 400
    return render(
        request,
        "accounts/roles/edit.html",
        {
            "form": form,
            "target": target,
            "is_self": is_self,
            "admin_refusal": admin_refusal,
            "section_role": Role.SECTION,
            "breadcrumbs": _crumbs((target.username, None)),
        },
        status=status,
    )


@require_cap(MANAGE_ROLES)
def role_settings(request):
    rows = selectors.role_settings()
    # Bound on every POST: unticking every box sends no field at all.
    form = RoleSettingsForm(request.POST if request.method == "POST" else None, settings_rows=rows)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.set_role_settings(request.user, form.values(), reason=form.cleaned_data["reason"])
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status_code if exc.status_code in (400, 403) else 400
            else:
                if changed:
                    messages.success(request, f"已保存（{len(changed)}个角色有变更）。已登录的用户在下次登录时按新设置执行。")
                else:
                    messages.success(request, "没有变更。")
                return redirect("accounts:role_settings")
        else:
            status = 400
    return render(request, "accounts/roles/settings.html", {"form": form, "tab": "settings", "breadcrumbs": _crumbs(("角色安全设置", None))}, status=status)


@require_cap(MANAGE_ROLES)
def role_matrix(request):
    caps, rows = selectors.role_matrix()
    return render(request, "accounts/roles/matrix.html", {"caps": caps, "rows": rows, "tab": "matrix", "breadcrumbs": _crumbs(("权限矩阵", None))})
