"""Column helpers lines compose their ledgers from: typed cells (text, date,
choice, number, amount), the organisation cell, party cells, and the case's
own fields. Every parser accepts what a spreadsheet really holds (numbers
typed as numbers, dates as Excel dates or as text in the usual Chinese
forms) and answers in Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from .ledger import CellInvalid, Column, ExportRow, ImportContext

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"


# --- reading raw cells --------------------------------------------------------------------------


def as_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ".0", dates as 2026-03-05."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if not (value.hour or value.minute or value.second) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s.*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: Any, *, allow_future: bool = False, today: date | None = None) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        d = value.date()
    elif isinstance(value, date):
        d = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 100000 and not (19000101 <= value <= 21001231):
        # An Excel serial day number (the cell was formatted as a number).
        d = date(1899, 12, 30) + timedelta(days=int(value))
    else:
        text = as_text(value)
        d = None
        for pat in _DATE_PATTERNS:
            m = pat.match(text)
            if m:
                try:
                    d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    raise CellInvalid(f"日期“{text}”不存在。") from None
                break
        if d is None:
            raise CellInvalid(f"日期“{text}”格式不正确，应如 2024-03-05。")
    if d.year < 1950:
        raise CellInvalid(f"日期 {d:%Y-%m-%d} 过早。")
    if not allow_future and today is not None and d > today:
        raise CellInvalid(f"日期 {d:%Y-%m-%d} 晚于今天。")
    return d


def parse_decimal(value: Any, *, places: int = 2, minimum: Decimal | None = Decimal(0)) -> Decimal | None:
    if value in (None, ""):
        return None
    text = as_text(value).replace(",", "").replace("，", "").replace("元", "").replace("¥", "").strip()
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise CellInvalid(f"“{as_text(value)}”不是数字。") from None
    if not d.is_finite():
        raise CellInvalid(f"“{as_text(value)}”不是数字。")
    if minimum is not None and d < minimum:
        raise CellInvalid(f"数值不能小于{minimum}。")
    q = Decimal(1).scaleb(-places)
    if d != d.quantize(q):
        raise CellInvalid(f"最多保留{places}位小数。")
    if abs(d) >= Decimal(10) ** 12:
        raise CellInvalid("数值过大。")
    return d.quantize(q)


def parse_int(value: Any, *, minimum: int = 0) -> int | None:
    if value in (None, ""):
        return None
    text = as_text(value).replace(",", "")
    if not re.fullmatch(r"-?\d+", text):
        raise CellInvalid(f"“{as_text(value)}”不是整数。")
    n = int(text)
    if n < minimum:
        raise CellInvalid(f"不能小于{minimum}。")
    if n > 2_000_000_000:
        raise CellInvalid("数值过大。")
    return n


def _labelled(options: Mapping[str, str] | Callable[[], Mapping[str, str]]) -> Mapping[str, str]:
    return options() if callable(options) else options


def parse_choice(value: Any, options: Mapping[str, str]) -> str:
    """Accept the Chinese label (as offered in the template) or the stored value."""
    text = as_text(value)
    if text == "":
        return ""
    by_label = {label: key for key, label in options.items()}
    if text in by_label:
        return by_label[text]
    if text in options:
        return text
    shown = "、".join(list(options.values())[:20])
    raise CellInvalid(f"“{text}”不是可选值（可选：{shown}）。")


# --- column constructors ------------------------------------------------------------------------


def _attr_getter(attr: str | None, key: str):
    """Export from the line record's attribute (``record_attr``), else nothing."""
    name = attr or key

    def get(row: ExportRow):
        return getattr(row.record, name, None) if row.record is not None else None

    return get


def text(
    key: str,
    header: str,
    *,
    required: bool = False,
    max_length: int = 200,
    example: str = "",
    export: Callable[[ExportRow], Any] | None = None,
    record_attr: str | None = None,
    importable: bool = True,
    width: int = 16,
    note: str = "",
) -> Column:
    def parse(value, ctx: ImportContext):
        t = as_text(value)
        if len(t) > max_length:
            raise CellInvalid(f"内容过长（最多{max_length}字，现有{len(t)}字）。")
        return t

    return Column(
        key,
        header,
        export=export or _attr_getter(record_attr, key),
        parse=parse if importable else None,
        required=required,
        example=example,
        note=note or f"文字，最多{max_length}字",
        width=width,
    )


