"""How a line declares its clocks (ARCHITECTURE rule 7).

Each rule names the timeline triggers ("created" or a step name) that start,
complete, pause, resume, extend or cancel it; ``deadlines.services`` applies
them inside the step's transaction, and dates come only from the calendar.

``lapse`` names the step the law takes by itself when the period runs out
(行政复议 视为受理 …): ``manage.py settle`` records it each night, as the
system, dated on the due day (``lapse_on="due"``) or the day after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class DeadlineRule:
    key: str
    label: str
    amount: int
    unit: str  # "workday" | "day" | "month"
    start_on: tuple[str, ...]
    complete_on: tuple[str, ...] = ()
    cancel_on: tuple[str, ...] = ()
    pause_on: tuple[str, ...] = ()
    resume_on: tuple[str, ...] = ()
    # trigger -> how much to extend (same unit); or a callable(case, data) -> int
    extend_on: dict[str, Any] | None = None
    basis: str = ""
    # (case, data, event_date) -> start date; default: the event's date
    start_date: Callable[[Any, dict, date], date] | None = None
    # (case, data) -> amount, when it depends on the case (e.g. simplified procedure)
    amount_for: Callable[[Any, dict], int] | None = None
    # (case, data) -> bool; a rule whose condition is false is not started
    when: Callable[[Any, dict], bool] | None = None
    warn_workdays: int | None = None
    # Restart when started again (e.g. a new 补正 notice), otherwise keep the first.
    restart: bool = False
    # The step recorded when the period lapses, and the date the law gives it.
    lapse: str = ""
    lapse_on: str = "next_day"  # "due" | "next_day"

    def __post_init__(self):
        if self.unit not in ("workday", "day", "month"):
            raise ValueError(f"rule {self.key}: unknown unit {self.unit}")
        if self.lapse_on not in ("due", "next_day"):
            raise ValueError(f"rule {self.key}: lapse_on is 'due' or 'next_day'")
