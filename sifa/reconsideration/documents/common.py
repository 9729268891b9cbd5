"""Pieces every reconsideration document shares: who issues it, its number, the
parties, the act and the closing lines."""

from __future__ import annotations

import re

from django.conf import settings

from sifa.common.docgen import OfficialDocument
from sifa.common.text import cn_date, money

from .. import selectors
from ..choices import Procedure

LAW = "《中华人民共和国行政复议法》"
_CN = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 as in statute citations: 三, 十一, 六十二."""
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else _CN[tens]}十{_CN[ones] if ones else ''}"


def organ(case) -> str:
    """The 行政复议机关: the district government whose 复议机构 is the bureau
    (行政复议法 §4); a deployment may name it in settings."""
    name = getattr(settings, "SIFA_RECONSIDERATION_ORGAN", "")
    if name:
        return name
    bureau = case.bureau.name
    return bureau.replace("司法局", "人民政府") if bureau.endswith("司法局") else bureau


_NUMBER = re.compile(r"^(?P<head>.*?)行复(?P<tail>〔\d{4}〕第\d+号)$")


def doc_number(case, word: str) -> str:
    """The document's own 文号 from the case's: 演司行复〔2026〕第3号 → 演司行复受字〔2026〕第3号."""
    m = _NUMBER.match(case.doc_number or "")
    if not m:
        return case.doc_number or ""
    return f"{m['head']}行复{word}字{m['tail']}"


def _person(p) -> str:
    bits = [p.name]
    if p.kind == "natural":
        if p.gender:
            bits.append("男" if p.gender == "M" else "女")
        if p.birth_date:
            bits.append(f"{cn_date(p.birth_date)}出生")
    elif p.legal_rep:
        bits.append(f"法定代表人（负责人）{p.legal_rep}")
    return "，".join(bits) + "。"


def parties(case, roles: dict[str, str]) -> list[tuple[str, str]]:
    """(label, text) rows for the parties block, in the order of ``roles``."""
    rows = []
    all_parties = list(case.parties.all())
    for role, label in roles.items():
        for p in all_parties:
            if p.role == role:
                rows.append((label, _person(p)))
    return rows


def applicant_names(case) -> str:
    names = [p.name for p in case.parties.all() if p.role == "applicant"]
    return "、".join(names) or "申请人"


def act_text(app) -> str:
    text = app.contested_act
    if app.act_number and app.act_number not in text:
        text += f"（{app.act_number}）"
    if app.amount is not None:
        text += f"（涉及款额{money(app.amount)}）"
    return text


def start(case, title: str, word: str) -> tuple[OfficialDocument, object]:
    doc = OfficialDocument()
    doc.org_header(organ(case))
    doc.title(title, doc_number(case, word))
    return doc, selectors.application(case)


def respondent(app) -> str:
    return selectors.agency_label(app.respondent_agency)


def procedure_label(app) -> str:
    return Procedure(app.procedure).label if app.procedure else Procedure.ORDINARY.label


def finish(doc: OfficialDocument, case, on) -> bytes:
    doc.signature(organ(case), on)
    contact = f"行政复议机构：{case.bureau.name}"
    if case.bureau.address:
        contact += f"，地址：{case.bureau.address}"
    if case.bureau.phone:
        contact += f"，电话：{case.bureau.phone}"
    doc.footnote(f"{contact}。案件编码：{case.code}（凭案件编码和申请时所留电话号码后四位可在网上查询办理进度）。")
    return doc.bytes()
