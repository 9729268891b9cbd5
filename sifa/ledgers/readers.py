"""Reading an uploaded ledger: .xlsx (openpyxl read-only) or .csv (UTF-8 with
or without BOM, else GB18030). Row numbers are the ones the spreadsheet
shows, so an error report can say "第7531行" and the user finds it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from sifa.common.errors import DomainError
from sifa.kit.columns import as_text

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
HEADER_SEARCH_ROWS = 10


@dataclass
class Sheet:
    header_row: int  # spreadsheet row number of the header
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number, cell values) after the header

    @property
    def total(self) -> int:
        return len(self.rows)


def _kind(file_name: str, data: bytes) -> str:
    name = (file_name or "").lower()
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DomainError("不支持旧版 Excel（.xls）文件，请在 Excel 中“另存为”.xlsx 后再导入。", field="file")
    if name.endswith((".xlsx", ".xlsm")):
        raise DomainError("文件不是有效的 .xlsx 文件（可能已损坏），请重新保存后再导入。", field="file")
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise DomainError("只能导入 .xlsx 或 .csv 文件。", field="file")


def decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise DomainError("无法识别 CSV 文件的编码：请另存为 UTF-8 或 GB18030（GBK）编码。", field="file") from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 (any unreadable workbook is the user's file, not our error)
        raise DomainError("无法读取该 .xlsx 文件（可能已损坏或加密），请重新保存后再导入。", field="file") from None
    try:
        ws = wb["台账"] if "台账" in wb.sheetnames else wb.worksheets[0]
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        wb.close()


def _csv_rows(data: bytes) -> Iterator[tuple[int, list]]:
    text = decode_csv(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    yield from enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1)


def _blank(values: list) -> bool:
    return all(as_text(v) == "" for v in values)


def _norm_header(h) -> str:
    return as_text(h).replace(" ", "").replace("\n", "").rstrip("*＊").strip()


def read(file_name: str, data: bytes, known_headers: set[str]) -> Sheet:
    """The sheet's header (the first of the first rows naming at least two known
    columns, so a title row above it is fine) and its non-empty data rows."""
    if len(data) > MAX_BYTES:
        raise DomainError(f"文件过大（{len(data) // 1024 // 1024}MB），单个台账文件不超过{MAX_BYTES // 1024 // 1024}MB，可拆分后分批导入。", field="file")
    if not data:
        raise DomainError("文件是空的。", field="file")
    kind = _kind(file_name, data)
    source = _xlsx_rows(data) if kind == "xlsx" else _csv_rows(data)
    header_row, headers, rows = 0, [], []
    for number, values in source:
        if not header_row:
            names = [_norm_header(v) for v in values]
            if sum(1 for n in names if n in known_headers) >= min(2, len(known_headers)):
                header_row, headers = number, names
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        if _blank(values):
            continue
        rows.append((number, values))
        if len(rows) > MAX_ROWS:
            raise DomainError(f"文件超过{MAX_ROWS:,}行，请拆分后分批导入。", field="file")
    if not header_row:
        raise DomainError(f"在文件前{HEADER_SEARCH_ROWS}行中没有找到表头：请使用下载的导入模板，第一行为列名。", field="file")
    return Sheet(header_row, headers, rows)
