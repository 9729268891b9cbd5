"""Server-side sorting of a paginated list (UI.md: lists are sortable).

A list declares its sorts once: key → ``Sort`` (the Chinese label of the column,
the ``order_by`` fields in their ascending sense, the direction a first click
asks for). ``?sort=key`` ascends, ``?sort=-key`` descends; a final tiebreak on
``id`` keeps pages stable (two cases of one day never swap between page 1 and
page 2). Whatever is typed in ``sort`` (a stale bookmark, ``drop table``,
``__class__``) falls back to the list's default: the key is only ever looked up
in the declared dict, never used as a field name, so it cannot name a field the
list did not declare.

Every declared field must be one the scoped list can read in order from an
index (the lists hold millions of cases): see ``cases.models.Case.Meta``.

The template side is ``{% load sorting %}``: ``{% sort_th sorting "code" %}``
for a header, ``{% sort_select sorting %}`` for the filter bar on a phone
(where the table's header is hidden).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ASC, DESC = "asc", "desc"
_VALUE = re.compile(r"^(-?)([a-z][a-z0-9_]{0,39})$")


@dataclass(frozen=True)
class Sort:
    label: str  # the column's header: "登记日期"
    order_by: tuple[str, ...]  # ascending sense, e.g. ("opened_on",)
    # What a first click on the column asks for: dates newest first, deadlines soonest first.
    first: str = ASC
    # The select's words for (ascending, descending).
    words: tuple[str, str] = ("升序", "降序")


def date_sort(label: str, *fields: str, first: str = DESC) -> Sort:
    """A date column: a clerk wants the newest first (a deadline: the soonest, ``first=ASC``)."""
    return Sort(label, fields, first, ("从早到晚", "从晚到早"))


# eq=False: compared and hashed as the one declaration it is (a ListSpec, itself frozen
# and hashed, holds one), not field by field over its dict.
@dataclass(frozen=True, eq=False)
class Sorts:
    """The sorts a list offers. ``default`` is a value as in the URL ("-opened_on").
    ``aliases`` maps values older links used to today's ("opened" → "-opened_on")."""

    keys: dict[str, Sort]
    default: str
    aliases: dict[str, str] = field(default_factory=dict)
    tiebreak: str = "id"

    def __post_init__(self):
        key, _desc = _split(self.default)
        if key not in self.keys:
            raise ValueError(f"default sort {self.default!r} is not declared")

    def with_keys(self, **more: Sort) -> Sorts:
        """These sorts and a list's own (a line adds a column)."""
        return Sorts({**self.keys, **more}, self.default, dict(self.aliases), self.tiebreak)

    def parse(self, value) -> tuple[str, bool]:
        """(key, descending?) of a ``sort`` value; anything not declared gives the default."""
        if isinstance(value, str):
            value = self.aliases.get(value, value)
            key, desc = _split(value)
            if key in self.keys:
                return key, desc
        return _split(self.default)

    def order_by(self, key: str, desc: bool) -> list[str]:
        fields = [_flip(f) if desc else f for f in self.keys[key].order_by]
        return [*fields, f"-{self.tiebreak}" if desc else self.tiebreak]


def _split(value: str) -> tuple[str, bool]:
    m = _VALUE.match(value or "")
    if not m:
        return "", False
    return m.group(2), m.group(1) == "-"


def _flip(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


@dataclass(frozen=True)
class SortState:
    """What a page shows of its sorting: the sorts, the current key and direction."""

    sorts: Sorts
    key: str
    desc: bool

    @property
    def value(self) -> str:
        return f"-{self.key}" if self.desc else self.key

    def toggled(self, key: str) -> str:
        """The ``sort`` value a click on ``key``'s header asks for."""
        if key == self.key:
            return key if self.desc else f"-{key}"
        return f"-{key}" if self.sorts.keys[key].first == DESC else key

    def apply(self, qs):
        """``qs`` in this order, with the final tiebreak."""
        return qs.order_by(*self.sorts.order_by(self.key, self.desc))

    def options(self) -> list[tuple[str, str]]:
        """(value, label) of every sort, both ways, for the phone's select."""
        out = []
        for key, s in self.sorts.keys.items():
            first, second = (DESC, ASC) if s.first == DESC else (ASC, DESC)
            for way in (first, second):
                out.append((f"-{key}" if way == DESC else key, f"{s.label}：{s.words[1] if way == DESC else s.words[0]}"))
        return out


def state(params, sorts: Sorts) -> SortState:
    """The sort asked for by ``params`` (a QueryDict or a dict)."""
    value = params.get("sort") if params is not None else None
    key, desc = sorts.parse(value)
    return SortState(sorts, key, desc)
