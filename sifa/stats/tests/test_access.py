"""Access matrix: every stats route × every role × own / other office. Roles
without the dashboard capability get 404 (like a missing page); an office
user choosing another office's organisation gets 404; nothing is exported."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sifa.cases.tests.factories import make_case
from sifa.ledgers.models import ExportJob

from .access import COVERED_ROUTES

pytestmark = pytest.mark.django_db

SEES = ("leader", "staff", "office_a", "office_b")
BLIND = ("mediator_a", "lawyer", "sysadmin", "secadmin", "auditor")
Y = {"kind": "year", "year": 2026}


def _get_routes():
    return [
        ("stats:dashboard", reverse("stats:dashboard"), Y),
        ("stats:wall", reverse("stats:wall"), Y),
        ("stats:table", reverse("stats:table"), Y),
        ("stats:report", reverse("stats:report"), Y),
        ("stats:drill", reverse("stats:drill"), {**Y, "kpi": "testline.received"}),
        ("api:stats-kpis", reverse("api:stats-kpis"), {}),
        ("api:stats-kpi", reverse("api:stats-kpi", args=["testline.received"]), Y),
    ]


@pytest.fixture
def data(orgs, users, test_kpis):
    make_case(users.office_a, orgs.office_a, opened_on=date(2026, 3, 5))
    make_case(users.office_b, orgs.office_b, opened_on=date(2026, 4, 5))


def test_route_list_matches_covered():
    # The report records' and 口径设置's routes have their own matrices (test_report_records.py,
    # the reconsideration line's test_definition_choice.py).
    elsewhere = {"stats:table_export", "stats:return", "stats:report_create", "stats:report_detail", "stats:report_download", "stats:report_version"}
    assert {n for n, _, _ in _get_routes()} | elsewhere | {"stats:definitions"} == COVERED_ROUTES


@pytest.mark.parametrize("role", SEES + BLIND)
def test_matrix(role, users, client_for, data):
    c = client_for(getattr(users, role))
    for name, url, params in _get_routes():
        resp = c.get(url, params)
        expected = 200 if role in SEES else 404
        assert resp.status_code == expected, (name, role, resp.status_code)
    before = ExportJob.objects.count()
    resp = c.post(reverse("stats:table_export") + "?kind=year&year=2026")
    if role in SEES:
        assert resp.status_code == 302 and ExportJob.objects.count() == before + 1
    else:
        assert resp.status_code == 404 and ExportJob.objects.count() == before


@pytest.mark.parametrize("name", ["stats:dashboard", "stats:wall", "stats:table", "stats:report", "stats:drill", "api:stats-kpi"])
def test_other_office_org_is_not_found(name, orgs, users, client_for, data):
    c = client_for(users.office_a)
    url = reverse(name, args=["testline.received"]) if name.startswith("api:") else reverse(name)
    params = {**Y, "org": orgs.office_b.pk, "kpi": "testline.received"}
    assert c.get(url, params).status_code == 404
    assert c.get(url, {**params, "org": orgs.office_a.pk}).status_code == 200
    before = ExportJob.objects.count()
    assert c.post(reverse("stats:table_export") + f"?org={orgs.office_b.pk}").status_code == 404
    assert ExportJob.objects.count() == before


def test_unknown_kpi_is_not_found(users, client_for, data):
    c = client_for(users.leader)
    assert c.get(reverse("stats:drill"), {"kpi": "nope"}).status_code == 404
    assert c.get(reverse("api:stats-kpi", args=["nope"])).status_code == 404


def test_section_staff_of_another_line_sees_no_kpi(users, client_for, data):
    c = client_for(users.staff_other_line)
    assert c.get(reverse("api:stats-kpis")).json()["results"] == []
    assert c.get(reverse("stats:drill"), {"kpi": "testline.received"}).status_code == 404


def test_display_account_sees_only_the_wall(orgs, client_for, data):
    """大屏展示账号 (issue 18 item 8): the wall, and every other stats route like a missing page."""
    from sifa.accounts.roles import Role
    from sifa.accounts.tests.factories import UserFactory

    c = client_for(UserFactory(username="display", role=Role.DISPLAY, org=orgs.bureau))
    for name, url, params in _get_routes():
        assert c.get(url, params).status_code == (200 if name == "stats:wall" else 404), name
    before = ExportJob.objects.count()
    assert c.post(reverse("stats:table_export") + "?kind=year&year=2026").status_code == 404
    assert ExportJob.objects.count() == before
