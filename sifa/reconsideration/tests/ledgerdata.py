"""Spreadsheets of the line's two ledgers built in memory (rows as {header: value}),
and the upload → validate → commit round trip through the real pages."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from sifa.common.identity import id_check_char
from sifa.ledgers.models import ImportJob
from sifa.reconsideration.choices import FY_KEY
from sifa.reconsideration.ledger import FY_LEDGER, YS_LEDGER

FY_HEADERS = [c.header for c in FY_LEDGER.import_columns()]
YS_HEADERS = [c.header for c in YS_LEDGER.import_columns()]


def id_number(n: int) -> str:
    body = f"3501021980{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return body + id_check_char(body)


def xlsx_bytes(headers: list[str], rows: list[dict]) -> bytes:
    unknown = {h for r in rows for h in r} - set(headers)
    assert not unknown, unknown
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(headers)
    for r in rows:
        ws.append([r.get(h) for h in headers])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(client, case_type: str, rows: list[dict], name: str = "台账.xlsx") -> ImportJob:
    headers = FY_HEADERS if case_type == FY_KEY else YS_HEADERS
    data = xlsx_bytes(headers, rows)
    resp = client.post(reverse("ledgers:import_start"), {"case_type": case_type, "file": SimpleUploadedFile(name, data)})
    assert resp.status_code == 302, re.findall(r"(?:invalid-feedback|alert)[^>]*>([^<]*)", resp.content.decode())
    return ImportJob.objects.latest("id")


def commit(client, job: ImportJob) -> ImportJob:
    assert client.post(reverse("ledgers:import_commit", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    return job


def imported(client, case_type: str, rows: list[dict], name: str = "台账.xlsx") -> ImportJob:
    job = upload(client, case_type, rows, name)
    assert job.status == "validated", job.errors[:5]
    job = commit(client, job)
    assert job.status == "done", (job.message, job.errors[:5])
    return job


# --- rows -------------------------------------------------------------------------------------------

# (结案方式, 终止理由, 复议事项类别): what each kind of concluded row carries.
FY_KINDS = {
    "open": ("", "", "罚款"),
    "review": ("", "", "罚款"),
    "not_accepted": ("不予受理", "", "行政许可"),
    "abandoned": ("视为放弃申请", "", "行政许可"),
    "revoke": ("撤销", "", "罚款"),
    "change": ("变更", "", "罚款"),
    "confirm_illegal": ("确认违法", "", "行政强制措施、行政强制执行"),
    "order_perform": ("责令履行", "", "不履行法定职责（不作为）"),
    "uphold": ("维持", "", "罚款"),
    "dismiss_claim": ("驳回复议请求", "", "不履行法定职责（不作为）"),
    "dismiss_application": ("驳回申请", "", "罚款"),
    "mediation": ("调解", "", "征收征用及补偿"),
    "withdrawn": ("终止", "申请人撤回申请", "罚款"),
    "settled": ("终止", "和解后撤回申请", "罚款"),
    "criminal": ("终止", "被采取刑事强制措施", "行政拘留"),
}


def fy_row(i: int, kind: str, opened: date, *, late: bool = False, simplified: bool = False, agency: str = "区市场监督管理局", **extra) -> dict:
    outcome, reason, category = FY_KINDS[kind]
    row = {
        "收到申请日期": opened,
        "申请人姓名": f"申请人{i}",
        "申请人证件号码": id_number(i),
        "申请人联系电话": f"139{i:08d}",
        "被申请人": agency,
        "复议事项类别": category,
        "被申请复议的行政行为": f"行政行为{i}",
        "行政复议请求": "请求撤销",
    }
    if kind in ("not_accepted", "abandoned"):
        row |= {"结案方式": outcome, "结案日期": opened + timedelta(days=5 if kind == "not_accepted" else 30)}
    elif kind != "open":
        accepted = opened + timedelta(days=2)
        row |= {"受理日期": accepted, "审理程序": "简易程序" if simplified else "普通程序"}
        if outcome:
            # On time: well inside 30/60 days; late: 75 days after acceptance.
            row |= {"结案方式": outcome, "结案日期": accepted + timedelta(days=75 if late else 20)}
        if reason:
            row["终止理由"] = reason
    return row | extra


def ys_row(
    i: int,
    opened: date,
    *,
    hearings: list[tuple[date, bool]] = (),
    first: tuple[str, date] | None = None,
    later: tuple[str, date] | None = None,
    closed: date | None = None,
    defence: date | None = None,
    instance: str = "一审",
    agency: str = "区公安分局",
    **extra,
) -> dict:
    row = {
        "收到起诉状副本日期": opened,
        "原告姓名": f"原告{i}",
        "原告证件号码": id_number(5000 + i),
        "被告": agency,
        "受理法院": "测试区人民法院",
        "案号": f"（{opened.year}）测0101行初{i}号",
        "案由": "行政处罚",
        "被诉行政行为": f"处罚决定{i}",
        "审级": instance,
        "提交答辩日期": defence or (opened + timedelta(days=10) if hearings or first else None),
    }
    if hearings:
        row["开庭日期"] = "、".join(f"{d:%Y-%m-%d}" for d, _ in hearings)
        row["负责人是否出庭"] = "、".join("是" if a else "否" for _, a in hearings)
    if first:
        row |= {"一审裁判结果": first[0], "一审裁判日期": first[1]}
    if later:
        row |= {"二审（再审）裁判结果": later[0], "二审（再审）裁判日期": later[1]}
    if closed:
        row["结案日期"] = closed
    return {k: v for k, v in row.items() if v is not None} | extra
