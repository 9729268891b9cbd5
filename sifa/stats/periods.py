"""Reporting periods: month, quarter, half-year, year, custom."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str = "custom"  # year | half | quarter | month | custom
    label: str = ""

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("period ends before it starts")

    @classmethod
    def year(cls, y: int) -> Period:
        return cls(date(y, 1, 1), date(y, 12, 31), "year", f"{y}年")

    @classmethod
    def half(cls, y: int, h: int) -> Period:
        return cls(date(y, 1, 1), date(y, 6, 30), "half", f"{y}年上半年") if h == 1 else cls(date(y, 7, 1), date(y, 12, 31), "half", f"{y}年下半年")

    @classmethod
    def quarter(cls, y: int, q: int) -> Period:
        m = (q - 1) * 3 + 1
        return cls(date(y, m, 1), month_end(date(y, m + 2, 1)), "quarter", f"{y}年第{'一二三四'[q - 1]}季度")

    @classmethod
    def month(cls, y: int, m: int) -> Period:
        return cls(date(y, m, 1), month_end(date(y, m, 1)), "month", f"{y}年{m}月")

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        return cls(start, end, "custom", f"{start:%Y-%m-%d}至{end:%Y-%m-%d}")

    def previous_year(self) -> Period:
        """The same period one year earlier (同比)."""
        return Period(_shift_year(self.start, -1), _shift_year(self.end, -1), self.kind, _yoy_label(self))

    def previous(self) -> Period:
        """The period just before (环比)."""
        if self.kind == "year":
            return Period.year(self.start.year - 1)
        if self.kind == "half":
            return Period.half(self.start.year - 1, 2) if self.start.month == 1 else Period.half(self.start.year, 1)
        if self.kind == "quarter":
            q = (self.start.month - 1) // 3 + 1
            return Period.quarter(self.start.year - 1, 4) if q == 1 else Period.quarter(self.start.year, q - 1)
        if self.kind == "month":
            return Period.month(self.start.year - 1, 12) if self.start.month == 1 else Period.month(self.start.year, self.start.month - 1)
        length = (self.end - self.start).days + 1
        end = self.start - timedelta(days=1)
        return Period.custom(end - timedelta(days=length - 1), end)

    @property
    def part(self) -> int:
        """Which half, quarter or month of its year the period is (1 for a year or custom)."""
        if self.kind == "half":
            return 1 if self.start.month == 1 else 2
        if self.kind == "quarter":
            return (self.start.month - 1) // 3 + 1
        if self.kind == "month":
            return self.start.month
        return 1

    def months(self) -> list[date]:
        out, d = [], date(self.start.year, self.start.month, 1)
        while d <= self.end:
            out.append(d)
            d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return out


def month_of(day: date) -> date:
    """The first day of ``day``'s month (how monthly facts name a month)."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """(first month, last month) of the calendar months lying wholly in ``start``..``end``
    (each as its first day), or None."""
    first = start if start.day == 1 else month_end(start) + timedelta(days=1)
    last = month_of(end) if end == month_end(end) else month_of(month_of(end) - timedelta(days=1))
    return (first, last) if first <= last else None


def split(start: date, end: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """``start``..``end`` as (its whole months, or None) and the runs of days before and
    after them: what the KPI facts read from their monthly and their daily tables."""
    months = whole_months(start, end)
    if months is None:
        return None, [(start, end)]
    edges = []
    if start < months[0]:
        edges.append((start, months[0] - timedelta(days=1)))
    if end > month_end(months[1]):
        edges.append((month_end(months[1]) + timedelta(days=1), end))
    return months, edges


def _shift_year(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 Feb
        return d.replace(year=d.year + years, day=28)


def _yoy_label(p: Period) -> str:
    if p.kind in ("year", "half", "quarter", "month") and p.label:
        return p.label.replace(str(p.start.year), str(p.start.year - 1), 1)
    return f"{_shift_year(p.start, -1):%Y-%m-%d}至{_shift_year(p.end, -1):%Y-%m-%d}"


def starting(kind: str, start: date) -> Period:
    """The year, half, quarter or month of ``kind`` that begins on ``start`` (a stored period)."""
    return parse(kind, start.year, Period(start, start, kind).part)


def parse(kind: str, year: int, part: int | None = None, start: date | None = None, end: date | None = None) -> Period:
    if kind == "year":
        return Period.year(year)
    if kind == "half":
        return Period.half(year, part or 1)
    if kind == "quarter":
        return Period.quarter(year, part or 1)
    if kind == "month":
        return Period.month(year, part or 1)
    if start and end:
        return Period.custom(start, end)
    raise ValueError("unknown period")
