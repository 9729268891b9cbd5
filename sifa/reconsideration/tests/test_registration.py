"""Registering an application or a suit on the staff pages: the same checks as
the service, Chinese messages naming the field, nothing kept when refused,
attachments checked by content and stored with the registration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sifa.attachments.models import Attachment
from sifa.cases.models import Case, CaseEvent
from sifa.common.errors import DomainError
from sifa.reconsideration.choices import FY_KEY

from .factories import ID_A, PHONE_A, applicant, make_application

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(**kw):
    today = timezone.localdate()
    return {
        "party-TOTAL_FORMS": "2",
        "party-INITIAL_FORMS": "0",
        "party-0-role": "applicant",
        "party-0-kind": "natural",
        "party-0-name": "张三",
        "party-0-id_number": ID_A,
        "party-0-phone": PHONE_A,
        "party-1-role": "agent",
        "party-1-kind": "natural",
        "party-1-name": "",
        "channel": "oral",
        "received_on": today.isoformat(),
        "respondent_agency": "public_security",
        "category": "penalty_detention",
        "contested_act": "行政拘留五日的决定",
        "act_date": (today - timedelta(days=10)).isoformat(),
        "known_on": (today - timedelta(days=9)).isoformat(),
        "request": "撤销拘留决定",
        "reasons": "未听取陈述申辩",
        "summary": "口头申请，当场记录",
    } | kw


def test_staff_registers_an_oral_application_with_attachments(users, client_for):
    c = client_for(users.staff)
    assert c.get(reverse("reconsideration:create")).status_code == 200
    r = c.post(reverse("reconsideration:create"), form_data(attachments=[SimpleUploadedFile("处罚决定书.pdf", PDF)]))
    assert r.status_code == 302
    case = Case.objects.get(case_type=FY_KEY)
    assert r["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.channel == "oral" and case.application.category == "penalty_detention" and not case.application.is_inaction
    event = CaseEvent.objects.get(case=case, kind="created")
    assert "口头申请" in event.label
    att = Attachment.objects.get(case=case)
    assert att.event == event and att.original_name == "处罚决定书.pdf"
    page = c.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "行政拘留五日的决定" in page and "待审查" in page and "110105********002X" in page and ID_A not in page


@pytest.mark.parametrize(
    "override,field,message",
    [
        ({"respondent_agency": ""}, "respondent_agency", "请选择被申请人"),
        ({"contested_act": ""}, "contested_act", "请填写被申请复议的行政行为"),
        ({"party-0-id_number": "110105194912310021"}, None, "身份证号码校验位不正确"),
        ({"party-0-phone": "1234567"}, None, "电话号码格式不正确"),
        ({"party-0-name": ""}, None, "请至少填写1位当事人"),
        ({"received_on": "2999-01-01"}, "received_on", "不能晚于今天"),
        ({"amount": "-5"}, "amount", "涉及款额"),
        ({"known_on": "2000-01-01", "act_date": "2001-01-01"}, "known_on", "不能早于行政行为作出日期"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_kept(users, client_for, override, field, message):
    r = client_for(users.staff).post(reverse("reconsideration:create"), form_data(**override))
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Case.all_objects.filter(case_type=FY_KEY).exists()


def test_a_refused_attachment_refuses_the_whole_registration(users, client_for):
    fake = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00 not a pdf")
    r = client_for(users.staff).post(reverse("reconsideration:create"), form_data(attachments=[fake]))
    assert r.status_code == 400 and "类型不被允许" in r.content.decode()
    assert not Case.all_objects.filter(case_type=FY_KEY).exists() and not Attachment.objects.exists()


def test_suit_registration(users, client_for):
    today = timezone.localdate()
    data = {
        "party-TOTAL_FORMS": "1",
        "party-INITIAL_FORMS": "0",
        "party-0-role": "plaintiff",
        "party-0-kind": "legal",
        "party-0-name": "某某科技有限公司",
        "served_on": today.isoformat(),
        "defendant_agency": "market",
        "court": "测试区人民法院",
        "court_case_number": "（2026）测0101行初9号",
        "instance": "first",
        "cause": "行政处罚",
        "contested_act": "罚款二十万元",
    }
    c = client_for(users.staff)
    assert c.get(reverse("reconsideration:suit_create")).status_code == 200
    r = c.post(reverse("reconsideration:suit_create"), data | {"defendant_agency": "x"})
    assert r.status_code == 400 and "被告行政机关" in r.content.decode()
    r = c.post(reverse("reconsideration:suit_create"), data)
    assert r.status_code == 302
    case = Case.objects.get(case_type="litigation")
    assert case.title == "某某科技有限公司诉区市场监督管理局行政处罚" and case.suit.court_case_number == "（2026）测0101行初9号"


def test_service_refuses_what_the_page_would(users):
    with pytest.raises(DomainError, match="至少填写一位申请人"):
        make_application(users.staff, parties=[{"role": "agent", "name": "代理人"}])
    with pytest.raises(DomainError, match="收件方式"):
        make_application(users.staff, channel="phone")
    with pytest.raises(DomainError, match="复议事项类别"):
        make_application(users.staff, category="nope")
    with pytest.raises(DomainError, match="请填写行政复议请求"):
        make_application(users.staff, request=" ")
    case = make_application(users.staff, parties=[applicant(), applicant(name="李四", id_number="", phone="")], category="inaction_licence")
    assert case.title.startswith("张三等2人不服") and case.application.is_inaction
    assert not Case.all_objects.filter(title__contains="代理人").exists()
