"""Row-by-row validation of an uploaded ledger. Every error of every row is
collected (row number as in the spreadsheet, column header, message in
Chinese); nothing is written here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sifa.cases.models import Case
from sifa.cases.parties import clean_party
from sifa.common.errors import DomainError
from sifa.common.text import clean_text
from sifa.kit import registry as case_registry
from sifa.kit.columns import as_text
from sifa.kit.ledger import CellInvalid, Column, ImportContext, ImportRow, Ledger

from .readers import Sheet, _norm_header

MAX_ERRORS_KEPT = 5000


@dataclass
class CellError:
    row: int
    column: str
    message: str

    def as_list(self) -> list:
        return [self.row, self.column, self.message]


@dataclass
class Result:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    error_count: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(CellError(row, column, message))


def _party_message(msg: str) -> str:
    for prefix in ("当事人：", "当事人的"):
        if msg.startswith(prefix):
            return msg[len(prefix) :]
    return msg


def _is_example(values: dict, columns: list[Column]) -> bool:
    examples = [(c, c.example) for c in columns if c.example]
    return (
        bool(examples)
        and all(as_text(values.get(c.key)) == ex for c, ex in examples)
        and all(as_text(values.get(c.key)) == "" for c in columns if not c.example)
    )


def validate(ledger: Ledger, sheet: Sheet, ctx: ImportContext, progress: Callable[[int, int], None] | None = None) -> Result:
    res = Result()
    columns = ledger.import_columns()
    by_header = {_norm_header(c.header): c for c in columns}
    positions: dict[str, int] = {}
    for i, h in enumerate(sheet.headers):
        col = by_header.get(h)
        if col is not None and col.key not in positions:
            positions[col.key] = i
    ignored = [h for h in sheet.headers if h and h not in by_header]
    if ignored:
        res.notes.append("以下列不属于本台账，已忽略：" + "、".join(ignored[:20]))
    for col in columns:
        if col.required and col.key not in positions:
            res.add(sheet.header_row, col.header, f"缺少必填列“{col.header}”。")
    if not res.ok:
        return res
    ct = case_registry.case_type(case_registry.scope_type(ledger.case_type))
    total = sheet.total
    example_skipped = False
    for index, (number, cells) in enumerate(sheet.rows, start=1):
        # Each cell's text loses control characters here, once (issue 20: one stored U+0001 broke Word documents).
        raw = {
            key: (clean_text(cells[pos], multiline=True) if isinstance(cells[pos], str) else cells[pos]) if pos < len(cells) else None
            for key, pos in positions.items()
        }
        if not example_skipped and index <= 2 and _is_example(raw, columns):
            example_skipped = True
            res.notes.append(f"第{number}行是模板中的示例，已忽略。")
            continue
        row = _validate_row(ledger, ct, columns, number, raw, ctx, res)
        if row is not None:
            res.rows.append(row)
        if progress is not None and (index % 250 == 0 or index == total):
            progress(index, total)
    if not res.rows and res.ok:
        res.add(sheet.header_row, "—", "文件中没有数据行。")
    return res


def _validate_row(ledger: Ledger, ct, columns: list[Column], number: int, raw: dict, ctx: ImportContext, res: Result) -> ImportRow | None:
    before = res.error_count
    values: dict = {}
    for col in columns:
        value = raw.get(col.key)
        empty = as_text(value) == ""
        if empty and col.required:
            res.add(number, col.header, "必填，不能为空。")
            continue
        if empty and col.party is None:
            values[col.key] = None
            continue
        try:
            values[col.key] = col.parse(value, ctx)
        except CellInvalid as exc:
            res.add(number, col.header, exc.message)
        except DomainError as exc:
            res.add(number, col.header, exc.message)
    parties = _parties(ct, columns, number, values, res)
    row = ImportRow(number, values, parties, labels={c.key: c.header for c in columns})
    if res.error_count == before and ledger.check_row is not None:
        try:
            more = ledger.check_row(row, ctx)
            # A rule may return what it found, or say it on ``row`` (``refuse``/``needs`` …) and return
            # ``row.problems`` itself: each refusal is reported once either way.
            if more is not None and more is not row.problems:
                row.problems.extend(more)
        except CellInvalid as exc:
            row.problems.append(exc)
    if res.error_count == before and row.get("doc_number"):
        _unique_doc_number(row, ct, ctx)
    for problem in row.problems:
        res.add(number, _header(ledger, problem.column), problem.message)
    return row if res.error_count == before else None


def _unique_doc_number(row: ImportRow, ct, ctx: ImportContext) -> None:
    """An imported 文号 is not one the bureau already used on this case type, nor another row's."""
    if "doc_numbers" not in ctx.shared:
        used = Case.all_objects.filter(case_type=ct.key, bureau=ctx.bureau).exclude(doc_number="")
        ctx.shared["doc_numbers"], ctx.shared["doc_rows"] = set(used.values_list("doc_number", flat=True)), {}
    number, rows = row["doc_number"], ctx.shared["doc_rows"]
    if number in ctx.shared["doc_numbers"]:
        row.refuse(f"文号“{number}”已被本局其他{ct.label}案件使用。", "doc_number")
    elif rows.get(number, row.number) != row.number:
        row.refuse(f"文号“{number}”与第{rows[number]}行重复。", "doc_number")
    else:
        rows[number] = row.number


def _header(ledger: Ledger, key: str | None) -> str:
    col = ledger.column(key) if key else None
    return col.header if col else "—"


def _parties(ct, columns: list[Column], number: int, values: dict, res: Result) -> list[dict]:
    roles: dict[str, dict[str, Column]] = {}
    for col in columns:
        if col.party:
            roles.setdefault(col.party[0], {})[col.party[1]] = col
    out = []
    for role, cols in roles.items():
        data = {f: values.get(c.key) for f, c in cols.items() if values.get(c.key) not in (None, "")}
        if not data:
            continue
        name_col = cols.get("name")
        if not data.get("name"):
            if name_col is not None:
                res.add(number, name_col.header, "填写了该当事人的其他信息，但缺少姓名/名称。")
            continue
        try:
            out.append(clean_party({"role": role, **data}, allowed_roles=ct.party_roles or None))
        except DomainError as exc:
            col = cols.get(exc.field or "") or name_col
            res.add(number, col.header if col else "—", _party_message(exc.message))
    return out
