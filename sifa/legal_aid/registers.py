"""The line's registers that are not cases (``kit.register``): consultations
(法律咨询, turned into an application in one step) and duty lawyers' helps
(值班律师法律帮助, counted apart from cases)."""

from __future__ import annotations

from datetime import date

from sifa.kit import columns as col
from sifa.kit.ledger import Ledger
from sifa.kit.register import Register, entry_columns, entry_from_row

from .choices import CASE_TYPE, Category, Channel, HelpKind, Station

CONSULTATIONS_KEY = "legal_aid.consultations"
DUTY_HELPS_KEY = "legal_aid.duty_helps"


def _choice_export(field):
    return lambda r: getattr(r.case, f"get_{field}_display")() if getattr(r.case, field) else ""


CONSULTATION_LEDGER = Ledger(
    case_type=CONSULTATIONS_KEY,
    label="法律咨询台账",
    columns=(
        *entry_columns(person="咨询人", summary="咨询内容", result="解答情况"),
        col.choice("channel", "咨询方式", dict(Channel.choices), required=True, export=_choice_export("channel")),
        col.choice("category", "咨询类别", dict(Category.choices), export=_choice_export("category")),
    ),
    record=entry_from_row("legal_aid.Consultation", "channel", "category"),
    entries=True,
    sheet_name="法律咨询",
)

DUTY_LEDGER = Ledger(
    case_type=DUTY_HELPS_KEY,
    label="值班律师法律帮助台账",
    columns=(
        *entry_columns(person="受帮助人", summary="帮助事项", result="帮助情况"),
        col.choice("station", "工作站", dict(Station.choices), required=True, export=_choice_export("station")),
        col.text("station_name", "工作站名称", max_length=100, example="某区人民法院值班律师工作站", export=lambda r: r.case.station_name),
        col.choice("help_kind", "帮助内容", dict(HelpKind.choices), required=True, export=_choice_export("help_kind")),
        col.boolean("plea_witnessed", "认罪认罚具结见证", export=lambda r: r.case.plea_witnessed),
    ),
    record=entry_from_row("legal_aid.DutyHelp", "station", "station_name", "help_kind", "plea_witnessed"),
    entries=True,
    sheet_name="值班律师",
)


def _sample_consultation(actor, org):
    from sifa.registers.services import create_entry

    values = {"on": date.today(), "owner_org": org, "person_name": "样例", "person_phone": "13800000004", "person_id_number": "", "summary": "咨询追索劳动报酬"}
    return create_entry(actor, CONSULTATIONS, values | {"result": "", "channel": Channel.VISIT, "category": Category.CIVIL})


def _sample_help(actor, org):
    from sifa.registers.services import create_entry

    values = {"on": date.today(), "owner_org": org, "person_name": "样例", "person_phone": "", "person_id_number": "", "summary": "认罪认罚具结"}
    extra = {"result": "", "station": Station.PROCURATORATE, "station_name": "", "help_kind": HelpKind.PLEA, "plea_witnessed": True}
    return create_entry(actor, DUTY_HELPS, values | extra)


CONSULTATIONS = Register(
    key=CONSULTATIONS_KEY,
    label="法律咨询登记",
    model="legal_aid.Consultation",
    case_type=CASE_TYPE,
    letters="YX",
    fields=("channel", "category"),
    columns=(("channel", "咨询方式"), ("category", "咨询类别")),
    filter_field="channel",
    person_label="咨询人",
    summary_label="咨询内容",
    result_label="解答情况",
    ledger=CONSULTATION_LEDGER,
    sample=_sample_consultation,
    order=10,
)

DUTY_HELPS = Register(
    key=DUTY_HELPS_KEY,
    label="值班律师法律帮助",
    model="legal_aid.DutyHelp",
    case_type=CASE_TYPE,
    letters="YB",
    fields=("station", "station_name", "help_kind", "plea_witnessed"),
    columns=(("station", "工作站"), ("help_kind", "帮助内容"), ("plea_witnessed", "认罪认罚具结见证")),
    filter_field="help_kind",
    person_label="受帮助人",
    summary_label="帮助事项",
    result_label="帮助情况",
    ledger=DUTY_LEDGER,
    sample=_sample_help,
    order=20,
)
