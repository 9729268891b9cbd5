"""Deadline writes: applying a line's rules at each timeline trigger, and the
holiday table. Dates come only from ``calendar``."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Min

from sifa.audit.services import record
from sifa.common import figures_hook
from sifa.common.errors import DomainError
from sifa.kit.deadlines import DeadlineRule

from . import calendar
from .models import CalendarYear, DayKind, Deadline, DeadlineSetting, Holiday, Kind


def _rules_for(case) -> tuple[DeadlineRule, ...]:
    from sifa.kit import registry

    ct = registry.find_type(case.case_type)
    return ct.deadline_rules if ct else ()


def _recompute(dl: Deadline) -> None:
    res = calendar.compute_due(dl.start_date, dl.amount + dl.extended, dl.unit, paused_days=dl.paused_days)
    dl.due_date = res.due
    dl.rule_text = res.rule[:200]
    dl.provisional = res.provisional


def clock_key(rule: DeadlineRule, procedure=None) -> str:
    """A clock's key on its case: the rule's, or, for a procedure's clock, the procedure's and the rule's."""
    return f"p{procedure.pk}:{rule.key}" if procedure is not None else rule.key


def start(case, rule: DeadlineRule, on: date, data: dict, procedure=None, *, existing: dict | None = None) -> Deadline:
    """Start (or restart) the rule's clock. ``existing``: the case's clocks by key, as the
    caller has just read them all (``apply_trigger``); else the one clock is read here."""
    start_date = rule.start_date(case, data, on) if rule.start_date else on
    amount = rule.amount_for(case, data) if rule.amount_for else rule.amount
    key = clock_key(rule, procedure)
    dl = existing.get(key) if existing is not None else Deadline.objects.filter(case=case, key=key).first()
    if dl is not None and dl.is_open and not rule.restart:
        return dl
    if dl is None:
        dl = Deadline(case=case, key=key, procedure=procedure)
    label = f"{procedure.label}：{rule.label}" if procedure is not None else rule.label
    dl.label, dl.basis, dl.unit, dl.amount, dl.kind = label[:60], rule.basis, rule.unit, amount, rule.kind
    dl.start_date, dl.extended, dl.paused_days, dl.paused_since = start_date, 0, 0, None
    dl.completed_on, dl.cancelled, dl.warn_workdays = None, False, rule.warn_workdays
    _recompute(dl)
    dl.save()
    return dl


def _pause(dl: Deadline, on: date) -> None:
    if dl.is_open and dl.paused_since is None:
        dl.paused_since = on
        dl.save(update_fields=["paused_since", "updated_at"])


def _resume(dl: Deadline, on: date) -> None:
    if dl.paused_since is None:
        return
    if dl.unit == "workday":
        dl.paused_days += max(calendar.workdays_between(dl.paused_since, on), 0)
    else:
        dl.paused_days += max((on - dl.paused_since).days, 0)
    dl.paused_since = None
    _recompute(dl)
    dl.save()


def apply_trigger(case, trigger: str, on: date, data: dict | None = None, *, procedure=None) -> bool:
    """Apply every rule of the case's line that reacts to ``trigger`` (of a
    procedure's, when ``procedure`` is given: its own clocks); then refresh the
    case's ``next_due``. Runs inside the caller's transaction. False when no clock
    reacts to it: nothing was read or written."""
    from .duties import _duties, sync

    data = data or {}
    rules = procedure.spec.deadline_rules if procedure is not None else _rules_for(case)
    duties = procedure is None and bool(_duties(case))
    if not duties and not any(_reacts(rule, trigger) for rule in rules):
        # No clock reacts to this step: nothing to read or write (two queries a step, issue 19).
        return False
    from sifa.cases.selectors import unprime

    unprime(case, "deadlines")  # its clocks change: read them again (create_case keeps a new case's none in hand)
    existing = {d.key: d for d in Deadline.objects.filter(case=case, duty="", procedure=procedure)}
    for rule in rules:
        dl = existing.get(clock_key(rule, procedure))
        if trigger in rule.complete_on and dl is not None and dl.is_open:
            if dl.paused_since is not None:
                _resume(dl, on)
            dl.completed_on = on
            dl.save(update_fields=["completed_on", "updated_at"])
        if trigger in rule.cancel_on and dl is not None and dl.is_open:
            dl.cancelled = True
            dl.save(update_fields=["cancelled", "updated_at"])
        if trigger in rule.pause_on and dl is not None:
            _pause(dl, on)
        if trigger in rule.resume_on and dl is not None:
            _resume(dl, on)
        if rule.extend_on and trigger in rule.extend_on and dl is not None and dl.is_open:
            amount = rule.extend_on[trigger]
            amount = amount(case, data) if callable(amount) else int(amount)
            dl.extended += amount
            _recompute(dl)
            dl.save()
        if trigger in rule.recount_on and rule.amount_for and dl is not None and dl.is_open:
            # The length changes (a simplified case converted to ordinary); start, pauses and extension stay.
            dl.amount = rule.amount_for(case, data)
            _recompute(dl)
            dl.save()
        if trigger in rule.start_on and (rule.when is None or rule.when(case, data)):
            existing[clock_key(rule, procedure)] = start(case, rule, on, data, procedure, existing=existing)
    if duties:
        sync(case)
    refresh_next_due(case)
    return True


def _reacts(rule: DeadlineRule, trigger: str) -> bool:
    """Does ``rule`` start, stop, pause, resume, extend or recount its clock on ``trigger``?"""
    hooks = (rule.start_on, rule.complete_on, rule.cancel_on, rule.pause_on, rule.resume_on, rule.recount_on, rule.extend_on or ())
    return any(trigger in hook for hook in hooks)