def date_column(
    key: str,
    header: str,
    *,
    required: bool = False,
    example: str = "2024-03-05",
    allow_future: bool = False,
    export: Callable[[ExportRow], Any] | None = None,
    record_attr: str | None = None,
    importable: bool = True,
    note: str = "",
) -> Column:
    def parse(value, ctx: ImportContext):
        return parse_date(value, allow_future=allow_future, today=ctx.today)

    return Column(
        key,
        header,
        export=export or _attr_getter(record_attr, key),
        parse=parse if importable else None,
        required=required,
        example=example,
        note=note or "日期，如 2024-03-05（也可写 2024/3/5、2024年3月5日）",
        width=12,
        number_format=DATE_FORMAT,
    )


def choice(
    key: str,
    header: str,
    options: Mapping[str, str] | Callable[[], Mapping[str, str]],
    *,
    required: bool = False,
    example: str | None = None,
    export: Callable[[ExportRow], Any] | None = None,
    record_attr: str | None = None,
    importable: bool = True,
    note: str = "",
) -> Column:
    """A coded value: the template offers the Chinese labels as a drop-down."""
    opts = _labelled(options)

    def parse(value, ctx: ImportContext):
        return parse_choice(value, _labelled(options))

    getter = _attr_getter(record_attr, key)

    def export_label(row: ExportRow):
        v = getter(row)
        return _labelled(options).get(v, v) if v not in (None, "") else ""

    return Column(
        key,
        header,
        export=export or export_label,
        parse=parse if importable else None,
        required=required,
        example=next(iter(opts.values()), "") if example is None else example,  # "": no example
        choices=tuple(opts.values()),
        note=note or "从下拉列表选择",
        width=max(10, min(24, max((len(v) for v in opts.values()), default=4) * 2 + 2)),
    )


def integer(
    key: str,
    header: str,
    *,
    required: bool = False,
    example: str = "1",
    minimum: int = 0,
    export: Callable[[ExportRow], Any] | None = None,
    record_attr: str | None = None,
) -> Column:
    def parse(value, ctx: ImportContext):
        return parse_int(value, minimum=minimum)

    return Column(key, header, export=export or _attr_getter(record_attr, key), parse=parse, required=required, example=example, note="整数", width=10)


def money(
    key: str,
    header: str,
    *,
    required: bool = False,
    example: str = "12000.00",
    export: Callable[[ExportRow], Any] | None = None,
    record_attr: str | None = None,
) -> Column:
    def parse(value, ctx: ImportContext):
        return parse_decimal(value)

    return Column(
        key,
        header,
        export=export or _attr_getter(record_attr, key),
        parse=parse,
        required=required,
        example=example,
        note="金额（元），最多两位小数",
        width=14,
        number_format=MONEY_FORMAT,
    )


def boolean(key: str, header: str, *, example: str = "否", export=None, record_attr: str | None = None) -> Column:
    yes, no = {"是", "有", "Y", "y", "1", "TRUE", "true", "√"}, {"否", "无", "N", "n", "0", "FALSE", "false", ""}

    def parse(value, ctx: ImportContext):
        t = as_text(value)
        if t in yes:
            return True
        if t in no:
            return False
        raise CellInvalid(f"“{t}”应填“是”或“否”。")

    getter = export or _attr_getter(record_attr, key)
    return Column(
        key, header, export=lambda r: {True: "是", False: "否"}.get(getter(r), ""), parse=parse, example=example, choices=("是", "否"), note="是/否", width=8
    )


# --- the case's own fields ------------------------------------------------------------------------


def code(header: str = "案件编码") -> Column:
    return Column("code", header, export=lambda r: r.case.code, width=22, note="系统生成，导入时不填")


def case_type(header: str = "业务类型") -> Column:
    return Column("case_type", header, export=lambda r: r.case.type_label, width=12)


