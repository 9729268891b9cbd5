"""The line's own test world: an officer of the line (社区矫正工作人员) in office A
and one in office B, and a person received and under supervision."""

from datetime import date, timedelta

import pytest

from sifa.accounts.tests.factories import UserFactory
from sifa.cases.services import today, transition

from ..choices import Category
from ..services import register

ADULT_MAN = "110101199003071233"
ADULT_WOMAN = "110101198505120029"
MINOR = "110101201003071241"


@pytest.fixture
def officer(orgs):
    return UserFactory(username="officer_a", role="correction_officer", org=orgs.office_a)


@pytest.fixture
def officer_b(orgs):
    return UserFactory(username="officer_b", role="correction_officer", org=orgs.office_b)


def receive(actor, org, *, id_number=ADULT_MAN, category=Category.PROBATION, effective_on=None, opened_on=None, name="张三", term_days=365):
    effective_on = effective_on or today() - timedelta(days=3)
    return register(
        actor,
        owner_org=org,
        parties=[{"role": "subject", "name": name, "id_number": id_number, "phone": "13800000001", "address": "演示区幸福路1号"}],
        category=category,
        decision_org_name="演示区人民法院",
        effective_on=effective_on,
        crime="危险驾驶罪",
        sentence="拘役三个月，缓刑六个月",
        term_start=effective_on,
        term_end=effective_on + timedelta(days=term_days),
        opened_on=opened_on or effective_on,
    )


def supervise(actor, case, on: date | None = None):
    """报到 and 入矫宣告 on ``on`` (default today): the person is under 严管."""
    on = on or today()
    transition(actor, case, "report", data={"way": "self", "identity_checked": True}, on=on)
    transition(actor, case, "declare", data={"place": "司法所宣告室", "attendees": "司法所、村委会、家属"}, on=on)
    case.refresh_from_db()
    return case


@pytest.fixture
def person(officer, orgs):
    return supervise(officer, receive(officer, orgs.office_a))
