"""Many cases at once for statistics tests (and the benchmark): plain Case
rows with real codes from the locked counter, inserted in bulk."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from sifa.cases import codes
from sifa.cases.models import Case
from sifa.cases.tests.testline import KEY
from sifa.ledgers.bulk import reserve_block
from sifa.orgs.selectors import bureau_of


def bulk_cases(org, n: int, *, opened_on: date, closed_on: date | None = None, outcome: str = "", status: str | None = None, case_type: str = KEY, **fields):
    if n <= 0:
        return []
    bureau = bureau_of(org)
    status = status or ("closed" if closed_on and outcome == "success" else "refused" if closed_on else "registered")
    with transaction.atomic():
        first = reserve_block(f"code:{bureau.region_code}:ZZ:{opened_on.year}", n)
        rows = [
            Case(
                code=codes.build(bureau.region_code, "ZZ", opened_on.year, first + i),
                case_type=case_type,
                bureau=bureau,
                owner_org=org,
                org_path=org.path,
                status=status,
                title=f"批量案件{first + i}",
                opened_on=opened_on,
                closed_on=closed_on,
                outcome=outcome,
                year=opened_on.year,
                seq=first + i,
                **fields,
            )
            for i in range(n)
        ]
        return Case.objects.bulk_create(rows, batch_size=5000)
