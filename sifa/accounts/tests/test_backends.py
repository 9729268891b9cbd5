"""The signed-in user is read with their organisation (accounts.backends, issue 19)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sifa.accounts.backends import UserWithOrgBackend


def test_a_page_reads_the_user_and_their_organisation_in_one_query(orgs, users, client_for):
    c = client_for(users.office_a)
    c.get(reverse("cases:list"))
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(reverse("cases:list")).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    user_reads = [q for q in sql if q.startswith("SELECT") and 'FROM "accounts_user"' in q]
    assert len(user_reads) == 1 and 'JOIN "orgs_org"' in user_reads[0]
    alone = f'WHERE "orgs_org"."id" = {orgs.office_a.pk}'
    assert not any(alone in q for q in sql), "the user's organisation read on its own"


def test_an_account_disabled_is_no_longer_found(users):
    backend = UserWithOrgBackend()
    found = backend.get_user(users.office_a.pk)
    assert found == users.office_a and found.org == users.office_a.org
    users.office_a.is_active = False
    users.office_a.save(update_fields=["is_active"])
    assert backend.get_user(users.office_a.pk) is None
    assert backend.get_user(10**9) is None
