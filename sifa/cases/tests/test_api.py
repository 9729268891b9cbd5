"""/api/v1/cases/…: the same scoping and the same one door as the pages, with
session or token authentication; refusals answer in Chinese and change nothing."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from sifa.accounts.tests.api_tokens import token_key
from sifa.cases import services
from sifa.cases.models import Case

from .matrix import ID_A, snapshot
from .matrix import world as world

pytestmark = pytest.mark.django_db


def codes(resp) -> list[str]:
    assert resp.status_code == 200, resp.content
    return [row["code"] for row in resp.json()["results"]]


def post(client, url, data=None, **extra):
    return client.post(url, json.dumps(data or {}), content_type="application/json", **extra)


def test_list_and_search(world, client_for):
    a, b = world.a, world.b
    extra = services.create_case(world.users.office_a, case_type="testline", owner_org=world.orgs.office_a, title="另一案", parties=[{"name": "王小二"}])
    client = client_for(world.users.office_a)
    url = reverse("api:cases-list")
    assert set(codes(client.get(url))) == {a.code, extra.code}
    assert codes(client.get(url, {"q": a.code})) == [a.code]
    assert set(codes(client.get(url, {"q": a.code[:12]}))) == {a.code, extra.code}  # code prefix
    assert codes(client.get(url, {"q": a.code.lower()})) == [a.code]
    assert codes(client.get(url, {"q": "张三"})) == [a.code]
    assert codes(client.get(url, {"q": "zs"})) == [a.code]
    assert codes(client.get(url, {"q": "wxe"})) == [extra.code]
    assert codes(client.get(url, {"q": "zhangsan"})) == [a.code]
    assert codes(client.get(url, {"q": ID_A})) == [a.code]
    assert codes(client.get(url, {"q": "110105491231002"})) == [a.code]  # the 15-digit form
    assert codes(client.get(url, {"q": "李四"})) == []  # office B's party
    assert codes(client.get(url, {"q": b.code})) == []
    assert codes(client.get(url, {"status": "registered", "case_type": "testline"})) != []
    assert codes(client.get(url, {"status": "nonsense"})) == []
    services.transition(world.users.office_a, a, "accept")
    assert codes(client.get(url, {"status": "accepted"})) == [a.code]


def test_list_is_paginated_and_bad_pages_do_not_crash(world, client_for):
    client = client_for(world.users.office_a)
    data = client.get(reverse("api:cases-list")).json()
    assert {"count", "next", "previous", "results", "count_capped"} <= set(data)
    assert data["count_capped"] is False and data["count"] == len(data["results"])
    # Past the cap the count stops there and says so (sifa.common.paging).
    from sifa.common.paging import CappedPaginator

    leader = client_for(world.users.leader)
    whole = leader.get(reverse("api:cases-list")).json()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(CappedPaginator, "cap", 1)
        capped = leader.get(reverse("api:cases-list")).json()
    assert whole["count"] > 1 and capped["count"] == 1 and capped["count_capped"] is True
    for page in ("abc", "0", "99999999999999999999", "-1"):
        resp = client.get(reverse("api:cases-list"), {"page": page})
        assert resp.status_code == 404 and resp.json()["detail"]


def test_detail_by_code_and_timeline(world, client_for):
    client = client_for(world.users.office_a)
    a = world.a
    detail = client.get(reverse("api:cases-detail", args=[a.pk])).json()
    assert detail["code"] == a.code and detail["status"] == "registered" and detail["status_label"] == "已登记"
    assert detail["owner_org"] == "A调委会" and detail["version"] == 1
    assert [d["key"] for d in detail["deadlines"]] == ["review"] and detail["deadlines"][0]["light"] in ("normal", "due_soon")
    assert client.get(reverse("api:cases-by-code", args=[a.code.lower()])).json()["id"] == a.pk
    timeline = client.get(reverse("api:cases-timeline", args=[a.pk])).json()
    assert [e["kind"] for e in timeline] == ["created", "assignment", "assignment", "attachment"]
    assert timeline[0]["to_status"] == "registered"


def test_transition(world, client_for):
    client = client_for(world.users.office_a)
    a = world.a
    resp = post(client, reverse("api:cases-transition", args=[a.pk, "accept"]), {"version": 1, "reason": "材料齐全"})
    assert resp.status_code == 200, resp.content
    data = resp.json()
    assert (data["status"], data["status_label"], data["version"]) == ("accepted", "已受理", 2)
    assert data["event"]["label"] == "受理" and data["event"]["reason"] == "材料齐全"
    # Without a version the step is applied to whatever is current.
    resp = post(client, reverse("api:cases-transition", args=[a.pk, "close"]), {"data": {"agreement": "和解协议"}})
    assert resp.status_code == 200 and resp.json()["status"] == "closed"
    assert Case.objects.get(pk=a.pk).outcome == "success"


@pytest.mark.parametrize(
    "who,name,body,status,words",
    [
        ("office_a", "resume", {}, 400, "不能执行"),  # wrong state
        ("office_a", "refuse", {}, 400, "请填写"),  # reason required
        ("office_a", "nope", {}, 400, "没有这个办理操作"),
        ("office_a", "accept", {"on": "2999-01-01"}, 400, "不能晚于今天"),
        ("office_a", "accept", {"on": "2000-01-01"}, 400, "不能早于收案日期"),
        ("leader", "accept", {}, 403, "您的角色"),  # leaders read
        ("lawyer", "accept", {}, 403, "您的角色"),
        ("office_b", "accept", {}, 404, "未找到"),  # another office
        ("sysadmin", "accept", {}, 404, "未找到"),
        ("office_a", "accept", {"version": 7}, 409, "已被他人修改"),  # stale version
        ("office_a", "accept", {"version": 99999999999999999999}, 409, "已被他人修改"),
    ],
)
def test_refused_transitions_change_nothing(world, client_for, who, name, body, status, words):
    a = world.a
    before = snapshot(a)
    resp = post(client_for(world.user(who)), reverse("api:cases-transition", args=[a.pk, name]), body)
    assert resp.status_code == status, resp.content
    assert words in resp.json()["detail"]
    assert snapshot(a) == before


def test_guard_refusal_explains_itself(world, client_for):
    client = client_for(world.users.office_a)
    services.transition(world.users.office_a, world.a, "accept")
    before = snapshot(world.a)
    resp = post(client, reverse("api:cases-transition", args=[world.a.pk, "close"]), {})
    assert resp.status_code == 400 and resp.json()["detail"] == "没有协议，不能以成功结案。"
    assert snapshot(world.a) == before


@pytest.mark.parametrize(
    "body,field",
    [
        ({"version": "abc"}, "version"),
        ({"on": "2026-13-01"}, "on"),
        ({"on": "昨天"}, "on"),
        ({"data": "not a dict"}, "data"),
        ({"data": {"agreement": "和解\u0000"}}, "data"),
        ({"reason": "理由\u0000"}, "reason"),
    ],
)
def test_malformed_transition_requests_are_400_in_chinese(world, client_for, body, field):
    before = snapshot(world.a)
    resp = post(client_for(world.users.office_a), reverse("api:cases-transition", args=[world.a.pk, "accept"]), body)
    assert resp.status_code == 400
    assert field in resp.json()
    assert re.search(r"[\u4e00-\u9fff]", json.dumps(resp.json(), ensure_ascii=False))
    assert snapshot(world.a) == before
    url = reverse("api:cases-transition", args=[world.a.pk, "accept"])
    garbage = client_for(world.users.office_a).post(url, "{not json", content_type="application/json")
    assert garbage.status_code == 400 and snapshot(world.a) == before
    assert garbage.json()["detail"].startswith("请求内容无法解析") and "Expecting" not in garbage.json()["detail"]
    odd = client_for(world.users.office_a).post(url, "<x/>", content_type="application/xml")
    assert odd.status_code == 415 and "application/json" in odd.json()["detail"] and snapshot(world.a) == before


def test_token_authentication_has_the_same_scoping(world):
    client = Client(HTTP_AUTHORIZATION=f"Token {token_key(world.users.office_a)}")
    assert codes(client.get(reverse("api:cases-list"))) == [world.a.code]
    assert client.get(reverse("api:cases-detail", args=[world.b.pk])).status_code == 404
    assert client.get(reverse("api:cases-detail", args=[world.a.pk])).status_code == 200
    # Token requests need no CSRF token, and go through the same door.
    resp = post(client, reverse("api:cases-transition", args=[world.a.pk, "accept"]), {"version": 1})
    assert resp.status_code == 200 and resp.json()["status"] == "accepted"
    before = snapshot(world.b)
    assert post(client, reverse("api:cases-transition", args=[world.b.pk, "accept"]), {}).status_code == 404
    assert snapshot(world.b) == before
    # A leader's token reads but may not change.
    leader = Client(HTTP_AUTHORIZATION=f"Token {token_key(world.users.leader)}")
    assert set(codes(leader.get(reverse("api:cases-list")))) >= {world.a.code, world.b.code}
    before = snapshot(world.b)
    assert post(leader, reverse("api:cases-transition", args=[world.b.pk, "accept"]), {}).status_code == 403
    assert snapshot(world.b) == before
    # A wrong token is refused.
    bad = Client(HTTP_AUTHORIZATION="Token " + "0" * 40)
    resp = bad.get(reverse("api:cases-list"))
    assert resp.status_code in (401, 403) and "令牌" in resp.json()["detail"]


def test_schema_lists_the_core_paths(world, client_for):
    client = client_for(world.users.office_a)  # the schema is for signed-in users only
    resp = client.get(reverse("api-schema"), {"format": "json"})
    assert resp.status_code == 200
    paths = set(json.loads(resp.content)["paths"])
    for p in (
        "/api/v1/cases/",
        "/api/v1/cases/{id}/",
        "/api/v1/cases/by-code/{code}/",
        "/api/v1/cases/{id}/timeline/",
        "/api/v1/cases/{id}/transitions/{name}/",
        "/api/v1/cases/types/",
        "/api/v1/parties/{id}/reveal/{field}/",
        "/api/v1/deadlines/calculate",
    ):
        assert p in paths, p
    assert client.get(reverse("api-schema")).status_code == 200  # the default YAML too


def test_docs_page_uses_only_local_assets(world, client_for):
    resp = client_for(world.users.office_a).get(reverse("api-docs"))
    assert resp.status_code == 200
    html = resp.content.decode()
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html, flags=re.I)
    assert tags
    for tag in tags:
        assert "cdn" not in tag.lower() and "http" not in tag.lower(), tag
    for url in re.findall(r"""(?:src|href)=["']([^"']+)""", html):
        assert url.startswith("/"), url
    assert "cdn.jsdelivr" not in html and "unpkg" not in html
