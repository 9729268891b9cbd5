"""The cases behind a number, with the KPI's definition at the top."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from sifa.accounts.roles import EXPORT, has_cap
from sifa.common.errors import DomainError
from sifa.common.paging import CappedPaginator

from .. import drill as drilling
from ..selectors import require


@login_required
def drill(request):
    user = request.user
    require(user)
    try:
        target, qs = drilling.resolve(user, request.GET)
    except DomainError as exc:
        return render(
            request, "stats/drill.html", {"error": exc.message, "breadcrumbs": [("指挥中心", reverse("stats:dashboard")), ("明细", None)]}, status=400
        )
    if hasattr(qs.model, "register_key"):
        return _entries(qs.model, target)
    from sifa.deadlines import selectors as dl

    page = CappedPaginator(qs.select_related("owner_org", "handler").order_by("-opened_on", "-id"), 30).get_page(request.GET.get("page"))
    today = timezone.localdate()
    threshold = dl.soon_threshold(today)
    params = request.GET.copy()
    params.pop("page", None)
    params["source"] = "kpi"
    return render(
        request,
        "stats/drill.html",
        {
            "target": target,
            "page_obj": page,
            "rows": [(c, dl.light_for_date(c.next_due, today, threshold)) for c in page.object_list],
            "export_url": reverse("ledgers:export") + "?" + params.urlencode() if has_cap(user, EXPORT) else "",
            "breadcrumbs": [("指挥中心", reverse("stats:dashboard")), ("明细", None)],
        },
    )


def _entries(model, target):
    """A register's figure: its list, filtered to the figure's organisation and
    period (and the month or office of a breakdown cell)."""
    from calendar import monthrange
    from datetime import date
    from urllib.parse import urlencode

    from django.shortcuts import redirect

    from sifa.kit import registry

    reg = registry.register(model.register_key)
    start, end, org = target.period.start, target.period.end, target.org
    if target.dim is not None and target.dim.kind == "month" and target.key:
        y, m = int(str(target.key)[:4]), int(str(target.key)[5:7])
        start, end = max(start, date(y, m, 1)), min(end, date(y, m, monthrange(y, m)[1]))
    elif target.dim is not None and target.dim.kind == "office" and target.key not in (None, "self"):
        from .. import engine

        org = next((c for c in engine._children(org) if f"c{c.pk}" == str(target.key)), org)
    params = {"date_from": start.isoformat(), "date_to": end.isoformat(), "org": org.pk}
    if target.dim is not None and target.dim.kind == "field" and target.dim.field == reg.filter_field and target.key:
        params[reg.filter_field] = target.key
    return redirect(reverse("registers:list", args=[reg.slug]) + "?" + urlencode(params))
