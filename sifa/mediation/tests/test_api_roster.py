"""/api/v1/mediation/ registry writes: committees, mediators, positions and
training through the API, with the pages' forms, services and access order.
Every refusal answers 400/403/404 with a Chinese ``detail`` and changes nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from sifa.audit.models import AuditEntry
from sifa.common.actions import form_serializer
from sifa.mediation.forms.roster import CommitteeForm, MediatorForm, MembershipForm, TrainingForm
from sifa.mediation.models import Committee, Mediator, Membership, Training
from sifa.mediation.views import roster as actions
from sifa.orgs.models import Org

pytestmark = pytest.mark.django_db


def send(client, method, url, data):
    return client.generic(method, url, data=data if isinstance(data, str) else json.dumps(data), content_type="application/json")


def state():
    """Everything a registry write could change."""
    return (
        sorted(Org.objects.values_list("pk", "name", "short_name", "phone", "address")),
        sorted(Committee.objects.values_list("pk", "committee_type", "field_code", "term_years", "established_on", "note")),
        sorted(Mediator.objects.values_list("pk", "name", "gender", "kind", "level", "phone", "user_id", "is_active", "note")),
        sorted(Membership.objects.values_list("pk", "committee_id", "mediator_id", "position", "since", "active")),
        sorted(Training.objects.values_list("pk", "title", "on", "hours")),
    )


@pytest.fixture
def api(client_for, users):
    return client_for(users.office_a)


def committee_body(orgs, **over):
    return {"name": "A村人民调解委员会", "short_name": "A村调委会", "parent": orgs.office_a.pk, "committee_type": "village"} | over


def mediator_body(orgs, **over):
    return {"name": "周淑芬", "gender": "F", "committee": orgs.committee_a.pk, "position": "member"} | over


# --- the happy paths, read back ------------------------------------------------------------------------


def test_create_and_update_a_committee(api, orgs, world):
    resp = send(api, "POST", reverse("api:mediation-committees"), committee_body(orgs, established_on="2020-01-01", phone="0574-87654321"))
    assert resp.status_code == 201, resp.content
    body = resp.json()
    org = Org.objects.get(name="A村人民调解委员会")
    assert (body["id"], body["kind"], body["office"], body["profile"]["committee_type"]) == (org.pk, "committee", "A司法所", "village")
    assert body["profile"]["term_years"] == 3  # the form's default, as the page pre-fills it
    assert "未设主任。" in body["warnings"] and body["roster"] == []
    assert AuditEntry.objects.filter(action="mediation.committee.create", detail__name="A村人民调解委员会").exists()

    url = reverse("api:mediation-committee", args=[org.pk])
    resp = send(api, "PATCH", url, {"note": "已换届", "term_start": "2024-01-01", "parent": orgs.office_b.pk})
    assert resp.status_code == 200, resp.content
    got = api.get(url).json()
    assert got["profile"]["note"] == "已换届" and got["profile"]["term_start"] == "2024-01-01"
    # Fields not sent keep their values; the parent cannot be changed.
    assert got["profile"]["established_on"] == "2020-01-01" and got["name"] == "A村人民调解委员会"
    org.refresh_from_db()
    assert (org.parent_id, org.phone) == (orgs.office_a.pk, "0574-87654321")
    assert AuditEntry.objects.filter(action="mediation.committee.update", detail__name="A村人民调解委员会").exists()


def test_patch_gives_an_existing_org_its_profile(client_for, users, orgs):
    c = client_for(users.staff)
    url = reverse("api:mediation-committee", args=[orgs.committee_c.pk])
    resp = send(c, "PATCH", url, {"short_name": "C调"})
    assert resp.status_code == 400 and resp.json()["field"] == "committee_type" and "组织类型" in resp.json()["detail"]
    assert not Committee.objects.filter(org=orgs.committee_c).exists()
    assert send(c, "PATCH", url, {"committee_type": "township"}).status_code == 200
    assert Committee.objects.get(org=orgs.committee_c).committee_type == "township"


def test_create_and_update_a_mediator(api, orgs, users, world):
    resp = send(
        api, "POST", reverse("api:mediation-mediators"), mediator_body(orgs, phone="13811113333", level="2", since="2024-01-01", user=users.mediator_a2.pk)
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    m = Mediator.objects.get(name="周淑芬")
    assert (body["id"], body["phone"], body["has_account"], body["level_label"]) == (m.pk, "138****3333", True, "二级")
    # Defaults of the page's form for fields not sent: part-time, in office.
    assert (m.kind, m.is_active, m.user, m.phone) == ("part_time", True, users.mediator_a2, "13811113333")
    assert [(x["committee"], x["position"], x["since"], x["active"]) for x in body["memberships"]] == [(orgs.committee_a.pk, "member", "2024-01-01", True)]
    assert AuditEntry.objects.filter(action="mediation.mediator.create", object_id=str(m.pk)).exists()

    url = reverse("api:mediation-mediator", args=[m.pk])
    resp = send(api, "PATCH", url, {"level": "1", "note": "优秀调解员"})
    assert resp.status_code == 200, resp.content
    got = api.get(url).json()
    assert (got["level"], got["note"], got["name"], got["gender"], got["has_account"]) == ("1", "优秀调解员", "周淑芬", "F", True)
    m.refresh_from_db()
    assert m.phone == "13811113333"  # not sent: kept (never sent back either)
    assert send(api, "PATCH", url, {"phone": ""}).status_code == 200
    m.refresh_from_db()
    assert m.phone == "13811113333"
    assert send(api, "PATCH", url, {"clear_phone": True, "user": None}).status_code == 200
    m.refresh_from_db()
    assert (m.phone, m.user) == ("", None)
    assert send(api, "PATCH", url, {"is_active": False}).status_code == 200
    m.refresh_from_db()
    assert (m.is_active, m.level) == (False, "1")
    assert AuditEntry.objects.filter(action="mediation.mediator.update", object_id=str(m.pk)).count() == 4


def test_memberships_and_training(client_for, users, orgs, world):
    c = client_for(users.staff)
    m = world.med_a2
    resp = send(c, "POST", reverse("api:mediation-memberships", args=[m.pk]), {"committee": orgs.committee_b.pk, "since": "2025-03-01"})
    assert resp.status_code == 201, resp.content
    ms = Membership.objects.get(mediator=m, committee=orgs.committee_b)
    assert resp.json()["id"] == ms.pk and resp.json()["mediator"] == m.pk
    assert (ms.position, ms.since, ms.active) == ("member", date(2025, 3, 1), True)  # 委员: the page's default
    detail = c.get(reverse("api:mediation-mediator", args=[m.pk])).json()
    assert {x["id"] for x in detail["memberships"] if x["active"]} == {ms.pk, world.membership_a.pk}

    resp = send(c, "POST", reverse("api:mediation-membership-end", args=[ms.pk]), {})
    assert resp.status_code == 200 and resp.json()["active"] is False
    ms.refresh_from_db()
    assert not ms.active and AuditEntry.objects.filter(action="mediation.membership.end", object_id=str(m.pk)).exists()

    resp = send(
        c,
        "POST",
        reverse("api:mediation-trainings", args=[m.pk]),
        {"on": "2026-05-01", "title": "婚姻家庭纠纷调解技巧", "organizer": "演示区司法局", "hours": 3.5},
    )
    assert resp.status_code == 201, resp.content
    t = Training.objects.get()
    assert (t.mediator, t.on, t.hours, resp.json()["id"]) == (m, date(2026, 5, 1), 3.5, t.pk)
    assert [x["title"] for x in c.get(reverse("api:mediation-mediator", args=[m.pk])).json()["trainings"]] == ["婚姻家庭纠纷调解技巧"]
    assert AuditEntry.objects.filter(action="mediation.training.create", object_id=str(m.pk)).exists()


def test_a_second_director_is_a_warning_not_a_refusal(api, orgs, world):
    """The statute's composition rules (one 主任, 3–9 members, a woman) are
    warnings in the services, as on the pages: members are entered one at a time."""
    resp = send(api, "POST", reverse("api:mediation-memberships", args=[world.med_a2.pk]), {"committee": orgs.committee_a.pk, "position": "director"})
    assert resp.status_code == 201
    warnings = api.get(reverse("api:mediation-committee", args=[orgs.committee_a.pk])).json()["warnings"]
    assert "主任有2人，应设主任一人。" in warnings


# --- refusals: 400 naming the field, nothing changed ---------------------------------------------------


BAD = [
    # (route, url args, body over the valid one, field, words in the detail)
    ("committees", None, {"name": "A调委会", "parent": "office_a"}, "name", "名称：“A司法所”下已有名为“A调委会”的机构"),
    ("committees", None, {"committee_type": ""}, "committee_type", "组织类型"),
    ("committees", None, {"committee_type": "astrology"}, "committee_type", "组织类型"),
    ("committees", None, {"field_code": "astrology"}, "field_code", "行业/专业领域"),
    ("committees", None, {"parent": "committee_a"}, "parent", "所属司法所/上级组织：人民调解委员会应设在司法所"),
    ("committees", None, {"parent": "office_b"}, "parent", "所属司法所/上级组织"),
    ("committees", None, {"phone": "12"}, "phone", "联系电话：电话号码格式不正确"),
    ("committees", None, {"established_on": "去年"}, "established_on", "成立日期"),
    ("committees", None, {"term_years": "三"}, "term_years", "每届任期"),
    ("committees", None, {"term_years": 11}, "term_years", "每届任期"),
    ("committees", None, {"name": ["A村"]}, "name", "名称"),
    ("mediators", None, {"name": ""}, "name", "姓名"),
    ("mediators", None, {"gender": "X"}, "gender", "性别"),
    ("mediators", None, {"level": "5"}, "level", "等级"),
    ("mediators", None, {"kind": "volunteer"}, "kind", "专兼职"),
    ("mediators", None, {"phone": "abc"}, "phone", "联系电话：电话号码格式不正确"),
    ("mediators", None, {"position": "chief"}, "position", "职务"),
    ("mediators", None, {"since": "下个月"}, "since", "任职日期"),
    ("mediators", None, {"committee": "committee_b"}, "committee", "所属调解组织"),
    ("mediators", None, {"user": "lawyer"}, "user", "登录账号"),
    ("mediators", None, {"user": "mediator_a"}, "user", "该登录账号已关联其他调解员"),
    ("mediators", None, {"is_active": {"yes": 1}}, "is_active", "在职：应为 true 或 false"),
    ("mediators", None, {"is_active": "也许"}, "is_active", "在职：应为 true 或 false"),
    ("mediators", None, {"name": True}, "name", "姓名：应为文字或数字"),
    ("committee", "committee_a", {"term_years": 0}, "term_years", "每届任期"),
    ("committee", "committee_a", {"short_name": ""}, "short_name", "简称"),
    ("committee", "committee_a", {"name": "很长的名称" * 21}, "name", "名称"),
    ("mediator", "med_a2", {"gender": ""}, "gender", "性别"),
    ("mediator", "med_a2", {"user": "mediator_a"}, "user", "该登录账号已关联其他调解员"),
    ("memberships", "med_a2", {"position": "chief"}, "position", "职务"),
    ("memberships", "med_a2", {"committee": "committee_b"}, "committee", "调解组织"),
    ("memberships", "med_a2", {"since": 20250101}, "since", "任职日期"),
    ("trainings", "med_a2", {"on": "明天"}, "on", "培训日期"),
    ("trainings", "med_a2", {"on": None}, "on", "培训日期"),
    ("trainings", "med_a2", {"title": "  "}, "title", "培训内容"),
    ("trainings", "med_a2", {"hours": -1}, "hours", "学时"),
    ("trainings", "med_a2", {"hours": "三小时"}, "hours", "学时"),
]

VALID = {
    "committees": lambda o, u: committee_body(o),
    "mediators": lambda o, u: mediator_body(o),
    "committee": lambda o, u: {},
    "mediator": lambda o, u: {},
    "memberships": lambda o, u: {"committee": o.committee_a.pk, "position": "deputy"},
    "trainings": lambda o, u: {"on": "2026-05-01", "title": "调解技巧"},
}
METHOD = {"committee": "PATCH", "mediator": "PATCH"}


def _resolve(value, orgs, users):
    """Names of fixtures in the table become their ids."""
    if isinstance(value, str) and hasattr(orgs, value):
        return getattr(orgs, value).pk
    if isinstance(value, str) and value in ("lawyer", "mediator_a", "mediator_a2"):
        return getattr(users, value).pk
    return value


def _url(route, arg, world, orgs):
    if arg is None:
        return reverse(f"api:mediation-{route}")
    target = getattr(world, arg, None) or getattr(orgs, arg)
    return reverse(f"api:mediation-{route}", args=[target.pk])


@pytest.mark.parametrize("route,arg,over,field,words", BAD, ids=[f"{r}-{f}-{i}" for i, (r, _, _, f, _) in enumerate(BAD)])
def test_bad_input_answers_400_naming_the_field(client_for, users, orgs, world, route, arg, over, field, words):
    c = client_for(users.office_a)
    body = VALID[route](orgs, users) | {k: _resolve(v, orgs, users) for k, v in over.items()}
    before, audit = state(), AuditEntry.objects.filter(action__startswith="mediation.").count()
    resp = send(c, METHOD.get(route, "POST"), _url(route, arg, world, orgs), body)
    assert resp.status_code == 400, resp.content
    got = resp.json()
    assert got["field"] == field and words in got["detail"], got
    assert state() == before and AuditEntry.objects.filter(action__startswith="mediation.").count() == audit


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"'])
def test_a_body_that_is_not_an_object_answers_400(api, orgs, world, raw):
    before = state()
    for method, url in (("POST", reverse("api:mediation-committees")), ("PATCH", reverse("api:mediation-mediator", args=[world.med_a2.pk]))):
        resp = send(api, method, url, raw)
        assert resp.status_code == 400, (method, raw, resp.content)
        assert resp.json()["detail"] in ("请求内容不是有效的 JSON。", "请求内容应为 JSON 对象。")
    assert state() == before


# --- access: 404 outside the scope before 403 for readers ----------------------------------------------


def _writes(world, orgs):
    m = world.med_a2
    return [
        ("POST", reverse("api:mediation-committees"), committee_body(orgs)),
        ("PATCH", reverse("api:mediation-committee", args=[orgs.committee_a.pk]), {"note": "x"}),
        ("POST", reverse("api:mediation-mediators"), mediator_body(orgs)),
        ("PATCH", reverse("api:mediation-mediator", args=[m.pk]), {"level": "1"}),
        ("POST", reverse("api:mediation-memberships", args=[m.pk]), {"committee": orgs.committee_a.pk, "position": "deputy"}),
        ("POST", reverse("api:mediation-membership-end", args=[world.membership_a.pk]), {}),
        ("POST", reverse("api:mediation-trainings", args=[m.pk]), {"on": "2026-05-01", "title": "调解技巧"}),
    ]


@pytest.mark.parametrize("who", ["leader", "mediator_a", "mediator_a2"])
def test_readers_get_403_and_nothing_changes(client_for, users, orgs, world, who):
    c = client_for(getattr(users, who))
    before = state()
    for method, url, body in _writes(world, orgs):
        resp = send(c, method, url, body)
        assert resp.status_code == 403, (method, url, resp.status_code)
        assert resp.json()["detail"] == "您的角色不能修改调解组织和调解员档案。"
    assert state() == before


def test_another_office_gets_404_for_office_a_records(client_for, users, orgs, world):
    c = client_for(users.office_b)
    before = state()
    for method, url, body in _writes(world, orgs)[1:2] + _writes(world, orgs)[3:]:
        resp = send(c, method, url, body)
        assert resp.status_code == 404, (method, url, resp.status_code)
        assert resp.json()["detail"] == "未找到。"
    # Creating in office A: the choice is not office B's to make.
    for url, body, field in (
        (reverse("api:mediation-committees"), committee_body(orgs), "parent"),
        (reverse("api:mediation-mediators"), mediator_body(orgs), "committee"),
    ):
        resp = send(c, "POST", url, body)
        assert resp.status_code == 400 and resp.json()["field"] == field
    assert state() == before


def test_outside_the_line_everything_is_404(client_for, users, orgs, world):
    for who in ("lawyer", "sysadmin", "staff_other_line"):
        c = client_for(getattr(users, who))
        before = state()
        for method, url, body in _writes(world, orgs):
            assert send(c, method, url, body).status_code == 404, (who, url)
        assert state() == before


# --- the documented request bodies are the forms' fields -----------------------------------------------


def test_request_serializers_match_the_forms():
    """The documented request bodies are built from the forms (``FormAction.api``)."""

    def body(action):
        return set(form_serializer(action.form_class, exclude=action.schema_exclude, extra=action.schema_extra)().fields)

    assert body(actions.CommitteeCreate) == set(CommitteeForm().fields)
    assert body(actions.MediatorCreate) == set(MediatorForm().fields)
    assert body(actions.MediatorEdit) == set(MediatorForm(editing=True, phone_mask="138****2222").fields)
    assert body(actions.MembershipAdd) == set(MembershipForm().fields)
    assert body(actions.TrainingAdd) == set(TrainingForm().fields)


def test_schema_documents_the_writes(users, client_for):
    resp = client_for(users.office_a).get(reverse("api-schema"), {"format": "json"})
    assert resp.status_code == 200
    paths = json.loads(resp.content)["paths"]
    expected = {
        "/api/v1/mediation/committees/": {"get", "post"},
        "/api/v1/mediation/committees/{id}/": {"get", "patch"},
        "/api/v1/mediation/mediators/": {"get", "post"},
        "/api/v1/mediation/mediators/{id}/": {"get", "patch"},
        "/api/v1/mediation/mediators/{id}/memberships/": {"post"},
        "/api/v1/mediation/memberships/{id}/end/": {"post"},
        "/api/v1/mediation/mediators/{id}/trainings/": {"post"},
    }
    for p, methods in expected.items():
        assert methods <= set(paths[p]), p
        for m in methods:
            assert paths[p][m]["summary"], (p, m)
