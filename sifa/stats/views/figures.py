"""A line's own figures page (复议应诉统计 …): every KPI of the line's case types
the user uses, for a year, with the breakdowns the line names in its ``Line``
(``figures``), each beside its definition."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from sifa.cases.selectors import uses
from sifa.kit import registry
from sifa.orgs.selectors import bureau_of

from .. import engine, returns
from ..periods import Period
from ..selectors import may_see


@login_required
def line_figures(request, label):
    user = request.user
    line = next((x for x in registry.lines() if x.label == label), None)
    if line is None or not line.figures:
        raise Http404()
    types = [ct for ct in line.case_types if uses(user, ct.key)]
    if not types:
        raise Http404()
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year + 1)
    period, org = Period.year(year), bureau_of(user.org)
    # One batch per case type (one query per model, the bureau's definitions read once), not one per KPI.
    groups = []
    for ct in types:
        kpis = registry.kpis(ct.key)
        figs = engine.compute_many(kpis, org, [period], user)
        groups.append((ct.label, [figs[(k.key, period)] for k in kpis]))
    tables = []
    for key, dim_key in line.figures:
        kpi = registry.kpi(key)
        if any(ct.key == kpi.line for ct in types):
            dim = next(d for d in kpi.dimensions if d.key == dim_key)
            rows = [r for r in engine.breakdown(kpi, org, period, dim, user) if r["numerator"] or r["denominator"]]
            tables.append((kpi, dim, rows))
    title = f"{line.name}统计"
    return render(
        request,
        "stats/line.html",
        {
            "title": title,
            "groups": groups,
            "tables": tables,
            "year": year,
            "years": list(range(this_year, this_year - 5, -1)),
            "org": org,
            "returns": [r for r in returns.visible(user) if r.line == line.label] if may_see(user) else [],
            "breadcrumbs": [(title, None)],
        },
    )
