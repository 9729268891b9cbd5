"""Online applications through the portal: the line's form plus the declaration,
CSRF, attachments checked by content, the receipt with its QR, rate limiting."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sifa.attachments.models import Attachment
from sifa.cases.models import Case

from .publicline import KEY, public_testline

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def public(orgs):
    with public_testline() as ct:
        yield ct


def url():
    return reverse("portal:apply_form", args=[KEY])


def data(**kw):
    return {"name": "李四", "phone": "13900001111", "request": "请求处理", "declaration": "on"} | kw


def test_application_becomes_a_case_in_the_bureau_queue_with_a_receipt(public, orgs, users, client_for):
    c = Client()
    assert c.get(url()).status_code == 200
    r = c.post(url(), data(attachments=[SimpleUploadedFile("材料.pdf", PDF), SimpleUploadedFile("照片.pdf", PDF)]))
    assert r.status_code == 302 and r["Location"] == reverse("portal:receipt")
    case = Case.objects.get(channel="online")
    assert case.owner_org == orgs.bureau and case.handler is None and case.created_by is None
    assert Attachment.objects.filter(case=case).count() == 2
    receipt = c.get(reverse("portal:receipt"))
    page = receipt.content.decode()
    assert receipt.status_code == 200 and case.code in page and "五个工作日内审查" in page and "李四" not in page
    assert c.get(reverse("portal:qr", args=[case.code]))["Content-Type"] == "image/svg+xml"
    assert case.code in client_for(users.staff).get(reverse("cases:list")).content.decode()


@pytest.mark.parametrize(
    "override,message",
    [
        ({"declaration": ""}, "请勾选承诺声明"),
        ({"name": ""}, "必填"),
        ({"phone": "123"}, "电话号码格式不正确"),
        ({"attachments": [SimpleUploadedFile("材料.pdf", b"GIF89a fake")]}, "类型不被允许"),
    ],
)
def test_refused_applications_keep_nothing(public, override, message):
    r = Client().post(url(), data(**override))
    assert r.status_code == 400 and message in r.content.decode()
    assert not Case.all_objects.exists() and not Attachment.objects.exists()


def test_a_refused_field_is_marked_as_every_form_marks_it(public):
    """The line's public form is a plain Form: the portal marks the refused field's
    input (is-invalid: the red border and the message under it), and only that one."""
    import re

    page = Client().post(url(), data(phone="123")).content.decode()
    tags = {name: tag for tag in re.findall(r"<input[^>]*>", page) for name in re.findall(r'name="([^"]+)"', tag)}
    assert "is-invalid" in tags["phone"] and "is-invalid" not in tags["name"]


def test_too_many_files(public, settings):
    settings.SIFA_PORTAL_MAX_FILES = 1
    r = Client().post(url(), data(attachments=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]))
    assert r.status_code == 400 and "附件最多1个" in r.content.decode() and not Case.all_objects.exists()


def test_csrf_is_required(public):
    r = Client(enforce_csrf_checks=True).post(url(), data())
    assert r.status_code == 403 and not Case.all_objects.exists()


def test_submissions_are_rate_limited(public, settings):
    settings.SIFA_PORTAL_APPLY_MAX_PER_IP = 2
    c = Client()
    for _ in range(2):
        c.post(url(), data(), REMOTE_ADDR="10.5.5.5")
    r = c.post(url(), data(), REMOTE_ADDR="10.5.5.5")
    assert r.status_code == 429 and Case.all_objects.count() == 2


def test_receipt_needs_a_submission_and_unknown_forms_are_missing(public):
    assert Client().get(reverse("portal:receipt"))["Location"] == reverse("portal:home")
    assert Client().get(reverse("portal:apply_form", args=["nothing"])).status_code == 404


def test_home_and_chooser_list_registered_forms(public):
    assert "测试申请" in Client().get(reverse("portal:home")).content.decode()
    assert "测试申请" in Client().get(reverse("portal:apply")).content.decode()


def test_the_guide_and_the_footer_tell_the_public_how_and_whom_to_ask(public, orgs):
    orgs.bureau.address, orgs.bureau.phone = "测试路1号", "0591-12345678"
    orgs.bureau.save(update_fields=["address", "phone"])
    c = Client()
    guide = c.get(reverse("portal:guide"))
    page = guide.content.decode()
    assert guide.status_code == 200 and "办事指南" in page and "案件编码" in page and "后四位" in page
    for url_ in (reverse("portal:home"), reverse("portal:guide"), reverse("portal:track"), url()):
        footer = c.get(url_).content.decode().split('data-testid="portal-footer"')[1]
        assert "测试区司法局" in footer and "测试路1号" in footer and "0591-12345678" in footer and "12348" in footer and "办公时间" in footer
