"""Registers that are not cases (登记簿): consultations, duty-lawyer helps,
visitors, field visits. Each entry is a dated record with an organisation, a
handler and a masked person, counted by KPIs and kept in a ledger, but with no
workflow, no clocks and no code of the registry: it has its own number
(``<region><letters><year><seq>``, from a locked counter like a case code).

A line declares a register in ``registers.py`` and names it in
``Line.registers``; its model subclasses ``sifa.registers.models.Entry``
(the scoping fields are the case's: ``owner_org``/``org_path``/``handler``/
``case_type``/``is_sealed``, so the kernel's visibility rules and the figures'
engine read an entry like a case). The kernel gives it a list, a registration
form, an entry page, the API, the ledger's import and export, and hand-over
into a case of any line that declares a ``HandOver`` from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Register:
    key: str  # "legal_aid.consultations"
    label: str  # "法律咨询登记"
    model: str  # "legal_aid.Consultation" (a subclass of registers.models.Entry)
    # The line's case type whose users see it: line-level visibility and ``uses`` apply to
    # entries as to that line's cases; its ``owner_kinds`` are the orgs that may keep one.
    case_type: str
    letters: str  # two letters of its numbers, distinct from every case type's
    # The line's own fields on the registration form, in order (the kernel's come first:
    # 登记日期, 登记机构, the person, 内容, 处理情况).
    fields: tuple[str, ...] = ()
    # Columns of the list page beyond number, date, org, person and content: (field, header).
    columns: tuple[tuple[str, str], ...] = ()
    # The field a list filters by with a drop-down (e.g. "channel"), if any.
    filter_field: str = ""
    person_label: str = "来访人"
    summary_label: str = "咨询内容"
    result_label: str = "答复/处理情况"
    # The register's ledger (``kit.ledger.Ledger`` with ``case_type`` = this key and a
    # ``record(row, ctx)`` that returns the unsaved entry), or None.
    ledger: object | None = None
    # demo(ctx) -> rows created (idempotent), like ``Line.demo``.
    demo: Callable | None = None
    # sample(actor, org) -> a minimal entry, through ``registers.services.create_entry``:
    # the kit's contract tests run every register's routes against it.
    sample: Callable | None = None
    order: int = 100

    def __post_init__(self):
        if len(self.letters) != 2 or not self.letters.isalpha() or not self.letters.isupper():
            raise ValueError(f"register {self.key}: letters are two capital letters")

    @property
    def slug(self) -> str:
        """The URL part: "legal_aid.consultations" -> "legal_aid-consultations"."""
        return self.key.replace(".", "-")


# --- the ledger of a register -------------------------------------------------------------------------


def entry_columns(*, person: str = "来访人", summary: str = "咨询内容", result: str = "答复/处理情况", org_example: str = "") -> tuple:
    """The kernel's columns of every register's ledger (登记编号 on export only, then
    登记日期, 登记机构, the person, content and result); the line appends its own.
    On export a column reads the entry (``ExportRow.case``); the person's phone
    and ID number are masked unless the export reveals them."""
    from sifa.common.errors import DomainError
    from sifa.common.identity import mask_id_number, mask_phone, normalize_id_number, normalize_phone

    from . import columns as col
    from .ledger import CellInvalid, Column

    def personal(attr, mask):
        def get(r):
            value = getattr(r.case, attr) or ""
            return value if r.reveal else mask(value)

        return get

    def checked(fn):
        def parse(value, ctx):
            t = col.as_text(value)
            if not t:
                return ""
            try:
                return fn(t)
            except DomainError as exc:
                raise CellInvalid(exc.message) from None

        return parse

    def own(attr):
        return lambda r: getattr(r.case, attr)

    org = col.org("登记机构", example=org_example)
    return (
        Column("number", "登记编号", export=own("number"), width=22),
        col.date_column("on", "登记日期", required=True, export=own("on")),
        Column(org.key, org.header, export=lambda r: r.case.owner_org.name, parse=org.parse, required=True, example=org.example, note=org.note, width=18),
        col.text("person_name", f"{person}姓名", max_length=100, example="张某", export=own("person_name")),
        Column("person_phone", "联系电话", export=personal("person_phone", mask_phone), parse=checked(normalize_phone), example="13800000000", width=16),
        Column("person_id_number", "证件号码", export=personal("person_id_number", mask_id_number), parse=checked(normalize_id_number), width=22),
        col.text("summary", summary, required=True, max_length=2000, example="咨询劳动合同解除的经济补偿", export=own("summary"), width=40),
        col.text("result", result, max_length=2000, example="已解答", export=own("result"), width=30),
        Column("handler", "经办人", export=lambda r: getattr(r.case.handler, "display_name", "") if r.case.handler_id else "", width=10),
    )


KERNEL_COLUMNS = ("on", "org", "person_name", "person_phone", "person_id_number", "summary", "result")


def entry_from_row(model: str, *fields: str):
    """A register ledger's ``record(row, ctx)``: the unsaved entry of a row, with the
    kernel's columns and the line's ``fields`` (column key = model field); the
    framework sets its number, organisation, handler and line."""

    def record(row, ctx):
        from django.apps import apps

        Model = apps.get_model(model)
        values = {k: row[k] for k in KERNEL_COLUMNS if k != "org"} | {k: row[k] for k in fields}
        return Model(**{k: v for k, v in values.items() if v is not None})  # an empty cell: the field's default

    return record
