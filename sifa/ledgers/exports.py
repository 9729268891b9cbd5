"""Exporting cases to .xlsx: any filtered case list (the same filtering as the
case list page, ``cases.views.filtered_cases``, so list and export agree) or
any other registered source of cases (e.g. the cases behind a KPI figure).

Personal data is masked unless the user may reveal it AND asked to; such an
export is audited as a reveal. Text never becomes a formula (``xlsx``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone

from sifa.audit.services import record
from sifa.common.errors import DomainError
from sifa.common.forms import filter_errors
from sifa.kit import columns as col
from sifa.kit import registry
from sifa.kit.ledger import Column, ExportRow, Ledger

from . import xlsx
from .jobs import XLSX, ExportKind, ExportResult, register_kind
from .permissions import can_reveal

CHUNK = 1000


# --- where the cases come from ---------------------------------------------------------------


@dataclass(frozen=True)
class CaseSource:
    key: str
    label: str
    # (user, query parameters) -> (queryset of visible cases in display order, description of the filter)
    cases: Callable[[object, QueryDict], tuple]


_sources: dict[str, CaseSource] = {}


def register_source(source: CaseSource) -> CaseSource:
    _sources[source.key] = source
    return source


def get_source(key: str) -> CaseSource:
    """A registered source, or the list page of a line (``ListSpec``) of that key."""
    if key in _sources:
        return _sources[key]
    spec = registry.list_spec(key)
    if spec is None:
        raise DomainError("未知的导出来源。")
    return CaseSource(spec.key, spec.label, _line_list(spec))


def _line_list(spec):
    def cases(user, params):
        from sifa.cases.lines import filtered
        from sifa.cases.selectors import uses

        if not uses(user, spec.case_type):
            from django.http import Http404

            raise Http404()  # a line's list answers like a missing one outside the line
        form, qs = filtered(user, spec, params)
        if problems := filter_errors(form):
            raise DomainError(f"筛选条件有误，未导出：{problems}")
        return qs, f"{spec.label}；{form.describe()}"

    return cases


class _GetOnly:
    """What ``filtered_cases`` reads of a request: its query parameters."""

    def __init__(self, params: QueryDict):
        self.GET = params


def _list_cases(user, params: QueryDict):
    from sifa.cases.views import filtered_cases

    form, qs = filtered_cases(_GetOnly(params), user)
    if problems := filter_errors(form):
        raise DomainError(f"筛选条件有误，未导出：{problems}")
    parts = []
    if form.is_bound:
        for name, value in form.cleaned_data.items():
            if value in (None, ""):
                continue
            field = form.fields[name]
            options = dict(field.widget.choices) if name == "status" else dict(getattr(field, "choices", None) or [])
            shown = options.get(value, value)
            parts.append(f"{field.label}：{shown}")
    return qs, "；".join(str(p).strip() for p in parts) or "全部（本人可见范围）"


register_source(CaseSource("list", "案件查询", _list_cases))


# --- columns ------------------------------------------------------------------------------------


def _all_parties(field_name: str):
    def get(r: ExportRow):
        return "、".join(v for v in (r.personal(p, field_name) for p in r.parties) if v)

    return get


def _party_names(r: ExportRow) -> str:
    roles = r.case.type.party_roles if r.case.type else {}
    return "；".join(f"{roles.get(p.role, '') + '：' if roles.get(p.role) else ''}{p.name}" for p in r.parties)


DEFAULT_COLUMNS: tuple[Column, ...] = (
    col.code(),
    col.case_type(),
    Column("title", "案由/标题", export=lambda r: r.case.title, width=28),
    col.status(),
    Column("org", "承办机构", export=lambda r: r.case.owner_org.name, width=18),
    col.handler(),
    Column("opened_on", "收案日期", export=lambda r: r.case.opened_on, width=12, number_format=col.DATE_FORMAT),
    Column("closed_on", "结案日期", export=lambda r: r.case.closed_on, width=12, number_format=col.DATE_FORMAT),
    col.outcome(),
    Column("parties", "当事人", export=_party_names, width=30),
    Column("id_numbers", "证件号码", export=_all_parties("id_number"), width=24),
    Column("phones", "联系电话", export=_all_parties("phone"), width=16),
    Column("channel", "来源渠道", export=lambda r: r.case.get_channel_display(), width=10),
)


def columns_for(case_types: set[str]) -> tuple[list[Column], Ledger | None, str]:
    """The line's ledger columns when the list holds one case type with a
    ledger, else the registry's common columns."""
    if len(case_types) == 1:
        ledger = registry.find_ledger(next(iter(case_types)))
        if ledger is not None:
            cols = ledger.export_columns()
            if all(c.key != "code" for c in cols):
                cols = [col.code(), *cols]
            return cols, ledger, ledger.label
    return list(DEFAULT_COLUMNS), None, "案件台账"


