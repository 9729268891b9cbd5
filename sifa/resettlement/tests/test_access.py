"""Every role on the line's own pages. The line is restricted (criminal records):
the office's general staff (司法所工作人员), other lines' staff and other offices
answer 404 like a page that does not exist; the line's officers see their office's
persons; the bureau's section registers; leaders read; the 统计管理员 counts the
line in figures and never opens it."""

import pytest
from django.urls import reverse

from sifa.accounts.tests.factories import UserFactory

from .access import COVERED_ROUTES

pytestmark = pytest.mark.django_db

# username (sifa.accounts.tests.factories.users_for): (pages that read, pages that register)
EXPECTED = {
    "leader": (200, 403),
    "staff": (200, 200),
    "staff_x": (404, 404),
    "office_a": (404, 404),
    "office_b": (404, 404),
    "mediator_a": (404, 404),
    "mediator_a2": (404, 404),
    "lawyer": (404, 404),
    "sysadmin": (404, 404),
    "secadmin": (404, 404),
    "auditor": (404, 404),
    "other_office": (404, 404),
    "other_leader": (200, 403),
    "stat_admin": (404, 404),
    "officer": (200, 200),
    "jiaozheng": (404, 404),  # community correction's officer: another line
}
READING = ("resettlement:list", "resettlement:unlinked")
REGISTERING = ("resettlement:create",)


def test_every_role_on_the_pages(users, orgs, client_for):
    assert set(READING + REGISTERING) == COVERED_ROUTES
    people = dict(
        vars(users),
        officer=UserFactory(username="officer", role="resettlement_officer", org=orgs.office_a),
        jiaozheng=UserFactory(username="jiaozheng", role="correction_officer", org=orgs.office_a),
    )
    for user in people.values():
        c = client_for(user)
        got = (
            {c.get(reverse(name)).status_code for name in READING},
            {c.get(reverse(name)).status_code for name in REGISTERING},
        )
        want = EXPECTED[user.username]
        assert got == ({want[0]}, {want[1]}), user.username
