"""The figures of a work summary, gathered once into plain data (JSON): what the
Word document is rendered from (``builder.render``), and what an issued report
keeps, so that it reads as issued for ever and regenerates byte for byte.

Chapters follow the bureaus' reports, by theme (``kit.kpis.THEMES``), not by
business line: each line's ``ReportSection`` names its theme and its points, and
each hand-filled indicator (填报, ``sifa.filings``) its theme.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.utils import timezone

from sifa.kit import registry
from sifa.kit.kpis import KPI, MONTH, OFFICE, THEMES

from .. import engine
from ..describe import definition
from ..periods import Period
from ..selectors import by_line, kpis_for
from . import sentences

log = logging.getLogger("sifa.stats")

MAX_OFFICE_COLUMNS = 4
CN_NUM = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def ordinal(i: int) -> str:
    return CN_NUM[i] if i < len(CN_NUM) else str(i + 1)


def collect(user, org, period: Period, *, progress=None) -> dict:
    """Everything the report prints that comes from data, as JSON-able values."""
    kpis = kpis_for(user, org)
    cmps = engine.compare_many(kpis, org, period, user)
    by_key = {k.key: cmps[k.key].current.kpi for k in kpis}  # as the bureau defines them
    groups = by_line(kpis)
    sections: list[dict] = []
    ordered = sorted(groups, key=lambda g: (getattr(registry.report_section(g[0]), "order", 100), groups.index(g)))
    for i, (line, label, _items) in enumerate(ordered):
        items = [by_key[k.key] for k in _items]
        sections.append(_section(line, label, items, cmps, by_key, org, period, user))
        if progress:
            progress(i + 1, len(ordered) + 1)
    filled = _filled(org, period)
    chapters = []
    for theme, title in THEMES:
        own = [s for s in sections if s["theme"] == theme]
        hand = [f for f in filled if f["theme"] == theme]
        if own or hand:
            chapters.append({"theme": theme, "title": title, "sections": own, "filled": hand})
    return {
        "org": org.name,
        "period": {"kind": period.kind, "start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label},
        "span": sentences.span(period),
        "previous_label": period.previous_year().label,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "headline": _headline(kpis, cmps, filled, period, org),
        "chapters": chapters,
        "variants": {k.key: k.variant_name for k in by_key.values() if k.variants},
    }


def _headline(kpis: list[KPI], cmps: dict, filled: list[dict], period: Period, org) -> str:
    """The opening's figures: the year's headline counts, computed and filled."""
    parts = []
    for k in kpis:
        fig = cmps[k.key].current
        if k.headline and not k.is_ratio and k.unit != "元" and fig.value:
            parts.append(f"{k.label}{fig.display}")
    parts += [f"{f['label']}{f['display']}（填报）" for f in filled if f["value"] is not None][:4]
    if not parts:
        return ""
    return f"{sentences.span(period)}，{org.name}" + "，".join(parts[:10]) + "。"


def _section(line, label, items: list[KPI], cmps, by_key, org, period: Period, user) -> dict:
    spec = registry.report_section(line)
    theme = spec.theme if spec else "overall"
    title = spec.title if spec and spec.title else label
    points: list[list[str]] = []
    paragraphs: list[str] = []
    if spec and spec.points:
        points = [[lead, sentences.fill(t, cmps, by_key, period, org)] for lead, t in spec.points]
    elif spec and spec.paragraphs:
        paragraphs = [sentences.fill(p, cmps, by_key, period, org) for p in spec.paragraphs]
    else:
        paragraphs = [sentences.line_paragraph(items, cmps, by_key, period, org)]
    table_kpis = [by_key[k] for k in (spec.table_kpis if spec and spec.table_kpis else []) if k in by_key] or items
    table = []
    for k in table_kpis:
        c = cmps[k.key]
        table.append([k.label, _shown(c.current), _shown(c.previous_year), sentences.change_phrase(k, c.yoy, "同比").removeprefix("同比")])
    office_kpis = [k for k in table_kpis if OFFICE in k.dimensions][:MAX_OFFICE_COLUMNS]
    offices = engine.breakdown_many(office_kpis, org, period, OFFICE, user) if office_kpis else {}
    office_table = _office_table(line, office_kpis, offices, org)
    notes = [f"{CIRCLED[j] if j < len(CIRCLED) else f'({j + 1})'}{k.label}：{definition(k)}" for j, k in enumerate(table_kpis)]
    return {
        "line": line,
        "theme": theme,
        "title": title,
        "points": points,
        "paragraphs": paragraphs,
        "table": table,
        "offices": office_table,
        "trend": _trend(label, items, spec, by_key, org, period, user),
        "bars": _bars(label, office_kpis, office_table),
        "notes": notes,
    }


def _shown(fig) -> str:
    return f"{fig.display}（填报）" if fig.filled else fig.display


# --- per-office tables: only the organisations that run the line ------------------------------------


def _running(line: str, org) -> set[str]:
    """Office-breakdown keys ("c<pk>", "self") of the organisations under ``org`` that run
    the line: those holding an organisation of a kind that may own its cases (a judicial
    office, a mediation committee, the legal-aid centre …; ``CaseType.owner_kinds``), or,
    for a line that names none, any unit (office-level) or any bureau (bureau-level)."""
    from sifa.kit.casetype import BUREAU
    from sifa.orgs.models import Org

    ct = registry.find_type(line)
    if ct is None:
        return set()
    kinds = set(ct.owner_kinds) or ({"bureau", "city_bureau"} if ct.level == BUREAU else set())
    under = Org.objects.filter(path__startswith=org.path, is_active=True)
    if kinds:
        under = under.filter(kind__in=kinds)
    keys = engine.office_keys(org)
    found = {k for path in under.values_list("path", flat=True) if (k := engine.office_of(path, org, keys)) is not None}
    return found if kinds else found - {"self"}  # 本级 of an any-unit line: only with figures


def _office_table(line, office_kpis: list[KPI], offices: dict, org) -> dict | None:
    """The per-office table: only the organisations that run the line (and any other
    that has figures in it, so nothing counted is left out of the rows)."""
    if not office_kpis:
        return None
    first = offices[office_kpis[0].key]
    running = _running(line, org)
    rows = []
    for j, r in enumerate(first):
        cells = [offices[k.key][j] for k in office_kpis]
        if r["key"] in running or any(c["numerator"] or c["denominator"] for c in cells):
            rows.append({"label": r["label"], "cells": [c["display"] for c in cells], "values": [_float(c["value"]) for c in cells]})
    if len(rows) < 2:
        return None  # one organisation runs it: the table would repeat the totals
    return {"header": ["机构", *[k.label for k in office_kpis]], "rows": rows, "units": [k.unit for k in office_kpis]}


def _float(v) -> float:
    return float(v) if v is not None else 0.0


# --- charts' data -------------------------------------------------------------------------------------


def _trend(label, items, spec, by_key, org, period: Period, user) -> dict | None:
    chosen = [by_key[k] for k in (spec.chart_kpis if spec and spec.chart_kpis else []) if k in by_key]
    trend = chosen or [k for k in items if k.headline and not k.is_ratio and MONTH in k.dimensions][:3]
    if not trend or len(period.months()) <= 1:
        return None
    data = engine.breakdown_many(trend, org, period, MONTH, user)
    return {
        "title": label,
        "months": [m.month for m in period.months()],
        "series": [[k.label, [_float(r["value"]) for r in data[k.key]]] for k in trend],
        "unit": trend[0].unit,
    }


def _bars(label, office_kpis: list[KPI], table: dict | None) -> dict | None:
    if not table:
        return None
    j = next((i for i, k in enumerate(office_kpis) if not k.is_ratio), 0)
    return {
        "title": label,
        "kpi": office_kpis[j].label,
        "labels": [r["label"] for r in table["rows"]],
        "values": [r["values"][j] for r in table["rows"]],
        "unit": office_kpis[j].unit,
    }


# --- figures filled by hand (填报) ------------------------------------------------------------------


def _filled(org, period: Period) -> list[dict]:
    from django.apps import apps

    if not apps.is_installed("sifa.filings"):  # the filings app is optional
        return []
    from sifa.filings import selectors as filings

    out = []
    for f in filings.figures(org, period):
        out.append(
            {
                "key": f.key,
                "label": f.label,
                "unit": f.unit,
                "theme": f.theme,
                "value": None if f.value is None else str(Decimal(f.value)),
                "display": f.display,
                "definition": f.definition,
                "note": f.note,
            }
        )
    return out
