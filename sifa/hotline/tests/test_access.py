"""Every role on the line's own pages: those who use the line see its list and,
when they may register, the registration form; a reading role is refused the
form (403), everyone else answers 404 as for a page that does not exist."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# username (sifa.accounts.tests.factories.users_for, and the centre's operator): (list, registration, 待办工单, 质检抽查)
EXPECTED = {
    "operator": (200, 200, 302, 200),
    "leader": (200, 403, 302, 403),
    "staff": (200, 200, 302, 200),
    "staff_x": (404, 404, 404, 404),
    "office_a": (200, 200, 302, 200),
    "office_b": (200, 200, 302, 200),
    "mediator_a": (404, 404, 404, 404),
    "mediator_a2": (404, 404, 404, 404),
    "lawyer": (404, 404, 404, 404),
    "sysadmin": (404, 404, 404, 404),
    "secadmin": (404, 404, 404, 404),
    "auditor": (404, 404, 404, 404),
    "other_office": (200, 200, 302, 200),
    "other_leader": (200, 403, 302, 403),
}
ROUTES = ("hotline:list", "hotline:create", "hotline:todo", "hotline:quality")


def test_every_role_on_the_pages(users, operator, client_for):
    for user in (*vars(users).values(), operator):
        c = client_for(user)
        got = tuple(c.get(reverse(name)).status_code for name in ROUTES)
        assert got == EXPECTED[user.username], user.username
