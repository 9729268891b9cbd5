"""How a business line declares its ledger (台账) columns, once, in its own
``ledger.py`` (ARCHITECTURE: "ledger.py — its import/export columns").

A ``Column`` says how a cell is written on export (from the case, its line
record and its parties), how a cell is read and checked on import, whether it
is required, and what an example value looks like. A ``Ledger`` lists the
columns of one case type and, when the line accepts imports, how a case of
that line is created from validated rows (``create``).

The framework (template, upload, row-by-row validation, preview, the one
transaction of the commit, progress, export) lives in this app and names no
line; lines register their ledger from ``AppConfig.ready()`` with
``sifa.ledgers.registry.register``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any


class CellInvalid(Exception):
    """Raised by a column's ``parse`` (or a ledger's ``check_row``) with a
    Chinese message; the framework adds the row number and column header."""

    def __init__(self, message: str, *, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.column = column  # key of the column, for errors raised by check_row


@dataclass(frozen=True)
class Column:
    key: str  # "title", "applicant.name", "dispute_type"
    header: str  # the Chinese column header: "案由"
    # Export: value of the cell for one case (``ExportRow``); None = import-only column.
    export: Callable[[ExportRow], Any] | None = None
    # Import: cell value (str, number, date or None) -> Python value, or CellInvalid.
    # None = export-only column (案件编码, 状态 …).
    parse: Callable[[Any, ImportContext], Any] | None = None
    required: bool = False
    example: str = ""
    # Labels offered as a drop-down list in the template (data validation).
    choices: Sequence[str] = ()
    note: str = ""  # format hint for the template's 填写说明 sheet
    width: int = 14
    # (party role, party field) when the cell is part of a party; the framework
    # assembles these into party dicts and checks them with cases.parties.clean_party.
    party: tuple[str, str] | None = None
    number_format: str = ""  # e.g. "yyyy-mm-dd" for dates, "#,##0.00" for amounts

    @property
    def importable(self) -> bool:
        return self.parse is not None

    @property
    def exportable(self) -> bool:
        return self.export is not None


@dataclass
class ExportRow:
    """What a column's ``export`` reads: the case, the line's one-to-one record
    (or None), the case's parties, and whether personal data may be shown in full."""

    case: Any
    record: Any
    parties: list
    reveal: bool = False

    def parties_in(self, role: str) -> list:
        return [p for p in self.parties if p.role == role]

    def personal(self, party, field_name: str) -> str:
        """A party's ID number / phone / address, masked unless revealing."""
        value = getattr(party, field_name, "") or ""
        if self.reveal or not value:
            return value
        from sifa.cases.parties import masked

        return masked(party).get(field_name, "")


@dataclass
class ImportContext:
    """Given to ``parse``, ``check_row`` and ``create``: who imports, from which
    file, and lookups the columns share (organisations in the user's scope)."""

    user: Any
    case_type: str
    file_name: str
    today: date
    job: Any = None
    _orgs: dict | None = None

    @property
    def event_label(self) -> str:
        return f"由 {getattr(self.user, 'display_name', '') or self.user} 从台账 {self.file_name} 导入"

    def orgs(self) -> dict:
        """{name or short name: Org} for the orgs where the user may register this case type."""
        if self._orgs is None:
            from sifa.cases.selectors import creatable_orgs

            found: dict = {}
            for org in creatable_orgs(self.user, self.case_type).order_by("depth", "id"):
                found.setdefault(org.name, org)
            for org in creatable_orgs(self.user, self.case_type).order_by("depth", "id"):
                found.setdefault(org.short_name, org)
            self._orgs = found
        return self._orgs


@dataclass
class ImportRow:
    """One validated data row: its spreadsheet row number, the parsed values by
    column key, and the parties (already checked by ``clean_party``)."""

    number: int
    values: dict
    parties: list[dict] = field(default_factory=list)

    def __getitem__(self, key):
        return self.values.get(key)

    def get(self, key, default=None):
        v = self.values.get(key)
        return default if v in (None, "") else v


@dataclass(frozen=True)
class Ledger:
    case_type: str  # the registry key ("mediation")
    label: str  # "人民调解台账"
    columns: tuple[Column, ...]
    # {case id: line record} for a batch of cases (export); None = no line record.
    load_records: Callable[[list[int]], dict] | None = None
    # Cross-column checks of one parsed row: yields/returns CellInvalid(column=key) or raises it.
    check_row: Callable[[ImportRow, ImportContext], Sequence[CellInvalid] | None] | None = None
    # Creates the cases of validated rows inside the one import transaction and
    # returns them. The line calls its own services (or ``sifa.ledgers.bulk.create_cases``)
    # with ``ctx.user``; cases get the IMPORT channel and the timeline entry
    # ``ctx.event_label``. None = the ledger is export-only.
    create: Callable[[list[ImportRow], ImportContext], list] | None = None
    sheet_name: str = "台账"
    order: int = 100

    @property
    def importable(self) -> bool:
        return self.create is not None

    def import_columns(self) -> list[Column]:
        return [c for c in self.columns if c.importable]

    def export_columns(self) -> list[Column]:
        return [c for c in self.columns if c.exportable]

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)
