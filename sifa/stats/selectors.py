"""Reads for the dashboard (指挥中心), the statistics table and the report:
which KPIs a user may see, which organisations they may choose, and the
figures, trends and breakdowns, always computed with ``user=`` scoping."""

from __future__ import annotations

from collections import Counter

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from sifa.accounts.roles import SEE_DASHBOARD, has_cap, wall_only
from sifa.kit import registry
from sifa.kit.kpis import KPI, MONTH, OFFICE

from . import engine
from .describe import definition
from .forms import period_params
from .overview import overview
from .periods import Period


def may_see(user) -> bool:
    return has_cap(user, SEE_DASHBOARD)


def require(user) -> None:
    if not may_see(user):
        raise Http404()


def may_see_wall(user) -> bool:
    """The wall (大屏): whoever sees the dashboard, and the display account."""
    return may_see(user) or wall_only(user)


def figure_viewer(user):
    """Whose visibility a figure is computed with. A display account sees no case,
    yet its wall counts its bureau's whole subtree as the statistician does (sealed
    cases and restricted lines counted, never opened): as the system does (None, every
    live row under the org, ``engine._scoped``; the daily facts serve it,
    ``facts.use_facts``). Its org is always within its bureau (``wall_root``)."""
    return None if wall_only(user) else user


def wall_root(user):
    """The organisation whose subtree the user's wall may show (None: no wall)."""
    if may_see(user):
        return scope_orgs(user)[0]
    if wall_only(user) and getattr(user, "org_id", None):
        from sifa.orgs.selectors import bureau_of

        return bureau_of(user.org)
    return None


def kpis_for(user, org=None) -> list[KPI]:
    """Every registered KPI of a line the user uses (``cases.selectors.uses``):
    section staff see their lines' figures, and a bureau-level line's figures,
    which no judicial office's cases ever feed, are not shown to offices. Each as
    ``org``'s bureau defines it (``choices``; default: the user's own)."""
    from sifa.cases.selectors import uses

    from .choices import effective

    used: dict[str, bool] = {}
    # A display account counts every line of its bureau, as the statistician does.
    every_line = wall_only(user)

    def seen(k: KPI) -> bool:
        types = _types(k) or {k.line}
        for t in types:
            if t not in used:
                used[t] = every_line or registry.find_type(t) is None or uses(user, t, counting=True)
        return all(used[t] for t in types)

    kpis = [k for k in registry.kpis() if seen(k)]
    if org is None and getattr(user, "org_id", None):
        org = user.org
    return effective(kpis, org, engine.choices_for(org)) if org is not None else kpis


def filled(org, period: Period) -> list:
    """The hand-filled figures (``sifa.filings``) of ``org``'s subtree for the period: an
    organisation's own reported numbers, which any user who sees its dashboard may read."""
    from django.apps import apps

    if not apps.is_installed("sifa.filings"):
        return []
    from sifa.filings import selectors as filings

    return filings.figures(org, period)


def kpi_keys_for(user) -> set[str]:
    return {k.key for k in kpis_for(user)}


def _types(k: KPI) -> set:
    out = set(k.numerator.case_types)
    if k.denominator is not None:
        out |= set(k.denominator.case_types)
    return out


def line_label(line: str) -> str:
    return dict(registry.kpi_lines()).get(line, line)


def by_line(kpis: list[KPI]) -> list[tuple[str, str, list[KPI]]]:
    out: dict[str, list[KPI]] = {}
    for k in kpis:
        out.setdefault(k.line, []).append(k)
    return [(line, line_label(line), items) for line, items in out.items()]


def scope_orgs(user):
    """Organisations the user may choose: their scope root and everything under it."""
    from sifa.cases.selectors import scope_root
    from sifa.orgs.models import Org

    root = scope_root(user)
    if root is None:
        return None, Org.objects.none()
    return root, Org.objects.filter(path__startswith=root.path, is_active=True).order_by("path")


