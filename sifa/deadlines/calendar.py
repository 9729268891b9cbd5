"""The working-day calendar and the period rules. Every date computation of a
deadline goes through here (ARCHITECTURE rule 7).

Two ways of counting:

* working days (工作日): weekends and official holidays are skipped, make-up
  working days (调休上班) count. "N working days from X" is the N-th working day
  after X (X itself is never counted).
* calendar days / months under 民事诉讼法 §85: the start day is not counted; a
  period whose last day is a rest day ends on the first working day after it.
  A month period ends on the same day-number N months later, or the month's
  last day when that day does not exist (31 Jan + 1 month → 28/29 Feb).

Rest day = Saturday/Sunday unless marked 调休上班, or any day in the holiday table.
"""

from __future__ import annotations

import calendar as _cal
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta

_lock = threading.Lock()
_cache: dict | None = None
# Other worker processes pick up an edited holiday table within this many seconds.
CACHE_SECONDS = 60


def _load() -> dict:
    global _cache
    with _lock:
        if _cache is None or time.monotonic() - _cache["loaded"] > CACHE_SECONDS:
            from .models import CalendarYear, Holiday

            rows = dict(Holiday.objects.values_list("date", "kind"))
            years = set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True))
            _cache = {"days": rows, "years": years, "loaded": time.monotonic()}
        return _cache


def invalidate() -> None:
    """Call after the holiday table changes (done by the calendar services)."""
    global _cache
    with _lock:
        _cache = None


def is_workday(d: date) -> bool:
    kind = _load()["days"].get(d)
    if kind == "holiday":
        return False
    if kind == "workday":
        return True
    return d.weekday() < 5


def is_known_year(year: int) -> bool:
    return year in _load()["years"]


def next_workday_on_or_after(d: date) -> date:
    while not is_workday(d):
        d += timedelta(days=1)
    return d


def add_workdays(start: date, n: int) -> date:
    """The n-th working day after ``start`` (start not counted). n=0 → start."""
    d = start
    count = 0
    while count < n:
        d += timedelta(days=1)
        if is_workday(d):
            count += 1
    return d


def subtract_workdays(end: date, n: int) -> date:
    """The date n working days before ``end`` (for warnings)."""
    d = end
    count = 0
    while count < n:
        d -= timedelta(days=1)
        if is_workday(d):
            count += 1
    return d


def workdays_between(a: date, b: date) -> int:
    """Working days in (a, b]; negative if b < a."""
    if b < a:
        return -workdays_between(b, a)
    return sum(1 for i in range(1, (b - a).days + 1) if is_workday(a + timedelta(days=i)))


def add_months(start: date, n: int) -> date:
    month0 = start.month - 1 + n
    year = start.year + month0 // 12
    month = month0 % 12 + 1
    day = min(start.day, _cal.monthrange(year, month)[1])
    return date(year, month, day)


@dataclass(frozen=True)
class DueResult:
    due: date
    nominal: date  # before moving off a rest day
    rule: str
    provisional: bool  # some year involved has no confirmed holiday arrangement


def compute_due(start: date, amount: int, unit: str, *, paused_days: int = 0) -> DueResult:
    """Due date of a period of ``amount`` ``unit`` starting the day after ``start``.

    ``paused_days`` (calendar days of 中止; working days for a working-day period)
    are added before the rest-day rule: the period does not run while suspended.
    """
    if amount < 0:
        raise ValueError("amount must be ≥ 0")
    if unit == "workday":
        # For working-day periods ``paused_days`` counts working days of suspension.
        due = nominal = add_workdays(start, amount + paused_days)
        rule = f"按工作日计算：自{start:%Y-%m-%d}次日起第{amount}个工作日（不含周末和法定节假日，调休上班日计入）"
        if paused_days:
            rule += f"，扣除中止{paused_days}个工作日"
    elif unit in ("day", "month"):
        nominal = start + timedelta(days=amount) if unit == "day" else add_months(start, amount)
        nominal += timedelta(days=paused_days)
        due = next_workday_on_or_after(nominal)
        what = f"{amount}日" if unit == "day" else f"{amount}个月"
        rule = f"按《民事诉讼法》第八十五条：期间{what}，开始之日不计入"
        if paused_days:
            rule += f"，扣除中止{paused_days}日"
        if due != nominal:
            rule += f"；期满日{nominal:%Y-%m-%d}为休息日，顺延至{due:%Y-%m-%d}"
    else:
        raise ValueError(f"unknown unit {unit!r}")
    years = set(range(start.year, due.year + 1))
    provisional = not all(is_known_year(y) for y in years)
    return DueResult(due=due, nominal=nominal, rule=rule, provisional=provisional)
