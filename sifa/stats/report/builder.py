"""The bureau's work summary (工作总结) as a Word document shaped like the real
ones: 发文机关 and 文号, the title, 主送, an opening with the year's headline
figures, chapters by theme whose points read "一是…二是…" with figures, tables,
charts and the definitions as notes, the figures filled by hand (填报) marked as
such, 存在问题 and 下一步工作 as the bureau wrote them, then 落款 and 成文日期.

``collect`` (collect.py) gathers the figures; ``render`` lays them out and is
deterministic: the same data and text give the same bytes, so an issued report,
which keeps its data and text, regenerates byte for byte.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from sifa.common.docgen import OfficialDocument
from sifa.common.text import cn_date

from ..periods import Period
from . import charts
from .collect import CIRCLED, collect, ordinal

log = logging.getLogger("sifa.stats")

__all__ = ["build", "collect", "render", "default_meta"]

STATUS_MARKS = {"draft": "（草稿）", "submitted": "（送审稿）", "reviewed": "（审定稿）"}
ROUNDING_NOTE = (
    "比率类指标保留两位小数，按各指标口径四舍五入或截尾（见各节注释），不足100%的不显示为100%，大于0的不显示为0；"
    "同比变化以百分比表示，比率的同比以“个百分点”表示。标注“填报”的数据由各单位按期填报、经本局审核，未经系统业务数据计算。"
)


def default_meta(org, period: Period) -> dict:
    return {
        "title": f"{org.name}{period.label}工作总结",
        "recipients": "",
        "doc_number": "",
        "opening": "",
        "problems": "",
        "next_steps": "",
        "signer": org.name,
        "signed_on": "",
        "status": "draft",
        "generated_at": "",
    }


def build(user, org, period: Period, *, meta: dict | None = None, progress=None) -> bytes:
    data = collect(user, org, period, progress=progress)
    out = render(data, {**default_meta(org, period), **(meta or {})})
    if progress:
        progress(1, 1)
    return out


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n") if p.strip()]


def render(data: dict, meta: dict) -> bytes:
    meta = {**default_meta(_Named(data["org"]), _period(data)), **{k: v for k, v in meta.items() if v not in (None,)}}
    doc = OfficialDocument()
    doc.org_header(meta["signer"] or data["org"])
    if meta.get("doc_number"):
        doc.paragraph(meta["doc_number"], indent=False, align="center")
    doc.title(meta["title"] or f"{data['org']}{data['period']['label']}工作总结")
    mark = STATUS_MARKS.get(meta.get("status") or "draft")
    if mark:
        doc.paragraph(mark, indent=False, align="center")
    if meta.get("recipients"):
        doc.paragraph(f"{meta['recipients'].rstrip('：:')}：", indent=False)
    cutoff = _cutoff(meta.get("generated_at") or data["generated_at"])
    opening = data["headline"] + "".join(_paragraphs(meta.get("opening")))
    doc.paragraph((opening + "现将" + data["period"]["label"] + "工作情况报告如下。") if opening else f"现将{data['period']['label']}工作情况报告如下。")
    n = 0
    for chapter in data["chapters"]:
        doc.heading(f"{ordinal(n)}、{chapter['title']}")
        n += 1
        for i, section in enumerate(chapter["sections"]):
            _section(doc, i, section, data)
        if chapter["filled"]:
            _filled(doc, len(chapter["sections"]), chapter["filled"], data)
    for title, text in (("存在的问题和不足", meta.get("problems")), ("下一步工作打算", meta.get("next_steps"))):
        doc.heading(f"{ordinal(n)}、{title}")
        n += 1
        for p in _paragraphs(text) or ["（待起草）"]:
            doc.paragraph(p)
    doc.paragraph(
        f"说明：本报告数据由系统根据业务数据和各单位填报数据生成，统计范围为{data['org']}及其下属机构，统计期间为"
        f"{cn_date(date.fromisoformat(data['period']['start']))}至{cn_date(date.fromisoformat(data['period']['end']))}，"
        f"数据截至{cutoff:%Y年%m月%d日%H时%M分}；同比为与{data['previous_label']}同期相比。{ROUNDING_NOTE}",
        indent=False,
    )
    signed = date.fromisoformat(meta["signed_on"]) if meta.get("signed_on") else None
    doc.signature(meta["signer"] or data["org"], signed, seal_note=False)
    return doc.bytes(stamp=cutoff)


class _Named:
    def __init__(self, name: str):
        self.name = name


def _period(data: dict) -> Period:
    p = data["period"]
    return Period(date.fromisoformat(p["start"]), date.fromisoformat(p["end"]), p["kind"], p["label"])


def _cutoff(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return datetime(2000, 1, 1)


def _section(doc: OfficialDocument, i: int, s: dict, data: dict) -> None:
    doc.heading(f"（{ordinal(i)}）{s['title']}")
    for j, (lead, text) in enumerate(s["points"]):
        doc.paragraph(f"{ordinal(j)}是{lead}。{text}")
    for p in s["paragraphs"]:
        doc.paragraph(p)
    doc.paragraph("主要指标：", indent=False, bold=True)
    prev = data["previous_label"]
    doc.table(["指标", data["period"]["label"], prev, "同比"], s["table"], widths_cm=[5.5, 3.5, 3.5, 3.5])
    if s["offices"]:
        doc.paragraph("分机构情况：", indent=False, bold=True)
        doc.table(s["offices"]["header"], [[r["label"], *r["cells"]] for r in s["offices"]["rows"]])
    _charts(doc, s)
    doc.footnote("注：" + " ".join(s["notes"]))


def _charts(doc: OfficialDocument, s: dict) -> None:
    try:
        t = s["trend"]
        if t:
            chart = charts.line_chart(t["months"], [(name, values) for name, values in t["series"]], unit=t["unit"])
            doc.image(chart.png, width_cm=15)
            names = [name for name, _ in t["series"]]
            legend = "" if chart.cjk or len(names) == 1 else "；" + "，".join(f"({j + 1}){name}" for j, name in enumerate(names))
            doc.paragraph(f"图：{t['title']}{'、'.join(names)}月度走势（横轴为月份，单位：{t['unit']}）{legend}", indent=False, align="center")
        b = s["bars"]
        if b:
            chart = charts.bar_chart(b["labels"], b["values"], unit=b["unit"])
            doc.image(chart.png, width_cm=15)
            names = "" if chart.cjk else "；图中序号：" + "，".join(f"{j + 1}.{label}" for j, label in enumerate(b["labels"]))
            doc.paragraph(f"图：{b['title']}{b['kpi']}分机构比较（单位：{b['unit']}）{names}", indent=False, align="center")
    except Exception:
        log.exception("chart for %s could not be drawn", s["line"])
        doc.paragraph("（图表生成失败，数据见上表。）", indent=False)


def _filled(doc: OfficialDocument, i: int, filled: list[dict], data: dict) -> None:
    """Work the platform does not run: the figures the offices and sections filled in."""
    doc.heading(f"（{ordinal(i)}）其他工作（填报数据）")
    have = [f for f in filled if f["value"] is not None]
    if have:
        doc.paragraph(f"{data['span']}，" + "，".join(f"{f['label']}{f['display']}" for f in have) + "（以上为填报数据）。")
    doc.table(["指标", data["period"]["label"], "来源"], [[f["label"], f["display"], f["note"] or "填报"] for f in filled], widths_cm=[6, 4, 6])
    marks = [CIRCLED[j] if j < len(CIRCLED) else f"({j + 1})" for j in range(len(filled))]
    doc.footnote("注：" + " ".join(f"{m}{f['label']}（填报）：{f['definition']}" for m, f in zip(marks, filled, strict=True)))
