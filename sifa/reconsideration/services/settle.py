"""Recording the consequences the law attaches to elapsed time, through the
workflow's own steps (as the system), dated as the law dates them:

* 视为受理 on the day the review period expired (§30 第三款) — the clocks that
  follow start from that day, not from the night the job ran;
* 视为放弃申请 on the first day after the correction period (§31);
* 终止 on the first day after a 60-day suspension on §39 items 1/2/4 (§41(5)).

Idempotent: a case is taken only while it is still in the state the step
starts from, so a second run (or a person who recorded it first) changes
nothing. ``manage.py settle_reconsideration`` runs it for a scheduler; the
pages do not depend on it (``selectors.stage`` computes the same facts).
"""

from __future__ import annotations

import logging
from datetime import date

from django.utils import timezone

from sifa.cases.services import transition
from sifa.common.errors import DomainError
from sifa.deadlines.models import Deadline

from ..choices import FY_KEY, FyStatus
from ..selectors import day_after

log = logging.getLogger("sifa.reconsideration")

# (deadline key, state the case must be in, step, date of the consequence from the due date)
STEPS = (
    ("review", FyStatus.RECEIVED, "deemed_accept", lambda due: due),
    ("correction", FyStatus.CORRECTING, "deemed_withdraw", day_after),
    ("suspension_limit", FyStatus.SUSPENDED, "terminate_after_suspension", day_after),
)


def settle(today: date | None = None) -> dict[str, int]:
    """Record every lapsed period of every reconsideration case; counts per step."""
    today = today or timezone.localdate()
    done = {name: 0 for _, _, name, _ in STEPS}
    for key, status, name, legal_date in STEPS:
        lapsed = (
            Deadline.objects.filter(
                key=key,
                case__case_type=FY_KEY,
                case__status=status,
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
                transition(None, case_id, name, system=True, on=min(legal_date(due), today))
            except DomainError as exc:  # changed meanwhile (someone recorded it first)
                log.info("settle %s on case %s skipped: %s", name, case_id, exc.message)
                continue
            done[name] += 1
    return done
