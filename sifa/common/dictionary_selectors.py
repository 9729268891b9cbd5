"""Reads for the dictionary admin pages."""

from __future__ import annotations

from . import dictionaries
from .models import DictionaryEntry


def code_sets() -> list[tuple[str, str, int, int]]:
    """(code_set, label, entries, active entries) for every registered set, and
    for sets that have entries in the database without being registered (data
    loaded before its app registered a label)."""
    from django.db.models import Count, Q

    counts = {
        r["code_set"]: (r["total"], r["active"])
        for r in DictionaryEntry.objects.values("code_set").annotate(total=Count("id"), active=Count("id", filter=Q(is_active=True)))
    }
    labels = dictionaries.sets()
    rows = [(key, label, *counts.get(key, (0, 0))) for key, label in labels.items()]
    rows += [(key, key, *counts[key]) for key in sorted(counts) if key not in labels]
    return rows


def set_label(code_set: str) -> str | None:
    """The set's label, or None when there is no such set."""
    label = dictionaries.sets().get(code_set)
    if label is None and DictionaryEntry.objects.filter(code_set=code_set).exists():
        return code_set
    return label


def tree(code_set: str) -> list[tuple[DictionaryEntry, list[DictionaryEntry]]]:
    """Top-level entries, each with its children, in display order (inactive included)."""
    entries = list(dictionaries.entries(code_set, active_only=False))
    children: dict[int, list[DictionaryEntry]] = {}
    for e in entries:
        if e.parent_id:
            children.setdefault(e.parent_id, []).append(e)
    return [(e, children.get(e.pk, [])) for e in entries if not e.parent_id]


def top_level(code_set: str):
    return DictionaryEntry.objects.filter(code_set=code_set, parent__isnull=True).order_by("sort_order", "code")
