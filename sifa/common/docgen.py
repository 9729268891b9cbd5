"""Word documents in the house style of official notices (公文, GB/T 9704):
A4 with its margins, 仿宋 body, 黑体/宋体 headings, document number under the
title, signature block with the organisation's name and the date in Chinese
numerals. Lines build their documents from these pieces (the parties' block:
``cases.documents``); one click gives `<code>-<document>.docx`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .text import cn_date

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
FALLBACK = "SimSun"


def _set_font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = FALLBACK
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


class OfficialDocument:
    """A document under construction. ``bytes()`` gives the .docx content."""

    def __init__(self, *, landscape: bool = False):
        self.doc = Document()
        sec = self.doc.sections[0]
        # A4 (python-docx's default template is US Letter), portrait or landscape.
        sec.page_width, sec.page_height = Cm(21), Cm(29.7)
        if landscape:
            sec.orientation = WD_ORIENT.LANDSCAPE
            sec.page_width, sec.page_height = sec.page_height, sec.page_width
        # GB/T 9704 margins: top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm.
        sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
        style = self.doc.styles["Normal"]
        style.font.name = FALLBACK
        style.font.size = Pt(16)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)

    # --- blocks -------------------------------------------------------------------------

    def org_header(self, org_name: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(p.add_run(org_name), HEADING_FONT, 18)

    def title(self, text: str, doc_number: str = "") -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(p.add_run(text), TITLE_FONT, 22, bold=True)
        if doc_number:
            n = self.doc.add_paragraph()
            n.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _set_font(n.add_run(doc_number), BODY_FONT, 16)

    def heading(self, text: str) -> None:
        p = self.doc.add_paragraph()
        _set_font(p.add_run(text), HEADING_FONT, 16)

    def paragraph(self, text: str, *, indent: bool = True, bold: bool = False, align: str = "") -> None:
        p = self.doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        if align == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(28)
        _set_font(p.add_run(text), BODY_FONT, 16, bold=bold)

    def fields(self, rows: Iterable[tuple[str, str]]) -> None:
        """Label: value lines (e.g. 申请人：张三，男，…)."""
        for label, value in rows:
            p = self.doc.add_paragraph()
            p.paragraph_format.line_spacing = Pt(28)
            _set_font(p.add_run(f"{label}："), BODY_FONT, 16, bold=True)
            _set_font(p.add_run(value or ""), BODY_FONT, 16)

    def table(self, header: list[str], rows: Iterable[Iterable], *, widths_cm: list[float] | None = None, size: float = 12) -> None:
        rows = [list(r) for r in rows]
        t = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, h in enumerate(header):
            cell = t.rows[0].cells[i]
            cell.text = ""
            _set_font(cell.paragraphs[0].add_run(str(h)), HEADING_FONT, size)
        for r, row in enumerate(rows, start=1):
            for i, value in enumerate(row):
                cell = t.rows[r].cells[i]
                cell.text = ""
                _set_font(cell.paragraphs[0].add_run("" if value is None else str(value)), BODY_FONT, size)
        if widths_cm:
            for row in t.rows:
                for i, w in enumerate(widths_cm):
                    row.cells[i].width = Cm(w)

    def form_table(self, pairs: list[tuple[str, str]], *, cols: int = 2, size: float = 12) -> None:
        """A registration-form style table: label | value | label | value …"""
        per_row = cols
        n_rows = (len(pairs) + per_row - 1) // per_row
        t = self.doc.add_table(rows=n_rows, cols=per_row * 2)
        t.style = "Table Grid"
        for idx, (label, value) in enumerate(pairs):
            r, c = divmod(idx, per_row)
            lc, vc = t.rows[r].cells[c * 2], t.rows[r].cells[c * 2 + 1]
            lc.text = vc.text = ""
            _set_font(lc.paragraphs[0].add_run(label), HEADING_FONT, size)
            _set_font(vc.paragraphs[0].add_run(value or ""), BODY_FONT, size)

    def signature(self, org_name: str, on: date | None, *, seal_note: bool = True) -> None:
        self.doc.add_paragraph()
        for text in (org_name + ("（印章）" if seal_note else ""), cn_date(on) if on else "　　年　　月　　日"):
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _set_font(p.add_run(text), BODY_FONT, 16)

    def signatures(self, labels: list[str]) -> None:
        """Blank lines for the parties to sign (签名/盖章) with date."""
        for label in labels:
            p = self.doc.add_paragraph()
            p.paragraph_format.line_spacing = Pt(32)
            _set_font(p.add_run(f"{label}（签名或盖章）：____________　　　　年　　月　　日"), BODY_FONT, 14)

    def page_break(self) -> None:
        self.doc.add_page_break()

    def image(self, png: bytes, width_cm: float = 15) -> None:
        self.doc.add_picture(BytesIO(png), width=Cm(width_cm))

    def footnote(self, text: str) -> None:
        p = self.doc.add_paragraph()
        _set_font(p.add_run(text), BODY_FONT, 10.5)

    def bytes(self) -> bytes:
        buf = BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def read_text(data: bytes) -> str:
    """All text of a .docx (paragraphs and table cells), for tests and previews."""
    d = Document(BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)
