"""/api/v1/correction/: the officer receives a person and takes steps by API; bad
input is refused naming the field and writes nothing; the schema documents it."""

import pytest
from django.urls import reverse

from sifa.cases.models import Case

pytestmark = pytest.mark.django_db

BODY = {
    "correction_category": "probation",
    "decision_org_name": "演示区人民法院",
    "effective_on": "2026-11-20",
    "opened_on": "2026-11-23",
    "crime": "危险驾驶罪",
    "term_start": "2026-11-20",
    "term_end": "2027-05-19",
    "parties": [{"role": "subject", "name": "张三", "id_number": "110101199003071233", "phone": "13800000001", "address": "演示区幸福路1号"}],
}


def test_receive_and_report_by_api(officer, orgs, client_for):
    c = client_for(officer)
    r = c.post(reverse("api:correction-list"), BODY | {"owner_org": orgs.office_a.pk}, content_type="application/json")
    assert r.status_code == 201, r.content
    case = Case.objects.get(pk=r.json()["id"])
    assert case.record.category == "probation" and case.parties.get().gender == "M"
    r = c.post(
        reverse("api:correction-step", args=[case.pk, "report"]),
        {"data": {"way": "self", "identity_checked": True}, "on": "2026-11-25"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    listed = c.get(reverse("api:correction-list")).json()
    assert case.code in str(listed) and "危险驾驶" not in str(listed)


def test_bad_input_is_refused_by_name_and_writes_nothing(officer, orgs, client_for, users):
    before = Case.all_objects.count()
    c = client_for(officer)
    r = c.post(reverse("api:correction-list"), BODY | {"owner_org": orgs.office_a.pk, "term_end": "2026-01-01"}, content_type="application/json")
    assert r.status_code == 400 and "矫正期限止日" in r.content.decode()
    r = c.post(
        reverse("api:correction-list"),
        BODY | {"owner_org": orgs.office_a.pk, "parties": [{"role": "subject", "name": "张三"}]},
        content_type="application/json",
    )
    assert r.status_code == 400 and "身份证号码" in r.content.decode()
    # The office's general staff is not in the line at all.
    assert client_for(users.office_a).post(
        reverse("api:correction-list"), BODY | {"owner_org": orgs.office_a.pk}, content_type="application/json"
    ).status_code in (403, 404)
    assert Case.all_objects.count() == before


def test_the_schema_documents_the_line(client_for, users):
    text = client_for(users.staff).get(reverse("api-schema")).content.decode()
    assert "/api/v1/correction/" in text and "/api/v1/correction_assessment/" in text
