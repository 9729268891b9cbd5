"""The case-type registry: how a business line plugs into the core.

A line registers one ``CaseType`` per kind of matter from its AppConfig.ready().
The core (lists, search, case page, deadlines, dashboard, ledgers) reads only
this registry, never the line's modules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .workflow import Workflow


@dataclass(frozen=True)
class DocumentSpec:
    """A Word document a case can produce: ``build(case, user) -> bytes``."""

    key: str
    label: str
    build: Callable[[Any, Any], bytes]
    available: Callable[[Any], bool] = lambda case: True


@dataclass
class CaseType:
    key: str  # "mediation"
    letters: str  # "TJ"
    label: str  # "人民调解"
    workflow: Workflow
    # 文号 template; fields: {short} org short name, {year}, {seq}
    doc_number_template: str = "{short}〔{year}〕第{seq}号"
    # Which org's short name and counter the 文号 uses: "owner" or "bureau"
    doc_number_scope: str = "bureau"
    deadline_rules: tuple = ()
    documents: tuple[DocumentSpec, ...] = ()
    # Template included on the case page's 基本信息 tab, given ``case`` and ``detail``.
    detail_template: str | None = None
    # Loads the line's one-to-one record for a case (or None).
    detail_loader: Callable[[Any], Any] | None = None
    # URL name of the line's own case page, if it has one ("mediation:detail").
    detail_url_name: str | None = None
    # URL name of the line's registration form.
    create_url_name: str | None = None
    # Narrows who may register this type beyond the generic rule (HANDLE within
    # the user's scope): a bureau-level line says "only users of this line".
    # Used by ``selectors.creatable_orgs``, hence by the home page's buttons,
    # the registry service and ledger imports alike.
    may_create: Callable[[Any], bool] | None = None
    # Public portal may show progress of this type (by code + phone digits).
    public_tracking: bool = False
    # Party roles this line uses, in display order: {value: label}
    party_roles: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    order: int = 100
    extra: dict = field(default_factory=dict)

    def status_label(self, status: str) -> str:
        return self.workflow.label(status)

    def outcome_label(self, outcome: str) -> str:
        return self.outcomes.get(outcome, outcome)


_types: dict[str, CaseType] = {}
_by_letters: dict[str, CaseType] = {}
_demo_seeders: list[tuple[int, Callable]] = []


def register(ct: CaseType) -> CaseType:
    if ct.key in _types and _types[ct.key] is not ct:
        raise ValueError(f"case type {ct.key} registered twice")
    other = _by_letters.get(ct.letters)
    if other is not None and other.key != ct.key:
        raise ValueError(f"letters {ct.letters} already used by {other.key}")
    _types[ct.key] = ct
    _by_letters[ct.letters] = ct
    return ct


def get(key: str) -> CaseType:
    try:
        return _types[key]
    except KeyError:
        raise LookupError(f"unknown case type {key!r}") from None


def find(key: str) -> CaseType | None:
    return _types.get(key)


def by_letters(letters: str) -> CaseType | None:
    return _by_letters.get(letters)


def all_types() -> list[CaseType]:
    return sorted(_types.values(), key=lambda c: (c.order, c.key))


def choices() -> list[tuple[str, str]]:
    return [(c.key, c.label) for c in all_types()]


def register_demo(seeder: Callable, order: int = 100) -> None:
    """A line's demo data: ``seeder(ctx)`` where ctx has orgs and users; must be idempotent."""
    if seeder not in [s for _, s in _demo_seeders]:
        _demo_seeders.append((order, seeder))


def demo_seeders() -> list[Callable]:
    return [s for _, s in sorted(_demo_seeders, key=lambda x: x[0])]
