"""Recording the consequences the law attaches to elapsed time, through each
line's own steps, as the system: a clock whose rule names a ``lapse`` step
(行政复议 视为受理 …) has that step taken once it has run out, dated as the law
dates it (the due day, or the day after). ``manage.py settle`` runs it for a
scheduler; a case is taken only while it is still in a state the step starts
from, so a second run (or a person who recorded it first) changes nothing.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.utils import timezone

from sifa.common.errors import DomainError
from sifa.kit import registry

from .services import transition

log = logging.getLogger("sifa.cases.settle")


def lapse_date(rule, due: date) -> date:
    return due if rule.lapse_on == "due" else due + timedelta(days=1)


def settle(today: date | None = None) -> dict[tuple[str, str], int]:
    """Take every lapse step now due; {(case type, step): cases settled}."""
    from sifa.deadlines.models import Deadline

    today = today or timezone.localdate()
    done: dict[tuple[str, str], int] = {}
    for ct in registry.case_types():
        for rule in ct.deadline_rules:
            step = ct.workflow.get(rule.lapse) if rule.lapse else None
            if step is None:
                continue
            done[(ct.key, step.name)] = 0
            lapsed = (
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
            for case_id, due in list(lapsed):
                try:
                    transition(None, case_id, step.name, system=True, on=min(lapse_date(rule, due), today))
                except DomainError as exc:  # changed meanwhile (someone recorded it first)
                    log.info("settle %s on case %s skipped: %s", step.name, case_id, exc.message)
                    continue
                done[(ct.key, step.name)] += 1
    return done
