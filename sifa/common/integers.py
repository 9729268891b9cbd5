"""Integers from users, bounded to what every database holds.

SQLite stores integers in 64 bits, and the sqlite3 driver raises OverflowError
(not a database error, so a 500) for a larger Python int:
``/api/v1/mediation/mediators/?committee=99999999999999999999`` answered 500
there. Django 5 already reads an out-of-range value as "no match" for an integer
field's own ``exact``/``gt``/``lt`` lookups (``pk=…`` in ``access_case``), but not
through a foreign key (``committee_id=…``, ``org=…``) nor in an ``in`` list.

``install()`` (``CommonConfig.ready``) extends Django's own rule to those lookups,
once for every query of the project — every filter, page, API and URL id — rather
than in each of the hundreds of places that parse an id: a value beyond the 64-bit
range names no row, exactly like a missing one (another office's record answers
404 the same way). ``bounded_id`` is the same rule for code that parses an id itself.
``tests/test_oversized_integers.py`` walks every route with such a value.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In

MAX_ID = 2**63 - 1  # SQLite's INTEGER and PostgreSQL's bigint
MIN_INT = -(2**63)
_MAX_DIGITS = len(str(MAX_ID))


def in_range(value) -> bool:
    """False only for an int no 64-bit column can hold (anything else: True)."""
    return not isinstance(value, int) or isinstance(value, bool) or MIN_INT <= value <= MAX_ID


def bounded_id(value) -> int | None:
    """``value`` as a record id, or None when it is not one: not a whole number, zero,
    or beyond the 64-bit range (``filter(pk=None)`` then matches nothing)."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > _MAX_DIGITS:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class BoundedRelatedExact(RelatedExact):
    """``fk=value``: a value beyond 64 bits matches no row (as ``IntegerFieldExact``)."""

    def process_rhs(self, compiler, connection):
        if not in_range(self.rhs):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


class _BoundedInMixin:
    """``field__in=[…]``: values beyond 64 bits are dropped (no row holds them); an
    emptied list matches nothing, as an empty list does."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            try:
                values = list(self.rhs)
            except TypeError:
                values = None
            if values is not None and not all(in_range(v) for v in values):
                self.rhs = [v for v in values if in_range(v)]
        return super().process_rhs(compiler, connection)


class BoundedIn(_BoundedInMixin, In):
    pass


class BoundedRelatedIn(_BoundedInMixin, RelatedIn):
    pass


def install() -> None:
    """Register the bounded lookups (idempotent; ``register_lookup`` clears Django's cache)."""
    IntegerField.register_lookup(BoundedIn)
    ForeignKey.register_lookup(BoundedRelatedExact)
    ForeignKey.register_lookup(BoundedRelatedIn)
