"""Progress lookup by code + the last 4 digits of the applicant's phone: the same
answer for every failure, throttled across processes (a database table), no
personal data, QR only for whoever just looked the case up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sifa.audit.models import AuditEntry
from sifa.cases import codes, services
from sifa.cases.tests.factories import make_case
from sifa.portal.models import Attempt

from .publicline import public_testline

pytestmark = pytest.mark.django_db
URL = "/portal/track/"
PHONE = "13812345678"


@pytest.fixture
def public():
    with public_testline() as ct:
        yield ct


@pytest.fixture
def case(public, orgs, users):
    return make_case(
        users.office_a,
        orgs.office_a,
        title="张三的申请",
        parties=[{"name": "张三", "role": "applicant", "phone": PHONE, "id_number": "11010519491231002X", "address": "幸福路88号"}],
    )


def ask(code, digits, ip="10.0.0.1", client=None):
    return (client or Client()).post(URL, {"code": code, "digits": digits}, REMOTE_ADDR=ip)


def test_right_code_and_digits_show_progress_without_personal_data(case):
    c = Client()
    r = ask(case.code.lower(), "5678", client=c)
    page = r.content.decode()
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    assert case.code in page and "已登记" in page and "受理审查" in page
    for secret in ("张三", PHONE, "11010519491231002X", "幸福路", "用户"):
        assert secret not in page
    # The QR now opens for this browser only.
    assert c.get(reverse("portal:qr", args=[case.code])).status_code == 200
    assert Client().get(reverse("portal:qr", args=[case.code])).status_code == 404
    assert AuditEntry.objects.filter(action="portal.track", result="ok", object_id=str(case.pk)).exists()


def test_every_failure_gets_the_identical_answer(case, public):
    other_valid = codes.build("359901", "ZZ", 2026, 999)
    answers = [
        ask(case.code, "0000"),  # wrong digits
        ask(other_valid, "5678"),  # unknown code
        ask("NOT-A-CODE", "5678"),  # malformed code
        ask(case.code[:-1] + ("0" if case.code[-1] != "0" else "1"), "5678"),  # bad check character
        ask(case.code, "56"),  # malformed digits
        ask("", ""),  # nothing
    ]
    public.public_tracking = False
    answers.append(ask(case.code, "5678"))  # a type the public may not follow
    assert {r.status_code for r in answers} == {404}
    assert len({r.content for r in answers}) == 1
    assert "未查到相符的案件" in answers[0].content.decode() and case.code not in answers[0].content.decode()
    assert all("Set-Cookie" not in r.headers for r in answers)


def test_failures_from_one_address_are_throttled(case, settings):
    settings.SIFA_PORTAL_TRACK_MAX_PER_IP = 3
    settings.SIFA_PORTAL_TRACK_MAX_PER_CODE = 100
    for _ in range(3):
        assert ask(codes.build("359901", "ZZ", 2026, 998), "1111", ip="10.9.9.9").status_code == 404
    blocked = ask(case.code, "5678", ip="10.9.9.9")  # even the right answer
    assert blocked.status_code == 429 and "过于频繁" in blocked.content.decode() and blocked["Retry-After"]
    assert ask(case.code, "5678", ip="10.9.9.10").status_code == 200  # another address is not affected
    # Once the window has passed, the address may try again.
    Attempt.objects.update(at=timezone.now() - timedelta(minutes=31))
    assert ask(case.code, "5678", ip="10.9.9.9").status_code == 200


def test_guessing_one_code_from_many_addresses_is_throttled_identically(case, settings):
    settings.SIFA_PORTAL_TRACK_MAX_PER_CODE = 4
    for i in range(4):
        ask(case.code, f"{i:04d}", ip=f"10.1.0.{i}")
    unknown = codes.build("359901", "ZZ", 2026, 997)
    for i in range(4):
        ask(unknown, f"{i:04d}", ip=f"10.2.0.{i}")
    a, b = ask(case.code, "5678", ip="10.3.0.1"), ask(unknown, "5678", ip="10.3.0.2")
    assert a.status_code == b.status_code == 429 and a.content == b.content


def test_qr_and_by_code_entry(case):
    anon = Client()
    r = anon.get(f"/q/{case.code}")
    assert r.status_code == 302 and r["Location"] == f"/portal/track/?code={case.code}"
    page = anon.get(r["Location"]).content.decode()
    assert f'value="{case.code}"' in page
    # Junk in the query string is not echoed.
    assert "<script>" not in anon.get(URL + "?code=<script>").content.decode()


def test_closed_case_shows_its_decision_date(case, users):
    from datetime import date

    services.transition(users.office_a, case, "accept", on=date.today())
    services.transition(users.office_a, case, "close", data={"agreement": "协议"}, on=date.today())
    page = ask(case.code, "5678").content.decode()
    assert "已结案" in page and "办结日期" in page
