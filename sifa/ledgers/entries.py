"""Ledgers of registers that are not cases (``kit.register``): rows become
entries (numbers taken in one locked step per bureau, register and year; the
importer's scope and the line's org kinds as for its cases), and a register's
list exports to the same columns it imports (masked unless revealing)."""

from __future__ import annotations

from django.http import Http404, QueryDict
from django.utils import timezone

from sifa.accounts.roles import HANDLE, has_cap
from sifa.audit.services import record
from sifa.cases import codes
from sifa.common import copyinsert
from sifa.common.errors import DomainError
from sifa.common.forms import filter_errors
from sifa.kit import registry
from sifa.kit.ledger import ExportRow, ImportContext, ImportRow, Ledger, RowRefused
from sifa.orgs.selectors import bureau_of
from sifa.registers import selectors as entry_selectors
from sifa.registers.filters import filtered
from sifa.registers.services import number_counter

from . import xlsx
from .bulk import reserve_block
from .exports import CHUNK, CaseSource, info_sheet
from .jobs import XLSX, ExportKind, ExportResult, register_kind
from .permissions import can_reveal


def import_entries(ledger: Ledger, rows: list[ImportRow], ctx: ImportContext) -> list:
    """The entries of validated rows. Inside the import transaction."""
    reg = registry.register(ledger.case_type)
    Model = entry_selectors.model_of(reg)
    handler = ctx.user if has_cap(ctx.user, HANDLE) else None
    creator = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    entries, bureaus, need = [], {}, {}
    for r in rows:
        entry = ledger.record(r, ctx)
        org = r.get("org") or ctx.bureau
        if entry.on is None or entry.on > ctx.today:
            raise RowRefused(r.number, "登记日期", "登记日期不能晚于今天。")
        if org.pk not in bureaus:
            bureaus[org.pk] = bureau_of(org)
        entry.owner_org, entry.org_path, entry.bureau = org, org.path, bureaus[org.pk]
        entry.case_type, entry.handler, entry.created_by = reg.case_type, handler, creator
        entries.append(entry)
        key = (entry.bureau.pk, entry.on.year)
        need[key] = need.get(key, 0) + 1
    by_pk = {b.pk: b for b in bureaus.values()}
    following = {}
    for (bureau_pk, year), n in sorted(need.items()):
        first = reserve_block(number_counter(reg, by_pk[bureau_pk], year), n)
        if first + n - 1 >= 1_000_000:
            raise RowRefused(0, "—", f"{year}年{reg.label}编号已用尽，无法导入。")
        following[(bureau_pk, year)] = first
    for e in entries:
        key = (e.bureau.pk, e.on.year)
        e.number, following[key] = codes.build(e.bureau.region_code, reg.letters, e.on.year, following[key]), following[key] + 1
    copyinsert.insert(Model, entries)
    return entries


# --- export -----------------------------------------------------------------------------------------------


def entry_source(key: str) -> CaseSource:
    """A register's list as an export source (its page's filters)."""
    reg = registry.find_register(key)
    if reg is None:
        raise DomainError("未知的导出来源。")

    def entries(user, params):
        from sifa.cases.selectors import uses

        if not uses(user, reg.case_type):
            raise Http404()
        form, qs = filtered(user, reg, params)
        if problems := filter_errors(form):
            raise DomainError(f"筛选条件有误，未导出：{problems}")
        return qs, f"{reg.label}；{form.describe()}"

    return CaseSource(reg.key, reg.label, entries)


def write_entries(reg, qs, user, *, reveal: bool, description: str, progress=None) -> tuple[bytes, int]:
    ledger = reg.ledger
    cols = ledger.export_columns()
    wb = xlsx.new_workbook()
    sheet = xlsx.SheetWriter(wb, ledger.sheet_name, [c.header for c in cols], widths=[c.width for c in cols])
    formats = [c.number_format for c in cols]
    ids = list(qs.values_list("pk", flat=True))
    Model = entry_selectors.model_of(reg)
    shared: dict = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        by_pk = Model.objects.select_related("owner_org", "handler").in_bulk(chunk)
        for pk in chunk:
            e = by_pk[pk]
            sheet.append([c.export(ExportRow(case=e, record=e, parties=[], reveal=reveal, shared=shared)) for c in cols], formats)
        if progress:
            progress(min(start + CHUNK, len(ids)), len(ids))
    info_sheet(wb, user, title=ledger.label, description=description, rows=len(ids), reveal=reveal, masked="证件号码、电话")
    return xlsx.to_bytes(wb), len(ids)


def _run(job, progress) -> ExportResult:
    user, reg = job.user, registry.register(job.params["source"])
    qs, description = entry_source(reg.key).cases(user, QueryDict(job.params.get("query", "")))
    reveal = bool(job.params.get("reveal")) and can_reveal(user)
    content, n = write_entries(reg, qs, user, reveal=reveal, description=description, progress=progress)
    if reveal:
        record("party.reveal", actor=user, obj=job, detail={"via": "ledger.export", "rows": n, "filter": description})
    name = f"{reg.ledger.label}-{timezone.localdate():%Y%m%d}.xlsx"
    return ExportResult(name, content, XLSX, n, {"source": reg.key, "filter": description, "reveal": reveal})


def _check(user, params) -> str:
    reg = registry.find_register(params.get("source", ""))
    return "" if reg is not None and reg.ledger is not None else "该登记簿没有台账。"


register_kind(ExportKind("ledgers.entries", "登记簿台账导出", _run, check=_check))
