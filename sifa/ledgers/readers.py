"""Reading an uploaded ledger: .xlsx (openpyxl read-only) or .csv (UTF-8 with
or without BOM, else GB18030). Row numbers are the ones the spreadsheet
shows, so an error report can say "第7531行" and the user finds it.

Nothing the file *declares* about its own size is trusted (issue 20 item 5):
a sheet can declare the dimension A1:XFD1048576 in a few bytes, and openpyxl
pads every row to the declared width and yields every row up to the declared
last one. So the reader takes only the first ``width`` columns (the ledger's
own columns plus a margin, see ``read_width``), walks only the rows actually
present in the sheet's XML, counts them against the limits as it goes, and
refuses a file whose declared width or unpacked size is absurd before reading
a row. Memory is then bounded by MAX_ROWS × width, whatever the file says."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from sifa.common.errors import DomainError
from sifa.kit.columns import as_text

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# Rows present in the file but empty (formatted, or cleared) are skipped, yet
# still cost a parse each: past this many rows in all the file is refused.
MAX_PRESENT_ROWS = 2 * MAX_ROWS
HEADER_SEARCH_ROWS = 10
# Columns read beyond the ledger's own: room for a few columns of the user's
# own (notes, a running number) before or among the template's.
COLUMN_MARGIN = 20
# A declared width above this is not a ledger (the template has a few dozen
# columns; Excel 2003 stopped at 256): refused before reading.
MAX_DECLARED_COLUMNS = 256
# Unpacked size of one part of the .xlsx (a sheet, the shared strings): a
# 20 MB zip of repetitive XML can unpack to gigabytes.
MAX_PART_BYTES = 400 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024


@dataclass
class Sheet:
    header_row: int  # spreadsheet row number of the header
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number, cell values) after the header

    @property
    def total(self) -> int:
        return len(self.rows)


def read_width(known_headers: set[str]) -> int:
    """How many columns (from A) are read: the ledger's columns plus a margin."""
    return len(known_headers) + COLUMN_MARGIN


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


def _unreadable() -> DomainError:
    return DomainError("无法读取该 .xlsx 文件（可能已损坏或加密），请重新保存后再导入。", field="file")


def _check_unpacked_size(data: bytes) -> None:
    # zipfile never inflates a member past the size its header declares, so
    # checking the declared sizes bounds what openpyxl can be made to read.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _unreadable() from None
    for info in infos:
        limit = MAX_SHARED_STRINGS_BYTES if info.filename.lower().endswith("sharedstrings.xml") else MAX_PART_BYTES
        if info.file_size > limit:
            raise DomainError(
                f"文件解压后过大（其中“{info.filename[:60]}”达 {info.file_size // 1024 // 1024}MB，超过 {limit // 1024 // 1024}MB）："
                "请删除多余的行、列或格式后另存，或拆分后分批导入。",
                field="file",
            )


# The text of a string item (a shared string's <si>, an inline <is>): its
# <t>, then the <t> of each formatted run <r>; phonetic runs <rPh> are not
# text. What openpyxl's Text(...).content gives, without building the
# descriptor objects it builds per string: they were a third of reading a
# 5,000-row ledger (issue 19).
_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"
_SI = f"{{{SHEET_MAIN_NS}}}si"
_DIMENSION = f"{{{SHEET_MAIN_NS}}}dimension"
_SHEET_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"


def _text(item) -> str:
    parts = []
    for child in item:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _R:
            parts.extend(t.text or "" for t in child if t.tag == _T)
    return "".join(parts)


def _shared_strings(archive, package) -> list[str]:
    ct = package.find(SHARED_STRINGS)
    if ct is None:
        return []
    strings = []
    with archive.open(ct.PartName[1:]) as src:
        for _, node in iterparse(src):
            if node.tag == _SI:
                # openpyxl's read_string_table drops the escape of a literal "_x" the same way.
                strings.append(_text(node).replace("x005F_", ""))
                node.clear()
    return strings


class _RowParser(WorkSheetParser):
    """openpyxl's row parser, with inline strings (what openpyxl's own
    write-only files and our exports hold) read by ``_text``."""

    def parse_cell(self, element):
        if element.get("t") != "inlineStr":
            return super().parse_cell(element)
        item = element.find(INLINE_STRING)
        coordinate = element.get("r")
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        return {"row": row, "column": column, "value": None if item is None else _text(item), "data_type": "s", "style_id": 0}


def _declared_columns(src) -> int:
    """The width the sheet's <dimension> declares (0: none), read from the
    part's head only. openpyxl's read-only worksheet looks for it through the
    whole part when it is absent (its write-only files have none): a second
    pass over every row."""
    for _, element in iterparse(src, events=("start",)):
        if element.tag == _DIMENSION:
            ref = element.get("ref") or ""
            return (range_boundaries(ref.upper())[2] or 0) if ref else 0
        if element.tag == _SHEET_DATA:
            return 0
    return 0


