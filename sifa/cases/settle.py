"""Recording the consequences the law attaches to elapsed time, through each
line's own steps, as the system: a clock whose rule names a ``Lapse``
(行政复议 视为受理 …) has its step taken once it has run out, dated as the law
dates it (the due day, or the day after). ``manage.py settle`` runs it for a
scheduler; a case is taken only while it is still in a state the step starts
from, so a second run (or a person who recorded it first) changes nothing.

Until then the case already is, in law, what the lapse makes it: ``stage``
says so on its page, list, API and the portal, and the engine offers the
lapse step no earlier than the law does (``lapse_refusal``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from sifa.common.errors import DomainError
from sifa.kit import registry

log = logging.getLogger("sifa.cases.settle")


def lapse_date(rule, due: date) -> date:
    return due if rule.lapse.on == "due" else due + timedelta(days=1)


def _lapse_rules(ct):
    for rule in ct.deadline_rules:
        step = ct.workflow.get(rule.lapse.step) if rule.lapse else None
        if step is not None:
            yield rule, step


def _deadline(case, key: str):
    from sifa.deadlines.selectors import clock

    return clock(case, key)


def lapsed(case, key: str, today: date | None = None, *, clocks: dict | None = None) -> date | None:
    """The due date of the case's open, running clock ``key`` if it has passed.
    ``clocks``: the case's clocks by key, already read (``prime_stages``)."""
    dl = clocks.get(key) if clocks is not None else _deadline(case, key)
    if dl is None or not dl.is_open or dl.paused_since is not None or dl.due_date >= (today or timezone.localdate()):
        return None
    return dl.due_date


def lapse_refusal(case, step_name: str, on: date, today: date | None = None) -> str | None:
    """Why the lapse step ``step_name`` may not be taken on ``on`` (None: it may)."""
    ct = registry.case_type(case.case_type)
    for rule, step in _lapse_rules(ct):
        if step.name != step_name:
            continue
        due = lapsed(case, rule.key, today)
        if due is not None and on >= lapse_date(rule, due):
            return None
        dl = _deadline(case, rule.key) if due is None else None
        until = f"至{due or dl.due_date:%Y-%m-%d}" if due or (dl is not None and dl.is_open) else ""
        return rule.lapse.early.format(until=until)
    return None


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    note: str = ""
    tone: str = "primary"
    public: str = ""


def stage(case, today: date | None = None, *, clocks: dict | None = None) -> Stage:
    """Where a case stands in law today: a lapse not yet recorded, else its state."""
    ct = registry.case_type(case.case_type)
    for rule, step in _lapse_rules(ct):
        if rule.lapse.label and case.status in step.sources and (due := lapsed(case, rule.key, today, clocks=clocks)):
            lapse = rule.lapse
            return Stage(lapse.key or step.name, lapse.label, lapse.note.format(due=f"{due:%Y-%m-%d}"), "warning", lapse.public)
    return Stage(case.status, ct.status_label(case.status), "", ct.workflow.colour(case.status))


def prime_stages(cases, today: date | None = None) -> None:
    """Work out ``Case.stage`` for a page of cases with one query for the clocks a
    lapse may hang on (a list shows every row's stage: one query a row before)."""
    from sifa.deadlines.models import Deadline

    wanted: dict[int, set[str]] = {}
    for case in cases:
        ct = registry.find_type(case.case_type)
        for rule, step in _lapse_rules(ct) if ct else ():
            if rule.lapse.label and case.status in step.sources:
                wanted.setdefault(case.pk, set()).add(rule.key)
    if not wanted:
        return  # no row can show a lapse: stage asks nothing
    clocks: dict[int, dict[str, object]] = {}
    keys = set().union(*wanted.values())
    for dl in Deadline.objects.filter(case_id__in=list(wanted), key__in=keys).order_by("due_date", "id"):
        clocks.setdefault(dl.case_id, {}).setdefault(dl.key, dl)  # the first, as ``clock`` takes it
    for case in cases:
        if case.pk in wanted:
            case.__dict__["stage"] = stage(case, today, clocks=clocks.get(case.pk, {}))


def settle(today: date | None = None) -> dict[tuple[str, str], int]:
    """Take every lapse step now due; {(case type, step): cases settled}."""
    from sifa.deadlines.models import Deadline

    from .services import transition

    today = today or timezone.localdate()
    done: dict[tuple[str, str], int] = {}
    for ct in registry.case_types():
        for rule, step in _lapse_rules(ct):
            done[(ct.key, step.name)] = 0
            lapsed_ = (
                Deadline.objects.filter(
                    key=rule.key,
                    case__case_type=ct.key,
                    case__status__in=step.sources,
                    case__is_deleted=False,
                    completed_on__isnull=True,
                    cancelled=False,
                    paused_since__isnull=True,
                    due_date__lt=today,
                )
                .order_by("due_date", "id")
                .values_list("case_id", "due_date")
            )
            for case_id, due in list(lapsed_):
                try:
                    transition(None, case_id, step.name, system=True, on=min(lapse_date(rule, due), today))
                except DomainError as exc:  # changed meanwhile (someone recorded it first)
                    log.info("settle %s on case %s skipped: %s", step.name, case_id, exc.message)
                    continue
                done[(ct.key, step.name)] += 1
    return done