def drill_url(kpi: KPI, org, period: Period, *, side: str = "numerator", dim: str = "", key=None) -> str:
    params = {"kpi": kpi.key, "side": side}
    if dim:
        # A cell of rows without a value (no provider yet): "None", which the drill-down reads back as None.
        params |= {"dim": dim, "key": "None" if key is None else key.isoformat() if hasattr(key, "isoformat") else key}
    # The address and the org/period part are the same for every link of a page: built
    # once per ``engine.reading()`` block (a dashboard has hundreds of links).
    return _drill_base(org, period) + "&" + urlencode(params)


def _drill_base(org, period: Period) -> str:
    return engine.once(("drill", org.pk, period), lambda: reverse("stats:drill") + "?" + urlencode(period_params(org, period)))


def card(kpi: KPI, cmp: engine.Comparison, org, period: Period) -> dict:
    fig = cmp.current
    return {
        "kpi": kpi,
        "figure": fig,
        "display": fig.display,
        "yoy": cmp.yoy,
        "pop": cmp.pop,
        "previous_year": cmp.previous_year,
        "definition": definition(fig.kpi),
        "url": drill_url(kpi, org, period),
        "den_url": drill_url(kpi, org, period, side="denominator") if kpi.is_ratio else "",
        "trend_class": _trend_class(kpi, cmp.yoy),
    }


def _trend_class(kpi: KPI, change: dict) -> str:
    delta = change.get("delta")
    if delta is None or delta == 0:
        return "text-muted"
    good = (delta > 0) == kpi.higher_is_better
    return "text-success" if good else "text-danger"


def table(user, org, period: Period) -> list[dict]:
    """Every KPI the user may see, grouped by line, with 同比/环比 (the statistics table)."""
    with engine.reading():
        kpis = kpis_for(user, org)
        cmps = engine.compare_many(kpis, org, period, user)
        return [{"line": line, "label": label, "cards": [card(k, cmps[k.key], org, period) for k in items]} for line, label, items in by_line(kpis)]


def _headline(kpis: list[KPI]) -> list[KPI]:
    chosen = [k for k in kpis if k.headline]
    if chosen:
        return chosen
    out, seen = [], {}
    for k in kpis:  # no declared headline: the first three of each line
        seen[k.line] = seen.get(k.line, 0) + 1
        if seen[k.line] <= 3:
            out.append(k)
    return out


def dashboard(user, org, period: Period) -> dict:
    # The organisation's offices, the bureau's definitions, the rollup state: read once.
    with engine.reading():
        return _dashboard(user, org, period)


def _dashboard(user, org, period: Period) -> dict:
    kpis = kpis_for(user, org)
    viewer = figure_viewer(user)
    headline = _headline(kpis)
    risky = [k for k in kpis if k.extra.get("risk")]
    trend_kpis = one_unit([k for k in headline if MONTH in k.dimensions and not k.is_ratio])
    office_kpis = [k for k in headline if OFFICE in k.dimensions]
    typed = []  # (line label, KPI, field dimension): one "by type" chart per line
    for _line, label, items in by_line(headline):
        k = next((k for k in items if not k.is_ratio and any(d.kind == "field" for d in k.dimensions)), None)
        if k is not None:
            typed.append((label, k, next(d for d in k.dimensions if d.kind == "field")))
    # Every figure on the page from one pass per model (overview.py).
    cmps, (trends, offices, *by_type) = overview(
        list({k.key: k for k in headline + risky}.values()),
        org,
        period,
        viewer,
        breakdowns=[(MONTH, trend_kpis), (OFFICE, office_kpis)] + [(dim, [k]) for _label, k, dim in typed],
    )
    lines = [{"line": line, "label": label, "cards": [card(k, cmps[k.key], org, period) for k in items]} for line, label, items in by_line(headline)]
    type_charts = []
    for (label, k, dim), rows_by_kpi in zip(typed, by_type, strict=True):
        rows = rows_by_kpi[k.key]
        if not any(r["value"] for r in rows):
            continue
        type_charts.append(
            {
                "title": f"{label}·{k.label}（按{dim.label}）",
                "items": [
                    {"name": str(r["label"]), "value": float(r["value"] or 0), "url": drill_url(k, org, period, dim=dim.key, key=r["key"])}
                    for r in rows
                    if r["value"]
                ],
            }
        )
    today = timezone.localdate()
    chart_data = {
        "trend": {
            "months": [f"{m.month}月" for m in period.months()],
            "unit": trend_kpis[0].unit if trend_kpis else "",
            "series": [
                {
                    "name": f"{line_label(k.line)}·{k.label}",
                    # Months still to come are gaps, not a fall to zero.
                    "data": [None if r["key"] > today else float(r["value"] or 0) for r in trends[k.key]],
                    "urls": [drill_url(k, org, period, dim="month", key=r["key"]) for r in trends[k.key]],
                }
                for k in trend_kpis
            ],
        },
        "offices": _office_chart(one_unit([k for k in office_kpis if not k.is_ratio]), offices, org, period),
        "types": type_charts,
    }
    risks = []
    for k in risky:
        cmp = cmps[k.key]
        # The cases behind a risk are case data: never on a display account's wall.
        cases = [] if viewer is None else engine.cases_behind(k, org, period, user).select_related("owner_org").order_by("-opened_on", "-id")[:5]
        risks.append({"card": card(k, cmp, org, period), "cases": list(cases), "line": line_label(k.line)})
    return {
        "lines": lines,
        "chart_data": chart_data,
        "risks": risks,
        "office_rows": _office_table(office_kpis, offices, org, period),
        "as_of": as_of(viewer, org),
    }