def _records(ledger: Ledger | None, ids: list[int]) -> dict:
    """{case id: line record} of a chunk: the ledger's own loader, else the line record model in bulk."""
    if ledger is None:
        return {}
    if ledger.load_records is not None:
        return ledger.load_records(ids)
    model = registry.case_type(ledger.case_type).record_model
    return model.objects.in_bulk(ids) if model is not None else {}


def write_cases(qs, user, *, reveal: bool, description: str, progress=None) -> tuple[bytes, int, str]:
    """(file content, number of rows, title) for the cases of ``qs`` in its order."""
    ids = list(qs.values_list("pk", flat=True))
    types = set(qs.model.objects.filter(pk__in=ids).values_list("case_type", flat=True).distinct()) if ids else set()
    cols, ledger, title = columns_for(types)
    wb = xlsx.new_workbook()
    sheet = xlsx.SheetWriter(wb, ledger.sheet_name if ledger else "台账", [c.header for c in cols], widths=[c.width for c in cols])
    formats = [c.number_format for c in cols]
    from sifa.cases.models import Case

    total = len(ids)
    shared: dict = {}
    for start in range(0, total, CHUNK):
        chunk = ids[start : start + CHUNK]
        by_pk = Case.all_objects.select_related("owner_org", "handler").prefetch_related("parties").in_bulk(chunk)
        records = _records(ledger, chunk)
        for pk in chunk:
            case = by_pk[pk]
            row = ExportRow(case=case, record=records.get(pk), parties=list(case.parties.all()), reveal=reveal, shared=shared)
            sheet.append([c.export(row) for c in cols], formats)
        if progress:
            progress(min(start + CHUNK, total), total)
    info_sheet(wb, user, title=title, description=description, rows=total, reveal=reveal)
    return xlsx.to_bytes(wb), total, title


def info_sheet(wb, user, *, title: str, description: str, rows: int, reveal: bool, masked: str = "证件号码、电话、住址") -> None:
    """The 说明 sheet of a ledger export: what, which filter, how many rows, who, when, masked or not."""
    info = xlsx.SheetWriter(wb, "说明", ["项目", "内容"], widths=[14, 80])
    info.append(["导出内容", title])
    info.append(["筛选条件", description])
    info.append(["行数", rows])
    info.append(["导出人", f"{user.display_name}（{user.org.name}）"])
    info.append(["导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    info.append(["个人信息", "完整（已记录审计）" if reveal else f"已脱敏（{masked}仅显示部分）"])


def _run_case_export(job, progress) -> ExportResult:
    user = job.user
    params = QueryDict(job.params.get("query", ""))
    source = get_source(job.params.get("source", "list"))
    qs, description = source.cases(user, params)
    from .approvals import restricted_type, sealed_q, unapproved_q

    # A restricted line's cases leave only through an approved export of its own list;
    # its sealed cases (minors) never.
    if not (restricted_type(source.key) and job.params.get("approval") == "approved"):
        qs = qs.exclude(unapproved_q())
    qs = qs.exclude(sealed_q())
    reveal = bool(job.params.get("reveal")) and can_reveal(user)
    content, n, title = write_cases(qs, user, reveal=reveal, description=description, progress=progress)
    if reveal:
        record("party.reveal", actor=user, obj=job, detail={"via": "ledger.export", "rows": n, "filter": description})
    name = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    return ExportResult(name, content, XLSX, n, {"source": source.key, "filter": description, "reveal": reveal})


register_kind(ExportKind("ledgers.cases", "案件台账导出", _run_case_export))
