"""年度报告: the data part of the annual (or half-year, quarterly) work summary as Word."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..forms import period_params
from .common import chooser
from .table import start_job

REPORT_KINDS = ("year", "half", "quarter")


@login_required
def report(request):
    form, org, period = chooser(request, kinds=REPORT_KINDS)
    if request.method == "POST":
        return start_job(request, "stats.report", "工作总结（数据部分）")
    return render(
        request,
        "stats/report.html",
        {"form": form, "org": org, "period": period, "params": period_params(org, period), "breadcrumbs": [("年度报告", None)]},
    )
