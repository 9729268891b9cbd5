"""Parties: masking everywhere, audited reveal, add / edit / remove pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sifa.audit.models import AuditEntry
from sifa.cases import parties as party_services
from sifa.cases.models import Party
from sifa.common.errors import DomainError

from .factories import make_case
from .matrix import ADDRESS_A, CASE_ROLES, ID_A, PHONE_A, REVEALERS, ROLES, snapshot
from .matrix import world as world

pytestmark = pytest.mark.django_db

MASKED_ID, MASKED_PHONE = "110105********002X", "138****5678"
SEE_A = CASE_ROLES - {"office_b"}  # the roles that see case ``a``


def _pages(w, role):
    a = w.a
    party = w.party(a)
    pages = [
        reverse("home"),
        reverse("cases:list"),
        reverse("cases:list") + "?q=zs",
        reverse("cases:detail", args=[a.pk]),
        reverse("cases:detail", args=[a.pk]) + "?tab=parties",
        reverse("cases:party_edit", args=[a.pk, party.pk]),
        reverse("cases:party_add", args=[a.pk]),
        reverse("cases:transition", args=[a.pk, "accept"]),
        reverse("cases:edit", args=[a.pk]),
        reverse("deadlines:list") + "?light=all",
        reverse("api:cases-list"),
        reverse("api:cases-list") + "?q=zhangsan",
        reverse("api:cases-detail", args=[a.pk]),
        reverse("api:cases-by-code", args=[a.code]),
        reverse("api:cases-timeline", args=[a.pk]),
    ]
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_full_id_phone_and_address_never_reach_a_page_or_an_api_answer(world, client_for, role):
    from sifa.cases import services

    services.transition(world.users.office_a, world.a, "accept")
    client = client_for(world.user(role))
    seen_masked = False
    for url in _pages(world, role):
        resp = client.get(url)
        text = resp.content.decode()
        assert ID_A not in text and ID_A.lower() not in text, url
        assert ADDRESS_A not in text and PHONE_A not in text, url
        seen_masked |= MASKED_ID in text and MASKED_PHONE in text
    assert seen_masked is (role in SEE_A)
    assert not AuditEntry.objects.filter(action="party.reveal").exists()  # viewing is not revealing


def test_api_detail_shows_masked_parties(world, client_for):
    data = client_for(world.users.office_a).get(reverse("api:cases-detail", args=[world.a.pk])).json()
    (p,) = data["parties"]
    assert (p["name"], p["id_number"], p["phone"]) == ("张三", MASKED_ID, MASKED_PHONE)
    assert p["address"].endswith("****") and ADDRESS_A not in p["address"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("field,secret", [("id_number", ID_A), ("phone", PHONE_A), ("address", ADDRESS_A)])
def test_reveal_is_audited_every_time_and_refused_for_others(world, client_for, role, field, secret):
    client = client_for(world.user(role))
    party = world.party(world.a)
    page_url = reverse("cases:party_reveal", args=[party.pk, field])
    api_url = reverse("api:parties-reveal", args=[party.pk, field])
    r1, r2 = client.post(page_url), client.post(api_url)
    entries = AuditEntry.objects.filter(action="party.reveal", object_id=str(party.pk))
    if role in REVEALERS and role in SEE_A:
        assert r1.status_code == 200 and secret in r1.content.decode()
        assert r2.status_code == 200 and r2.json() == {"field": field, "value": secret}
        assert entries.filter(result="ok").count() == 2
        assert entries.first().detail["field"] == field and entries.first().username == role
    elif role not in SEE_A:  # another office, or an administrator: like a missing party
        assert r1.status_code == 404 and r2.status_code == 404
        assert secret not in r1.content.decode() + r2.content.decode()
        assert not entries.filter(result="ok").exists()
    else:  # the leader reads, but may not reveal
        assert r1.status_code == 403 and r2.status_code == 403
        assert "无权查看完整的个人信息" in r1.content.decode() and "无权" in r2.json()["detail"]
        assert secret not in r1.content.decode() + r2.content.decode()
        assert entries.filter(result="refused").count() == 2 and not entries.filter(result="ok").exists()


def test_reveal_of_another_offices_party_is_404_whatever_the_field(world, client_for):
    client = client_for(world.users.office_b)
    party = world.party(world.a)
    for field in ("id_number", "nonsense"):
        assert client.post(reverse("cases:party_reveal", args=[party.pk, field])).status_code == 404
        assert client.post(reverse("api:parties-reveal", args=[party.pk, field])).status_code == 404
    assert not AuditEntry.objects.filter(action="party.reveal", result="ok").exists()


def test_reveal_of_an_unknown_field_is_refused(world, client_for):
    client = client_for(world.users.office_a)
    party = world.party(world.a)
    resp = client.post(reverse("api:parties-reveal", args=[party.pk, "name_pinyin"]))
    assert resp.status_code == 400 and "不可查看" in resp.json()["detail"]
    resp = client.post(reverse("cases:party_reveal", args=[party.pk, "id_hash"]))
    assert resp.status_code == 400 and "不可查看" in resp.content.decode()
    assert not AuditEntry.objects.filter(action="party.reveal").exists()


def test_reveal_needs_post(world, client_for):
    party = world.party(world.a)
    assert client_for(world.users.office_a).get(reverse("cases:party_reveal", args=[party.pk, "phone"])).status_code == 405
    assert client_for(world.users.office_a).get(reverse("api:parties-reveal", args=[party.pk, "phone"])).status_code == 405


# --- add / edit / remove pages ------------------------------------------------------------------


def test_add_party_page(world, client_for):
    client = client_for(world.users.office_a)
    url = reverse("cases:party_add", args=[world.a.pk])
    resp = client.post(url, {"role": "respondent", "kind": "natural", "name": "李小明", "id_number": "110105491231002", "phone": "0591-87654321"})
    assert resp.status_code == 302 and resp["Location"].endswith("?tab=parties")
    p = Party.objects.get(case=world.a, name="李小明")
    assert p.id_number == ID_A and p.id_type == "resident_id" and p.gender == "F" and str(p.birth_date) == "1949-12-31"
    assert (p.name_initials, p.name_pinyin, p.phone_last4) == ("lxm", "lixiaoming", "4321")
    assert world.a.events.filter(kind="party", label="添加当事人：李小明").exists()
    # Legal person with a credit code.
    from sifa.common.tests.test_identity import uscc

    code = uscc("91350100M000100Y4")
    resp = client.post(url, {"role": "respondent", "kind": "legal", "name": "某某物业有限公司", "id_number": code.lower(), "legal_rep": "王某"})
    assert resp.status_code == 302
    assert Party.objects.get(case=world.a, kind="legal").id_number == code


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"name": ""}, "name", "必填"),
        ({"id_number": "110105194912310021"}, "id_number", "校验位"),
        ({"kind": "legal", "id_number": "91350100M000100Y4I"}, "id_number", "统一社会信用代码"),
        ({"phone": "1381234567"}, "phone", "电话号码格式不正确"),
        ({"role": "judge"}, "role", "选择一个有效的选项"),
    ],
)
def test_add_party_refuses_bad_input_names_the_field_and_keeps_what_was_typed(world, client_for, data, field, message):
    client = client_for(world.users.office_a)
    before = snapshot(world.a)
    post = {"role": "respondent", "kind": "natural", "name": "赵六", "address": "东湖街道1号"} | data
    resp = client.post(reverse("cases:party_add", args=[world.a.pk]), post)
    assert resp.status_code == 400
    form = resp.context["form"]
    assert message in " ".join(str(e) for e in form.errors.get(field, [])), form.errors
    text = resp.content.decode()
    assert "东湖街道1号" in text  # nothing typed is lost
    assert snapshot(world.a) == before


def test_edit_form_shows_masked_values_and_blank_keeps_them(world, client_for):
    client = client_for(world.users.office_a)
    party = world.party(world.a)
    url = reverse("cases:party_edit", args=[world.a.pk, party.pk])
    page = client.get(url).content.decode()
    assert ID_A not in page and PHONE_A not in page and ADDRESS_A not in page
    assert MASKED_ID in page and MASKED_PHONE in page and "留空不修改" in page
    resp = client.post(url, {"role": "applicant", "kind": "natural", "name": "张三", "phone": "13900002222"})
    assert resp.status_code == 302
    party.refresh_from_db()
    assert (party.id_number, party.phone, party.address) == (ID_A, "13900002222", ADDRESS_A)
    assert party.phone_last4 == "2222"
    # Ticking “clear” removes a stored value.
    resp = client.post(url, {"role": "applicant", "kind": "natural", "name": "张三", "clear_address": "on"})
    assert resp.status_code == 302
    party.refresh_from_db()
    assert (party.id_number, party.address) == (ID_A, "")
    # A new ID number brings its own birth date and keyed hash.
    client.post(url, {"role": "applicant", "kind": "natural", "name": "张三", "id_number": "350102199001011238", "gender": "M"})
    party.refresh_from_db()
    assert party.id_number == "350102199001011238" and str(party.birth_date) == "1990-01-01"
    from sifa.cases import selectors

    assert list(selectors.search(world.users.office_a, "350102199001011238")) == [world.a]
    assert list(selectors.search(world.users.office_a, ID_A)) == []
    labels = list(world.a.events.filter(kind="party").values_list("label", flat=True))
    assert labels.count("修改当事人：张三") == 3
    assert not AuditEntry.objects.filter(action="party.reveal").exists()


def test_edit_with_a_bad_number_changes_nothing(world, client_for):
    client = client_for(world.users.office_a)
    party = world.party(world.a)
    before = snapshot(world.a)
    resp = client.post(reverse("cases:party_edit", args=[world.a.pk, party.pk]), {"role": "applicant", "kind": "natural", "name": "张三", "id_number": "123"})
    assert resp.status_code == 400 and "身份证号码" in resp.content.decode()
    assert snapshot(world.a) == before


def test_party_of_another_case_is_404(world, client_for):
    client = client_for(world.users.office_a)
    other_party = Party.objects.create(case=world.b, name="外人")
    before = snapshot(world.b)
    assert client.get(reverse("cases:party_edit", args=[world.a.pk, other_party.pk])).status_code == 404
    assert client.post(reverse("cases:party_delete", args=[world.a.pk, other_party.pk]), {"reason": "x"}).status_code == 404
    assert snapshot(world.b) == before


def test_remove_party_page_needs_a_reason(world, client_for):
    client = client_for(world.users.office_a)
    party = world.party(world.a)
    url = reverse("cases:party_delete", args=[world.a.pk, party.pk])
    before = snapshot(world.a)
    resp = client.post(url, {"reason": " "}, follow=True)
    assert "删除当事人须填写原因" in resp.content.decode()
    assert snapshot(world.a) == before
    resp = client.post(url, {"reason": "重复录入"})
    assert resp.status_code == 302
    assert not Party.objects.filter(pk=party.pk).exists()
    ev = world.a.events.get(label="删除当事人：张三")
    assert ev.reason == "重复录入"
    assert AuditEntry.objects.filter(action="party.delete", object_id=str(party.pk)).exists()


def test_service_errors_name_the_party_and_field(orgs, users):
    with pytest.raises(DomainError) as exc:
        make_case(users.office_a, orgs.office_a, parties=[{"name": "甲"}, {"name": "乙", "phone": "12"}])
    assert exc.value.message.startswith("第2位当事人") and exc.value.field == "phone"
    with pytest.raises(DomainError) as exc:
        party_services.clean_party({"name": "甲", "kind": "robot"})
    assert "类型无效" in exc.value.message
