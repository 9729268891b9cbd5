"""Statistical returns (统计报表, ``kit.kpis.StatReturn``): a line's rows of KPIs in
a fixed layout, each with 本期, 上年同期 and 同比, optionally broken down by one of
its KPIs' dimensions (office or centre, month, lawyer …), and the .xlsx of exactly
that table. Every figure is computed by ``engine`` with ``user=`` scoping, so it is
the number the dashboard and the drill-down show."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from sifa.kit import registry
from sifa.kit.kpis import KPI, Dimension, StatReturn
from sifa.ledgers import xlsx

from . import engine
from .describe import definition, period_rule
from .exports import _num
from .exports import _number_format as _fmt
from .periods import Period
from .selectors import _trend_class, drill_url, kpis_for, line_label

COLUMNS = ("本期", "上年同期", "同比")
INDENT_CLASS = {0: "", 1: "ps-4", 2: "ps-5"}


def visible(user) -> list[StatReturn]:
    """The returns whose every KPI the user may see (an unknown KPI hides the return)."""
    seen = {k.key for k in kpis_for(user)}
    return [r for r in registry.returns() if r.rows and all(k in seen for k in r.kpi_keys)]


def get(user, key: str) -> StatReturn:
    ret = registry.find_return(key)
    if ret is None or ret not in visible(user):
        raise Http404("未找到该报表。")
    return ret


def line_name(ret: StatReturn) -> str:
    return next((x.name for x in registry.lines() if x.label == ret.line), line_label(ret.line))


def kpis_of(ret: StatReturn) -> list[KPI]:
    return [registry.kpi(k) for k in ret.kpi_keys]


def table(user, ret: StatReturn, org, period: Period) -> list[dict]:
    """One dict per row: the row, its KPI, this period's and last year's figures, 同比, links."""
    cmps = engine.compare_many(kpis_of(ret), org, period, user)
    out = []
    for n, row in enumerate(ret.rows, start=1):
        cmp = cmps[row.kpi]
        kpi = cmp.current.kpi  # as the bureau defines it (choices.py)
        out.append(
            {
                "n": n,
                "row": row,
                "kpi": kpi,
                "current": cmp.current,
                "previous": cmp.previous_year,
                "yoy": cmp.yoy,
                "trend_class": _trend_class(kpi, cmp.yoy),
                "indent_class": INDENT_CLASS.get(row.indent, "ps-5"),
                "url": drill_url(kpi, org, period),
                "den_url": drill_url(kpi, org, period, side="denominator") if kpi.is_ratio else "",
                "definition": definition(kpi),
            }
        )
    return out


# --- breakdown (分机构 / 分月 / 分承办人员 …) ---------------------------------------------------------


def dimensions(ret: StatReturn) -> list[Dimension]:
    """The breakdowns any of the return's KPIs offers, in first-seen order (a row
    whose KPI lacks the chosen one shows "—")."""
    out: dict[str, Dimension] = {}
    for k in kpis_of(ret):
        for d in k.dimensions:
            out.setdefault(d.key, d)
    return list(out.values())


def cross(user, ret: StatReturn, org, period: Period, dim_key: str) -> dict | None:
    """Rows × the values of one dimension: {"dim", "columns": [(key, label)], "rows": [{row, kpi, cells}]}.
    Offices and months list every column; other dimensions the values that occur."""
    dim = next((d for d in dimensions(ret) if d.key == dim_key), None)
    if dim is None:
        return None
    kpis = kpis_of(ret)
    by_dim: dict[Dimension, list[KPI]] = {}
    for k in kpis:
        d = next((d for d in k.dimensions if d.key == dim_key), None)
        if d is not None:
            by_dim.setdefault(d, []).append(k)
    found: dict[str, dict] = {}
    for d, items in by_dim.items():
        for key, rows in engine.breakdown_many(items, org, period, d, user).items():
            found[key] = {r["key"]: r for r in rows}
    fixed = engine.fixed_labels(dim, org, period)
    if fixed is not None:
        columns = fixed
    else:
        columns = {}
        for cells in found.values():
            for key, r in cells.items():
                if r["numerator"] or r["denominator"]:
                    columns.setdefault(key, r["label"])
        columns = list(columns.items())
    rows = []
    for row in ret.rows:
        kpi = registry.kpi(row.kpi)
        cells = found.get(kpi.key)
        out = []
        for key, _label in columns:
            r = cells.get(key) if cells is not None else None
            if r is None:
                value = None if cells is None else _zero(kpi)
                out.append({"display": "—" if cells is None else engine.format_value(kpi, value), "value": value, "url": ""})
            else:
                out.append({"display": r["display"], "value": r["value"], "url": drill_url(kpi, org, period, dim=dim_key, key=r["key"])})
        rows.append({"row": row, "kpi": kpi, "indent_class": INDENT_CLASS.get(row.indent, "ps-5"), "cells": out})
    return {"dim": dim, "columns": columns, "rows": rows}


def _zero(kpi: KPI):
    from decimal import Decimal

    return None if kpi.is_ratio else Decimal(0)


# --- the .xlsx -------------------------------------------------------------------------------------------


def _cell(ws, value, fmt: str = "", *, bold: bool = False, indent: int = 0):
    c = WriteOnlyCell(ws)
    xlsx.set_value(c, value, fmt)
    if bold:
        c.font = Font(bold=True)
    if indent:
        c.alignment = Alignment(indent=indent * 2)
    return c


def _header(ws, headers: list[str]) -> list:
    out = []
    for h in headers:
        c = WriteOnlyCell(ws)
        xlsx.set_value(c, h)
        xlsx.styled_header(c)
        out.append(c)
    return out


def _sheet(wb, title: str, widths: list[int]):
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=title[:31])
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    return ws


def build_xlsx(user, ret: StatReturn, org, period: Period, rows: list[dict], crossed: dict | None = None) -> bytes:
    """The return as shown: title, 填报单位 and period, the table; the breakdown when
    one is chosen; and 说明 (org, period, exporter, time, each row's KPI and 口径)."""
    wb = xlsx.new_workbook()
    ws = _sheet(wb, ret.label, [8, 34, 8, 16, 16, 20])
    ws.append([_cell(ws, ret.label, bold=True)])
    ws.append([_cell(ws, f"填报单位：{org.name}（含下属机构）　统计期间：{period.label}（{period.start:%Y-%m-%d}至{period.end:%Y-%m-%d}）")])
    ws.append(_header(ws, ["行次", "项目", "单位", *COLUMNS]))
    for r in rows:
        k = r["kpi"]
        ws.append(
            [
                _cell(ws, r["n"]),
                _cell(ws, r["row"].label, indent=r["row"].indent),
                _cell(ws, k.unit),
                _cell(ws, _num(r["current"].value), _fmt(k)),
                _cell(ws, _num(r["previous"].value), _fmt(k)),
                _cell(ws, r["yoy"]["text"]),
            ]
        )
    if ret.note:
        ws.append([_cell(ws, f"填报说明：{ret.note}")])
    if crossed is not None:
        dim = crossed["dim"]
        cs = _sheet(wb, f"按{dim.label}", [34, 8] + [14] * len(crossed["columns"]))
        cs.append([_cell(cs, f"{ret.label}（按{dim.label}）", bold=True)])
        cs.append(_header(cs, ["项目", "单位", *[str(label) for _key, label in crossed["columns"]]]))
        for r in crossed["rows"]:
            k = r["kpi"]
            values = [_cell(cs, c["display"]) if c["value"] is None else _cell(cs, _num(c["value"]), _fmt(k)) for c in r["cells"]]
            cs.append([_cell(cs, r["row"].label, indent=r["row"].indent), _cell(cs, k.unit), *values])
    info = xlsx.SheetWriter(wb, "说明", ["项目", "内容"], widths=[16, 90])
    info.append(["报表", ret.label])
    info.append(["业务条线", line_name(ret)])
    info.append(["统计机构", f"{org.name}（含下属机构）"])
    info.append(["统计期间", f"{period.label}（{period.start:%Y-%m-%d}至{period.end:%Y-%m-%d}）"])
    info.append(["上年同期", f"{period.previous_year().label}；同比：数量和金额为增长率，比率为增减的百分点"])
    if crossed is not None:
        info.append(["分组", f"按{crossed['dim'].label}"])
    info.append(["数据范围", "导出人可见范围内的案件和登记"])
    info.append(["导出人", f"{user.display_name}（{user.org.name}）"])
    info.append(["导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    defs = xlsx.SheetWriter(wb, "指标口径", ["行次", "项目", "指标代码", "指标", "单位", "计算口径", "统计期间", "依据"], widths=[6, 30, 28, 22, 6, 70, 30, 24])
    for r in rows:
        k = r["kpi"]
        defs.append([r["n"], r["row"].label, k.key, k.label, k.unit, definition(k), period_rule(k), k.source])
    return xlsx.to_bytes(wb)
