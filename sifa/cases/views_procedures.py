"""Pages of the procedures inside a case (``cases.procedures``): open one, take
one of its steps (the case's step page, with the procedure's form), get one of
its documents."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sifa.audit.services import record
from sifa.common.errors import DomainError

from . import procedures, selectors
from .forms import TransitionForm
from .services import StepInvalid, bind_step_form


def _back(case_pk):
    return redirect(reverse("cases:detail", args=[case_pk]) + "?tab=info#procedures")


@login_required
@require_POST
def open_view(request, pk, key):
    case = selectors.access_case(request.user, pk)
    try:
        proc = procedures.open_procedure(request.user, case, key, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已发起{proc.label}。")
    return _back(case.pk)


@login_required
def step_view(request, pk, proc_pk, name):
    proc = procedures.procedure_of(request.user, pk, proc_pk)
    case, t = proc.case, proc.spec.workflow.get(name)
    if t is None:
        raise Http404("未找到该案件。")
    base = TransitionForm(request.POST or None, initial={"on": timezone.localdate(), "version": proc.version})
    base.fields["reason"].label = t.reason_label if t.reason_required else "说明"
    base.fields["reason"].required = t.reason_required
    posted = request.method == "POST"
    extra = bind_step_form(t, case, proc, request.POST if posted else None, request.FILES or None) if t.form else None
    status = 200
    if posted:
        status = 400
        if base.is_valid():
            d = base.cleaned_data
            try:
                procedures.take_step(
                    request.user, proc, name, data=request.POST, files=request.FILES, reason=d["reason"], on=d["on"], expected_version=d["version"]
                )
            except StepInvalid as exc:
                extra = exc.form
            except DomainError as exc:
                (extra if extra is not None and exc.field in extra.fields else base).add_domain_error(exc)
                status = exc.status_code if exc.status_code in (403, 409) else 400
            else:
                messages.success(request, f"{proc.label}：已{t.label}。")
                return _back(case.pk)
    offered = t in procedures.allowed(request.user, proc)
    context = {
        "case": case,
        "t": t,
        "heading": f"{proc.label}：{t.label}",
        "form": base,
        "extra": extra,
        "unavailable": "" if offered or posted else procedures.why_not(request.user, proc, t),
        "breadcrumbs": [(case.code, reverse("cases:detail", args=[case.pk])), (proc.label, None), (t.label, None)],
    }
    return render(request, "cases/transition.html", context, status=status)


@login_required
def document_view(request, pk, proc_pk, key):
    proc = procedures.procedure_of(request.user, pk, proc_pk)
    spec = next((d for d in proc.spec.documents if d.key == key and d.available(proc)), None)
    if spec is None:
        raise Http404("未找到该案件。")
    data = spec.render(proc.case, request.user, procedure=proc)
    record("case.document", actor=request.user, obj=proc.case, detail={"document": f"{proc.key}.{spec.key}"})
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{proc.case.code}-{spec.label}.docx')}"
    return resp
