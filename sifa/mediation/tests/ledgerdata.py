"""Mediation ledger (人民调解台账) rows and files for import tests, in the
template's own column order, with valid ID numbers."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from sifa.common.identity import id_check_char
from sifa.mediation.ledger import LEDGER

HEADERS = [c.header for c in LEDGER.import_columns()]
KEYS = [c.key for c in LEDGER.import_columns()]

# i % 100 -> the kind of row: most are archived, a few are still open in each state.
KINDS = (
    ("archived_written", 42),
    ("archived_oral", 16),
    ("archived_visited", 10),
    ("archived_failed", 28),
    ("agreed", 1),
    ("terminated", 1),
    ("accepted", 1),
    ("registered", 1),
)
PLAN = [kind for kind, n in KINDS for _ in range(n)]
SOURCES = ["当事人申请", "调委会主动调解（排查）", "人民法院委托移送", "公安机关移送"]
TYPES = ["邻里纠纷", "婚姻家庭纠纷", "赡养纠纷", "合同纠纷", "物业纠纷"]


def id_number(i: int) -> str:
    body = f"330203{1950 + i % 50}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
    return body + id_check_char(body)


def kind_of(i: int) -> str:
    return PLAN[i % len(PLAN)]


def row(i: int, org: str = "A调委会", *, years=(2024, 2025)) -> dict:
    """One ledger row as {column key: cell value}."""
    kind = kind_of(i)
    opened = date(years[i % len(years)], 1 + i % 12, 1 + i % 28)
    outcome = opened + timedelta(days=5 + i % 20)
    r = {
        "title": f"申请人{i}与被申请人{i}纠纷",
        "opened_on": opened,
        "org": org,
        "source": SOURCES[i % len(SOURCES)],
        "dispute_type": TYPES[i % len(TYPES)],
        "applicant.name": f"申请人{i}",
        "applicant.id_number": id_number(i),
        "applicant.phone": f"138{i:08d}",
        "respondent.name": f"被申请人{i}",
        "summary": "双方因琐事发生争执。",
        "amount_in_dispute": f"{1000 + i % 500}.00" if i % 3 == 0 else None,
    }
    if kind == "registered":
        return r
    r["accepted_on"] = opened if i % 2 else None  # without it, 登记日期 counts as 受理日期 for a dispute with a result
    if kind == "accepted":
        r["accepted_on"] = opened
        return r
    r["outcome_on"] = outcome
    if kind in ("archived_failed", "terminated"):
        r["result"] = "调解不成"
    else:
        r["result"] = "调解成功"
        r["agreement_form"] = "口头协议" if kind == "archived_oral" or i % 7 == 0 else "书面调解协议书"
        r["agreement_amount"] = f"{100 + i % 900}.50" if i % 2 == 0 else None
        if kind == "archived_visited":
            r["performance"] = "部分履行"
            r["visit_on"] = outcome + timedelta(days=10)
        elif kind != "agreed":
            r["performance"] = "履行完毕"
    if kind.startswith("archived"):
        r["closed_on"] = outcome + timedelta(days=20)
    return r


def cells(r: dict) -> list:
    return [r.get(k) for k in KEYS]


def xlsx(rows: list[dict] | list[list], headers: list[str] = HEADERS) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(headers)
    for r in rows:
        ws.append(cells(r) if isinstance(r, dict) else r)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