def title(header: str = "案由", *, example: str = "邻里通行纠纷", max_length: int = 200) -> Column:
    return text("title", header, required=True, max_length=max_length, example=example, export=lambda r: r.case.title, width=28)


def summary(header: str = "简要情况", *, example: str = "") -> Column:
    return text("summary", header, max_length=2000, example=example, export=lambda r: r.case.summary, width=40)


def opened_on(header: str = "收案日期", *, example: str = "2024-03-05") -> Column:
    return date_column("opened_on", header, required=True, example=example, export=lambda r: r.case.opened_on)


def closed_on(header: str = "结案日期", *, example: str = "2024-03-20") -> Column:
    return date_column("closed_on", header, example=example, export=lambda r: r.case.closed_on, note="日期；已结案的填写，未结案的留空")


def status(header: str = "状态") -> Column:
    return Column("status", header, export=lambda r: r.case.status_label, width=10)


def outcome(header: str = "结案方式") -> Column:
    return Column("outcome", header, export=lambda r: r.case.outcome_label if r.case.outcome else "", width=12)


def handler(header: str = "承办人") -> Column:
    return Column("handler", header, export=lambda r: r.case.handler.display_name if r.case.handler_id else "", width=10)


def org(header: str = "承办机构", *, example: str = "") -> Column:
    """The owning organisation, by its name or short name, within the importer's scope."""

    def parse(value, ctx: ImportContext):
        t = as_text(value)
        if not t:
            return None
        found = ctx.orgs().get(t)
        if found is None:
            raise CellInvalid(f"机构“{t}”不存在或不在您可登记的范围内。")
        if ctx.owner_kinds and found.kind not in ctx.owner_kinds:
            raise CellInvalid(f"“{t}”不是{'或'.join(ctx.owner_kinds.values())}，请填写{header}。")
        return found

    return Column(
        "org",
        header,
        export=lambda r: r.case.owner_org.name,
        parse=parse,
        required=True,
        example=example,
        note="机构全称或简称（须在本人权限范围内）",
        width=18,
    )


# --- parties --------------------------------------------------------------------------------------


def party(
    role: str,
    label: str,
    *,
    required: bool = True,
    id_number: bool = True,
    phone: bool = True,
    address: bool = False,
    example_name: str = "张三",
    example_id: str = "11010519491231002X",
    example_phone: str = "13812345678",
) -> tuple[Column, ...]:
    """Cells of one party of ``role`` (申请人 …): name, ID number, phone, address.
    On export every party of that role is listed, separated by "、"; ID numbers,
    phones and addresses are masked unless the export reveals them (audited)."""

    def names(r: ExportRow):
        return "、".join(p.name for p in r.parties_in(role))

    def personal(field_name):
        def get(r: ExportRow):
            return "、".join(v for v in (r.personal(p, field_name) for p in r.parties_in(role)) if v)

        return get

    def raw(value, ctx):
        return as_text(value)

    def raw_id(value, ctx):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e14:
            raise CellInvalid("证件号码被 Excel 当作数字保存，末几位已丢失；请将该列设为“文本”后重新填写。")
        return as_text(value).upper()

    cols = [
        Column(f"{role}.name", f"{label}姓名", export=names, parse=raw, required=required, example=example_name, party=(role, "name"), note="姓名或单位名称")
    ]
    if id_number:
        cols.append(
            Column(
                f"{role}.id_number",
                f"{label}证件号码",
                export=personal("id_number"),
                parse=raw_id,
                example=example_id,
                party=(role, "id_number"),
                note="居民身份证号（18位）或统一社会信用代码；请设为文本格式",
                width=22,
            )
        )
    if phone:
        cols.append(
            Column(
                f"{role}.phone",
                f"{label}联系电话",
                export=personal("phone"),
                parse=raw,
                example=example_phone,
                party=(role, "phone"),
                note="手机或固定电话",
                width=15,
            )
        )
    if address:
        cols.append(Column(f"{role}.address", f"{label}住址", export=personal("address"), parse=raw, party=(role, "address"), note="住址", width=28))
    return tuple(cols)


