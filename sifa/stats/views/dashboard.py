"""指挥中心: number cards with definitions and drill-down, monthly trends,
per-office comparison, breakdown by type, deadlines and flagged risks; and the
wall display (full screen, dark, large type, refreshes itself)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from sifa.kit import registry

from .. import selectors
from ..forms import period_params
from .common import chooser

WALL_REFRESH_SECONDS = 60


def _context(request):
    form, org, period = chooser(request)
    user = request.user
    data = selectors.dashboard(user, org, period)
    return {
        "form": form,
        "org": org,
        "period": period,
        "params": period_params(org, period),
        "deadlines": selectors.deadlines(user, org),
        "now": timezone.localtime(),
        "has_kpis": bool(data["lines"]),
        # The lines' standing warnings (社区矫正's 脱管预警), in the user's scope.
        "alerts": registry.alerts_for(user),
        # Figures filled by hand for work no line runs (填报), marked as such.
        "filled": selectors.filled(org, period),
        **data,
    }


@login_required
def dashboard(request):
    ctx = _context(request)
    ctx["breadcrumbs"] = [("指挥中心", None)]
    return render(request, "stats/dashboard.html", ctx)


@login_required
def wall(request):
    ctx = _context(request)
    ctx["refresh"] = WALL_REFRESH_SECONDS
    return render(request, "stats/wall.html", ctx)
