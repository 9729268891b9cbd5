"""Recurring duties (``kit.casework.RecurringDuty``): while a case is in the
duty's states, an occurrence falls due every period, counted from the day it
entered them. Each occurrence is a clock of the case (a ``Deadline`` with
``duty`` set), so the lights, the bell, the overdue lists and the dashboard
treat it like any clock of its kind; it is done when someone marks it done, and
missed when its due date passed without that.

``sync(case)`` keeps a case's occurrences up to date: it runs after every step
and registration (``apply_trigger``) and each night for every open case
(``manage.py settle``). Occurrences are made up to the next one still to come;
when the case leaves the states, those not yet due are cancelled.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from sifa.common import figures_hook
from sifa.common.errors import Refused

from . import calendar
from .models import Deadline

UNIT_WORDS = {"day": "日", "week": "周", "month": "个月"}


def _add(d: date, spec, n: int = 1) -> date:
    if spec.unit == "month":
        return calendar.add_months(d, spec.every * n)
    return d + timedelta(days=spec.every * n * (7 if spec.unit == "week" else 1))


def _entered_on(case, states) -> date:
    """The day the case last entered ``states`` (its registration if it began there)."""
    for e in case.events.exclude(to_status="").order_by("-at", "-id").only("at", "from_status", "to_status", "data"):
        if e.to_status in states and e.from_status not in states:
            on = (e.data or {}).get("on")
            return date.fromisoformat(on) if on else timezone.localdate(e.at)
        if e.to_status not in states:
            break
    return case.opened_on


def _duties(case) -> tuple:
    from sifa.kit import registry

    ct = registry.find_type(case.case_type)
    return ct.duties if ct else ()


def sync(case, today: date | None = None) -> int:
    """Make the case's due occurrences (up to the next one to come); cancel those
    not yet due of a duty whose states the case has left. Returns how many were made."""
    today = today or timezone.localdate()
    made = cancelled = 0
    for spec in _duties(case):
        mine = Deadline.objects.filter(case=case, duty=spec.key)
        active = case.closed_on is None and case.status in spec.states and (spec.when is None or spec.when(case))
        if not active:
            cancelled += mine.filter(completed_on__isnull=True, cancelled=False, due_date__gte=today).update(cancelled=True)
            continue
        entered = _entered_on(case, spec.states)
        if spec.since is not None and (began := spec.since(case)) and began > entered:
            entered = began
        last = mine.filter(start_date__gte=entered).order_by("-due_date").first()
        if last is not None and last.due_date > today:
            continue  # the next one to come exists already
        start = last.due_date if last else entered
        while True:
            due = _add(start, spec)
            _, created = Deadline.objects.get_or_create(
                case=case,
                key=f"{spec.key}:{due:%Y%m%d}",
                defaults={
                    "label": f"{spec.label}（{due:%m月%d日}）",
                    "kind": spec.kind,
                    "duty": spec.key,
                    "basis": spec.basis[:200],
                    "start_date": start,
                    "amount": spec.every * (7 if spec.unit == "week" else 1),
                    "unit": "month" if spec.unit == "month" else "day",
                    "due_date": due,
                    "rule_text": f"每{spec.every}{UNIT_WORDS[spec.unit]}一次，自{entered:%Y-%m-%d}起",
                },
            )
            made += created
            if due > today:
                break
            start = due
    if made or cancelled:
        # The daily job writes no timeline entry: the mark for the deadline panel's counts (stats.deadlinefacts).
        figures_hook.cases_changed([case])
    return made


def mark_done(actor, deadline_or_pk, *, on: date | None = None, note: str = "") -> Deadline:
    """Mark one occurrence of a recurring duty done (on ``on``, today by default)."""
    from sifa.audit.services import record
    from sifa.cases.choices import EventKind
    from sifa.cases.services import _require_write, log_event

    from .services import refresh_next_due

    pk = getattr(deadline_or_pk, "pk", deadline_or_pk)
    on = on or timezone.localdate()
    with transaction.atomic():
        dl = Deadline.objects.filter(pk=pk).exclude(duty="").first()
        if dl is None:
            raise Refused("没有这项定期义务。")
        case = _require_write(actor, dl.case_id)
        dl = Deadline.objects.select_for_update().get(pk=pk)
        if dl.completed_on or dl.cancelled:
            raise Refused("这项定期义务已经完成或已取消。")
        if on > timezone.localdate() or on < dl.start_date:
            raise Refused(f"完成日期应在{dl.start_date:%Y-%m-%d}至今天之间。", field="on")
        complete(dl, on)
        late = "（逾期）" if on > dl.due_date else ""
        log_event(case, actor, EventKind.DEADLINE, f"完成：{dl.label}{late}", reason=(note or "").strip()[:500], data={"deadline": dl.pk, "on": on.isoformat()})
        record("deadline.duty_done", actor=actor, obj=case, detail={"duty": dl.duty, "due": dl.due_date.isoformat()})
        refresh_next_due(case)
    return dl


def complete(deadline: Deadline, on: date) -> None:
    """Mark one occurrence done on ``on``: by hand (``mark_done``) or inside the line's step
    that fulfils it (社区矫正's 登记监管活动), whose timeline entry says so; the engine
    refreshes the case's 最近期限 after that step."""
    deadline.completed_on = on
    deadline.save(update_fields=["completed_on", "updated_at"])


def sync_all(today: date | None = None) -> int:
    """Every open case of a type with recurring duties (the nightly job)."""
    from sifa.cases.models import Case
    from sifa.kit import registry

    types = [ct.key for ct in registry.case_types() if ct.duties]
    made = 0
    for case in Case.objects.filter(case_type__in=types, closed_on__isnull=True).iterator():
        with transaction.atomic():
            made += sync(case, today)
    return made
