"""Guards of both workflows are built the same way: first the step's form (so the
API's raw JSON is checked exactly like the page's input), then the rule that
needs the case's state or the step's date."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from ..forms.common import validated


def guard(form_class=None, check: Callable | None = None):
    """A Transition.guard: validate ``data`` with ``form_class`` (raising a
    DomainError that names the field), then ``check(case, cleaned)`` → refusal or None."""

    def _guard(case, data):
        cleaned = validated(form_class, case, data)
        return check(case, cleaned) if check else None

    _guard.form_class = form_class
    return _guard


def offered(check):
    """Offer a step's button only while its check (state of the case's records,
    dated today) would let it through; the guard still decides when it is taken."""

    def available(case) -> bool:
        return check(case, {"on": timezone.localdate()}) is None

    return available
