"""The portal's 在线法律咨询/预约 (PublicForm "hotline"), end to end through the
portal's own URLs: a question becomes an order waiting, unassigned, in the intake
list of the bureau's public legal service centre (the bureau's without one);
the caller follows it with its code and the last four digits of the phone, and
sees the stage, never a name; bad input is named and keeps nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sifa.cases import selectors as case_selectors
from sifa.cases.models import Case
from sifa.cases.services import transition

from ..choices import Status
from ..models import WorkOrder

pytestmark = pytest.mark.django_db

APPLY = reverse("portal:apply_form", args=["hotline"])
TRACK = reverse("portal:track")
PHONE = "13912345678"


def question(**kw) -> dict:
    return {
        "name": "赵六",
        "phone": PHONE,
        "appointment": "legal_aid",
        "category": "labour",
        "summary": "公司拖欠两个月工资，想预约法律援助。",
        "declaration": "on",
    } | kw


def ask(code: str, digits: str, client=None):
    return (client or Client()).post(TRACK, {"code": code, "digits": digits}, REMOTE_ADDR="10.9.9.9")


def test_the_form_is_on_the_portal(orgs):
    r = Client().get(APPLY)
    page = r.content.decode()
    assert r.status_code == 200 and "在线法律咨询/预约" in page and "12348" in page
    assert "在线法律咨询/预约" in Client().get(reverse("portal:home")).content.decode()


def test_a_question_waits_unassigned_in_the_centres_intake_list(orgs, center, operator, users):
    c = Client()
    r = c.post(APPLY, question())
    assert r.status_code == 302 and r["Location"] == reverse("portal:receipt"), r.content.decode()[:2000]
    case = Case.objects.get()
    rec = case.workorder
    assert case.status == Status.REGISTERED and case.status_label == "待受理"
    assert case.owner_org == center and case.handler is None and case.created_by is None
    assert case.channel == "online" and rec.channel == "online"
    assert (rec.kind, rec.appointment, rec.category) == ("appointment", "legal_aid", "labour")
    caller = case.parties.get()
    assert (caller.role, caller.name, caller.phone) == ("caller", "赵六", PHONE)
    assert case in case_selectors.intake(operator)
    assert case not in case_selectors.intake(users.office_a)  # a judicial office does not take the centre's orders
    receipt = c.get(reverse("portal:receipt")).content.decode()
    assert case.code in receipt and "后四位" in receipt and "赵六" not in receipt and PHONE not in receipt


def test_without_a_centre_the_bureau_receives_it(orgs, users):
    r = Client().post(APPLY, question(appointment=""))
    assert r.status_code == 302
    case = Case.objects.get()
    assert case.owner_org == orgs.bureau and case.handler is None
    assert (case.workorder.kind, case.workorder.appointment) == ("consult", "")
    assert case in case_selectors.intake(users.staff)


def test_the_caller_tracks_the_stage_by_code_and_phone_digits_without_names(orgs, center, operator):
    Client().post(APPLY, question())
    case = Case.objects.get()
    r = ask(case.code, PHONE[-4:])
    page = r.content.decode()
    assert r.status_code == 200 and case.code in page and "已收到，待受理" in page
    for secret in ("赵六", PHONE, operator.full_name, center.name):
        assert secret not in page
    transition(operator, case, "accept", data={"kind": "appointment", "appointment": "legal_aid", "category": "labour"})
    assert "办理中" in ask(case.code, PHONE[-4:]).content.decode()
    transition(operator, case, "answer", data={"answer": "已为您转法律援助中心预约，请携带身份证和劳动合同前往。"})
    assert "已办结" in ask(case.code, PHONE[-4:]).content.decode()


def test_wrong_digits_show_nothing(orgs, center):
    Client().post(APPLY, question())
    case = Case.objects.get()
    r = ask(case.code, "0000")
    assert r.status_code == 404 and case.code not in r.content.decode()


def _refused(r, field: str, words: str) -> str:
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert field in errors, errors
    message = str(errors[field][0])
    assert words in message and message in r.content.decode(), message
    return message


def test_a_bad_phone_is_named_and_keeps_nothing(orgs, center):
    _refused(Client().post(APPLY, question(phone="12345")), "phone", "联系电话")
    assert not Case.all_objects.exists() and not WorkOrder.objects.exists()


def test_an_empty_question_is_named_and_keeps_nothing(orgs, center):
    _refused(Client().post(APPLY, question(summary="")), "summary", "问题描述")
    assert not Case.all_objects.exists() and not WorkOrder.objects.exists()


def test_empty_or_bad_fields_keep_nothing(orgs, center):
    for bad in ({"summary": ""}, {"name": ""}, {"category": "space"}, {"declaration": ""}):
        r = Client().post(APPLY, question(**bad))
        assert r.status_code == 400 and "请按提示修改后重新提交" in r.content.decode(), bad
    assert not Case.all_objects.exists() and not WorkOrder.objects.exists()
