"""The data part of the bureau's work summary (年度工作总结) as a Word document:
one section per business line with its figures in sentences and tables,
year-on-year changes, the per-office breakdown, charts, and a note with every
KPI's definition. Staff write the narrative around it."""

from __future__ import annotations

import logging

from django.utils import timezone

from sifa.common.docgen import OfficialDocument
from sifa.common.text import cn_date
from sifa.kit import registry
from sifa.kit.kpis import KPI, MONTH, OFFICE

from .. import engine
from ..describe import definition
from ..periods import Period
from ..selectors import by_line, kpis_for
from . import charts, sentences

log = logging.getLogger("sifa.stats")

CN_NUM = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
MAX_OFFICE_COLUMNS = 4


def _ordinal(i: int) -> str:
    return CN_NUM[i] if i < len(CN_NUM) else str(i + 1)


def build(user, org, period: Period, *, progress=None) -> bytes:
    kpis = kpis_for(user)
    cmps = engine.compare_many(kpis, org, period, user)
    by_key = {k.key: k for k in kpis}
    doc = OfficialDocument()
    doc.org_header(org.name)
    doc.title(f"{period.label}工作总结（数据部分）")
    now = timezone.localtime()
    doc.paragraph(
        f"本部分由系统根据业务数据自动生成，统计范围为{org.name}及其下属机构，统计期间为{cn_date(period.start)}至{cn_date(period.end)}，"
        f"数据截至{now:%Y年%m月%d日%H时%M分}。同比为与{period.previous_year().label}同期相比。各项指标的统计口径见每节末尾的注释。"
    )
    groups = by_line(kpis)
    if not groups:
        doc.paragraph("当前没有可统计的业务数据。")
        return doc.bytes()
    doc.heading("一、主要业务数据")
    sections = sorted(groups, key=lambda g: (getattr(registry.report_section(g[0]), "order", 100), groups.index(g)))
    for i, (line, label, items) in enumerate(sections):
        _section(doc, i, line, label, items, cmps, by_key, org, period, user)
        if progress:
            progress(i + 1, len(sections))
    doc.heading("二、说明")
    doc.paragraph(
        "比率类指标保留两位小数，按各指标口径四舍五入或截尾（见指标说明），不足100%的不显示为100%；同比变化以百分比表示，比率的同比以“个百分点”表示。数据随业务办理实时变化，以生成时间为准。"
    )
    return doc.bytes()


def _section(doc, i, line, label, items: list[KPI], cmps, by_key, org, period, user) -> None:
    spec = registry.report_section(line)
    doc.heading(f"（{_ordinal(i)}）{(spec.title if spec and spec.title else label)}")
    if spec and spec.paragraphs:
        for p in spec.paragraphs:
            doc.paragraph(sentences.fill(p, cmps, by_key, period, org))
    else:
        doc.paragraph(sentences.line_paragraph(items, cmps, by_key, period, org))
    table_kpis = [by_key[k] for k in (spec.table_kpis if spec and spec.table_kpis else []) if k in by_key] or items
    rows = []
    for k in table_kpis:
        c = cmps[k.key]
        rows.append([k.label, c.current.display, c.previous_year.display, sentences.change_phrase(k, c.yoy, "同比").removeprefix("同比")])
    doc.paragraph("主要指标：", indent=False, bold=True)
    doc.table(["指标", period.label, period.previous_year().label, "同比"], rows, widths_cm=[5.5, 3.5, 3.5, 3.5])
    office_kpis = [k for k in table_kpis if OFFICE in k.dimensions][:MAX_OFFICE_COLUMNS]
    offices = engine.breakdown_many(office_kpis, org, period, OFFICE, user) if office_kpis else {}
    if office_kpis:
        first = offices[office_kpis[0].key]
        body = [[r["label"], *[offices[k.key][j]["display"] for k in office_kpis]] for j, r in enumerate(first)]
        doc.paragraph("分机构情况：", indent=False, bold=True)
        doc.table(["机构", *[k.label for k in office_kpis]], body)
    _charts(doc, line, label, items, spec, by_key, offices, office_kpis, org, period, user)
    notes = [f"{CIRCLED[j] if j < len(CIRCLED) else f'({j + 1})'}{k.label}：{definition(k)}" for j, k in enumerate(table_kpis)]
    doc.footnote("注：" + " ".join(notes))


def _charts(doc, line, label, items, spec, by_key, offices, office_kpis, org, period, user) -> None:
    chosen = [by_key[k] for k in (spec.chart_kpis if spec and spec.chart_kpis else []) if k in by_key]
    trend = chosen or [k for k in items if k.headline and not k.is_ratio and MONTH in k.dimensions][:3]
    try:
        if trend and len(period.months()) > 1:
            data = engine.breakdown_many(trend, org, period, MONTH, user)
            months = [m.month for m in period.months()]
            chart = charts.line_chart(months, [(k.label, [float(r["value"] or 0) for r in data[k.key]]) for k in trend])
            doc.image(chart.png, width_cm=15)
            legend = "" if chart.cjk or len(trend) == 1 else "；" + "，".join(f"({j + 1}){k.label}" for j, k in enumerate(trend))
            doc.paragraph(f"图：{label}{'、'.join(k.label for k in trend)}月度走势（横轴为月份，单位：{trend[0].unit}）{legend}", indent=False, align="center")
        bar_kpi = next((k for k in office_kpis if not k.is_ratio), office_kpis[0] if office_kpis else None)
        if bar_kpi is not None:
            rows = offices[bar_kpi.key]
            chart = charts.bar_chart([r["label"] for r in rows], [float(r["value"] or 0) for r in rows], unit=bar_kpi.unit)
            doc.image(chart.png, width_cm=15)
            names = "" if chart.cjk else "；图中序号：" + "，".join(f"{j + 1}.{r['label']}" for j, r in enumerate(rows))
            doc.paragraph(f"图：{label}{bar_kpi.label}分机构比较（单位：{bar_kpi.unit}）{names}", indent=False, align="center")
    except Exception:
        log.exception("chart for %s could not be drawn", line)
        doc.paragraph("（图表生成失败，数据见上表。）", indent=False)
