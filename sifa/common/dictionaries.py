"""Reads and writes of the editable code lists."""

from __future__ import annotations

import time
from typing import NamedTuple

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from sifa.common.errors import DomainError

from .models import DictionaryEntry

# code_set -> label, registered by the apps that use them (for the admin page).
_SETS: dict[str, str] = {}


def register_set(code_set: str, label: str) -> None:
    _SETS[code_set] = label


def sets() -> dict[str, str]:
    return dict(sorted(_SETS.items(), key=lambda kv: kv[1]))


def entries(code_set: str, *, active_only: bool = True, top_level_only: bool = False):
    qs = DictionaryEntry.objects.filter(code_set=code_set)
    if active_only:
        qs = qs.filter(is_active=True)
    if top_level_only:
        qs = qs.filter(parent__isnull=True)
    return qs.select_related("parent").order_by("sort_order", "code")


def choices(code_set: str, *, with_children: bool = True) -> list[tuple[str, str]]:
    """Choices for a select; children are shown as “上级 / 下级”."""
    out = []
    for e in entries(code_set):
        if e.parent_id and not with_children:
            continue
        out.append((e.code, f"{e.parent.label} / {e.label}" if e.parent_id else e.label))
    return out


class Kept(NamedTuple):
    label: str
    active: bool
    parent: str | None  # the parent entry's code


# Code lists change seldom (an administrator's edit) and are read on every page and
# write of a line: labels, validation, a dispute type's parent, a query each (issue 19).
# Kept per process, one query per code set; cleared in this process when an entry is
# saved or deleted (the signals below); other processes see an edit within MAX_AGE
# seconds, as they see an edited holiday table (deadlines.calendar.CACHE_SECONDS).
MAX_AGE = 60.0  # seconds
_kept: dict[str, tuple[float, dict[str, Kept]]] = {}


def forget(**kwargs) -> None:
    _kept.clear()


post_save.connect(forget, sender=DictionaryEntry, dispatch_uid="sifa.common.dictionaries.forget.save")
post_delete.connect(forget, sender=DictionaryEntry, dispatch_uid="sifa.common.dictionaries.forget.delete")


def kept(code_set: str) -> dict[str, Kept]:
    """{code: Kept} of every entry of ``code_set``, active or not."""
    got = _kept.get(code_set)
    if got is None or time.monotonic() - got[0] > MAX_AGE:
        rows = DictionaryEntry.objects.filter(code_set=code_set).values_list("code", "label", "is_active", "parent__code")
        got = (time.monotonic(), {code: Kept(lbl, active, parent) for code, lbl, active, parent in rows})
        _kept[code_set] = got
    return got[1]


def label(code_set: str, code: str) -> str:
    e = kept(code_set).get(code)
    return e.label if e else code


def labels(code_set: str) -> dict[str, str]:
    return {code: e.label for code, e in kept(code_set).items()}


def parent(code_set: str, code: str) -> str | None:
    """The code of the entry's parent (a dispute type's 大类), None for a top-level or unknown code."""
    e = kept(code_set).get(code)
    return e.parent if e else None


def ensure(code_set: str, items: list[tuple], source: str = "") -> int:
    """Seed a code list: items are (code, label) or (code, label, parent_code).
    Existing codes are left alone (an administrator may have renamed them)."""
    created = 0
    with transaction.atomic():
        existing = set(DictionaryEntry.objects.filter(code_set=code_set).values_list("code", flat=True))
        for i, item in enumerate(items):
            code, lbl = item[0], item[1]
            parent_code = item[2] if len(item) > 2 else None
            if code in existing:
                continue
            parent = DictionaryEntry.objects.get(code_set=code_set, code=parent_code) if parent_code else None
            DictionaryEntry.objects.create(code_set=code_set, code=code, label=lbl, parent=parent, sort_order=(i + 1) * 10, source=source)
            created += 1
    return created


def validate(code_set: str, code: str, field: str, what: str) -> str:
    e = kept(code_set).get(code)
    if e is None or not e.active:
        raise DomainError(f"{what}“{code}”不在字典中。", field=field)
    return code
