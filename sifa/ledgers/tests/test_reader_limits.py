"""Issue 20 item 5: a spreadsheet's declared size is not trusted. A few bytes
declaring A1:XFD1048576, a cell at XFD1, or one row at row 1,000,000 are
refused with a message naming the problem, or read in bounded memory and
time; the largest allowed file stays under 200 MB."""

from __future__ import annotations

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from sifa.cases.models import Case
from sifa.cases.tests.testline import KEY
from sifa.common.errors import DomainError
from sifa.ledgers import readers
from sifa.ledgers.models import ImportJob, JobStatus

from .util import HEADERS, csv_bytes, row, upload, xlsx_bytes

KNOWN = {readers._norm_header(h) for h in HEADERS}


def _with_dimension(data: bytes, ref: str | None) -> bytes:
    """The same workbook with the sheet's <dimension> set to ``ref`` (None: removed)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = re.sub(rb"<dimension [^>]*/>", b"", body)
                if ref is not None:
                    body = body.replace(b"<sheetViews", b'<dimension ref="%s"/><sheetViews' % ref.encode(), 1)
                    if b"<dimension" not in body:
                        body = body.replace(b"<sheetData", b'<dimension ref="%s"/><sheetData' % ref.encode(), 1)
            dst.writestr(info, body)
    return out.getvalue()


def _workbook(*cells: tuple[int, int, object], rows: list[list] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(HEADERS)
    for r in rows or [row(1)]:
        ws.append(r)
    for r, c, v in cells:
        ws.cell(row=r, column=c, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _measured(data: bytes, name: str = "台账.xlsx"):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        try:
            result = readers.read(name, data, KNOWN)
        except DomainError as exc:
            result = exc
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak, seconds


def test_declared_dimension_to_xfd_is_refused_before_reading():
    bomb = _with_dimension(_workbook(), "A1:XFD1048576")
    assert len(bomb) < 10_000
    result, peak, seconds = _measured(bomb)
    assert isinstance(result, DomainError)
    assert "16,384 列" in result.message and "XFD" in result.message
    assert peak < 50 * 1024 * 1024 and seconds < 5


def test_a_cell_at_xfd1_is_refused_by_its_declared_width():
    bomb = _workbook((1, 16384, "x"))
    result, peak, seconds = _measured(bomb)
    assert isinstance(result, DomainError) and "XFD" in result.message
    assert peak < 50 * 1024 * 1024 and seconds < 5


def test_a_cell_at_xfd1_without_a_dimension_is_read_to_the_ledger_width_only():
    bomb = _with_dimension(_workbook((1, 16384, "x"), (2, 16384, "y")), None)
    result, peak, seconds = _measured(bomb)
    assert isinstance(result, readers.Sheet), result
    assert result.total == 1 and result.rows[0][0] == 2
    width = readers.read_width(KNOWN)
    assert len(result.headers) == width and all(len(cells) == width for _, cells in result.rows)
    assert peak < 50 * 1024 * 1024 and seconds < 5


def test_one_row_at_row_one_million_is_read_as_one_row_in_bounded_time():
    bomb = _workbook((1_000_000, 1, "纠纷X"), (1_000_000, 2, "2025-03-05"))
    assert b"A1:J1000000" in zipfile.ZipFile(io.BytesIO(bomb)).read("xl/worksheets/sheet1.xml")
    result, peak, seconds = _measured(bomb)
    assert isinstance(result, readers.Sheet), result
    assert [n for n, _ in result.rows] == [2, 1_000_000]
    assert peak < 50 * 1024 * 1024 and seconds < 5


def test_header_not_in_the_first_rows_is_refused_with_where_it_was_looked_for():
    data = _workbook(rows=[])
    moved = Workbook()
    ws = moved.active
    ws.cell(row=500_000, column=1, value="案由")
    ws.cell(row=500_000, column=2, value="收案日期")
    buf = io.BytesIO()
    moved.save(buf)
    for bad in (buf.getvalue(), xlsx_bytes([row(1)], headers=[""] * 40 + HEADERS)):
        result, _, seconds = _measured(bad)
        assert isinstance(result, DomainError) and "前10行" in result.message and "表头" in result.message
        assert seconds < 5
    assert isinstance(_measured(data)[0], readers.Sheet)


def test_rows_present_but_empty_count_against_a_limit(monkeypatch):
    monkeypatch.setattr(readers, "MAX_PRESENT_ROWS", 50)
    # Cells holding only a space: present in the XML, blank to the ledger.
    data = _workbook(*((r, 1, " ") for r in range(3, 80)))
    result, _, _ = _measured(data)
    assert isinstance(result, DomainError) and "空行" in result.message
    monkeypatch.setattr(readers, "MAX_PRESENT_ROWS", 100)
    result, _, _ = _measured(data)
    assert isinstance(result, readers.Sheet) and result.total == 1


def test_a_csv_line_with_a_million_columns_is_cut_to_the_ledger_width():
    data = csv_bytes([row(1) + [""] * 1_000_000])
    result, peak, seconds = _measured(data, "台账.csv")
    assert isinstance(result, readers.Sheet)
    assert len(result.rows[0][1]) == readers.read_width(KNOWN)
    assert peak < 100 * 1024 * 1024 and seconds < 10


def test_unpacked_size_is_checked_before_openpyxl_reads_anything(monkeypatch):
    monkeypatch.setattr(readers, "MAX_PART_BYTES", 10_000)
    big = _workbook(rows=[row(i) for i in range(200)])
    result, _, _ = _measured(big)
    assert isinstance(result, DomainError) and "解压后过大" in result.message


def test_the_largest_allowed_file_reads_under_200_mb():
    # Reading MAX_ROWS rows under tracemalloc takes minutes; memory grows with
    # the rows read (values, shared strings), so a tenth of the file, scaled
    # up ten times, bounds the whole from above.
    sample = readers.MAX_ROWS // 10
    data = xlsx_bytes([row(i) for i in range(sample)])
    result, peak, _ = _measured(data)
    assert isinstance(result, readers.Sheet) and result.total == sample
    assert peak * (readers.MAX_ROWS // sample) < 200 * 1024 * 1024, f"peak {peak // 1024 // 1024} MB for {sample:,} rows"


@pytest.mark.django_db
def test_a_bomb_upload_writes_nothing_and_the_job_says_why(users, client_for, test_ledger):
    c = client_for(users.office_a)
    before = Case.all_objects.count()
    bomb = _with_dimension(_workbook(), "A1:XFD1048576")
    resp = c.post(reverse("ledgers:import_start"), {"case_type": KEY, "file": upload("台账.xlsx", bomb)})
    assert resp.status_code == 302
    job = ImportJob.objects.latest("id")
    assert job.status == JobStatus.INVALID and "16,384 列" in job.message
    assert job.errors[0][1] == "文件" and "XFD" in job.errors[0][2]
    assert c.post(reverse("ledgers:import_commit", args=[job.pk])).status_code == 400
    assert Case.all_objects.count() == before
    page = c.get(reverse("ledgers:import_job", args=[job.pk])).content.decode()
    assert "16,384 列" in page
