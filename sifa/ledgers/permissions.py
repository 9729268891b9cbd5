"""Who may import and export. Exporting needs the EXPORT capability (leader,
section and office staff). Importing creates cases, so it needs HANDLE as
well (section and office staff), and a place in the user's scope where that
case type may be registered (``cases.selectors.creatable_orgs``)."""

from __future__ import annotations

from sifa.accounts.roles import EXPORT, HANDLE, REVEAL, has_cap


def can_export(user) -> bool:
    return has_cap(user, EXPORT)


def can_reveal(user) -> bool:
    return has_cap(user, REVEAL)


def can_import_any(user) -> bool:
    return has_cap(user, HANDLE) and has_cap(user, EXPORT)


def can_import(user, case_type: str) -> bool:
    if not can_import_any(user):
        return False
    from sifa.cases.selectors import creatable_orgs  # applies the line's own CaseType.may_create
    from sifa.kit import registry

    # A register's ledger: where the user may register its line's cases.
    if registry.find_register(case_type) is not None:
        from sifa.cases.selectors import registration_scope

        return registration_scope(user, registry.scope_type(case_type)).exists()
    return creatable_orgs(user, registry.scope_type(case_type)).exists()


def importable_ledgers(user) -> list:
    from sifa.kit import registry

    if not can_import_any(user):
        return []
    return [led for led in (led for led in registry.ledgers() if led.importable) if can_import(user, led.case_type)]


def can_use_jobs(user) -> bool:
    return can_export(user) or can_import_any(user)
