"""Case pages that change things: transitions, edits, parties, assignment,
deletion. Each parses, calls one service, and re-renders with the Chinese
message when the service refuses (nothing is changed then)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_POST

from sifa.accounts.roles import HANDLE, has_cap
from sifa.audit.services import record
from sifa.common.errors import DomainError
from sifa.common.integers import bounded_id
from sifa.kit import registry

from . import assignees, selectors, services
from . import parties as party_services
from .choices import AssignmentRole
from .forms import CaseEditForm, DeleteForm, PartyForm, TransitionForm
from .models import Party


def _status_for(exc: DomainError) -> int:
    return exc.status_code if exc.status_code in (400, 403, 409) else 400


def _writable_case(request, pk):
    """A case the user may see and change. Read-only roles (leaders, lawyers)
    are told so before they fill in a form that could never be saved."""
    from django.core.exceptions import PermissionDenied

    case = selectors.access_case(request.user, pk)
    if not has_cap(request.user, HANDLE):
        raise PermissionDenied("您的角色只能查看，不能修改案件。")
    return case


def _done_message(case, t) -> str:
    """What the step did, as its timeline entry says it when that says more than the
    step's name (指派调解员：张调解……；承办人变更为……)."""
    label = case.events.filter(transition=t.name).order_by("-id").values_list("label", flat=True).first()
    if not label or label == t.label:
        return f"已{t.label}。"
    detail = label.removeprefix(t.label).lstrip("：:，, ")
    return f"已{t.label}：{detail}。"


def _back(case, tab="info"):
    return redirect(reverse("cases:detail", args=[case.pk]) + f"?tab={tab}")


def step_page(request, *, case, t, record, version, take, offered, why_not, done, heading=None, breadcrumbs):
    """The page of one step (a case's or a procedure's): the date, reason and version,
    the step's own form, and on POST ``take(data, files, reason, on, expected_version)``,
    the engine, which validates the step's form once. ``done`` is (message, url)."""
    posted = request.method == "POST"
    extra = services.bind_step_form(t, case, record, request.POST if posted else None, request.FILES or None) if t.form else None
    own_date = getattr(extra, "date_field", "") if extra is not None else ""
    own_notes = bool(getattr(extra, "notes_field", "")) and not t.reason_required
    data = request.POST or None
    if posted and own_date:
        # 办理日期 is the step's own date (left empty, as when a scheduled session brings
        # its date: today); the step's form checks that date itself.
        data = request.POST.copy()
        data["on"] = request.POST.get(extra.add_prefix(own_date)) or timezone.localdate().isoformat()
    base = TransitionForm(data, initial={"on": timezone.localdate(), "version": version})
    base.fields["reason"].label = t.reason_label if t.reason_required else "说明"
    base.fields["reason"].required = t.reason_required
    if own_date:
        base.fields["on"].widget = forms.HiddenInput()
    if own_notes:
        base.fields["reason"].widget = forms.HiddenInput()
    if extra is not None and not posted:
        # A link may suggest values (社区矫正's proposal: ?kind=warn&proposed=1); the user still decides.
        extra.initial.update({k: v for k, v in request.GET.items() if k in extra.fields})
    status = 200
    if posted:
        status = 400
        if base.is_valid():
            d = base.cleaned_data
            try:
                take(data=request.POST, files=request.FILES, reason=d["reason"], on=d["on"], expected_version=d["version"])
            except services.StepInvalid as exc:
                extra = exc.form
            except DomainError as exc:
                if own_date and exc.field == "on":
                    exc.field = own_date  # the page's date is the form's own (above)
                target = extra if extra is not None and exc.field in extra.fields else base
                target.add_domain_error(exc)
                status = _status_for(exc)
            else:
                messages.success(request, done[0]() if callable(done[0]) else done[0])
                return redirect(done[1])
        elif own_date and "on" in base.errors:
            extra.add_error(own_date, base.errors["on"])
    context = {
        "case": case,
        "t": t,
        "heading": heading,
        "form": base,
        "extra": extra,
        "unavailable": "" if offered or posted else why_not(),
        "breadcrumbs": breadcrumbs,
    }
    return render(request, "cases/transition.html", context, status=status)


@login_required
def do_transition(request, pk, name):
    case = selectors.access_case(request.user, pk)
    t = registry.case_type(case.case_type).workflow.get(name)
    if t is None:
        raise Http404()
    return step_page(
        request,
        case=case,
        t=t,
        record=case.record,
        version=case.version,
        take=lambda **kw: services.transition(request.user, case, name, **kw),
        offered=t in services.allowed_steps(request.user, case),
        why_not=lambda: services.why_not(request.user, case, t),
        done=(lambda: _done_message(case, t), reverse("cases:detail", args=[case.pk]) + "?tab=timeline"),
        breadcrumbs=[(case.code, reverse("cases:detail", args=[case.pk])), (t.label, None)],
    )


