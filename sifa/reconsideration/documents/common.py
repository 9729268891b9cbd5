"""Pieces every reconsideration document shares: who issues it, its number, the
parties, the act and the closing lines."""

from __future__ import annotations

from sifa.cases.documents import doc_number_variant, names, of_role, party_rows
from sifa.common.docgen import OfficialDocument
from sifa.common.text import money

from .. import conf, selectors
from ..choices import Procedure

LAW = "《中华人民共和国行政复议法》"


def organ(case) -> str:
    """The 行政复议机关: the district government whose 复议机构 is the bureau
    (行政复议法 §4); a deployment may name it in settings (``conf.py``)."""
    name = conf.get("ORGAN")
    if name:
        return name
    bureau = case.bureau.name
    return bureau.replace("司法局", "人民政府") if bureau.endswith("司法局") else bureau


def parties(case, roles: dict[str, str]) -> list[tuple[str, str]]:
    """(label, sentence) rows for the parties block, in the order of ``roles``: a
    decision names the parties; it does not publish their addresses or numbers."""
    return [(label, f"{text}。") for label, text in party_rows(case, roles, contact=False)]


def applicant_names(case) -> str:
    return names(of_role(case, "applicant"), blank="申请人")


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
    doc.title(title, doc_number_variant(case, f"{word}字"))
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
