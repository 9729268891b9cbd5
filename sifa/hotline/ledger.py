"""12348工单台账 (placeholder: the full columns land with the figures)."""

from sifa.kit import columns as col
from sifa.kit.ledger import Draft, ImportContext, ImportRow, Ledger

from .choices import CASE_TYPE, Channel, Kind
from .models import WorkOrder

COLUMNS = (
    col.code(),
    col.title("工单标题", example="张三咨询（劳动劳务）"),
    col.opened_on("受理日期", example="2026-03-05"),
    col.org("受理单位"),
    *col.party("caller", "诉求人"),
    col.choice("channel", "受理渠道", dict(Channel.choices), required=True, export=lambda r: r.record.get_channel_display()),
    col.choice("kind", "工单类型", dict(Kind.choices), required=True, export=lambda r: r.record.get_kind_display()),
    col.status(),
    col.handler(),
)


def draft(row: ImportRow, ctx: ImportContext) -> Draft:
    return Draft(title=row["title"], owner_org=row["org"], opened_on=row["opened_on"], parties=row.parties)


def record(row: ImportRow, ctx: ImportContext) -> WorkOrder:
    return WorkOrder(channel=row["channel"], kind=row["kind"])


LEDGER = Ledger(case_type=CASE_TYPE, label="12348工单台账", columns=COLUMNS, draft=draft, record=record)
