"""No link on the page frame leads to a refusal.

Every role's home page, its menu, its top bar (the deadline bell) and its
"登记…" buttons link only to pages that role may open: a button that answers
403, or a bell that answers 404, is a broken promise on the first screen.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ["leader", "staff", "staff_other_line", "office_a", "mediator_a", "lawyer", "sysadmin", "secadmin", "auditor"]
HREF = re.compile(r'href="(/[^"#]*)"')
# Not pages: static files, and the logout (a POST form, never a link).
SKIP = ("/static/", "/accounts/logout")


def _frame_links(html: str) -> set[str]:
    return {h.replace("&amp;", "&") for h in HREF.findall(html) if not h.startswith(SKIP)}


@pytest.mark.parametrize("who", ROLES)
def test_every_link_on_the_home_page_opens(who, orgs, users, client_for):
    client = client_for(getattr(users, who))
    home = client.get(reverse("home"), follow=True)
    assert home.status_code == 200
    links = _frame_links(home.content.decode())
    assert links, "the home page links somewhere"
    broken = {}
    for link in sorted(links):
        status = client.get(link, follow=True).status_code
        if status != 200:
            broken[link] = status
    assert broken == {}, f"{who}: links that do not open: {broken}"


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor"])
def test_administrators_have_no_deadline_bell(who, orgs, users, client_for):
    html = client_for(getattr(users, who)).get(reverse("home"), follow=True).content.decode()
    assert "sf-bell" not in html and f'href="{reverse("deadlines:list")}?mine' not in html


@pytest.mark.parametrize("who", ["office_a", "mediator_a"])
def test_office_roles_get_no_button_for_bureau_level_lines(who, orgs, users, client_for):
    html = client_for(getattr(users, who)).get(reverse("home"), follow=True).content.decode()
    assert reverse("reconsideration:create") not in html and reverse("reconsideration:suit_create") not in html
    # …and the staff of that line do get them.
    staff = client_for(users.staff).get(reverse("home"), follow=True).content.decode()
    assert reverse("reconsideration:create") in staff and reverse("reconsideration:suit_create") in staff


def test_one_menu_entry_is_where_the_user_is(orgs, users, client_for):
    """On a registration page under a list's address, the registration entry is the
    current one, not the list above it as well (two highlighted entries)."""
    html = client_for(users.staff).get(reverse("legal_aid:create")).content.decode()
    active = re.findall(r'class="sf-menu-item active" href="([^"]+)"', html)
    assert active == [reverse("legal_aid:create")], active
    html = client_for(users.staff).get(reverse("legal_aid:list")).content.decode()
    assert re.findall(r'class="sf-menu-item active" href="([^"]+)"', html) == [reverse("legal_aid:list")]
