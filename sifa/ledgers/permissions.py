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


def _import_orgs(user, case_type: str):
    """The orgs a ledger of ``case_type`` may import into for ``user`` (a queryset, not run)."""
    from sifa.cases.selectors import creatable_orgs  # applies the line's own CaseType.may_create
    from sifa.kit import registry

    # A register's ledger: where the user may register its line's cases.
    if registry.find_register(case_type) is not None:
        from sifa.cases.selectors import registration_scope

        return registration_scope(user, registry.scope_type(case_type))
    return creatable_orgs(user, registry.scope_type(case_type))


def can_import(user, case_type: str) -> bool:
    if not can_import_any(user):
        return False
    return _import_orgs(user, case_type).exists()


def may_import_some(user) -> bool:
    """Whether ``importable_ledgers(user)`` is not empty (the menu's 台账导入, on
    every page): one query over every ledger's orgs at once, not one per ledger."""
    if not can_import_any(user):
        return False
    from django.db.models import Q

    from sifa.cases.selectors import may_register
    from sifa.kit import registry
    from sifa.orgs.models import Org

    cond = Q()
    for led in registry.ledgers():
        # may_register asks nothing: a line the role may not register is passed over
        # before its orgs are worked out (a bureau-level line's bureau is a query).
        if led.importable and may_register(user, registry.scope_type(led.case_type)):
            orgs = _import_orgs(user, led.case_type)
            if not orgs.query.is_empty():  # none(): the role may not register this line
                cond |= Q(pk__in=orgs.values("pk"))
    return bool(cond) and Org.objects.filter(cond).exists()


def importable_ledgers(user) -> list:
    from sifa.kit import registry

    if not can_import_any(user):
        return []
    return [led for led in (led for led in registry.ledgers() if led.importable) if can_import(user, led.case_type)]


def can_use_jobs(user) -> bool:
    return can_export(user) or can_import_any(user)
