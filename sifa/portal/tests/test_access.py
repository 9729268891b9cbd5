"""The portal's access matrix: each role (and anonymous) against a case of its own
office and of another. Public pages answer everyone alike; a case is opened only
by its code plus the applicant's phone digits, never by a staff session."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sifa.cases.models import Case
from sifa.cases.tests.factories import make_case

from .publicline import KEY, public_testline

pytestmark = pytest.mark.django_db
ROLES = ("leader", "staff", "office_a", "office_b", "mediator_a", "lawyer", "sysadmin", "secadmin", "auditor", "anonymous")


@pytest.fixture
def world(orgs, users):
    with public_testline():
        a = make_case(users.office_a, orgs.office_a, parties=[{"name": "张三", "role": "applicant", "phone": "13812345678"}])
        b = make_case(users.office_b, orgs.office_b, parties=[{"name": "李四", "role": "applicant", "phone": "13900001111"}])
        yield {"own": a, "other": b}


def client(client_for, users, role):
    return Client() if role == "anonymous" else client_for(getattr(users, role))


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_answer_everyone_alike(world, users, client_for, role):
    c = client(client_for, users, role)
    assert c.get(reverse("portal:home")).status_code == 200
    assert c.get(reverse("portal:guide")).status_code == 200
    assert c.get(reverse("portal:apply")).status_code == 200
    assert c.get(reverse("portal:apply_form", args=[KEY])).status_code == 200
    assert c.get(reverse("portal:track")).status_code == 200
    assert c.get(reverse("portal:receipt"))["Location"] == reverse("portal:home")


@pytest.mark.parametrize("role", ROLES)
def test_cases_open_only_with_code_and_digits(world, users, client_for, role):
    c = client(client_for, users, role)
    for key in ("own", "other"):
        case = world[key]
        # A staff session is no key: without a lookup the QR stays closed.
        assert c.get(reverse("portal:qr", args=[case.code])).status_code == 404
        wrong = c.post(reverse("portal:track"), {"code": case.code, "digits": "0000"}, REMOTE_ADDR=f"10.7.{ROLES.index(role)}.1")
        assert wrong.status_code == 404 and case.code not in wrong.content.decode()
        digits = "5678" if key == "own" else "1111"
        right = c.post(reverse("portal:track"), {"code": case.code, "digits": digits}, REMOTE_ADDR=f"10.7.{ROLES.index(role)}.2")
        assert right.status_code == 200 and "张三" not in right.content.decode() and "李四" not in right.content.decode()
        assert c.get(reverse("portal:qr", args=[case.code])).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_online_application_by_anyone_joins_the_bureau_queue(world, users, client_for, orgs, role):
    c = client(client_for, users, role)
    before = Case.all_objects.count()
    r = c.post(reverse("portal:apply_form", args=[KEY]), {"name": "王五", "phone": "13700002222", "request": "请求", "declaration": "on"})
    assert r.status_code == 302 and Case.all_objects.count() == before + 1
    case = Case.all_objects.order_by("-id").first()
    assert case.owner_org == orgs.bureau and case.channel == "online" and case.created_by is None
