"""Writing .xlsx files that are safe to open (SECURITY.md "exports"): no cell
whose text starts with = + - @ tab or CR is ever stored as a formula. Such
text is written as an inline string with the "quote prefix" style, which is
what Excel itself does when a user types an apostrophe before it, so Excel
neither evaluates it on open nor turns it into a formula when the cell is
edited. ``formula_cells()`` reopens a file and lists any formula, for tests
and for the paranoid."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sifa.common.sheets import DANGEROUS_PREFIXES, clean_text, set_value  # noqa: F401  (re-exported: ledgers.xlsx is where exports look)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F3")
REQUIRED_FONT = Font(bold=True, color="C00000")
WRAP = Alignment(wrap_text=True, vertical="top")


class SheetWriter:
    """Rows into a write-only worksheet (constant memory for large exports)."""

    def __init__(self, wb: Workbook, title: str, headers: list[str], *, widths: list[int] | None = None, required: set[str] | None = None):
        self.ws = wb.create_sheet(title=title[:31])
        for i, w in enumerate(widths or [], start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        self.ws.freeze_panes = "A2"
        head = []
        for h in headers:
            c = WriteOnlyCell(self.ws)
            set_value(c, h)
            c.font = REQUIRED_FONT if required and h in required else HEADER_FONT
            c.fill = HEADER_FILL
            head.append(c)
        self.ws.append(head)
        self.rows = 0

    def append(self, values: Iterable[Any], formats: list[str] | None = None) -> None:
        cells = []
        for i, v in enumerate(values):
            c = WriteOnlyCell(self.ws)
            set_value(c, v, (formats[i] if formats and i < len(formats) else ""))
            cells.append(c)
        self.ws.append(cells)
        self.rows += 1

    def note(self, text: str) -> None:
        c = WriteOnlyCell(self.ws)
        set_value(c, text)
        c.font = Font(italic=True, color="666666")
        self.ws.append([c])


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def to_bytes(wb: Workbook) -> bytes:
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def formula_cells(data: bytes) -> list[str]:
    """Coordinates ("台账!B7") of every formula cell in the file: must be empty."""
    wb = load_workbook(BytesIO(data), read_only=True, data_only=False)
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    found.append(f"{ws.title}!{cell.coordinate}")
    wb.close()
    return found


def styled_header(cell, required: bool = False) -> None:
    cell.font = REQUIRED_FONT if required else HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(vertical="center", wrap_text=True)
