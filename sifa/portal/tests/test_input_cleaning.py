"""A line's public form may be any Django form: the portal cleans its text of
control characters at the door (issue 20: an applicant named with U+0001 broke
every Word document of the case)."""

from __future__ import annotations

import dataclasses

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from sifa.cases.models import Case
from sifa.kit import registry as kit_registry

from .publicline import FORM, KEY, public_testline

pytestmark = pytest.mark.django_db


class PlainApplicationForm(forms.Form):
    """Not a StyledForm: only the portal stands between it and the database."""

    name = forms.CharField(label="申请人姓名", max_length=50)
    phone = forms.CharField(label="联系电话", max_length=30)
    request = forms.CharField(label="请求事项", widget=forms.Textarea)


@pytest.fixture
def plain(orgs):
    with public_testline():
        kit_registry.remove_public_form(KEY)
        kit_registry.add_public_form(dataclasses.replace(FORM, form_class=PlainApplicationForm))
        yield


def post(**kw):
    data = {"name": "\x01张\x0b三", "phone": "13900001111", "request": "第一行\x1f\n\t第二行\x7f", "declaration": "on"} | kw
    return Client().post(reverse("portal:apply_form", args=[KEY]), data)


def test_control_characters_are_dropped_and_a_textarea_keeps_its_lines(plain):
    r = post()
    assert r.status_code == 302, r.content.decode()[:2000]
    case = Case.objects.get(channel="online")
    assert case.parties.get().name == "张三"
    assert case.title == "网上申请：第一行\n\t第二行"


def test_a_name_of_control_characters_only_is_missing_and_nothing_is_kept(plain):
    r = post(name="\x01\x02\x7f")
    assert r.status_code == 400 and "必填" in r.content.decode()
    assert not Case.all_objects.exists()
