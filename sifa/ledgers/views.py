"""Pages: 台账导入 (template, upload, preview, commit), export of a case list,
and 我的导入导出. Thin: parse, check access, call one service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sifa.audit.services import record, refused
from sifa.common.errors import DomainError
from sifa.kit import registry
from sifa.kit import registry as case_registry

from . import approvals, blank, imports, jobs, selectors, xlsx
from .exports import get_source
from .forms import ExportForm, ImportForm
from .models import JobStatus
from .permissions import can_export, can_reveal, can_use_jobs, importable_ledgers

ERRORS_SHOWN = 500


def _crumbs(*items):
    return [("我的导入导出", reverse("ledgers:jobs")), *items]


# --- 我的导入导出 -------------------------------------------------------------------------------


@login_required
def job_list(request):
    user = request.user
    if not can_use_jobs(user):
        raise Http404()
    return render(
        request,
        "ledgers/jobs.html",
        {
            "imports": Paginator(selectors.import_jobs(user), 20).get_page(request.GET.get("ip")),
            "exports": Paginator(selectors.export_jobs(user), 20).get_page(request.GET.get("ep")),
            "can_import": bool(importable_ledgers(user)),
            "can_approve": len(approvals.pending_for(user)) if can_export(user) else 0,
            "line_labels": dict(case_registry.type_choices()) | {r.key: r.label for r in case_registry.registers()},
            "breadcrumbs": [("我的导入导出", None)],
        },
    )


# --- import ----------------------------------------------------------------------------------------


@login_required
def import_start(request):
    user = request.user
    ledgers = importable_ledgers(user)
    if not ledgers:
        raise Http404()
    form = ImportForm(request.POST or None, request.FILES or None, ledgers=ledgers, initial={"case_type": request.GET.get("case_type")})
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.start_import(user, form.cleaned_data["case_type"], form.cleaned_data["file"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return redirect("ledgers:import_job", pk=job.pk)
    return render(
        request,
        "ledgers/import_start.html",
        {"form": form, "ledgers": ledgers, "breadcrumbs": _crumbs(("台账导入", None))},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def template_download(request, case_type):
    ledger = registry.find_ledger(case_type)
    if ledger is None or not ledger.importable or ledger not in importable_ledgers(request.user):
        raise Http404()
    resp = HttpResponse(blank.build_template(ledger), content_type=jobs.XLSX)
    resp["Content-Disposition"] = _disposition(f"{ledger.label}导入模板.xlsx")
    return resp


def _import_context(request, job):
    ct = case_registry.find_type(job.case_type)
    reg = case_registry.find_register(job.case_type)
    return {
        "job": job,
        "line_label": ct.label if ct else (reg.label if reg else job.case_type),
        "list_url": reverse("registers:list", args=[reg.slug]) if reg else f"{reverse('cases:list')}?case_type={job.case_type}",
        "errors": job.errors[:ERRORS_SHOWN],
        "more_errors": max(job.error_count - min(len(job.errors), ERRORS_SHOWN), 0),
        "can_commit": job.status == JobStatus.VALIDATED,
        "can_retry": job.status == JobStatus.FAILED and bool(job.file),
        "breadcrumbs": _crumbs(("台账导入", reverse("ledgers:import_start")), (job.file_name, None)),
    }


@login_required
def import_job(request, pk):
    job = selectors.import_job(request.user, pk)
    jobs.expire_if_stale(job)
    return render(request, "ledgers/import_job.html", _import_context(request, job))


@login_required
def import_status(request, pk):
    """Polled by htmx while the job runs; asks for a full reload when it ends."""
    job = selectors.import_job(request.user, pk)
    jobs.expire_if_stale(job)  # a job whose worker died reads failed, and the polling stops
    resp = render(request, "ledgers/_progress.html", {"job": job, "status_url": reverse("ledgers:import_status", args=[job.pk])})
    if not job.is_active and request.GET.get("was") in ("pending", "running", "committing"):
        resp["HX-Refresh"] = "true"
    return resp


@login_required
@require_POST
def import_commit(request, pk):
    try:
        imports.commit(request.user, pk)
    except DomainError as exc:
        job = selectors.import_job(request.user, pk)
        ctx = _import_context(request, job) | {"commit_error": exc.message}
        return render(request, "ledgers/import_job.html", ctx, status=exc.status_code)
    return redirect("ledgers:import_job", pk=pk)


@login_required
@require_POST
def import_retry(request, pk):
    try:
        imports.retry(request.user, pk)
    except DomainError as exc:
        job = selectors.import_job(request.user, pk)
        ctx = _import_context(request, job) | {"commit_error": exc.message}
        return render(request, "ledgers/import_job.html", ctx, status=exc.status_code)
    return redirect("ledgers:import_job", pk=pk)


@login_required
def import_errors(request, pk):
    job = selectors.import_job(request.user, pk)
    wb = xlsx.new_workbook()
    sheet = xlsx.SheetWriter(wb, "错误明细", ["行号", "列", "问题"], widths=[8, 20, 80])
    for row, column, message in job.errors:
        sheet.append([row or "—", column, message])
    if job.error_count > len(job.errors):
        sheet.note(f"另有{job.error_count - len(job.errors)}处错误未列出，请先修改以上错误后重新上传。")
    resp = HttpResponse(xlsx.to_bytes(wb), content_type=jobs.XLSX)
    resp["Content-Disposition"] = _disposition(f"{job.file_name.rsplit('.', 1)[0]}-错误报告.xlsx")
    return resp


# --- export -------------------------------------------------------------------------------------------


@login_required
def export_start(request):
    """GET: what will be exported (count, filter, masking) and a button; POST: start."""
    user = request.user
    if not can_export(user):
        refused("ledger.export", actor=user, reason="角色无导出权限")
        raise Http404()
    params = request.GET.copy()
    source_key = params.pop("source", ["list"])[0]
    params.pop("page", None)
    kind = "ledgers.cases"
    if case_registry.find_register(source_key) is not None:
        from .entries import entry_source

        kind = "ledgers.entries"
    try:
        source = get_source(source_key) if kind == "ledgers.cases" else entry_source(source_key)
        qs, description = source.cases(user, params)
    except DomainError as exc:
        return render(request, "ledgers/export_start.html", {"error": exc.message, "breadcrumbs": _crumbs(("导出", None))}, status=400)
    form = ExportForm(request.POST if request.method == "POST" else None)
    restricted = kind == "ledgers.cases" and approvals.restricted_type(source.key)
    if request.method == "POST" and form.is_valid():
        reveal = bool(form.cleaned_data["reveal"]) and can_reveal(user)
        if restricted:
            job = approvals.request(user, {"source": source.key, "query": params.urlencode(), "reveal": reveal}, f"{source.label}：{description}")
            return redirect(reverse("ledgers:export_job", args=[job.pk]))
        job = jobs.start_export(user, kind, {"source": source.key, "query": params.urlencode(), "reveal": reveal}, f"{source.label}：{description}")
        return redirect(reverse("ledgers:export_job", args=[job.pk]) + ("?auto=1" if job.status == JobStatus.DONE else ""))
    if not can_reveal(user):
        form.fields.pop("reveal")
    return render(
        request,
        "ledgers/export_start.html",
        {
            "form": form,
            "source": source,
            "description": description,
            "count": qs.count(),
            # A register's rows are entries (来访、咨询 …), not cases.
            "count_label": "记录数" if kind == "ledgers.entries" else "案件数",
            "needs_approval": bool(restricted),
            "breadcrumbs": _crumbs(("导出", None)),
        },
    )


@login_required
def export_job(request, pk):
    job = selectors.export_job(request.user, pk)
    jobs.expire_if_stale(job)
    return render(
        request,
        "ledgers/export_job.html",
        {"job": job, "auto": request.GET.get("auto") == "1" and job.status == JobStatus.DONE, "breadcrumbs": _crumbs((job.label[:30], None))},
    )


@login_required
def export_status(request, pk):
    job = selectors.export_job(request.user, pk)
    jobs.expire_if_stale(job)
    resp = render(request, "ledgers/_progress.html", {"job": job, "status_url": reverse("ledgers:export_status", args=[job.pk])})
    if not job.is_active and request.GET.get("was") in ("pending", "running"):
        resp["HX-Refresh"] = "true"
    return resp


@login_required
def export_download(request, pk):
    job = selectors.export_job(request.user, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("文件尚未生成。")
    try:
        fh = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已过期清理，请重新导出。") from None
    record("ledger.download", actor=request.user, obj=job, detail={"kind": job.kind, "file": job.file_name})
    return FileResponse(fh, as_attachment=True, filename=job.file_name, content_type=job.content_type or "application/octet-stream")


def _disposition(name: str) -> str:
    from urllib.parse import quote

    ascii_name = name.encode("ascii", "ignore").decode() or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


# --- approval of a restricted line's export ---------------------------------------------------------


@login_required
def export_approvals(request):
    """导出审批: the requests of the user's bureau for a restricted line's export."""
    user = request.user
    if not can_export(user):
        raise Http404()
    error = ""
    if request.method == "POST":
        try:
            approvals.decide(user, request.POST.get("job"), approve=request.POST.get("decision") == "approve", reason=request.POST.get("reason", ""))
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(reverse("ledgers:export_approvals"))
    return render(
        request,
        "ledgers/export_approvals.html",
        {"jobs": approvals.pending_for(user), "error": error, "breadcrumbs": _crumbs(("导出审批", None))},
        status=400 if error else 200,
    )
