"""Access matrix of the deadline pages and the calculator API, every role.
The bureau-wide list is scoped like the case list; the calendar and the warning
setting belong to the system administrator alone (404 for everyone else, and
nothing changes)."""

import pytest
from django.urls import reverse

from sifa.audit.models import AuditEntry
from sifa.cases.tests.matrix import ADMINS, CASE_ROLES, ROLES
from sifa.cases.tests.matrix import world as world
from sifa.deadlines.models import CalendarYear, DeadlineSetting, Holiday

pytestmark = pytest.mark.django_db

CALCULATORS = CASE_ROLES | {"sysadmin"}


def calendar_state():
    return (
        sorted(Holiday.objects.values_list("date", "kind", "name")),
        sorted(CalendarYear.objects.values_list("year", "confirmed", "note")),
        list(DeadlineSetting.objects.values_list("due_soon_workdays", flat=True)),
    )


@pytest.mark.parametrize("role", ROLES)
def test_deadline_list_is_scoped(world, client_for, role):
    client = client_for(world.user(role))
    resp = client.get(reverse("deadlines:list"), {"light": "all"})
    if role in ADMINS:
        assert resp.status_code == 404
        return
    assert resp.status_code == 200
    text = resp.content.decode()
    assert world.own[role].code in text
    assert world.other[role].code not in text


@pytest.mark.parametrize("role", ROLES)
def test_calculator_page_and_api(world, client_for, role):
    client = client_for(world.user(role))
    page = client.get(reverse("deadlines:calculator"), {"start": "2026-02-13", "amount": "5", "unit": "workday"})
    api = client.get(reverse("api:deadlines-calculate"), {"start": "2026-02-13", "amount": "5", "unit": "workday"})
    if role in CALCULATORS:
        assert page.status_code == 200 and "2026-02-27" in page.content.decode()
        assert api.status_code == 200 and api.json()["due"] == "2026-02-27"
    else:
        assert page.status_code == 404
        assert api.status_code == 403 and "角色" in api.json()["detail"]


def test_calculator_api_needs_sign_in(client):
    resp = client.get(reverse("api:deadlines-calculate"), {"start": "2026-02-13", "amount": "5", "unit": "workday"})
    assert resp.status_code in (401, 403)


ADMIN_REQUESTS = [
    ("deadlines:holidays", "get", {}, 200),
    ("deadlines:holidays", "post", {"date": "2026-12-31", "kind": "holiday", "name": "测试"}, 302),
    ("deadlines:holiday_clear", "post", {"date": "2026-10-01"}, 302),
    ("deadlines:year_confirm", "post", {"year": "2027", "note": "国办通知"}, 302),
    ("deadlines:settings", "get", {}, 200),
    ("deadlines:settings", "post", {"due_soon_workdays": "5"}, 302),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,data,ok", ADMIN_REQUESTS, ids=[f"{m}-{n}" for n, m, _, _ in ADMIN_REQUESTS])
def test_calendar_and_settings_belong_to_the_system_administrator(users, client_for, role, name, method, data, ok):
    client = client_for(getattr(users, role))
    before, audit_before = calendar_state(), AuditEntry.objects.count()
    resp = getattr(client, method)(reverse(name), data)
    if role == "sysadmin":
        assert resp.status_code == ok
        if method == "post":
            assert calendar_state() != before
            assert AuditEntry.objects.count() == audit_before + 1
    else:
        assert resp.status_code == 404
        assert calendar_state() == before
        assert not AuditEntry.objects.filter(action__startswith="calendar.").exists()
        assert not AuditEntry.objects.filter(action="deadlines.settings").exists()


def test_sysadmin_sees_the_holiday_year_it_asks_for(users, client_for):
    client = client_for(users.sysadmin)
    resp = client.get(reverse("deadlines:holidays"), {"year": "2026"})
    text = resp.content.decode()
    assert "2026-02-14" in text and "调休上班" in text and "春节" in text and "已确认" in text
    resp = client.get(reverse("deadlines:holidays"), {"year": "2027"})
    assert "未确认" in resp.content.decode()
    for bad in ("abc", "-5", "99999999999999999999"):
        assert client.get(reverse("deadlines:holidays"), {"year": bad}).status_code == 200
