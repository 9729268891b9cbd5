"""Replies to orders transferred from 12345/110 (转办答复回传), in the shape the
transferring platform takes back: one row per order of that platform answered
in a period, with the platform's own number first. The page
(``views/replies.py``) and the API read the same query and rows from here.

Whose replies: the front desk that owns the order sends them back, so an order
a handling unit sees only through its dispatch share is not in that unit's
export (it answers the front desk, which answers the platform)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import BytesIO

from sifa.cases import selectors as case_selectors
from sifa.cases.models import Case
from sifa.common.errors import DomainError
from sifa.common.sheets import set_value

from .. import selectors
from ..choices import CASE_TYPE, PLATFORMS, Channel, Satisfaction, Status

# (key of reply_rows' dicts, column header in the platform's sheet, width)
COLUMNS = (
    ("external_ref", "工单编号", 22),
    ("unit", "办理单位", 24),
    ("result", "办理结果", 10),
    ("answer", "答复内容", 60),
    ("finished_on", "办结时间", 12),
    ("contact", "联系诉求人情况", 36),
    ("handler", "经办人", 10),
    ("unit_phone", "联系电话", 16),
    ("code", "本系统工单编码", 22),
)
RESULTS = {Status.CLOSED: "已办结", Status.REPLIED: "已反馈"}
MAX_DAYS = 366  # one export covers at most a year: the platform takes replies period by period


def platform_choices() -> list[tuple[str, str]]:
    return [(p.value, p.label) for p in PLATFORMS]


def replied_orders(user, platform: str, since: date, until: date):
    """The orders of ``platform`` (12345 or 110) the user's unit received and answered
    between ``since`` and ``until`` (the answer's or the handling unit's feedback date),
    replied (已反馈) or closed (已办结), oldest answer first."""
    if platform not in {p.value for p in PLATFORMS}:
        raise DomainError("转办平台应为12345或110。", field="platform")
    if since > until:
        raise DomainError("开始日期晚于结束日期。", field="since")
    if (until - since).days >= MAX_DAYS:
        raise DomainError("一次最多导出一年的答复，请缩短日期范围。", field="until")
    if getattr(user, "role", "") == "hotline_platform":
        # A platform's service account sees no case (no capability): its own unit's orders only.
        root = user.org
        qs = Case.objects.filter(case_type=CASE_TYPE)
    else:
        root = case_selectors.scope_root(user)
        qs = selectors.cases(user)
    if root is None:
        return qs.none()
    return (
        qs.filter(
            org_path__startswith=root.path,  # owned in the user's scope: not the orders shared for handling
            status__in=tuple(RESULTS),
            workorder__channel=platform,
            workorder__answered_on__gte=since,
            workorder__answered_on__lte=until,
        )
        .exclude(workorder__external_ref="")
        .select_related("workorder", "workorder__dispatched_to", "owner_org", "handler")
        .order_by("workorder__answered_on", "id")
    )


def _contact(case, rec) -> str:
    """What became of the caller: the callback, or the answer given to them."""
    rating = f"，评价{Satisfaction(rec.satisfaction).label}" if rec.satisfaction else ""
    if rec.callback_on:
        way = rec.get_callback_way_display() or "回访"
        said = "，联系不上" if rec.callback_way == "unreachable" else rating
        note = f"（{rec.callback_note}）" if rec.callback_note else ""
        return f"{rec.callback_on:%Y-%m-%d}{way}{said}{note}"
    if rec.answered_on_spot:
        return f"来电时即时解答{rating}"
    if case.status == Status.CLOSED:
        return f"已答复诉求人{rating}"
    return "已反馈办理结果，待回访诉求人"


def reply_row(case) -> dict:
    rec = case.workorder
    unit = rec.dispatched_to if rec.dispatched_to_id else (None if rec.dispatched_to_name else case.owner_org)
    return {
        "external_ref": rec.external_ref,
        "unit": rec.dispatched_to_name or case.owner_org.name,
        "result": RESULTS.get(case.status, ""),
        "answer": rec.answer,
        # Closed: the day it was closed (the callback's, or the answer's); replied: the feedback's.
        "finished_on": case.closed_on if case.status == Status.CLOSED else rec.answered_on,
        "contact": _contact(case, rec),
        "handler": case.handler.display_name if case.handler_id else "",
        "unit_phone": unit.phone if unit is not None else "",  # a law firm's is not known here
        "code": case.code,
    }


def reply_rows(qs) -> Iterator[dict]:
    """One dict per order of ``replied_orders``, keyed as ``COLUMNS``."""
    for case in qs.iterator(chunk_size=500):
        yield reply_row(case)


# --- the sheet ---------------------------------------------------------------------------------------


def _put(ws, row: int, column: int, value) -> None:
    """A cell that is never a formula (``common.sheets``); dates stay dates, an empty
    value is an empty text."""
    set_value(ws.cell(row=row, column=column), value if isinstance(value, date) else str(value or ""))


def sheet(rows, platform: str) -> bytes:
    """The .xlsx the platform imports: a header row, then one row per order."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = f"{Channel(platform).label}答复"[:31]
    for i, (_key, header, width) in enumerate(COLUMNS, start=1):
        _put(ws, 1, i, header)
        ws.cell(row=1, column=i).font = Font(bold=True)
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
    ws.freeze_panes = "A2"
    for n, r in enumerate(rows, start=1):
        for i, (key, _header, _width) in enumerate(COLUMNS, start=1):
            _put(ws, n + 1, i, r[key])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
