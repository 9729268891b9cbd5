"""/api/v1/resettlement/: an officer registers a person from the prison's notice by
API (the registration service, 待释放); the list and the case answer masked and
without the offence; another office's person is absent from the list and answers
404 like a missing one; bad input is refused by name and writes nothing; the
schema documents the paths."""

from datetime import timedelta

import pytest
from django.urls import reverse

from sifa.accounts.tests.factories import UserFactory
from sifa.cases.models import Case
from sifa.cases.services import today

from ..choices import CASE_TYPE, OFFICER_ROLE, Status

pytestmark = pytest.mark.django_db

ID_NUMBER = "110101199003071233"
LIST = "api:resettlement-list"
DETAIL = "api:resettlement-detail"


@pytest.fixture
def officer(orgs):
    return UserFactory(username="az_api_a", role=OFFICER_ROLE, org=orgs.office_a)


@pytest.fixture
def officer_b(orgs):
    return UserFactory(username="az_api_b", role=OFFICER_ROLE, org=orgs.office_b)


def body(org, **more) -> dict:
    return {
        "owner_org": org.pk,
        "name": "张三",
        "id_number": ID_NUMBER,
        "phone": "13800000001",
        "household": "演示区幸福路1号",
        "origin": "prison",
        "institution": "演示省第一监狱",
        "crime": "盗窃罪",
        "sentence": "有期徒刑三年",
        "notice_on": (today() - timedelta(days=2)).isoformat(),
        "expected_release_on": (today() + timedelta(days=28)).isoformat(),
        "key_person": True,
    } | more


def test_register_by_api_then_list_and_read_masked(officer, orgs, client_for):
    c = client_for(officer)
    r = c.post(reverse(LIST), body(orgs.office_a), content_type="application/json")
    assert r.status_code == 201, r.content
    case = Case.objects.get(pk=r.json()["id"])
    rec = case.record
    assert (case.case_type, case.status, case.owner_org) == (CASE_TYPE, Status.PENDING, orgs.office_a)
    assert (rec.origin, rec.institution, rec.crime, rec.key_person, rec.gender) == ("prison", "演示省第一监狱", "盗窃罪", True, "M")
    assert case.parties.get().address == "演示区幸福路1号"
    listed = c.get(reverse(LIST)).json()
    text = str(listed)
    assert case.code in text and "监狱刑满释放" in text
    one = c.get(reverse(DETAIL, args=[case.pk])).json()
    assert one["record"]["institution"] == "演示省第一监狱" and one["record"]["key_person"] is True
    shown = str(listed) + str(one)
    assert ID_NUMBER not in shown and "110101********1233" in str(one) and "13800000001" not in shown
    assert "盗窃罪" not in shown and "有期徒刑" not in shown


def test_another_offices_person_is_absent_and_answers_404(officer, officer_b, orgs, client_for):
    r = client_for(officer).post(reverse(LIST), body(orgs.office_a), content_type="application/json")
    case_id = r.json()["id"]
    theirs = client_for(officer_b)
    assert case_id not in [row["id"] for row in _rows(theirs.get(reverse(LIST)).json())]
    assert theirs.get(reverse(DETAIL, args=[case_id])).status_code == 404
    assert theirs.get(reverse(DETAIL, args=[10**8])).status_code == 404
    # Nor may office B register under office A.
    before = Case.all_objects.count()
    r = theirs.post(reverse(LIST), body(orgs.office_a, id_number="", name="李四"), content_type="application/json")
    assert r.status_code == 400 and "承办司法所" in r.content.decode()
    assert Case.all_objects.count() == before


def _rows(data):
    return data["results"] if isinstance(data, dict) and "results" in data else data


def test_bad_input_is_refused_by_name_and_writes_nothing(officer, orgs, users, client_for):
    before = Case.all_objects.count()
    c = client_for(officer)
    r = c.post(reverse(LIST), body(orgs.office_a, crime=""), content_type="application/json")
    assert r.status_code == 400 and "crime" in r.content.decode()
    r = c.post(reverse(LIST), body(orgs.office_a, id_number="110101199003071234"), content_type="application/json")
    assert r.status_code == 400 and "身份证号码" in r.content.decode()
    r = c.post(reverse(LIST), body(orgs.office_a, expected_release_on=None), content_type="application/json")
    assert r.status_code == 400 and "预计释放日期" in r.content.decode()
    # The office's general staff is not in the line at all.
    r = client_for(users.office_a).post(reverse(LIST), body(orgs.office_a), content_type="application/json")
    assert r.status_code in (403, 404)
    assert Case.all_objects.count() == before


def test_the_schema_documents_the_line(client_for, users):
    text = client_for(users.staff).get(reverse("api-schema")).content.decode()
    assert "/api/v1/resettlement/" in text and "/api/v1/resettlement/{id}/" in text
    assert "释放单位" in text and "expected_release_on" in text
