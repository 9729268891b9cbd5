"""Named counters (``services.next_value``): one upsert, gap-free, only inside a
transaction; and the owner-org check that registration does not repeat."""

from __future__ import annotations

import pytest
from django.db import transaction

from sifa.cases import selectors
from sifa.cases.models import Case, Counter
from sifa.cases.services import create_case, next_value
from sifa.common.errors import PermissionRefused

pytestmark = pytest.mark.django_db


def test_numbers_start_at_one_and_a_rolled_back_number_is_given_again():
    with transaction.atomic():
        assert next_value("t:a") == 1
        assert next_value("t:a") == 2
        assert next_value("t:b") == 1
        assert next_value("t:b", 3) == 4  # a block of three (ledgers.bulk.reserve_block): 2, 3, 4
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_value("t:a") == 3
        raise RuntimeError("rolled back")
    with transaction.atomic():
        assert next_value("t:a") == 3
    assert dict(Counter.objects.filter(key__startswith="t:").values_list("key", "value")) == {"t:a": 3, "t:b": 4}


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses_and_counts_nothing():
    with pytest.raises(RuntimeError):
        next_value("t:c")
    assert not Counter.objects.filter(key="t:c").exists()


def test_an_org_checked_for_one_user_is_checked_again_for_another(orgs, users):
    """The mark ``checked_creatable`` leaves is for that user and that line only."""
    mine = list(selectors.creatable_orgs(users.office_a, "mediation").filter(pk=orgs.committee_a.pk))
    org = selectors.checked_creatable(mine, users.office_a, "mediation")[0]
    assert selectors.is_checked_creatable(org, users.office_a, "mediation")
    assert not selectors.is_checked_creatable(org, users.office_b, "mediation")
    assert not selectors.is_checked_creatable(org, users.office_a, "legal_aid")
    before = Case.all_objects.count()
    with pytest.raises(PermissionRefused):
        create_case(users.office_b, case_type="mediation", owner_org=org, title="越权登记", parties=[{"name": "张三", "role": "applicant"}])
    assert Case.all_objects.count() == before