def _xlsx_rows(data: bytes, width: int) -> Iterator[tuple[int, list]]:
    """(row number, the first ``width`` values) of each row present in the sheet."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    _check_unpacked_size(data)
    try:
        # openpyxl's load_workbook, less what a ledger does not need (properties,
        # theme, the worksheets' objects) and with the lighter string reading above.
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_workbook()
        wb = reader.wb
        apply_stylesheet(reader.archive, wb)
        sheets = [(s.name, rel.target) for s, rel in reader.parser.find_sheets() if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
        if not sheets:
            raise ValueError("no worksheet")
        title, path = next(((n, t) for n, t in sheets if n == "台账"), sheets[0])
        strings = _shared_strings(reader.archive, reader.package)
        with reader.archive.open(path) as src:
            declared = _declared_columns(src)  # only to refuse the absurd
    except Exception:  # noqa: BLE001 (any unreadable workbook is the user's file, not our error)
        raise _unreadable() from None
    try:
        if declared > MAX_DECLARED_COLUMNS:
            raise DomainError(
                f"工作表“{title}”声明的范围宽达 {declared:,} 列（至 {get_column_letter(min(declared, 18278))} 列），"
                f"超过台账允许的 {MAX_DECLARED_COLUMNS} 列：请把数据复制到下载的导入模板中，或删除右侧多余的列后另存再导入。",
                field="file",
            )
        # Not a worksheet's iter_rows(): it yields a padded row for every row
        # number up to the declared or last one, present or not. The parser
        # yields only the <row> elements the file has, one at a time.
        with reader.archive.open(path) as src:
            parser = _RowParser(src, strings, data_only=True, epoch=wb.epoch, date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
            for number, cells in parser.parse():
                values = [None] * width
                for cell in cells:
                    column = cell["column"]
                    if column <= width:
                        values[column - 1] = cell["value"]
                yield number, values
    except DomainError:
        raise
    except Exception:  # noqa: BLE001 (a malformed sheet part is the user's file)
        raise _unreadable() from None
    finally:
        reader.archive.close()


def _csv_rows(data: bytes, width: int) -> Iterator[tuple[int, list]]:
    text = decode_csv(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            yield number, values[:width]
    except csv.Error as exc:
        raise DomainError(f"CSV 文件格式有误（{exc}），请用 Excel 另存为 CSV 或 .xlsx 后再导入。", field="file") from None


def _blank(values: list) -> bool:
    return all(as_text(v) == "" for v in values)


def _norm_header(h) -> str:
    return as_text(h).replace(" ", "").replace("\n", "").rstrip("*＊").strip()


def read(file_name: str, data: bytes, known_headers: set[str]) -> Sheet:
    """The sheet's header (the first of the first rows naming at least two known
    columns, so a title row above it is fine) and its non-empty data rows,
    each cut to the ledger's width (``read_width``)."""
    if len(data) > MAX_BYTES:
        raise DomainError(f"文件过大（{len(data) // 1024 // 1024}MB），单个台账文件不超过{MAX_BYTES // 1024 // 1024}MB，可拆分后分批导入。", field="file")
    if not data:
        raise DomainError("文件是空的。", field="file")
    kind = _kind(file_name, data)
    width = read_width(known_headers)
    source = _xlsx_rows(data, width) if kind == "xlsx" else _csv_rows(data, width)
    header_row, headers, rows, present = 0, [], [], 0
    for number, values in source:
        present += 1
        if present > MAX_PRESENT_ROWS:
            raise DomainError(f"文件包含的行（含空行）超过{MAX_PRESENT_ROWS:,}行：请删除表格下方多余的空行或格式后另存，或拆分后分批导入。", field="file")
        if not header_row:
            if number > HEADER_SEARCH_ROWS:
                break
            names = [_norm_header(v) for v in values]
            if sum(1 for n in names if n in known_headers) >= min(2, len(known_headers)):
                header_row, headers = number, names
            continue
        if _blank(values):
            continue
        rows.append((number, values))
        if len(rows) > MAX_ROWS:
            raise DomainError(f"文件超过{MAX_ROWS:,}行，请拆分后分批导入。", field="file")
    if not header_row:
        raise DomainError(
            f"在文件前{HEADER_SEARCH_ROWS}行、前{width}列中没有找到表头（至少两个模板列名）：请使用下载的导入模板，表头放在第一行、从A列开始。",
            field="file",
        )
    return Sheet(header_row, headers, rows)
