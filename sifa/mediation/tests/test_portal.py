"""The public applies for mediation on the portal (人民调解法 §17) and follows the
dispute by its code: the application joins the chosen committee's intake list
(待受理) with no handler, and the staff who take it see it at once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sifa.cases.models import Case
from sifa.orgs.tests.factories import OrgFactory

pytestmark = pytest.mark.django_db
URL = "portal:apply_form"


def data(org, **kw):
    return {
        "committee": org.pk,
        "dispute_type": "02",
        "applicant_name": "王五",
        "applicant_phone": "13900002222",
        "respondent_name": "赵六",
        "place": "A村",
        "summary": "楼上漏水，请求调解赔偿。",
        "declaration": "on",
    } | kw


def test_an_online_application_reaches_the_committees_intake_and_can_be_tracked(orgs, users, client_for):
    c = Client()
    page = c.get(reverse(URL, args=["mediation"])).content.decode()
    assert "人民调解申请" in page and "A调委会" in page and "请选择" in page
    r = c.post(reverse(URL, args=["mediation"]), data(orgs.committee_a))
    assert r.status_code == 302, r.content.decode()[:2000]
    case = Case.objects.get(case_type="mediation")
    assert (case.owner_org, case.handler, case.channel, case.status) == (orgs.committee_a, None, "online", "registered")
    assert case.dispute.source == "application" and case.dispute.place == "A村"
    assert sorted(case.parties.values_list("role", "name")) == [("applicant", "王五"), ("respondent", "赵六")]
    # The office's staff see it in their intake list (待受理) at once.
    intake = client_for(users.office_a).get(reverse("cases:intake")).content.decode()
    assert case.code in intake
    # The applicant follows it by code and the phone's last four digits.
    track = c.post(reverse("portal:track"), {"code": case.code, "digits": "2222"}).content.decode()
    assert case.code in track and "王五" not in track and "赵六" not in track


@pytest.mark.parametrize(
    "override,message",
    [
        ({"committee": ""}, "申请调解的调解组织"),
        ({"dispute_type": "99x"}, "纠纷类型"),
        ({"applicant_phone": "123"}, "电话号码格式不正确"),
        ({"respondent_name": ""}, "对方当事人"),
        ({"summary": ""}, "纠纷情况"),
        ({"declaration": ""}, "请勾选承诺声明"),
    ],
)
def test_refused_applications_name_the_field_and_keep_nothing(orgs, override, message):
    r = Client().post(reverse(URL, args=["mediation"]), data(orgs.committee_a, **override))
    assert r.status_code == 400 and message in r.content.decode()
    assert not Case.objects.exists()


def test_a_committee_of_another_district_is_refused(orgs):
    elsewhere = OrgFactory(name="邻区调委会", short_name="邻调", kind="committee", parent=orgs.other_office)
    r = Client().post(reverse(URL, args=["mediation"]), data(elsewhere))
    assert r.status_code == 400 and "请选择本区的人民调解委员会" in r.content.decode()
    assert not Case.objects.exists()


def test_the_application_rings_the_bell_of_those_who_take_it(orgs, users, client_for, django_capture_on_commit_callbacks):
    from sifa.deadlines import selectors as dl

    c = client_for(users.office_a)
    c.get(reverse("cases:home"))  # the bell's copy of the count is taken
    before = dl.frame_bell_count(users.office_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().post(reverse(URL, args=["mediation"]), data(orgs.committee_a)).status_code == 302
    # At once, not when the copy expires; and the desk says how many wait.
    assert dl.frame_bell_count(users.office_a) == before + 1
    home = c.get(reverse("cases:home")).content.decode()
    assert 'data-testid="intake-alert"' in home
    assert dl.frame_bell_count(users.office_b) == dl.bell_count(users.office_b)  # another office's bell is not rung by it
