"""Parallel bursts at the progress lookup: the limits count every guess that is
evaluated, however many arrive at once (ADR 0008, addendum of issue 20). Real
threads on real connections, so this runs on PostgreSQL only."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from sifa.audit.models import AuditEntry
from sifa.cases import codes
from sifa.cases.tests.factories import make_case
from sifa.portal.models import Attempt

from .publicline import public_testline

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/portal/track/"
BURST = 60


@pytest.fixture
def case(orgs, users):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is a PostgreSQL property")
    with public_testline():
        yield make_case(users.office_a, orgs.office_a, title="并发查询", parties=[{"name": "张三", "role": "applicant", "phone": "13812345678"}])


def burst(requests: list[tuple[str, str, str]]) -> list[int]:
    """Every (code, digits, ip) posted at the same moment from its own thread and connection."""
    barrier = threading.Barrier(len(requests))

    def one(args):
        code, digits, ip = args
        try:
            barrier.wait(timeout=30)
            return Client().post(URL, {"code": code, "digits": digits}, REMOTE_ADDR=ip).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(one, requests))


def test_a_burst_against_one_code_evaluates_at_most_the_per_code_limit(case, settings):
    settings.SIFA_PORTAL_TRACK_MAX_PER_CODE = 5
    # Sixty addresses, sixty different wrong guesses (the limit counts failures).
    guesses = [f"{1000 + i:04d}" for i in range(BURST)]
    statuses = burst([(case.code, digits, f"10.7.0.{i}") for i, digits in enumerate(guesses)])
    assert statuses.count(404) == 5 and statuses.count(429) == BURST - 5, statuses
    assert Attempt.objects.filter(scope=Attempt.TRACK, code=case.code).count() == 5
    assert AuditEntry.objects.filter(action="portal.track").count() == 5
    # The code stays closed for the window, even to the right digits from a fresh address.
    assert Client().post(URL, {"code": case.code, "digits": "5678"}, REMOTE_ADDR="10.7.1.1").status_code == 429


def test_a_burst_from_one_address_evaluates_at_most_the_per_address_limit(case, settings):
    settings.SIFA_PORTAL_TRACK_MAX_PER_IP = 10
    settings.SIFA_PORTAL_TRACK_MAX_PER_CODE = 1000
    unknown = [codes.build("359901", "ZZ", 2026, 500 + i) for i in range(BURST)]
    statuses = burst([(code, "1234", "10.6.6.6") for code in unknown])
    assert statuses.count(404) == 10 and statuses.count(429) == BURST - 10, statuses
    assert Attempt.objects.filter(scope=Attempt.TRACK, ip="10.6.6.6").count() == 10
