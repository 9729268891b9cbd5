"""指挥中心: number cards with definitions and drill-down, monthly trends,
per-office comparison, breakdown by type, deadlines and flagged risks; and the
wall display (full screen, dark, large type, refreshes itself)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from sifa.kit import registry

from .. import selectors
from ..forms import PeriodForm, period_params
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


def _wall_chooser(request):
    """``chooser`` for the wall, which the display account reaches too: its bureau's
    subtree, another organisation answering like a missing one."""
    from sifa.orgs.models import Org

    root = selectors.wall_root(request.user)
    if root is None:
        raise Http404()
    orgs = Org.objects.filter(path__startswith=root.path, is_active=True).order_by("path")
    chosen = request.GET.get("org")
    if chosen and not (str(chosen).isdigit() and orgs.filter(pk=chosen).exists()):
        raise Http404("未找到该机构。")
    data = request.GET if any(k in request.GET for k in ("org", "kind", "year", "part", "start", "end")) else None
    form = PeriodForm(data, orgs=orgs, root=root)
    return form.chosen_org(), form.period()


@login_required
def wall(request):
    """The wall: aggregate figures only (cards, trend, office comparison, by type) and,
    for a viewer who reads cases, the deadlines' counts. No case, no list, no link
    into the figures: it hangs in a room, and a display account sees nothing else."""
    org, period = _wall_chooser(request)
    user = request.user
    data = selectors.dashboard(user, org, period)
    ctx = {
        "org": org,
        "period": period,
        "now": timezone.localtime(),
        "has_kpis": bool(data["lines"]),
        "filled": selectors.filled(org, period),
        "refresh": WALL_REFRESH_SECONDS,
        "display": selectors.figure_viewer(user) is None,
        "lines": data["lines"],
        "risks": [r["card"] for r in data["risks"]],
        "as_of": data["as_of"],
        # The charts without their drill-down addresses (the wall has nothing to click).
        "chart_data": _no_links(data["chart_data"]),
    }
    if selectors.may_see(user):
        dl = selectors.deadlines(user, org, limit=0)
        ctx["deadline_counts"] = {"overdue": dl["overdue_count"], "due_soon": dl["due_soon_count"]}
    return render(request, "stats/wall.html", ctx)


def _no_links(chart_data: dict) -> dict:
    return {
        "trend": {**chart_data["trend"], "series": [{k: v for k, v in s.items() if k != "urls"} for s in chart_data["trend"]["series"]]},
        "offices": {**chart_data["offices"], "series": [{k: v for k, v in s.items() if k != "urls"} for s in chart_data["offices"]["series"]]},
        "types": [{**t, "items": [{k: v for k, v in i.items() if k != "url"} for i in t["items"]]} for t in chart_data["types"]],
    }