def party_kind(role: str, label: str) -> Column:
    """自然人 / 法人 / 非法人组织 of the parties of ``role``."""
    kinds = {"natural": "自然人", "legal": "法人", "unincorporated": "非法人组织"}

    def parse(value, ctx: ImportContext):
        return parse_choice(value, kinds)

    return Column(
        f"{role}.kind",
        f"{label}类型",
        export=lambda r: "、".join(kinds.get(p.kind, "") for p in r.parties_in(role)),
        parse=parse,
        example="自然人",
        choices=tuple(kinds.values()),
        party=(role, "kind"),
        note="自然人、法人或非法人组织；不填为自然人（单位请填统一社会信用代码）",
        width=10,
    )


# --- editable code lists and fixed code lists -------------------------------------------------------


class DictionaryLabels(Sequence):
    """The active labels of an editable code list, read when a template is built
    (never at start-up: the list lives in the database and may change)."""

    def __init__(self, code_set: str):
        self.code_set = code_set

    def _labels(self) -> list[str]:
        from sifa.common import dictionaries

        return [e.label for e in dictionaries.entries(self.code_set)]

    def __iter__(self):
        return iter(self._labels())

    def __len__(self):
        return len(self._labels())

    def __getitem__(self, i):
        return self._labels()[i]


def dictionary_codes(ctx: ImportContext, code_set: str) -> dict[str, str]:
    """{code, label or "上级 / 下级": code} of the active entries, once per import."""
    key = f"dictionary:{code_set}"
    if key not in ctx.shared:
        from sifa.common import dictionaries

        found: dict[str, str] = {}
        active = list(dictionaries.entries(code_set))
        for e in active:
            found[e.code] = e.code
            if e.parent_id:
                found[f"{e.parent.label} / {e.label}"] = e.code
        for e in active:
            found.setdefault(e.label, e.code)
        ctx.shared[key] = found
    return ctx.shared[key]


def dictionary(
    key: str, header: str, code_set: str, *, export=None, record_attr: str | None = None, example: str = "", required: bool = True, note: str = ""
) -> Column:
    """A cell from an editable code list: its label (sub-types also as "上级 / 下级") or its code.
    Exported as the label; the template offers the labels as a drop-down."""
    getter = export or _attr_getter(record_attr, key)

    def parse(value, ctx: ImportContext):
        text = as_text(value)
        if not text:
            return ""
        code = dictionary_codes(ctx, code_set).get(text) or dictionary_codes(ctx, code_set).get(text.rsplit("/", 1)[-1].strip())
        if code is None:
            raise CellInvalid(f"“{text}”不在字典“{header}”中（请从下拉列表选择，或请管理员先在字典中添加）。")
        return code

    def export_label(row: ExportRow):
        from sifa.common import dictionaries

        v = getter(row)
        if not v:
            return ""
        key = f"dictionary:{code_set}"
        if key not in row.shared:  # once per export, not once per row
            row.shared[key] = dictionaries.labels(code_set)
        return row.shared[key].get(v, v)

    return Column(
        key,
        header,
        export=export_label,
        parse=parse,
        required=required,
        example=example,
        choices=DictionaryLabels(code_set),
        note=note or "从下拉列表选择（字典）",
        width=20,
    )


def coded(key: str, header: str, options: Mapping[str, str], *, aliases: Mapping[str, str] | None = None, export, example: str = "", note: str = "") -> Column:
    """A fixed code list: the label offered in the drop-down, the stored value or a common alias are all accepted."""

    def parse(value, ctx: ImportContext):
        text = as_text(value)
        if text in (aliases or {}):
            return aliases[text]
        return parse_choice(text, options)

    return Column(key, header, export=export, parse=parse, example=example, choices=tuple(options.values()), note=note or "从下拉列表选择", width=18)


def rec(attr: str) -> Callable[[ExportRow], Any]:
    """Export the line record's attribute."""
    return lambda r: getattr(r.record, attr, None) if r.record is not None else None


def yes_no(value) -> str:
    return {True: "是", False: "否"}.get(value, "")


LIST_SPLIT = re.compile(r"[、,，;；\n]+")


def split_list(value) -> list[str]:
    """Several values in one cell: "2024-04-10、2024-05-08"."""
    return [p.strip() for p in LIST_SPLIT.split(as_text(value)) if p.strip()]
