"""The audit administrator's pages (READ_AUDIT): search, entry detail, and the
hash-chain check. Read-only; every other role gets 404."""

from __future__ import annotations

import json

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from sifa.accounts.decorators import require_cap
from sifa.accounts.roles import READ_AUDIT
from sifa.common.paging import CappedPaginator

from . import selectors
from .forms import AuditSearchForm
from .labels import action_label, describe, object_type_label
from .models import Result
from .services import record

PAGE_SIZE = 50


def _crumbs(*tail):
    return [("审计日志", reverse("audit:list")), *tail]


@require_cap(READ_AUDIT)
@require_safe
def entry_list(request):
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        qs = selectors.search().none()  # the errors are shown beside the fields
    else:
        qs = selectors.search(**{k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v})
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(e, action_label(e.action)) for e in page.object_list]
    for e, _ in rows:
        e.object_label = object_type_label(e.object_type)  # the model's Chinese name
    return render(request, "audit/list.html", {"form": form, "page_obj": page, "rows": rows, "breadcrumbs": _crumbs()})


@require_cap(READ_AUDIT)
@require_safe
def entry_detail(request, seq):
    entry = selectors.entry(seq)
    if entry is None:
        raise Http404()
    return render(
        request,
        "audit/detail.html",
        {
            "e": entry,
            "label": action_label(entry.action),
            "object_label": object_type_label(entry.object_type),
            "described": describe(entry),
            "detail_json": json.dumps(entry.detail, ensure_ascii=False, indent=2, sort_keys=True),
            "breadcrumbs": _crumbs((f"第 {entry.seq} 条", None)),
        },
    )


@require_cap(READ_AUDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    report = None
    if request.method == "POST":
        report = selectors.check_chain()
        # The check itself is on the record, with what it found.
        record(
            "audit.verify",
            actor=request.user,
            result=Result.OK if report.ok else Result.FAILED,
            detail={"count": report.count, "bad_seq": report.bad_seq, "message": report.message},
        )
    return render(request, "audit/verify.html", {"report": report, "breadcrumbs": _crumbs(("完整性校验", None))})
