"""Reads of the hotline. Orders always come from the kernel's scoping
(``cases.selectors.visible_to`` / ``access_case``), never from a bare query:
the front desk sees what it owns, a handling unit what was dispatched to it
(a share of the order)."""

from __future__ import annotations

from sifa.cases import selectors as case_selectors

from .choices import CASE_TYPE, Status


def cases(user):
    """The orders the user may see."""
    return case_selectors.line_cases(user, CASE_TYPE)


def todo(user):
    """Orders dispatched to the user's unit (or under it) and not yet answered: the
    handling unit's 待办工单."""
    org = getattr(user, "org", None)
    if org is None:
        return cases(user).none()
    return cases(user).filter(status__in=(Status.DISPATCHED, Status.HANDLING), workorder__dispatched_to__path__startswith=org.path)


def todo_count(user) -> int:
    return todo(user).count() if case_selectors.uses(user, CASE_TYPE) else 0
