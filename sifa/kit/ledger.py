"""How a line declares its ledger (台账), once, in its own ``ledger.py``.

A ``Column`` says how a cell is written on export (from the case, its line
record and its parties), how a cell is read and checked on import, whether it
is required, and what an example value looks like (``kit.columns`` builds the
usual ones). A ``Ledger`` lists the columns of one case type and, when the line
accepts imports, how imported history becomes cases: a ``Draft`` of the case
per row, the line record, its child rows, and the timeline triggers to replay
so that the clocks of an open case come out as if it had been worked here.

The framework (``sifa.ledgers``: template, upload, row-by-row validation,
preview, the one transaction of the commit, progress, export) names no line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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


class RowRefused(Exception):
    """A row refused while the cases are created (the whole import rolls back)."""

    def __init__(self, row: int, column: str, message: str):
        super().__init__(message)
        self.row, self.column, self.message = row, column, message


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
    shared: dict = field(default_factory=dict)  # look-ups every row of one export shares

    def parties_in(self, role: str) -> list:
        return [p for p in self.parties if p.role == role]

    def personal(self, party, field_name: str) -> str:
        """A party's ID number / phone / address, masked unless revealing."""
        value = getattr(party, field_name, "") or ""
        if self.reveal or not value:
            return value
        from sifa.common.identity import mask_party

        return mask_party(party).get(field_name, "")


@dataclass
class ImportContext:
    """Given to ``parse``, ``check_row`` and the import hooks: who imports, from
    which file, and look-ups every row shares (``shared``: a dict the line may
    fill once per import, e.g. a dictionary's labels)."""

    user: Any
    case_type: str
    file_name: str
    today: date
    job: Any = None
    # () -> the orgs where the user may register this case type (set by the framework)
    orgs_for: Callable[[], Any] | None = None
    bureau: Any = None  # the importer's bureau: owner of bureau-level cases
    # {org kind: label} that may own a case of this type (the case type's owner_kinds; empty: any)
    owner_kinds: dict = field(default_factory=dict)
    shared: dict = field(default_factory=dict)
    _orgs: dict | None = None

    @property
    def event_label(self) -> str:
        return f"由 {getattr(self.user, 'display_name', '') or self.user} 从台账 {self.file_name} 导入"

    def orgs(self) -> dict:
        """{name or short name: Org} for the orgs where the user may register this case type."""
        if self._orgs is None:
            found: dict = {}
            orgs = list(self.orgs_for().order_by("depth", "id")) if self.orgs_for else []
            for org in orgs:
                found.setdefault(org.name, org)
            for org in orgs:
                found.setdefault(org.short_name, org)
            self._orgs = found
        return self._orgs


@dataclass
class ImportRow:
    """One validated data row: its spreadsheet row number, the parsed values by
    column key, and the parties (already checked by ``clean_party``).

    A ledger's ``check_row`` reports what is wrong across columns with
    ``refuse``; the usual rules word themselves from the column headers
    (``labels``, set by the framework), so every ledger says them alike."""

    number: int
    values: dict
    parties: list[dict] = field(default_factory=list)
    labels: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    def __getitem__(self, key):
        return self.values.get(key)

    def get(self, key, default=None):
        v = self.values.get(key)
        return default if v in (None, "") else v

    def filled(self, key) -> bool:
        """The cell says something (a 否 or a 0 does; an empty list does not)."""
        return self.get(key) not in (None, [], ())

    def refuse(self, message: str, column: str) -> None:
        self.problems.append(CellInvalid(message, column=column))

    def needs(self, given: str, needed: str, message: str = "") -> None:
        """Filled ``given`` requires ``needed``: "填写了结案日期，须同时填写结案方式。"."""
        if self.filled(given) and not self.filled(needed):
            self.refuse(message or f"填写了{self.labels.get(given, given)}，须同时填写{self.labels.get(needed, needed)}。", needed)

    def not_before(self, later: str, earlier: str, message: str = "") -> None:
        """Date ``later`` is not before date ``earlier``: "受理日期早于收到申请日期。"."""
        a, b = self.get(later), self.get(earlier)
        if a is not None and b is not None and a < b:
            self.refuse(message or f"{self.labels.get(later, later)}早于{self.labels.get(earlier, earlier)}。", later)

    def not_after(self, earlier: str, later: str, message: str = "") -> None:
        """Date ``earlier`` is not after date ``later``: "收到书面答复日期晚于结案日期。"."""
        a, b = self.get(earlier), self.get(later)
        if a is not None and b is not None and a > b:
            self.refuse(message or f"{self.labels.get(earlier, earlier)}晚于{self.labels.get(later, later)}。", earlier)

    def only_if(self, condition: bool, keys, why: str) -> None:
        """Columns ``keys`` are left empty unless ``condition``: "只有调解成功的纠纷才填写“协议形式”。"."""
        if not condition:
            for key in keys:
                if self.filled(key):
                    self.refuse(f"{why}“{self.labels.get(key, key)}”。", key)


@dataclass
class Draft:
    """The case a row becomes. ``owner_org`` None: the importer's bureau (bureau-level lines)."""

    title: str
    opened_on: date
    owner_org: Any = None
    parties: list[dict] = field(default_factory=list)
    status: str | None = None  # default: the workflow's initial state
    closed_on: date | None = None
    outcome: str = ""
    summary: str = ""
    handler: Any = None  # default: the importing user when they handle cases
    doc_number: str = ""  # an imported 文号; numbers in the line's own form move its counter past them
    event_data: dict = field(default_factory=dict)
    row: int = 0  # set by the framework


Replay = Iterable[tuple[str, date, dict]]


@dataclass(frozen=True)
class Ledger:
    case_type: str  # the registry key ("mediation")
    label: str  # "人民调解台账"
    columns: tuple[Column, ...]
    # {case id: line record} for a batch of cases (export); default: the line record model in bulk.
    load_records: Callable[[list[int]], dict] | None = None
    # Cross-column checks of one parsed row: returns CellInvalid(column=key) items.
    check_row: Callable[[ImportRow, ImportContext], Sequence[CellInvalid] | None] | None = None
    # --- import (all four run inside the one import transaction; None draft = export-only).
    # On PostgreSQL the case's own row is written last, with its code (ledgers.bulk): a
    # callback reads and sets the case object's fields, never queries or updates its row.
    draft: Callable[[ImportRow, ImportContext], Draft] | None = None
    # (row, ctx) -> the unsaved line record (its case is set by the framework)
    record: Callable[[ImportRow, ImportContext], Any] | None = None
    # (case, row, record) -> unsaved child rows (hearings, judgments …), bulk-created by model
    children: Callable[[Any, ImportRow, Any], list] | None = None
    # (case, row, record, children) -> the timeline triggers the row records, with their
    # dates and data, replayed through the deadline rules for open cases (after "created")
    replay: Callable[[Any, ImportRow, Any, list], Replay] | None = None
    sheet_name: str = "台账"
    order: int = 100
    # A register's ledger (``kit.register``): ``case_type`` is the register's key, and
    # each row becomes the entry ``record(row, ctx)`` returns; no draft, no case.
    entries: bool = False

    @property
    def importable(self) -> bool:
        return self.draft is not None or (self.entries and self.record is not None)

    def import_columns(self) -> list[Column]:
        return [c for c in self.columns if c.importable]

    def export_columns(self) -> list[Column]:
        return [c for c in self.columns if c.exportable]

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)
