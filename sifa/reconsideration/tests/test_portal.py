"""The line in the public portal: the online application becomes a case awaiting
review (same validation as staff registration), and its applicant follows it by
code + phone digits in plain words. Suits are not publicly tracked."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sifa.attachments.models import Attachment
from sifa.cases.models import Case
from sifa.reconsideration.choices import FY_KEY

from .factories import ID_A, accepted, heard, make_application, make_suit, step

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def application(**kw):
    return {
        "applicant_kind": "natural",
        "applicant_name": "赵敏",
        "applicant_id_number": ID_A,
        "applicant_phone": "139 0000 4321",
        "applicant_address": "测试区东湖街道1号",
        "respondent_agency": "urban_management",
        "category": "penalty_fine",
        "contested_act": "罚款二千元的决定",
        "amount": "2000",
        "request": "撤销罚款决定",
        "reasons": "未告知陈述申辩权利",
        "declaration": "on",
    } | kw


def track(code, digits, ip="10.8.0.1"):
    return Client().post("/portal/track/", {"code": code, "digits": digits}, REMOTE_ADDR=ip)


def test_online_application_is_a_case_awaiting_review(orgs, users, client_for):
    c = Client()
    assert "行政复议申请" in c.get("/portal/apply/").content.decode()  # offered among the portal's forms
    r = c.post("/portal/apply/reconsideration/", application(attachments=[SimpleUploadedFile("罚款决定书.pdf", PDF)]))
    assert r.status_code == 302, r.content.decode()[:2000]
    case = Case.objects.get(case_type=FY_KEY)
    assert (case.status, case.channel, case.owner_org, case.created_by) == ("received", "online", orgs.bureau, None)
    app = case.application
    assert (app.respondent_agency, app.amount, app.request) == ("urban_management", 2000, "撤销罚款决定")
    party = case.parties.get()
    assert (party.name, party.id_number, party.phone, party.phone_last4) == ("赵敏", ID_A, "13900004321", "4321")
    assert Attachment.objects.get(case=case).event.kind == "created"
    receipt = c.get(reverse("portal:receipt")).content.decode()
    assert case.code in receipt and "受理审查" in receipt and "赵敏" not in receipt and ID_A not in receipt
    staff_list = client_for(users.staff).get(reverse("reconsideration:list")).content.decode()
    assert case.code in staff_list and "待审查" in staff_list
    page = client_for(users.staff).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "网上" in page and "罚款决定书.pdf" in page
    # Nobody handles it yet: it waits in the intake list (待分配) of those who work the line.
    intake = client_for(users.staff).get(reverse("cases:intake")).content.decode()
    assert case.code in intake and case.handler is None
    assert case.code not in client_for(users.office_a).get(reverse("cases:home")).content.decode()
    client_for(users.staff).post(reverse("cases:take", args=[case.pk]))
    assert Case.objects.get(pk=case.pk).handler == users.staff and case.code not in client_for(users.staff).get(reverse("cases:intake")).content.decode()


@pytest.mark.parametrize(
    "override,message",
    [
        ({"applicant_id_number": "110105194912310021"}, "校验位不正确"),
        ({"applicant_phone": "1234"}, "电话号码格式不正确"),
        ({"respondent_agency": ""}, "请选择被申请人"),
        ({"request": ""}, "请填写行政复议请求"),
        ({"applicant_kind": "legal", "applicant_id_number": "91350100M000100Y43"}, "法定代表人"),
        ({"declaration": ""}, "请勾选承诺声明"),
        ({"attachments": [SimpleUploadedFile("证据.docx", b"not a zip")]}, "类型不被允许"),
    ],
)
def test_bad_applications_are_refused_and_nothing_kept(orgs, override, message):
    r = Client().post("/portal/apply/reconsideration/", application(**override))
    assert r.status_code == 400 and message in r.content.decode()
    assert not Case.all_objects.exists() and not Attachment.objects.exists()


def test_progress_in_plain_words_through_the_stages(users):
    case = make_application(users.staff, received_on=date(2026, 11, 20), parties=[{"role": "applicant", "name": "张三", "phone": "13812345678"}])
    page = track(case.code, "5678").content.decode()
    if "视为受理" not in page:  # still within the review period
        assert "已收到申请，正在审查是否受理" in page and "受理审查" in page
    late = make_application(users.staff, received_on=date(2026, 2, 12), parties=[{"role": "applicant", "name": "李四", "phone": "13900001111"}])
    page = track(late.code, "1111").content.decode()
    assert "依法视为受理" in page and "作出行政复议决定" in page and "2026-04-27" in page
    done = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    heard(users, done, date(2026, 3, 5))
    step(users.staff, done, "decide", date(2026, 4, 1), kind="revoke", summary="x")
    page = track(done.code, "5678").content.decode()
    assert "已结案：撤销" in page and "2026-04-01" in page and "受理" in page
    for secret in ("张三", "李四", "13812345678", "用户"):  # no names, phones or staff
        assert secret not in page


def test_suits_are_not_publicly_tracked(users):
    suit = make_suit(users.staff, served_on=date(2026, 6, 1), parties=[{"role": "plaintiff", "name": "王五", "phone": "13700005555"}])
    unknown = suit.code[:8] + "2026999999"
    from sifa.cases import codes

    a, b = track(suit.code, "5555"), track(codes.build("359901", "YS", 2026, 999998), "5555")
    assert a.status_code == b.status_code == 404 and a.content == b.content and unknown