@login_required
def edit_case(request, pk):
    case = _writable_case(request, pk)
    form = CaseEditForm(request.POST or None, initial={"title": case.title, "summary": case.summary, "version": case.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.update_case(request.user, case, expected_version=d["version"], title=d["title"], summary=d["summary"])
            except DomainError as exc:
                form.add_domain_error(exc)
                status = _status_for(exc)
            else:
                messages.success(request, "已保存。")
                return _back(case)
        else:
            status = 400
    return render(
        request,
        "cases/edit.html",
        {"case": case, "form": form, "breadcrumbs": [(case.code, reverse("cases:detail", args=[case.pk])), ("修改", None)]},
        status=status,
    )


@login_required
def party_form(request, pk, party_pk=None):
    case = _writable_case(request, pk)
    party = get_object_or_404(Party, pk=party_pk, case=case) if party_pk else None
    roles = registry.case_type(case.case_type).party_roles or None
    initial = {}
    if party:
        # Never the full ID number, phone or address: the form shows them masked.
        initial = {k: getattr(party, k) for k in ("role", "kind", "name", "id_type", "gender", "legal_rep")}
    form = PartyForm(request.POST or None, initial=initial, roles=roles, stored_masks=party_services.masked(party) if party else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if party:
                    party_services.update_party(request.user, party, form.party_data())
                else:
                    party_services.add_party(request.user, case, form.party_data())
            except DomainError as exc:
                form.add_domain_error(exc)
                status = _status_for(exc)
            else:
                messages.success(request, "当事人信息已保存。")
                return _back(case, "parties")
        else:
            status = 400
    return render(
        request,
        "cases/party_form.html",
        {"case": case, "party": party, "form": form, "breadcrumbs": [(case.code, reverse("cases:detail", args=[case.pk])), ("当事人", None)]},
        status=status,
    )


@login_required
@require_POST
def party_delete(request, pk, party_pk):
    case = selectors.access_case(request.user, pk)
    party = get_object_or_404(Party, pk=party_pk, case=case)
    try:
        party_services.remove_party(request.user, party, request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已删除当事人。")
    return _back(case, "parties")


@login_required
@require_POST
def party_reveal(request, party_pk, field):
    party = get_object_or_404(Party, pk=party_pk)
    try:
        value = party_services.reveal(request.user, party, field)
    except DomainError as exc:
        return HttpResponse(escape(exc.message), status=_status_for(exc))
    return HttpResponse(f'<span class="sf-revealed">{escape(value)}</span>')


@login_required
def assign(request, pk):
    case = _writable_case(request, pk)
    # Only people who would see the case once given it (never another office's user).
    candidates = assignees.assignable_users(case)
    status = 200
    if request.method == "POST":
        # Anyone the list does not offer (another office's user, a reader …) goes to the
        # service all the same: it refuses, audits the attempt and changes nothing.
        user = get_user_model().objects.filter(pk=bounded_id(request.POST.get("user"))).first()
        role = request.POST.get("role") or AssignmentRole.HANDLER
        if user is None or role not in {a.code for a in registry.assignment_roles()}:
            messages.error(request, "请选择本局范围内的人员和分工。")
            status = 400
        else:
            try:
                services.assign(
                    request.user, case, user, role=role, make_handler=request.POST.get("make_handler") == "1", reason=request.POST.get("reason", "")
                )
            except DomainError as exc:
                messages.error(request, exc.message)
                status = _status_for(exc)
            else:
                messages.success(request, f"已指派 {user.display_name}。")
                return _back(case, "timeline")
    return render(
        request,
        "cases/assign.html",
        {
            "case": case,
            "candidates": candidates,
            "roles": [(a.code, a.label) for a in registry.assignment_roles()],
            "breadcrumbs": [(case.code, reverse("cases:detail", args=[case.pk])), ("指派", None)],
        },
        status=status,
    )


@login_required
def delete_case(request, pk):
    case = _writable_case(request, pk)
    form = DeleteForm(request.POST or None, initial={"version": case.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.soft_delete(request.user, case, reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"])
            except DomainError as exc:
                form.add_domain_error(exc)
                status = _status_for(exc)
            else:
                messages.success(request, f"案件 {case.code} 已删除，可在“已删除案件”中恢复。")
                return redirect("cases:list")
        else:
            status = 400
    return render(request, "cases/delete.html", {"case": case, "form": form}, status=status)


@login_required
@require_POST
def restore_case(request, pk):
    try:
        case = services.restore(request.user, pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("cases:recycle_bin")
    messages.success(request, f"案件 {case.code} 已恢复。")
    return _back(case)


@login_required
def document(request, pk, key):
    case = selectors.access_case(request.user, pk)
    ct = registry.case_type(case.case_type)
    spec = next((d for d in ct.documents if d.key == key and d.available(case)), None)
    if spec is None:
        raise Http404()
    try:
        data = spec.render(case, request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(case, "docs")
    record("case.document", actor=request.user, obj=case, detail={"document": spec.key})
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    from urllib.parse import quote

    filename = f"{case.code}-{spec.label}.docx"
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp
