"""The organisation tree pages for the system administrator (MANAGE_SETTINGS).
Every write goes through services.create_org / update_org, which check the
parent's kind and move a subtree's paths."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from sifa.accounts.decorators import require_cap
from sifa.accounts.roles import MANAGE_SETTINGS
from sifa.common.errors import DomainError

from . import selectors, services
from .forms import OrgForm, initial_for
from .models import Org


def _crumbs(*tail):
    return [("组织机构", reverse("orgs:tree")), *tail]


@require_cap(MANAGE_SETTINGS)
def tree(request):
    return render(request, "orgs/tree.html", {"rows": selectors.tree_rows(), "user_counts": selectors.active_user_counts(), "breadcrumbs": _crumbs()})


def _apply_errors(form, exc) -> None:
    """Service refusals and model validation (unique name under a parent, region
    code …) both end up beside the field they concern."""
    if isinstance(exc, DomainError):
        form.add_domain_error(exc)
        return
    for field, msgs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)


def _save(request, form, org: Org | None):
    d = dict(form.cleaned_data)
    try:
        if org is None:
            return services.create_org(actor=request.user, **d)
        return services.update_org(org, actor=request.user, **d)
    except (DomainError, ValidationError) as exc:
        _apply_errors(form, exc)
        return None


@require_cap(MANAGE_SETTINGS)
def org_create(request):
    initial = {"is_active": True, "sort_order": 0}
    parent = Org.objects.filter(pk=request.GET.get("parent")).first() if (request.GET.get("parent") or "").isdigit() else None
    if parent is not None:
        initial.update(parent=parent, region_code=parent.region_code)
    form = OrgForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        saved = _save(request, form, None) if form.is_valid() else None
        if saved is not None:
            messages.success(request, f"已新建“{saved.name}”。")
            return redirect("orgs:tree")
        status = 400
    return render(request, "orgs/form.html", {"form": form, "title": "新建机构", "breadcrumbs": _crumbs(("新建机构", None))}, status=status)


@require_cap(MANAGE_SETTINGS)
def org_edit(request, pk):
    org = get_object_or_404(Org, pk=pk)
    form = OrgForm(request.POST or None, initial=initial_for(org), editing=org)
    status = 200
    if request.method == "POST":
        saved = _save(request, form, org) if form.is_valid() else None
        if saved is not None:
            messages.success(request, f"已保存“{saved.name}”。")
            return redirect("orgs:tree")
        status = 400
    return render(
        request, "orgs/form.html", {"form": form, "org": org, "title": f"编辑机构 · {org.name}", "breadcrumbs": _crumbs((org.name, None))}, status=status
    )
