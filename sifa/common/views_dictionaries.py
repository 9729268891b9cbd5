"""Dictionary admin (字典管理) for the system administrator: the registered
code sets, their entries in two levels, add / edit / deactivate.

Access is checked through ``user.can("manage_settings")``: sifa.common may not
import sifa.accounts. Other roles get the 404 of a page that does not exist.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import audit_hook, dictionary_selectors, dictionary_services
from .errors import DomainError
from .forms_dictionaries import DictionaryEntryForm
from .models import DictionaryEntry

CAPABILITY = "manage_settings"


def _manager_only(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        can = getattr(request.user, "can", None)
        if not (can and can(CAPABILITY)):
            audit_hook.refused("page.access", actor=request.user, object_type="page", object_repr=request.path[:200], reason="角色无此权限")
            raise Http404()
        return view(request, *args, **kwargs)

    return login_required(guarded)


def _set_or_404(code_set: str) -> str:
    label = dictionary_selectors.set_label(code_set)
    if label is None:
        raise Http404()
    return label


def _crumbs(*tail):
    return [("字典管理", reverse("common:dictionary_sets")), *tail]


@_manager_only
def dictionary_sets(request):
    return render(request, "common/dictionary_sets.html", {"rows": dictionary_selectors.code_sets(), "breadcrumbs": _crumbs()})


@_manager_only
def dictionary_entries(request, code_set):
    label = _set_or_404(code_set)
    return render(
        request,
        "common/dictionary_entries.html",
        {"code_set": code_set, "set_label": label, "tree": dictionary_selectors.tree(code_set), "breadcrumbs": _crumbs((label, None))},
    )


def _form_page(request, code_set, label, form, entry, status):
    title = f"修改字典项 · {entry.label}" if entry else "新增字典项"
    return render(
        request,
        "common/dictionary_form.html",
        {
            "form": form,
            "entry": entry,
            "code_set": code_set,
            "cancel_url": reverse("common:dictionary_entries", args=[code_set]),
            "title": title,
            "breadcrumbs": _crumbs((label, reverse("common:dictionary_entries", args=[code_set])), (title, None)),
        },
        status=status,
    )


@_manager_only
def dictionary_create(request, code_set):
    label = _set_or_404(code_set)
    parents = dictionary_selectors.top_level(code_set)
    initial = {"parent": parents.filter(pk=request.GET.get("parent")).first() if (request.GET.get("parent") or "").isdigit() else None}
    form = DictionaryEntryForm(request.POST or None, parents=parents, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                dictionary_services.create_entry(
                    request.user, code_set, code=d["code"], label=d["label"], parent=d["parent"], sort_order=d["sort_order"] or 0, note=d["note"]
                )
            except DomainError as exc:
                form.add_domain_error(exc)
                status = 400
            else:
                messages.success(request, f"已新增“{d['label']}”。")
                return redirect("common:dictionary_entries", code_set=code_set)
        else:
            status = 400
    return _form_page(request, code_set, label, form, None, status)


@_manager_only
def dictionary_edit(request, code_set, pk):
    label = _set_or_404(code_set)
    entry = get_object_or_404(DictionaryEntry.objects.select_related("parent"), code_set=code_set, pk=pk)
    initial = {"label": entry.label, "parent": entry.parent, "sort_order": entry.sort_order, "note": entry.note}
    form = DictionaryEntryForm(request.POST or None, parents=dictionary_selectors.top_level(code_set), editing=entry, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                dictionary_services.update_entry(request.user, entry, label=d["label"], parent=d["parent"], sort_order=d["sort_order"] or 0, note=d["note"])
            except DomainError as exc:
                form.add_domain_error(exc)
                status = 400
            else:
                messages.success(request, "已保存。")
                return redirect("common:dictionary_entries", code_set=code_set)
        else:
            status = 400
    return _form_page(request, code_set, label, form, entry, status)


@_manager_only
@require_POST
def dictionary_toggle(request, code_set, pk):
    _set_or_404(code_set)
    entry = get_object_or_404(DictionaryEntry, code_set=code_set, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        dictionary_services.set_active(request.user, entry, active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已{'启用' if active else '停用'}“{entry.label}”。")
    return redirect("common:dictionary_entries", code_set=code_set)
