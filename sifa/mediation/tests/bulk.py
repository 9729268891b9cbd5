"""Many disputes at once, for statistics tests: ``Case`` + ``Dispute`` rows
inserted in bulk with real codes from the locked counter, holding exactly
what the registration service and the workflow's steps write for each state
(see ``steps.py``: accept_write, succeed_write, terminate_write, archive …)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from sifa.cases import codes
from sifa.cases.models import Case
from sifa.ledgers.bulk import reserve_block
from sifa.mediation.choices import CASE_TYPE, SOURCE_GROUP, Outcome, Performance, Result, Status
from sifa.mediation.models import Dispute
from sifa.orgs.selectors import bureau_of

# state -> (status, closed, Case.outcome, Dispute.result)
STATES = {
    "registered": (Status.REGISTERED, False, "", ""),
    "not_accepted": (Status.NOT_ACCEPTED, True, Outcome.NOT_ACCEPTED, ""),
    "accepted": (Status.ACCEPTED, False, "", ""),
    "agreed": (Status.AGREED, False, "", Result.SUCCESS),
    "terminated": (Status.TERMINATED, False, "", Result.FAILED),
    "archived_success": (Status.ARCHIVED, True, Outcome.SUCCESS, Result.SUCCESS),
    "archived_failed": (Status.ARCHIVED, True, Outcome.FAILED, Result.FAILED),
}


def bulk_disputes(
    org,
    n: int,
    state: str,
    *,
    opened_on: date,
    outcome_after: int = 7,
    agreement_form: str = "written",
    agreement_amount: str | None = None,
    amount_in_dispute: str | None = None,
    performed: bool = True,
    visited: bool = False,
    dispute_type: str = "02",
    dispute_type_top: str | None = None,
    source: str = "application",
) -> list[Case]:
    if n <= 0:
        return []
    status, closed, outcome, result = STATES[state]
    success = result == Result.SUCCESS
    outcome_on = opened_on + timedelta(days=outcome_after) if result else None
    bureau = bureau_of(org)
    with transaction.atomic():
        first = reserve_block(f"code:{bureau.region_code}:TJ:{opened_on.year}", n)
        cases = Case.objects.bulk_create(
            [
                Case(
                    code=codes.build(bureau.region_code, "TJ", opened_on.year, first + i),
                    case_type=CASE_TYPE,
                    bureau=bureau,
                    owner_org=org,
                    org_path=org.path,
                    status=status,
                    title=f"批量纠纷{opened_on.year}-{first + i}",
                    opened_on=opened_on,
                    closed_on=(outcome_on or opened_on) + timedelta(days=3) if closed else None,
                    outcome=outcome,
                    year=opened_on.year,
                    seq=first + i,
                )
                for i in range(n)
            ]
        )
        Dispute.objects.bulk_create(
            [
                Dispute(
                    case=c,
                    source=source,
                    source_group=SOURCE_GROUP[source],
                    dispute_type=dispute_type,
                    dispute_type_top=dispute_type_top or dispute_type,
                    amount_in_dispute=Decimal(amount_in_dispute) if amount_in_dispute else None,
                    accepted_on=opened_on if state not in ("registered", "not_accepted") else None,
                    not_accepted_reason="party_refuses" if state == "not_accepted" else "",
                    result=result,
                    outcome_on=outcome_on,
                    agreement_form=agreement_form if success else "",
                    agreement_content="当场道歉，赔偿损失。" if success else "",
                    agreement_amount=Decimal(agreement_amount) if success and agreement_amount else None,
                    agreed_on=outcome_on if success else None,
                    effective_on=outcome_on if success else None,
                    termination_reason="no_agreement" if result == Result.FAILED else "",
                    routes_told=result == Result.FAILED,
                    performance=(Performance.PERFORMED if performed else Performance.PENDING) if success else "",
                    performed_on=outcome_on if success and performed else None,
                    visit_count=1 if success and visited else 0,
                    last_visit_on=outcome_on + timedelta(days=10) if success and visited else None,
                )
                for c in cases
            ]
        )
    return cases
