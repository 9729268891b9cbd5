"""统计报表: every KPI for a chosen organisation and period, exportable."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sifa.accounts.roles import EXPORT, has_cap
from sifa.common.errors import DomainError
from sifa.ledgers import jobs
from sifa.ledgers.models import JobStatus

from .. import returns, selectors
from ..forms import period_params
from .common import chooser


@login_required
def table(request):
    form, org, period = chooser(request)
    return render(
        request,
        "stats/table.html",
        {
            "form": form,
            "org": org,
            "period": period,
            "groups": selectors.table(request.user, org, period),
            "as_of": selectors.as_of(request.user, org),
            "returns": returns.visible(request.user),
            "params": period_params(org, period),
            "can_export": has_cap(request.user, EXPORT),
            "breadcrumbs": [("统计报表", None)],
        },
    )


def start_job(request, kind: str, label: str):
    """Start an export job for the chosen org/period; land on its page."""
    form, org, period = chooser(request)
    try:
        job = jobs.start_export(request.user, kind, {k: str(v) for k, v in period_params(org, period).items()}, f"{org.name}{period.label}{label}")
    except DomainError as exc:
        return render(request, "stats/error.html", {"message": exc.message}, status=exc.status_code)
    return redirect(reverse("ledgers:export_job", args=[job.pk]) + ("?auto=1" if job.status == JobStatus.DONE else ""))


@login_required
@require_POST
def table_export(request):
    return start_job(request, "stats.table", "统计表")
