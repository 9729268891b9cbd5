"""Word documents in the house style of official notices (公文, GB/T 9704):
A4 with its margins, 仿宋 body, 黑体/宋体 headings, document number under the
title, signature block with the organisation's name and the date in Chinese
numerals. Lines build their documents from these pieces (the parties' block:
``cases.documents``); one click gives `<code>-<document>.docx`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .text import cn_date, xml_safe

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
FALLBACK = "SimSun"


def _run(paragraph, text):
    """A run of ``text`` without the characters XML forbids: lxml refuses them, and one
    control character stored in a party's name made every document of its case fail."""
    return paragraph.add_run(xml_safe(str(text)))


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
        _set_font(_run(p, org_name), HEADING_FONT, 18)

    def title(self, text: str, doc_number: str = "") -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(_run(p, text), TITLE_FONT, 22, bold=True)
        if doc_number:
            n = self.doc.add_paragraph()
            n.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _set_font(_run(n, doc_number), BODY_FONT, 16)

    def heading(self, text: str) -> None:
        p = self.doc.add_paragraph()
        _set_font(_run(p, text), HEADING_FONT, 16)

    def paragraph(self, text: str, *, indent: bool = True, bold: bool = False, align: str = "") -> None:
        p = self.doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        if align == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(28)
        _set_font(_run(p, text), BODY_FONT, 16, bold=bold)

    def fields(self, rows: Iterable[tuple[str, str]]) -> None:
        """Label: value lines (e.g. 申请人：张三，男，…)."""
        for label, value in rows:
            p = self.doc.add_paragraph()
            p.paragraph_format.line_spacing = Pt(28)
            _set_font(_run(p, f"{label}："), BODY_FONT, 16, bold=True)
            _set_font(_run(p, value or ""), BODY_FONT, 16)

    def table(self, header: list[str], rows: Iterable[Iterable], *, widths_cm: list[float] | None = None, size: float = 12) -> None:
        rows = [list(r) for r in rows]
        t = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, h in enumerate(header):
            cell = t.rows[0].cells[i]
            cell.text = ""
            _set_font(_run(cell.paragraphs[0], str(h)), HEADING_FONT, size)
        for r, row in enumerate(rows, start=1):
            for i, value in enumerate(row):
                cell = t.rows[r].cells[i]
                cell.text = ""
                _set_font(_run(cell.paragraphs[0], "" if value is None else str(value)), BODY_FONT, size)
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
            _set_font(_run(lc.paragraphs[0], label), HEADING_FONT, size)
            _set_font(_run(vc.paragraphs[0], value or ""), BODY_FONT, size)

    def signature(self, org_name: str, on: date | None, *, seal_note: bool = True, date_text: str = "") -> None:
        self.doc.add_paragraph()
        for text in (org_name + ("（印章）" if seal_note else ""), date_text or (cn_date(on) if on else "　　年　　月　　日")):
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _set_font(_run(p, text), BODY_FONT, 16)

    def signatures(self, labels: list[str]) -> None:
        """Blank lines for the parties to sign (签名/盖章) with date."""
        for label in labels:
            p = self.doc.add_paragraph()
            p.paragraph_format.line_spacing = Pt(32)
            _set_font(_run(p, f"{label}（签名或盖章）：____________　　　　年　　月　　日"), BODY_FONT, 14)

    def page_break(self) -> None:
        self.doc.add_page_break()

    def image(self, png: bytes, width_cm: float = 15) -> None:
        self.doc.add_picture(BytesIO(png), width=Cm(width_cm))

    def footnote(self, text: str) -> None:
        p = self.doc.add_paragraph()
        _set_font(_run(p, text), BODY_FONT, 10.5)

    def bytes(self, *, stamp: datetime | None = None) -> bytes:
        """The .docx. With ``stamp`` the same content always gives the same bytes (an
        issued report regenerates byte for byte): the document's created/modified
        properties and every zip entry carry ``stamp`` instead of the clock."""
        buf = BytesIO()
        if stamp is not None:
            props = self.doc.core_properties
            props.created = props.modified = props.last_printed = stamp.replace(tzinfo=None, microsecond=0)
            props.revision = 1
            props.author = props.last_modified_by = ""
        self.doc.save(buf)
        if stamp is None:
            return buf.getvalue()
        return _stable_zip(buf.getvalue(), stamp)


