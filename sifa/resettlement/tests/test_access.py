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
    assert set(READING + REGISTERING + ("resettlement:return",)) == COVERED_ROUTES
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
        # 统计报表: those who read the line are sent to the return's page; everyone else 404.
        r = c.get(reverse("resettlement:return"))
        assert r.status_code == (302 if want[0] == 200 else 404), user.username


def test_the_provincial_returns_are_deadlines_on_the_office(users, orgs, client_for, monkeypatch):
    """半年报 by 2 July reports the first half year, 年报 by 2 February last year; each is on
    the officers' desk (Line.alerts) from 15 days before, and links to the return as exported."""
    from datetime import date

    from sifa.resettlement import selectors

    assert selectors.return_due(date(2026, 6, 16)) is None
    assert selectors.return_due(date(2026, 6, 20)) == {"label": "半年报", "due": date(2026, 7, 2), "kind": "half", "year": 2026, "part": 1}
    assert selectors.return_due(date(2026, 7, 2))["label"] == "半年报" and selectors.return_due(date(2026, 7, 3)) is None
    assert selectors.return_due(date(2027, 1, 25)) == {"label": "年报", "due": date(2027, 2, 2), "kind": "year", "year": 2026, "part": ""}
    officer = UserFactory(username="officer", role="resettlement_officer", org=orgs.office_a)
    monkeypatch.setattr(selectors, "return_due", lambda today=None: {"label": "年报", "due": date(2027, 2, 2), "kind": "year", "year": 2026, "part": ""})
    assert selectors.return_alert_count(officer) == 1 and selectors.return_alert_count(users.leader) == 0
    assert selectors.return_alert_count(users.office_a) == 0
    r = client_for(officer).get(reverse("resettlement:return"))
    assert r.status_code == 302 and r["Location"] == reverse("stats:return", args=["resettlement.return"]) + "?kind=year&year=2026"
    page = client_for(officer).get(r["Location"])  # their office's figures, as the return lays them out
    assert page.status_code == 200 and "衔接率" in page.content.decode()
    xlsx = client_for(officer).get(r["Location"] + "&format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_unlinked_list_leads_to_its_export(users, orgs, client_for):
    """未衔接 is exported monthly: the page links to the line's list of those registered 未衔接,
    whose export (a restricted line's) waits for a second person."""
    officer = UserFactory(username="officer", role="resettlement_officer", org=orgs.office_a)
    page = client_for(officer).get(reverse("resettlement:unlinked")).content.decode()
    link = reverse("resettlement:list") + "?status=unlinked"
    assert link in page
    listing = client_for(officer).get(link)
    assert listing.status_code == 200 and "导出本列表" in listing.content.decode()
