"""The test line's register: consultations (法律咨询登记), no workflow, a KPI,
a ledger, and a hand-over into 测试乙类."""

from __future__ import annotations

from sifa.kit import columns as col
from sifa.kit.kpis import KPI, MONTH, OFFICE, Dimension, Measure, ReturnRow, StatReturn
from sifa.kit.ledger import Ledger
from sifa.kit.register import Register, entry_columns, entry_from_row

from . import KEY
from .models import Channel

CONSULTATIONS_KEY = "testline.consultations"

LEDGER = Ledger(
    case_type=CONSULTATIONS_KEY,
    label="法律咨询台账",
    columns=(*entry_columns(), col.choice("channel", "咨询方式", dict(Channel.choices), required=True, export=lambda r: r.case.get_channel_display())),
    record=entry_from_row("testline.Consultation", "channel"),
    entries=True,
    sheet_name="法律咨询",
)


def _sample(actor, org):
    from datetime import date

    from sifa.registers.services import create_entry

    values = {"on": date(2026, 3, 5), "owner_org": org, "person_name": "样例", "person_phone": "13800000003", "person_id_number": "", "summary": "样例咨询"}
    return create_entry(actor, CONSULTATIONS, values | {"result": "", "channel": "visit"})


CONSULTATIONS = Register(
    key=CONSULTATIONS_KEY,
    label="法律咨询登记",
    model="testline.Consultation",
    case_type=KEY,
    letters="ZX",
    fields=("channel",),
    columns=(("channel", "咨询方式"),),
    filter_field="channel",
    ledger=LEDGER,
    sample=_sample,
)

BY_CHANNEL = Dimension("channel", "咨询方式", "field", field="channel", labels=lambda: dict(Channel.choices))
KPIS = (
    KPI(
        "testline.consultations",
        KEY,
        "法律咨询人次",
        "人次",
        Measure("法律咨询登记", model="testline.Consultation", date_field="on"),
        definition="登记日期在统计期内的法律咨询登记条数。",
        source="测试规则",
        dimensions=(OFFICE, MONTH, BY_CHANNEL),
    ),
)

# The test line's statistical return. Its case KPIs (testline.received …) are the stats
# tests' own (sifa/stats/tests/kpis.py, registered by the ``test_kpis`` fixture): without
# them the return names unknown KPIs and nobody sees it.
RETURN = StatReturn(
    "testline.return",
    "测试业务统计表",
    "testline",
    rows=(
        ReturnRow("受理案件", "testline.received"),
        ReturnRow("其中：成功结案", "testline.success", indent=1),
        ReturnRow("成功率", "testline.success_rate", indent=1),
        ReturnRow("结案", "testline.closed"),
        ReturnRow("法律咨询", "testline.consultations"),
    ),
    note="测试用报表。",
)
