"""The periods an indicator is filled for, built on ``sifa.stats.periods.Period``
(the one period type the dashboard and the report use): the periods of a kind in a
year, the ones lying inside an asked period (a year figure of a quarterly indicator
sums its four quarters), and the choice of one on the open-round form."""

from __future__ import annotations

from datetime import date

from sifa.stats.periods import Period, parse

from .choices import PeriodKind

_PARTS = {PeriodKind.YEAR: 1, PeriodKind.HALF: 2, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}


def of(kind: str, year: int, part: int = 1) -> Period:
    if kind not in _PARTS:
        raise ValueError(f"unknown period kind {kind!r}")
    return parse(kind, year, part)


def in_year(kind: str, year: int) -> list[Period]:
    return [of(kind, year, n) for n in range(1, _PARTS[kind] + 1)]


def within(kind: str, period: Period) -> list[Period]:
    """The periods of ``kind`` lying wholly inside ``period``."""
    out = []
    for year in range(period.start.year, period.end.year + 1):
        out += [p for p in in_year(kind, year) if p.start >= period.start and p.end <= period.end]
    return out


def part_choices(kind: str) -> list[tuple[int, str]]:
    """The open-round form's second select (none for a yearly indicator)."""
    if kind == PeriodKind.HALF:
        return [(1, "上半年"), (2, "下半年")]
    if kind == PeriodKind.QUARTER:
        return [(q, f"第{'一二三四'[q - 1]}季度") for q in range(1, 5)]
    if kind == PeriodKind.MONTH:
        return [(m, f"{m}月") for m in range(1, 13)]
    return []


def part_of(period: Period) -> int:
    """Which half/quarter/month of its year a period is (1 for a year)."""
    return period.part


def last_ended(kind: str, today: date) -> Period:
    """The latest period of ``kind`` that has ended by ``today`` (the round usually opened next)."""
    candidates = in_year(kind, today.year - 1) + in_year(kind, today.year)
    return [p for p in candidates if p.end < today][-1]
