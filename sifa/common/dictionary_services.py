"""Writes to the editable code lists (字典), for the system administrator's
dictionary pages. Codes are stable (records store them); labels, order, notes
and the active flag may change. Two levels only: an entry's parent is a
top-level entry of the same set."""

from __future__ import annotations

import re

from django.db import transaction

from . import audit_hook
from .errors import DomainError
from .models import DictionaryEntry

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


def _clean_label(label: str) -> str:
    label = (label or "").strip()
    if not label:
        raise DomainError("名称不能为空。", field="label")
    if len(label) > 100:
        raise DomainError("名称过长（最多100字）。", field="label")
    return label


def _clean_parent(code_set: str, parent: DictionaryEntry | None, entry: DictionaryEntry | None = None) -> DictionaryEntry | None:
    if parent is None:
        return None
    if parent.code_set != code_set:
        raise DomainError("上级字典项须属于同一字典。", field="parent")
    if parent.parent_id is not None:
        raise DomainError("字典只有两级：上级须是一级字典项。", field="parent")
    if entry is not None:
        if parent.pk == entry.pk:
            raise DomainError("上级不能是字典项本身。", field="parent")
        if entry.children.exists():
            raise DomainError("该字典项已有下级，不能再设上级（字典只有两级）。", field="parent")
    return parent


def _snapshot(e: DictionaryEntry) -> dict:
    return {"label": e.label, "parent": e.parent.code if e.parent_id else "", "sort_order": e.sort_order, "note": e.note, "is_active": e.is_active}


@transaction.atomic
def create_entry(actor, code_set: str, *, code: str, label: str, parent=None, sort_order: int = 0, note: str = "") -> DictionaryEntry:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise DomainError("代码须为1–40位字母、数字或 . _ -，并以字母或数字开头。", field="code")
    if DictionaryEntry.objects.filter(code_set=code_set, code=code).exists():
        raise DomainError(f"代码“{code}”在本字典中已存在；代码一经使用不能重复。", field="code")
    label = _clean_label(label)
    parent = _clean_parent(code_set, parent)
    if parent is not None and not parent.is_active:
        raise DomainError(f"上级“{parent.label}”已停用，不能在其下新增。", field="parent")
    entry = DictionaryEntry.objects.create(
        code_set=code_set, code=code, label=label, parent=parent, sort_order=sort_order or 0, note=(note or "").strip(), source="local"
    )
    audit_hook.record("dictionary.create", actor=actor, obj=entry, detail={"code_set": code_set, "code": code, **_snapshot(entry)})
    return entry


@transaction.atomic
def update_entry(actor, entry: DictionaryEntry, *, label: str, parent=None, sort_order: int = 0, note: str = "") -> DictionaryEntry:
    """Everything but the code (and the set) may change."""
    entry = DictionaryEntry.objects.select_for_update().get(pk=entry.pk)
    before = _snapshot(entry)
    entry.label = _clean_label(label)
    entry.parent = _clean_parent(entry.code_set, parent, entry)
    if entry.parent is not None and entry.is_active and not entry.parent.is_active:
        raise DomainError(f"上级“{entry.parent.label}”已停用，不能把启用的字典项移到其下。", field="parent")
    entry.sort_order = sort_order or 0
    entry.note = (note or "").strip()
    after = _snapshot(entry)
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        entry.save(update_fields=["label", "parent", "sort_order", "note"])
        audit_hook.record("dictionary.update", actor=actor, obj=entry, detail={"code_set": entry.code_set, "code": entry.code, "changes": changes})
    return entry


@transaction.atomic
def set_active(actor, entry: DictionaryEntry, active: bool) -> DictionaryEntry:
    """Deactivated entries leave the selects but keep labelling old records."""
    entry = DictionaryEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_active == active:
        return entry
    if not active and entry.children.filter(is_active=True).exists():
        raise DomainError(f"“{entry.label}”下还有启用的下级字典项，请先停用它们。")
    if active and entry.parent_id and not entry.parent.is_active:
        raise DomainError(f"上级“{entry.parent.label}”已停用，请先启用上级。")
    entry.is_active = active
    entry.save(update_fields=["is_active"])
    audit_hook.record(
        "dictionary.activate" if active else "dictionary.deactivate", actor=actor, obj=entry, detail={"code_set": entry.code_set, "code": entry.code}
    )
    return entry
