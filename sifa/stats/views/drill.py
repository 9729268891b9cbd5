"""The cases behind a number, with the KPI's definition at the top."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from sifa.accounts.roles import EXPORT, has_cap
from sifa.common.errors import DomainError

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
    from sifa.deadlines import selectors as dl

    page = Paginator(qs.select_related("owner_org", "handler").order_by("-opened_on", "-id"), 30).get_page(request.GET.get("page"))
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
