"""bureau_of is asked several times a page for the same org: one read of the ancestors per
org object, and a fresh one when the org has moved."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sifa.orgs.models import Org
from sifa.orgs.selectors import bureau_of

pytestmark = pytest.mark.django_db


def test_the_bureau_of_an_org_is_read_once_per_org_object(orgs):
    committee = Org.objects.get(pk=orgs.committee_a.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert bureau_of(committee) == orgs.bureau
        assert bureau_of(committee) == orgs.bureau
    assert len(ctx) == 1
    assert bureau_of(orgs.bureau) == orgs.bureau and bureau_of(orgs.city) == orgs.city


def test_an_org_moved_to_another_bureau_is_asked_again(orgs):
    office = Org.objects.get(pk=orgs.office_c.pk)
    assert bureau_of(office) == orgs.bureau
    # What orgs.services.update_org writes when an office changes bureau: its parent and path.
    office.parent = orgs.other_bureau
    office.path = f"{orgs.other_bureau.path}{office.pk}/"
    office.depth = orgs.other_bureau.depth + 1
    office.save()
    assert bureau_of(office) == orgs.other_bureau