def refresh_next_due(case) -> None:
    # The organ's own clocks only: a party's period never makes a case 临期 or 超期.
    running = Deadline.objects.filter(case=case, kind=Kind.ORGAN, completed_on__isnull=True, cancelled=False, paused_since__isnull=True)
    nxt = running.aggregate(m=Min("due_date"))["m"]
    if case.next_due != nxt:
        case.next_due = nxt
        if not case._state.adding:  # a ledger import writes its cases' rows last, from the objects (ledgers.bulk)
            type(case).all_objects.filter(pk=case.pk).update(next_due=nxt)


# --- the holiday table ------------------------------------------------------------------------


def seed_from_package(years: list[int] | None = None) -> int:
    """Load official holidays and make-up working days from ``chinese-calendar``.
    Idempotent; rows entered by hand (source="manual") are left alone."""
    from chinese_calendar import constants

    created = 0
    known_years = set()
    with transaction.atomic():
        manual = set(Holiday.objects.filter(source="manual").values_list("date", flat=True))
        for table, kind in ((constants.holidays, DayKind.HOLIDAY), (constants.workdays, DayKind.WORKDAY)):
            for d, name in table.items():
                if years and d.year not in years:
                    continue
                known_years.add(d.year)
                if d in manual:
                    continue
                label = getattr(name, "value", str(name)).split(",")[-1] if name else ""
                _, was_created = Holiday.objects.update_or_create(date=d, defaults={"kind": kind, "name": _cn_name(label), "source": "package"})
                created += int(was_created)
        for y in known_years:
            CalendarYear.objects.get_or_create(year=y, defaults={"source": "package", "note": "chinese-calendar"})
        # Deadlines computed while a year was unknown move to the real arrangement.
        calendar.invalidate()
        _refresh(_open_deadlines().filter(provisional=True))
    calendar.invalidate()
    return created


_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def _cn_name(label: str) -> str:
    for en, cn in _NAMES.items():
        if en.lower() in label.lower():
            return cn
    return label[:40]


def set_day(actor, d: date, kind: str, name: str = "") -> Holiday:
    if kind not in DayKind.values:
        raise DomainError("日期类型无效。", field="kind")
    if kind == DayKind.WORKDAY and d.weekday() < 5:
        raise DomainError("调休上班日应为周六或周日。", field="date")
    with transaction.atomic():
        h, _ = Holiday.objects.update_or_create(date=d, defaults={"kind": kind, "name": name[:40], "source": "manual"})
        record("calendar.set_day", actor=actor, obj=h, detail={"date": d.isoformat(), "kind": kind, "name": name})
        _refresh_open_deadlines_from(d)
    calendar.invalidate()
    return h


def clear_day(actor, d: date) -> bool:
    """Remove a date's entry (it follows the Monday–Friday rule again). False if there was none."""
    with transaction.atomic():
        deleted, _ = Holiday.objects.filter(date=d).delete()
        if deleted:
            record("calendar.clear_day", actor=actor, object_type="deadlines.holiday", object_repr=d.isoformat())
            _refresh_open_deadlines_from(d)
    calendar.invalidate()
    return bool(deleted)


def confirm_year(actor, year: int, note: str = "") -> CalendarYear:
    """Mark a year's holiday arrangement as entered: deadlines that were flagged
    provisional because of that year lose the flag (if no other unknown year is involved)."""
    with transaction.atomic():
        cy, _ = CalendarYear.objects.update_or_create(year=year, defaults={"confirmed": True, "source": "manual", "note": note[:200]})
        record("calendar.confirm_year", actor=actor, obj=cy, detail={"year": year})
        calendar.invalidate()
        _refresh(_open_deadlines().filter(provisional=True))
    calendar.invalidate()
    return cy


def _open_deadlines():
    return Deadline.objects.filter(completed_on__isnull=True, cancelled=False)


def _refresh_open_deadlines_from(d: date) -> None:
    """A calendar edit can move open deadlines that run across that date
    (a deadline that ended before ``d`` cannot be affected by it)."""
    calendar.invalidate()
    _refresh(_open_deadlines().filter(start_date__lte=d, due_date__gte=d - timedelta(days=31)))


def _refresh(deadlines) -> None:
    touched = {}
    for dl in deadlines.select_related("case"):
        old = (dl.due_date, dl.rule_text, dl.provisional)
        _recompute(dl)
        if (dl.due_date, dl.rule_text, dl.provisional) != old:
            dl.save(update_fields=["due_date", "rule_text", "provisional", "updated_at"])
            touched[dl.case_id] = dl.case
    for case in touched.values():
        refresh_next_due(case)
    # A calendar edit writes no timeline entry: the mark for the deadline panel's counts (stats.deadlinefacts).
    figures_hook.cases_changed(touched)


# --- bureau-wide settings -----------------------------------------------------------------------

MAX_DUE_SOON_WORKDAYS = 30


def set_due_soon_workdays(actor, value: int) -> DeadlineSetting:
    """How many working days before the due date a deadline turns 临期 (amber)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_DUE_SOON_WORKDAYS:
        raise DomainError(f"临期提醒天数应为0至{MAX_DUE_SOON_WORKDAYS}之间的整数。", field="due_soon_workdays")
    from .selectors import due_soon_workdays

    with transaction.atomic():
        old = due_soon_workdays(fresh=True)
        row, _ = DeadlineSetting.objects.select_for_update().get_or_create(pk=1, defaults={"due_soon_workdays": old})
        row.due_soon_workdays = value
        row.save(update_fields=["due_soon_workdays"])
        record("deadlines.settings", actor=actor, obj=row, detail={"due_soon_workdays": [old, value]})
    return row
