"""Pages of every register (``kit.register``): its list (filter, search,
export of exactly what it shows), registration, an entry's page (the person
masked), correction, deletion, and hand-over into a case of another line."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from sifa.accounts.roles import EXPORT, HANDLE, REVEAL, has_cap
from sifa.audit.services import record
from sifa.cases import movement
from sifa.cases import selectors as case_selectors
from sifa.cases.forms import HandOverForm
from sifa.common.errors import DomainError
from sifa.common.forms import StyledForm, filter_errors
from sifa.common.identity import mask_id_number, mask_phone
from sifa.common.paging import CappedPaginator
from sifa.kit import registry

from . import selectors, services
from .filters import filtered
from .forms import EntryForm

PAGE_SIZE = 30


def shown(entry, reveal: bool = False) -> dict:
    """The person's contact details as a page shows them (masked unless revealing)."""
    phone, id_number = entry.person_phone or "", entry.person_id_number or ""
    return {"phone": phone if reveal else mask_phone(phone), "id_number": id_number if reveal else mask_id_number(id_number)}


def _cells(reg, entry) -> list:
    out = []
    for name, _header in reg.columns:
        display = getattr(entry, f"get_{name}_display", None)
        out.append(display() if display else getattr(entry, name))
    return out


@login_required
def entry_list(request, slug):
    user = request.user
    reg = selectors.register_for(user, slug)
    form, qs = filtered(user, reg, request.GET)
    page = CappedPaginator(qs.select_related("owner_org", "handler"), PAGE_SIZE).get_page(request.GET.get("page"))
    try:
        export_url = reverse("ledgers:export") + f"?source={reg.key}&" + request.GET.urlencode()
    except NoReverseMatch:
        export_url = ""
    return render(
        request,
        "registers/list.html",
        {
            "reg": reg,
            "form": form,
            "page_obj": page,
            "sorting": form.sorting,
            "rows": [(e, shown(e), _cells(reg, e)) for e in page],
            "problems": filter_errors(form),
            "create_url": reverse("registers:create", args=[reg.slug]) if selectors.may_register(user, reg) else "",
            "export_url": export_url if has_cap(user, EXPORT) else "",
            "breadcrumbs": [(reg.label, None)],
        },
    )


def _form_page(request, form, title: str, cancel_url: str, act):
    """A form page: on a valid POST ``act(cleaned form)`` does the write and returns
    where to go next; a refusal shows on the form (with its status)."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                return act(form)
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status_code
    return render(request, "includes/form_page.html", {"title": title, "form": form, "cancel_url": cancel_url}, status=status)


def _orgs(user, reg):
    return list(selectors.creatable_orgs(user, reg).order_by("path"))


@login_required
def entry_create(request, slug):
    user = request.user
    reg = selectors.register_for(user, slug)
    if not selectors.may_register(user, reg):
        raise PermissionDenied(f"您的角色不能登记{reg.label}。")
    orgs = _orgs(user, reg)
    Form = EntryForm.for_register(reg)
    form = Form(request.POST or None, orgs=orgs, initial={"owner_org": orgs[0].pk} if len(orgs) == 1 else {})

    def act(form):
        entry = services.create_entry(user, reg, form.values())
        messages.success(request, f"已登记，登记编号 {entry.number}。")
        return redirect("registers:detail", slug=reg.slug, pk=entry.pk)

    return _form_page(request, form, f"登记{reg.label}", reverse("registers:list", args=[reg.slug]), act)


@login_required
def entry_detail(request, slug, pk):
    user = request.user
    reg = selectors.register_for(user, slug)
    entry = selectors.access_entry(user, reg, pk)
    reveal = request.GET.get("reveal") == "1" and has_cap(user, REVEAL)
    if reveal:
        record("party.reveal", actor=user, obj=entry, detail={"register": reg.key})
    else:
        record("register.view", actor=user, obj=entry, detail={"register": reg.key})
    writes = has_cap(user, HANDLE)
    handovers = []
    if writes and not entry.handed_to_id:
        handovers = [h for h in registry.handovers_from(reg.key) if (h.ready is None or not h.ready(entry)) and movement.handover_orgs(user, h).exists()]
    handed = None
    if entry.handed_to_id:
        case = entry.handed_to
        ct = registry.case_type(case.case_type)
        visible = case_selectors.visible_to(user).filter(pk=case.pk).exists()
        url = reverse("cases:detail", args=[case.pk]) if visible else ""
        handed = {"code": case.code, "type": ct.label, "status": ct.status_label(case.status), "url": url}
    fields = [(selectors.model_of(reg)._meta.get_field(name).verbose_name, value) for (name, _h), value in zip(reg.columns, _cells(reg, entry), strict=True)]
    return render(
        request,
        "registers/detail.html",
        {
            "reg": reg,
            "entry": entry,
            "person": shown(entry, reveal),
            "can_reveal": has_cap(user, REVEAL) and not reveal and bool(entry.person_phone or entry.person_id_number),
            "fields": fields,
            "writes": writes,
            "handovers": handovers,
            "handed": handed,
            "breadcrumbs": [(reg.label, reverse("registers:list", args=[reg.slug])), (entry.number, None)],
        },
    )


@login_required
def entry_edit(request, slug, pk):
    user = request.user
    reg = selectors.register_for(user, slug)
    entry = selectors.access_entry(user, reg, pk)
    if not has_cap(user, HANDLE):
        raise PermissionDenied("您的角色只能查看。")
    Form = EntryForm.for_register(reg)
    form = Form(request.POST or None, instance=entry, orgs=[entry.owner_org])

    def act(form):
        services.update_entry(user, reg, entry.pk, form.values(), expected_version=request.POST.get("version") or None)
        messages.success(request, "已保存。")
        return redirect("registers:detail", slug=reg.slug, pk=entry.pk)

    return _form_page(request, form, f"修改{reg.label} {entry.number}", reverse("registers:detail", args=[reg.slug, entry.pk]), act)


class DeleteForm(StyledForm):
    reason = forms.CharField(label="删除原因", max_length=200)


@login_required
def entry_delete(request, slug, pk):
    user = request.user
    reg = selectors.register_for(user, slug)
    entry = selectors.access_entry(user, reg, pk)
    if not has_cap(user, HANDLE):
        raise PermissionDenied("您的角色只能查看。")
    form = DeleteForm(request.POST or None)

    def act(form):
        services.delete_entry(user, reg, entry.pk, form.cleaned_data["reason"])
        messages.success(request, f"已删除 {entry.number}。")
        return redirect("registers:list", slug=reg.slug)

    return _form_page(request, form, f"删除{reg.label} {entry.number}", reverse("registers:detail", args=[reg.slug, entry.pk]), act)


@login_required
def entry_handover(request, slug, pk, key):
    user = request.user
    reg = selectors.register_for(user, slug)
    entry = selectors.access_entry(user, reg, pk)
    spec = selectors.handover_spec(reg, key)
    if spec is None:
        raise Http404()
    orgs = list(movement.handover_orgs(user, spec).order_by("path"))
    if not orgs:
        raise PermissionDenied(f"您不能登记{registry.case_type(spec.target).label}案件。")
    form = (spec.form or HandOverForm)(request.POST or None, orgs=orgs)

    def act(form):
        d = dict(form.cleaned_data)
        target = movement.hand_over(user, entry, spec.key, owner_org=d.pop("owner_org"), **d)
        messages.success(request, f"已{spec.label}，新案件编码 {target.code}。")
        return redirect("cases:detail", pk=target.pk)

    return _form_page(request, form, f"{spec.label}：{entry.number}", reverse("registers:detail", args=[reg.slug, entry.pk]), act)
