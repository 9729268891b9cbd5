"""Pages of the procedures inside a case (``cases.procedures``): open one, take
one of its steps (the case's step page, with the procedure's form), get one of
its documents."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from sifa.audit.services import record
from sifa.common.errors import DomainError

from . import procedures, selectors
from .views_edit import step_page


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
    return step_page(
        request,
        case=case,
        t=t,
        record=proc,
        version=proc.version,
        take=lambda **kw: procedures.take_step(request.user, proc, name, **kw),
        offered=t in procedures.allowed(request.user, proc),
        why_not=lambda: procedures.why_not(request.user, proc, t),
        done=(f"{proc.label}：已{t.label}。", reverse("cases:detail", args=[case.pk]) + "?tab=info#procedures"),
        heading=f"{proc.label}：{t.label}",
        breadcrumbs=[(case.code, reverse("cases:detail", args=[case.pk])), (proc.label, None), (t.label, None)],
    )


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
