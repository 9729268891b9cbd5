"""Helpers for ledger tests: spreadsheets built in memory, uploads, valid IDs."""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from sifa.common.identity import id_check_char

HEADERS = ["案由", "收案日期", "承办机构", "申请人姓名", "申请人证件号码", "申请人联系电话", "被申请人姓名", "结案日期", "办理结果", "涉及金额"]


def id_number(n: int) -> str:
    body = f"110105198{n % 10}0{1 + n % 9}1{n % 10}{n % 1000:03d}"[:17]
    return body + id_check_char(body)


def row(i: int, org_name: str = "A司法所", *, opened="2025-03-05", closed="2025-03-20", result="成功") -> list:
    return [f"纠纷{i}", opened, org_name, f"申请人{i}", id_number(i), f"138{i % 100000000:08d}", f"被申请人{i}", closed, result, "100.00"]


def xlsx_bytes(rows: list[list], headers: list[str] = HEADERS, title_row: str | None = None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    if title_row:
        ws.append([title_row])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def csv_bytes(rows: list[list], headers: list[str] = HEADERS, encoding: str = "utf-8-sig") -> bytes:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    for r in rows:
        w.writerow(r)
    return buf.getvalue().encode(encoding)


def uploaded(client, data: bytes, name: str = "台账.xlsx", case_type: str | None = None):
    """Upload ``data`` as the test line's ledger through the page; the job it started (validated by now)."""
    import re

    from sifa.cases.tests.testline import KEY
    from sifa.ledgers.models import ImportJob

    resp = client.post(reverse("ledgers:import_start"), {"case_type": case_type or KEY, "file": upload(name, data)})
    assert resp.status_code == 302, re.findall(r"(?:invalid-feedback|alert)[^>]*>([^<]*)", resp.content.decode())
    return ImportJob.objects.latest("id")


def committed(client, job):
    """Confirm ``job`` through the page; the job as the commit left it."""
    assert client.post(reverse("ledgers:import_commit", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    return job