def _stable_zip(data: bytes, stamp: datetime) -> bytes:
    """The same zip with every entry dated ``stamp`` (zip dates start in 1980)."""
    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second // 2 * 2)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


# --- documents declared as text templates -------------------------------------------------------------
#
# A line writes each document as a Django template (templates/<line>/documents/<key>.txt,
# rendered without HTML escaping) of plain lines and a few commands; ``from_markup``
# lays it out. A deployment may override a template to change the wording. A typed
# value never becomes a command: multi-line text goes through the ``lines`` filter.
#
#   @org 演示区人民政府              the issuing organisation above the title
#   @title 行政复议决定书 ¦ 文号      the title, and the document number under it
#   @heading 申请事项                a heading
#   @field 申请人 ¦ 张三，男……        a "label：value" line
#   @text 张三：                     a paragraph without the first-line indent
#   any other line                  a paragraph (first line indented two characters)
#   @form 2 ¦ 12                    a form table (label/value pairs per row, font size), its
#   label ¦ value                   pairs one a line, until @end
#   @table 10.5 ¦ 1.5,7.5,…         a table (font size, column widths in cm): header line,
#   a ¦ b ¦ c                       then rows, until @end
#   @pagebreak
#   @signs 申请人 ¦ 调解员           lines for signatures
#   @sign 机构 ¦ 日期                the issuing organisation and the date (blank date: 年 月 日)
#   @note text                      small print at the end

SEP = "¦"


def _cells(text: str) -> list[str]:
    return [c.strip() for c in text.split(SEP)]


def from_markup(text: str) -> bytes:
    doc = OfficialDocument()
    block: tuple | None = None
    # Forbidden characters go before the text is cut into lines, and it is cut at LF only:
    # str.splitlines() also breaks at VT, FF, U+001C–U+001E, U+0085 and U+2028/9, so a stored
    # value holding one would start a line of its own, possibly read as a command.
    for raw in xml_safe(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        if block is not None:
            if line == "@end":
                kind, args, rows = block
                if kind == "form":
                    doc.form_table([(r[0], r[1] if len(r) > 1 else "") for r in rows], cols=int(args[0] or 2), size=float(args[1] if len(args) > 1 else 12))
                else:
                    widths = [float(w) for w in args[1].split(",")] if len(args) > 1 and args[1] else None
                    doc.table(rows[0], rows[1:], widths_cm=widths, size=float(args[0] or 12))
                block = None
            else:
                block[2].append(_cells(line))
            continue
        command, _, rest = line.partition(" ") if line.startswith("@") else ("", "", "")
        args = _cells(rest)
        if command == "@org":
            doc.org_header(rest)
        elif command == "@title":
            doc.title(args[0], args[1] if len(args) > 1 else "")
        elif command == "@heading":
            doc.heading(rest)
        elif command == "@field":
            doc.fields([(args[0], args[1] if len(args) > 1 else "")])
        elif command == "@text":
            doc.paragraph(rest, indent=False)
        elif command in ("@form", "@table"):
            block = (command[1:], args, [])
        elif command == "@pagebreak":
            doc.page_break()
        elif command == "@signs":
            doc.signatures([a for a in args if a])
        elif command == "@sign":
            doc.signature(args[0], None, date_text=args[1] if len(args) > 1 and args[1] else "")
        elif command == "@note":
            doc.footnote(rest)
        else:  # a paragraph (also a line that merely starts with "@")
            doc.paragraph(line)
    return doc.bytes()


def render(template_name: str, context: dict) -> bytes:
    """The .docx of a document template rendered with ``context``."""
    from django.template import Context

    return from_markup(_engine().get_template(template_name).render(Context(context)))


_ENGINE = None


def _engine():
    """Django's template engine without HTML escaping (the output is a Word file),
    with the sifa filters built in. It looks where the site's templates are looked
    for (settings.TEMPLATES' DIRS first, then the apps' folders), so a deployment
    changes a document's wording by putting its own copy in a DIRS folder."""
    global _ENGINE
    if _ENGINE is None:
        from django.conf import settings
        from django.template import Engine

        dirs = [d for t in settings.TEMPLATES for d in t.get("DIRS", ())]
        _ENGINE = Engine(dirs=dirs, app_dirs=True, autoescape=False, builtins=["sifa.common.templatetags.sifa"])
    return _ENGINE


def read_text(data: bytes) -> str:
    """All text of a .docx (paragraphs and table cells), for tests and previews."""
    d = Document(BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)
