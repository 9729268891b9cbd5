"""Cells both ledgers share: dictionary and code-list columns, party kind, lists in one cell."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sifa.cases.choices import PartyKind
from sifa.common.models import DictionaryEntry
from sifa.ledgers.bulk import RowRefused
from sifa.ledgers.columns import as_text, parse_choice
from sifa.ledgers.definitions import CellInvalid, Column, ImportContext

from .. import selectors

# --- shared cells -----------------------------------------------------------------------------------


class DictionaryLabels(Sequence):
    """The active labels of an editable code list, read when a template is built
    (never at start-up: the list lives in the database and may change)."""

    def __init__(self, code_set: str):
        self.code_set = code_set

    def _labels(self) -> list[str]:
        return list(DictionaryEntry.objects.filter(code_set=self.code_set, is_active=True).order_by("sort_order", "code").values_list("label", flat=True))

    def __iter__(self):
        return iter(self._labels())

    def __len__(self):
        return len(self._labels())

    def __getitem__(self, i):
        return self._labels()[i]


def shared(ctx: ImportContext) -> dict:
    """Look-ups shared by every row of one validation (dictionaries, existing 文号)."""
    return ctx.__dict__.setdefault("_reconsideration", {})


def dictionary_codes(ctx: ImportContext, code_set: str) -> dict[str, str]:
    """{label, "上级 / 下级" or code: code} of the active entries."""
    cache = shared(ctx)
    if code_set not in cache:
        found: dict[str, str] = {}
        for e in DictionaryEntry.objects.filter(code_set=code_set, is_active=True).select_related("parent"):
            found[e.code] = e.code
            if e.parent_id:
                found[f"{e.parent.label} / {e.label}"] = e.code
        for e in DictionaryEntry.objects.filter(code_set=code_set, is_active=True):
            found.setdefault(e.label, e.code)
        cache[code_set] = found
    return cache[code_set]


def labels_of(code_set: str) -> dict[str, str]:
    return dict(DictionaryEntry.objects.filter(code_set=code_set).values_list("code", "label"))


def dictionary_column(key: str, header: str, code_set: str, *, export, example: str, required: bool = True) -> Column:
    def parse(value, ctx: ImportContext):
        text = as_text(value)
        if not text:
            return ""
        code = dictionary_codes(ctx, code_set).get(text)
        if code is None:
            raise CellInvalid(f"“{text}”不在字典“{header}”中（请从下拉列表选择，或请管理员先在字典中添加）。")
        return code

    return Column(
        key, header, export=export, parse=parse, required=required, example=example, choices=DictionaryLabels(code_set), note="从下拉列表选择（字典）", width=20
    )


def coded(key: str, header: str, options: dict[str, str], *, aliases: dict[str, str] | None = None, export, example: str = "", note: str = "") -> Column:
    """A fixed code list: the label offered in the drop-down, the full statutory
    label, the stored value or a common alias are all accepted."""
    accepted = dict(options)

    def parse(value, ctx: ImportContext):
        text = as_text(value)
        if text in (aliases or {}):
            return aliases[text]
        return parse_choice(text, accepted)

    return Column(key, header, export=export, parse=parse, example=example, choices=tuple(options.values()), note=note or "从下拉列表选择", width=18)


def party_kind(role: str, label: str) -> Column:
    kinds = dict(PartyKind.choices)

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


def rec(attr: str):
    return lambda r: getattr(r.record, attr, None) if r.record is not None else None


def yes_no(value) -> str:
    return {True: "是", False: "否"}.get(value, "")


LIST_SPLIT = re.compile(r"[、,，;；\n]+")


def split_list(value) -> list[str]:
    return [p.strip() for p in LIST_SPLIT.split(as_text(value)) if p.strip()]


def short_label(label: str) -> str:
    """A statutory label without its article: "判决撤销或部分撤销（第七十条）" → "判决撤销或部分撤销"."""
    return re.sub(r"（第[^）]*）$", "", label)


def refuse_outsider(ctx: ImportContext, key: str) -> None:
    if not selectors.may_register(ctx.user, key):
        raise RowRefused(0, "—", "您无权导入该业务的台账。")