def one_unit(kpis: list[KPI]) -> list[KPI]:
    """The KPIs of one unit, for a chart with one value axis: the unit most of
    them share (counts in 件 win a tie). A sum in 元 drawn beside counts would
    flatten them to the floor; amounts stay on the cards and in the office table."""
    if not kpis:
        return []
    counts = Counter(k.unit for k in kpis)
    unit = max(counts, key=lambda u: (counts[u], u == "件"))
    return [k for k in kpis if k.unit == unit]


def _office_chart(kpis, offices, org, period):
    if not kpis:
        return {"names": [], "unit": "", "series": []}
    first = offices[kpis[0].key]
    return {
        "names": [r["label"] for r in first],
        "unit": kpis[0].unit,
        "series": [
            {
                "name": f"{line_label(k.line)}·{k.label}",
                "unit": k.unit,
                "data": [float(r["value"]) if r["value"] is not None else None for r in offices[k.key]],
                "urls": [drill_url(k, org, period, dim="office", key=r["key"]) for r in offices[k.key]],
            }
            for k in kpis
        ],
    }


def _office_table(kpis, offices, org, period):
    """Per-office comparison: one row per office, one column per KPI."""
    if not kpis:
        return {"kpis": [], "rows": []}
    first = offices[kpis[0].key]
    rows = []
    for i, r in enumerate(first):
        rows.append(
            {
                "label": r["label"],
                "cells": [
                    {"label": k.label, "display": offices[k.key][i]["display"], "url": drill_url(k, org, period, dim="office", key=offices[k.key][i]["key"])}
                    for k in kpis
                ],
            }
        )
    return {"kpis": kpis, "rows": rows}


def as_of(user, org) -> str:
    """The line "数据截至 HH:MM" when this viewer's figures come from the daily facts
    (facts.py): the oldest change not yet rolled up, or the last run; "" when live."""
    from . import facts

    if not facts.use_facts(user, org):
        return ""
    at = facts.as_of()
    if at is None:
        return ""
    at = timezone.localtime(at)
    return f"数据截至 {at:%H:%M}" if at.date() == timezone.localdate() else f"数据截至 {at:%Y-%m-%d %H:%M}"


def deadlines(user, org, limit: int = 10) -> dict:
    from sifa.deadlines import selectors as dl

    from . import deadlinefacts

    today = timezone.localdate()
    n = deadlinefacts.counts(user, org, today) or dl.counts(user, today, within=org)
    shown = (
        {"overdue": list(dl.overdue(user, today, within=org)[:limit]), "due_soon": list(dl.due_soon(user, today, within=org)[:limit])}
        if limit
        else {"overdue": [], "due_soon": []}
    )
    return shown | {"overdue_count": n["overdue"], "due_soon_count": n["due_soon"]}
