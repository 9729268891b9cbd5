"""How a line declares its clocks (ARCHITECTURE rule 7).

Each rule names the timeline triggers ("created" or a step name) that start,
complete, pause, resume, extend, recount or cancel it; ``deadlines.services`` applies
them inside the step's transaction, and dates come only from the calendar.

``lapse`` says what the law makes of the period running out (行政复议 视为受理 …):
a ``Lapse``.

``kind`` says whose period it is. The organ's duty (``ORGAN``, the default) can
be 超期 and counts in every warning and overdue figure. A party's right
(``RIGHT``: 申请司法确认 within 30 days) is information only, never overdue. A
party's duty (``DUTY``: 补正 within 10 working days) is not the organ's to keep
either, but once it lapses it becomes a to-do for the organ (待处理): decide
what the lapse means, usually through its ``Lapse`` step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

ORGAN, RIGHT, DUTY = "organ", "right", "duty"
KINDS = {ORGAN: "机关办理期限", RIGHT: "当事人权利期间", DUTY: "当事人义务期间"}


@dataclass(frozen=True)
class Lapse:
    """The step the law takes by itself when a period runs out. ``manage.py
    settle`` records it each night, as the system, dated on the due day
    (``on="due"``) or the day after. The engine offers the step no earlier
    (``early``, with ``{until}`` = "至2026-03-09", is the refusal); until it is
    recorded, the case's stage (``cases.settle.stage``) already says what the
    case is in law: ``label``, ``note`` (with ``{due}``) on its page, list and
    API, ``public`` on the portal."""

    step: str
    on: str = "next_day"  # "due" | "next_day"
    key: str = ""  # the stage's key while the lapse is not yet recorded
    label: str = ""
    note: str = ""
    public: str = ""
    early: str = "期限{until}尚未届满，不能执行此步骤。"

    def __post_init__(self):
        if self.on not in ("due", "next_day"):
            raise ValueError(f"lapse {self.step}: on is 'due' or 'next_day'")


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
    # Triggers on which an open clock takes ``amount_for`` again, keeping its start, pauses and extension.
    recount_on: tuple[str, ...] = ()
    # (case, data) -> bool; a rule whose condition is false is not started
    when: Callable[[Any, dict], bool] | None = None
    warn_workdays: int | None = None
    # Restart when started again (e.g. a new 补正 notice), otherwise keep the first.
    restart: bool = False
    # What the law makes of the period running out (the step recorded, the stage meanwhile).
    lapse: Lapse | None = None
    kind: str = ORGAN  # whose period: the organ's duty, a party's right or a party's duty

    def __post_init__(self):
        if self.unit not in ("workday", "day", "month"):
            raise ValueError(f"rule {self.key}: unknown unit {self.unit}")
        if self.kind not in KINDS:
            raise ValueError(f"rule {self.key}: kind is one of {sorted(KINDS)}")
