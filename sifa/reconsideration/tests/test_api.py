"""The API: scoped lists, masked details with named deadlines, creation, steps."""

from __future__ import annotations

from datetime import date

import pytest

from sifa.cases.models import Case
from sifa.reconsideration.choices import FY_KEY, YS_KEY

from .factories import ID_A, PHONE_A, fresh, make_application, make_suit

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def staff(client_for, users):
    return client_for(users.staff)


def test_list_and_detail_with_named_deadlines_and_masked_data(users, staff):
    fy = make_application(users.staff, received_on=date(2026, 3, 2))
    ys = make_suit(users.staff, served_on=date(2026, 6, 1))
    r = staff.get(f"{API}/reconsideration/")
    assert r.status_code == 200 and [c["code"] for c in r.json()["results"]] == [fy.code]
    assert r.json()["results"][0]["stage"] == "视为受理"
    r = staff.get(f"{API}/reconsideration/{fy.pk}/")
    body = r.json()
    assert r.status_code == 200 and body["application"]["respondent_label"] == "区市场监督管理局"
    assert {d["key"]: d["due_date"] for d in body["deadlines"]}["review"] == "2026-03-09"
    assert body["deadlines"][0]["label"] == "受理审查" and body["deadlines"][0]["basis"]
    party = body["parties"][0]
    assert party["id_number"] == "110105********002X" and party["phone"] == "138****5678"
    assert ID_A not in r.content.decode() and PHONE_A not in r.content.decode()
    assert "deemed_accept" in [s["name"] for s in body["steps"]]
    r = staff.get(f"{API}/litigation/{ys.pk}/")
    assert r.status_code == 200 and {d["key"] for d in r.json()["deadlines"]} == {"defence"} and r.json()["suit"]["court"] == "测试区人民法院"
    # Each endpoint serves its own line only.
    assert staff.get(f"{API}/reconsideration/{ys.pk}/").status_code == 404
    assert staff.get(f"{API}/litigation/{fy.pk}/").status_code == 404


def test_create_and_bad_input(users, staff, client_for):
    payload = {
        "received_on": "2026-11-02",
        "channel": "post",
        "parties": [{"role": "applicant", "name": "李四", "id_number": ID_A, "phone": PHONE_A}],
        "respondent_agency": "hrss",
        "category": "work_injury",
        "contested_act": "不予认定工伤决定",
        "request": "撤销",
    }
    r = staff.post(f"{API}/reconsideration/", payload, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["code"][6:8] == "FY" and r.json()["application"]["category"] == "work_injury"
    count = Case.objects.count()
    bad = payload | {"respondent_agency": "nope"}
    r = staff.post(f"{API}/reconsideration/", bad, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "respondent_agency" and "被申请人" in r.json()["detail"]
    bad = payload | {"parties": [{"role": "applicant", "name": "李四", "id_number": "110105194912310021"}]}
    r = staff.post(f"{API}/reconsideration/", bad, content_type="application/json")
    assert r.status_code == 400 and "身份证号码校验位" in r.json()["detail"]
    r = staff.post(f"{API}/reconsideration/", payload | {"received_on": "2999-01-01"}, content_type="application/json")
    assert r.status_code == 400 and "收案日期不能晚于今天" in r.json()["detail"]
    assert Case.objects.count() == count
    for who in ("leader", "office_a", "sysadmin"):
        assert client_for(getattr(users, who)).post(f"{API}/reconsideration/", payload, content_type="application/json").status_code == 403
    assert Case.objects.count() == count
    suit = {
        "parties": [{"role": "plaintiff", "name": "王五"}],
        "defendant_agency": "market",
        "court": "测试区人民法院",
        "cause": "行政处罚",
        "contested_act": "罚款",
        "served_on": "2026-11-02",
    }
    r = staff.post(f"{API}/litigation/", suit, content_type="application/json")
    assert r.status_code == 201 and r.json()["deadlines"][0]["key"] == "defence"


def test_steps_through_the_api_use_the_same_validation(users, staff, client_for):
    case = make_application(users.staff, received_on=date(2026, 3, 2))
    url = f"{API}/reconsideration/{case.pk}/transitions/accept/"
    r = staff.post(url, {"on": "2026-03-04", "data": {"procedure": "simplified"}}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "simplified_ground" and "第五十三条" in r.json()["detail"]
    r = staff.post(url, {"on": "2026-03-04", "data": {"procedure": "bogus"}}, content_type="application/json")
    assert r.status_code == 400 and "审理程序" in r.json()["detail"]
    assert fresh(case).status == "received"
    r = staff.post(url, {"on": "2026-03-04", "version": 99, "data": {"procedure": "ordinary"}}, content_type="application/json")
    assert r.status_code == 409
    r = staff.post(url, {"on": "2026-03-04", "version": fresh(case).version, "data": {"procedure": "ordinary"}}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "reviewing"
    r = staff.post(
        f"{API}/reconsideration/{case.pk}/transitions/send_copy/", {"on": "2026-03-05", "data": {"served_on": "not-a-date"}}, content_type="application/json"
    )
    assert r.status_code == 400 and "被申请人收到副本日期" in r.json()["detail"]
    r = staff.post(
        f"{API}/reconsideration/{case.pk}/transitions/send_copy/", {"on": "2026-03-05", "data": {"served_on": "2026-03-06"}}, content_type="application/json"
    )
    assert r.status_code == 200
    detail = staff.get(f"{API}/reconsideration/{case.pk}/").json()
    assert {d["key"]: d["due_date"] for d in detail["deadlines"]}["reply"] == "2026-03-20"
    assert client_for(users.leader).post(f"{API}/reconsideration/{case.pk}/transitions/hear/", {"data": {}}, content_type="application/json").status_code == 403
    assert (
        client_for(users.office_a).post(f"{API}/reconsideration/{case.pk}/transitions/hear/", {"data": {}}, content_type="application/json").status_code == 404
    )
    suit = make_suit(users.staff, served_on=date(2026, 6, 1))
    assert staff.post(f"{API}/reconsideration/{suit.pk}/transitions/accept/", {"data": {}}, content_type="application/json").status_code == 404
    r = staff.post(f"{API}/litigation/{suit.pk}/transitions/file_defence/", {"on": "2026-06-10", "data": {}}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "in_trial"


def test_schema_lists_the_line(staff):
    r = staff.get(f"{API}/schema/")
    text = r.content.decode()
    assert r.status_code == 200
    for p in ("/api/v1/reconsideration/", "/api/v1/reconsideration/{id}/", "/api/v1/litigation/{id}/transitions/{name}/"):
        assert p in text
    assert FY_KEY and YS_KEY
