"""Every role on the line's own pages: those who use the line see its list and,
when they may register, the registration form; a reading role is refused the
form (403), everyone else answers 404 as for a page that does not exist."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# username (sifa.accounts.tests.factories.users_for): (list page, registration page)
EXPECTED = {
    "leader": (200, 403),
    "staff": (200, 200),
    "staff_x": (404, 404),
    "office_a": (200, 200),
    "office_b": (200, 200),
    "mediator_a": (404, 404),
    "mediator_a2": (404, 404),
    "lawyer": (404, 404),
    "sysadmin": (404, 404),
    "secadmin": (404, 404),
    "auditor": (404, 404),
    "other_office": (200, 200),
    "other_leader": (200, 403),
}


def test_every_role_on_the_pages(users, client_for):
    for user in vars(users).values():
        c = client_for(user)
        got = (c.get(reverse("hotline:list")).status_code, c.get(reverse("hotline:create")).status_code)
        assert got == EXPECTED[user.username], user.username
