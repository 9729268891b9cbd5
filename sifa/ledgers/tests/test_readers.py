"""The ledger reader reads what openpyxl reads. It takes openpyxl's parser
with lighter string reading and no whole-sheet scan for a missing
<dimension> (issue 19), so each kind of cell is compared with openpyxl's
own reading of the same file."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time

from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from sifa.ledgers import readers

HEADERS = ["案由", "收案日期", "金额", "备注"]
KNOWN = {readers._norm_header(h) for h in HEADERS}
WIDTH = readers.read_width(KNOWN)

ROWS = [
    ["邻里纠纷", datetime(2024, 3, 5), 1200.5, "普通文字"],
    ["  前后空格  ", date(2025, 1, 2), 7, CellRichText("红色", TextBlock(InlineFont(b=True), "加粗"), "尾")],
    ["x_x005F_x0041_", time(9, 30), True, ""],
    ["换行\n第二行", None, -3, "=1+1 写作文字"],
    [None, None, None, None],  # blank: skipped
    ["最后一行", datetime(2026, 12, 31, 23, 59), 0, None],
]


def _bytes(write_only: bool) -> bytes:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("台账") if write_only else wb.active
    ws.title = "台账"
    ws.append(["标题行：某某司法局台账"])
    ws.append(HEADERS)
    for r in ROWS:
        ws.append(r)
    if not write_only:
        ws["D4"].data_type = "s"  # a literal text that starts with =, as an export writes it
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _openpyxl(data: bytes) -> list[tuple[int, list]]:
    ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True)["台账"]
    out = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if number <= 2 or all(v in (None, "") for v in values):
            continue
        values = [str(v) if isinstance(v, CellRichText) else v for v in values]
        out.append((number, list(values[:WIDTH]) + [None] * (WIDTH - len(values))))
    return out


def test_shared_and_inline_strings_read_as_openpyxl_reads_them():
    for write_only in (False, True):  # shared strings (as Excel saves) and inline strings (as exports write)
        data = _bytes(write_only)
        sheet = readers.read("台账.xlsx", data, KNOWN)
        assert sheet.header_row == 2
        assert sheet.headers[:4] == HEADERS
        assert sheet.rows == _openpyxl(data), write_only
        texts = [cells[3] for _, cells in sheet.rows]
        assert "红色加粗尾" in texts


def test_rows_are_the_same_with_or_without_a_dimension():
    data = _bytes(False)
    assert b"<dimension" in _sheet_part(data)
    stripped = _rezip(data, lambda body: re.sub(rb"<dimension [^>]*/>", b"", body))
    assert b"<dimension" not in _sheet_part(stripped)
    rows = readers.read("台账.xlsx", data, KNOWN).rows
    assert [n for n, _ in rows] == [3, 4, 5, 6, 8]
    assert readers.read("台账.xlsx", stripped, KNOWN).rows == rows


def _sheet_part(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("xl/worksheets/sheet1.xml")


def _rezip(data: bytes, change) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info, change(body) if info.filename.startswith("xl/worksheets/") else body)
    return out.getvalue()


def test_a_workbook_without_a_worksheet_is_refused_clearly():
    wb = Workbook()
    wb.create_chartsheet("图表")
    wb.remove(wb.active)
    buf = io.BytesIO()
    wb.save(buf)
    try:
        readers.read("台账.xlsx", buf.getvalue(), KNOWN)
    except readers.DomainError as exc:
        assert "无法读取" in exc.message
    else:
        raise AssertionError("a workbook with only a chart sheet was read")
