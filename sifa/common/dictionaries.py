"""Reads and writes of the editable code lists."""

from __future__ import annotations

from django.db import transaction

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


def label(code_set: str, code: str) -> str:
    e = DictionaryEntry.objects.filter(code_set=code_set, code=code).only("label").first()
    return e.label if e else code


def labels(code_set: str) -> dict[str, str]:
    return dict(DictionaryEntry.objects.filter(code_set=code_set).values_list("code", "label"))


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
    if not DictionaryEntry.objects.filter(code_set=code_set, code=code, is_active=True).exists():
        raise DomainError(f"{what}“{code}”不在字典中。", field=field)
    return code
