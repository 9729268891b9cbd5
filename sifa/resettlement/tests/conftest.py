"""The line's own test world: a resettlement officer (安置帮教工作人员) in office A and
one in office B, and helpers to register a person from a prison's notice and to
hand them over."""

from datetime import date, timedelta

import pytest

from sifa.accounts.tests.factories import UserFactory
from sifa.cases.services import today, transition

from ..services import register

ADULT_MAN = "110101199003071233"
ADULT_WOMAN = "110101198505120029"


@pytest.fixture
def officer(orgs):
    return UserFactory(username="officer_a", role="resettlement_officer", org=orgs.office_a)


@pytest.fixture
def officer_b(orgs):
    return UserFactory(username="officer_b", role="resettlement_officer", org=orgs.office_b)


def notify(actor, org, *, release: date | None = None, released: bool = False, name="张三", id_number=ADULT_MAN, **kw):
    """预释放登记 from a notice 30 days before ``release`` (default: in a week)."""
    release = release or today() + timedelta(days=7)
    fields = {
        "name": name,
        "id_number": id_number,
        "phone": "13800000001",
        "household": "测试区幸福路1号",
        "institution": "测试省第一监狱",
        "crime": "盗窃罪",
        "sentence": "有期徒刑三年",
        "sentence_start": release - timedelta(days=3 * 365),
        "sentence_end": release,
        "notice_on": min(release - timedelta(days=30), today()),
        "expected_release_on": release,
        "released_on": release if released else None,
    } | kw
    return register(actor, owner_org=org, **fields)


def hand_over(actor, case, *, on: date | None = None, way="reported"):
    rec = case.record
    release = rec.released_on or rec.expected_release_on
    on = on or max(release, rec.released_on or release)
    transition(actor, case, "handover", data={"released_on": release, "way": way}, on=on)
    case.refresh_from_db()
    return case


@pytest.fixture
def assisting(officer, orgs):
    """A person released 20 days ago who reported on the third day: 帮教中."""
    release = today() - timedelta(days=20)
    case = notify(officer, orgs.office_a, release=release, released=True)
    return hand_over(officer, case, on=release + timedelta(days=3))
