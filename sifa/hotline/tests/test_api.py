"""The transferring platforms' API (/api/v1/hotline/transfers/): a 12345/110 order
pushed with a service account's token; the same reference pushed twice (one after
the other, or at once) is one work order; a 重办 re-send reopens a replied or closed
order and nothing else; a person's token, no token, a bad body and another
bureau's account change nothing. The account comes from
``manage.py hotline_platform_account``."""

from __future__ import annotations

import itertools
import json
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sifa.accounts import tokens
from sifa.accounts.models import ApiToken
from sifa.audit.models import AuditEntry
from sifa.cases import selectors as case_selectors
from sifa.cases.models import Case
from sifa.cases.services import transition

from ..choices import Satisfaction, Status
from ..management.commands.hotline_platform_account import ensure_account
from ..models import WorkOrder

pytestmark = pytest.mark.django_db

PUSH = "/api/v1/hotline/transfers/"
BODY = {
    "platform": "12345",
    "reference": "GD2026100001",
    "caller_name": "王五",
    "caller_phone": "13900001234",
    "summary": "邻居装修噪音扰民，咨询如何维权。",
    "kind": "consult",
    "category": "property",
    "urgent": False,
    "due": "2026-12-31",
}


_names = itertools.count(1)


def token_key(user) -> str:
    # Only a digest is stored, so a test issues its own token rather than reading one back.
    return tokens.issue(user, name=f"测试{next(_names)}", actor=user).key


def token_client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {token_key(user)}")


def push(client, **kw):
    return client.post(PUSH, json.dumps(BODY | kw), content_type="application/json")


def read(client, reference=BODY["reference"], platform="12345"):
    return client.get(reverse("api:hotline-transfer", args=[reference]), {"platform": platform} if platform else {})


def world() -> tuple:
    """What a refusal must leave as it was: every order, its record, its timeline."""
    cases = tuple(Case.all_objects.order_by("pk").values_list("pk", "status", "version", "closed_on", "handler_id"))
    records = tuple(WorkOrder.objects.order_by("pk").values_list("pk", "channel", "external_ref", "redos", "answer", "answered_on"))
    return cases, records, sum(c.events.count() for c in Case.all_objects.all())


@pytest.fixture
def platform(center):
    user, _created, _token, _issued = ensure_account("platform12345", center)
    return user


@pytest.fixture
def api(platform):
    return token_client(platform)


@pytest.fixture
def neighbour():
    """The neighbouring bureau's platform account (the same 12345 platform, another front desk)."""
    from sifa.orgs.models import Org

    user, *_ = ensure_account("platform_other", Org.objects.get(name="邻区司法局"))
    return user


def close(operator, case):
    transition(operator, case, "accept", data={"kind": "consult", "category": "property", "urgent": False})
    transition(operator, case, "answer", data={"answer": "可先与物业协商，协商不成可申请人民调解。", "satisfaction": Satisfaction.SATISFIED})
    case.refresh_from_db()
    return case


# --- one order per reference --------------------------------------------------------------------


def test_a_push_creates_an_order_waiting_in_the_intake_list(api, platform, center, operator):
    r = push(api)
    assert r.status_code == 201, r.content
    body = r.json()
    case = Case.objects.get(pk=body["id"])
    assert body == {"id": case.pk, "code": case.code, "status": "registered", "status_label": "待受理", "action": "created"}
    rec = case.workorder
    assert (rec.channel, rec.external_ref, rec.external_due.isoformat(), rec.category) == ("12345", "GD2026100001", "2026-12-31", "property")
    assert case.owner_org == center and case.handler is None and case.summary.startswith("邻居装修")
    assert case.parties.get().role == "caller"
    assert case in case_selectors.intake(operator)
    entry = AuditEntry.objects.get(action="hotline.transfer_received")
    assert entry.username == platform.username and entry.object_id == str(case.pk) and entry.detail["action"] == "created"


def test_an_order_transferred_twice_with_the_same_reference_is_one_work_order(api):
    first = push(api)
    again = push(api, summary="（平台重复推送）")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["action"] == "existing" and again.json()["id"] == first.json()["id"]
    assert Case.objects.count() == 1 and WorkOrder.objects.count() == 1
    assert Case.objects.get().summary.startswith("邻居装修")  # a re-send changes nothing
    # The same number on the other platform is that platform's own order.
    other = push(api, platform="110")
    assert other.status_code == 201 and WorkOrder.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_parallel_pushes_of_a_new_reference_create_exactly_one_order(center):
    if connection.vendor != "postgresql":
        pytest.skip("the race is decided by PostgreSQL's unique index and row locks")
    _account, _created, token, _issued = ensure_account("platform12345", center)
    key = token.key
    n = 2
    barrier = threading.Barrier(n)
    answers, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=30)
            r = push(Client(HTTP_AUTHORIZATION=f"Token {key}"), reference="GD-PARALLEL-1")
            answers.append((r.status_code, r.json().get("action"), r.json().get("id")))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(a[:2] for a in answers) == [(200, "existing"), (201, "created")], answers
    assert len({a[2] for a in answers}) == 1
    assert WorkOrder.objects.filter(external_ref="GD-PARALLEL-1").count() == 1 and Case.objects.count() == 1


# --- 重办 ----------------------------------------------------------------------------------------------


def test_a_redo_of_a_closed_order_reopens_it(api, operator):
    case = close(operator, Case.objects.get(pk=push(api).json()["id"]))
    assert case.status == Status.CLOSED
    events = case.events.count()
    r = push(api, redo=True, redo_reason="市民不满意，平台要求重办")
    assert r.status_code == 200 and r.json()["action"] == "reopened" and r.json()["id"] == case.pk
    case.refresh_from_db()
    rec = case.workorder
    assert case.status == Status.ACCEPTED and case.closed_on is None and rec.redos == 1 and rec.answered_on is None
    assert Case.objects.count() == 1 and case.events.count() == events + 1
    assert "重办" in case.events.order_by("-id").first().label
    # Pushed again while it is open: the same order, not a second 重办.
    again = push(api, redo=True)
    assert again.status_code == 200 and again.json()["action"] == "existing"
    case.refresh_from_db()
    assert case.workorder.redos == 1 and Case.objects.count() == 1


def test_a_redo_of_an_open_order_changes_nothing(api):
    push(api)
    before = world()
    r = push(api, redo=True, redo_reason="重办")
    assert r.status_code == 200 and r.json()["action"] == "existing" and r.json()["status"] == "registered"
    assert world() == before


# --- who may push ------------------------------------------------------------------------------------


def test_a_persons_token_or_session_is_refused_and_nothing_is_created(users, operator, platform, client_for):
    for person in (operator, users.leader, users.staff, users.office_a):
        for client in (token_client(person), client_for(person)):
            r = push(client)
            assert r.status_code == 403 and "个人账号" in r.json()["detail"], (person.username, r.content)
            assert read(client).status_code == 403
    # The service account itself, signed in on a session rather than with its token.
    r = push(client_for(platform))
    assert r.status_code == 403 and "API 令牌" in r.json()["detail"]
    assert not Case.all_objects.exists() and not WorkOrder.objects.exists()


def test_no_token_or_a_wrong_one_is_refused(platform):
    for client in (Client(), Client(HTTP_AUTHORIZATION="Token " + "0" * 40)):
        r = push(client)
        assert r.status_code in (401, 403), r.content
        assert read(client).status_code in (401, 403)
    assert not Case.all_objects.exists()


def test_a_disabled_account_or_a_rotated_token_no_longer_works(api, platform, center):
    from sifa.accounts.services import set_active

    old = token_key(platform)
    ensure_account("platform12345", center, rotate=True)
    assert push(Client(HTTP_AUTHORIZATION=f"Token {old}")).status_code == 401
    set_active(None, platform, False)
    assert push(token_client(platform)).status_code in (401, 403)
    assert not Case.all_objects.exists()


@pytest.mark.parametrize(
    "change,field,words",
    [
        ({"reference": ""}, "reference", "转办平台工单编号"),
        ({"platform": "12348"}, "platform", "转办平台"),
        ({"summary": "  "}, "summary", "诉求内容"),
        ({"caller_name": ""}, "caller_name", "诉求人姓名"),
        ({"caller_phone": "123"}, "caller_phone", "联系电话"),
        ({"kind": "appointment"}, "kind", "工单类型"),
        ({"category": "space"}, "category", "法律类别"),
        ({"due": "2026-13-01"}, "due", "转办平台要求办结日期"),
        ({"received_on": "2999-01-01"}, "received_on", "派单日期"),
        ({"redo": "perhaps"}, "redo", "重办"),
    ],
)
def test_a_bad_body_is_refused_naming_the_field(api, change, field, words):
    r = push(api, **change)
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["field"] == field and body["detail"].startswith(words), body
    assert not Case.all_objects.exists() and not AuditEntry.objects.filter(action="hotline.transfer_received").exists()


def test_a_body_that_is_not_json_is_refused(api):
    r = api.post(PUSH, "{not json", content_type="application/json")
    assert r.status_code == 400 and "JSON" in r.json()["detail"] and not Case.all_objects.exists()


# --- another bureau ----------------------------------------------------------------------------------


def test_another_bureaus_account_cannot_see_or_reopen_this_bureaus_order(api, operator, neighbour):
    case = close(operator, Case.objects.get(pk=push(api).json()["id"]))
    before = world()
    theirs = token_client(neighbour)
    for kw in ({}, {"redo": True, "redo_reason": "重办"}):
        r = push(theirs, **kw)
        assert r.status_code == 409 and "不属于本单位" in r.json()["detail"] and case.code not in r.content.decode()
    r = read(theirs)
    assert r.status_code == 404 and case.code not in r.content.decode()
    assert world() == before
    assert AuditEntry.objects.filter(action="case.access", result="refused", username="platform_other").exists()


# --- reading an order back ----------------------------------------------------------------------------


def test_the_platform_reads_the_status_and_the_reply(api, operator, center):
    case = Case.objects.get(pk=push(api).json()["id"])
    r = read(api)
    assert r.status_code == 200
    assert r.json()["status_label"] == "待受理" and r.json()["answer"] == "" and r.json()["answered_on"] is None
    close(operator, case)
    got = read(api).json()
    assert got["code"] == case.code and got["status"] == "closed" and got["status_label"] == "已办结"
    assert got["answer"].startswith("可先与物业协商") and got["answered_on"] == timezone.localdate().isoformat()
    assert got["handling_unit"] == center.name and (got["satisfaction"], got["satisfaction_label"]) == ("satisfied", "满意")
    assert got["reference"] == BODY["reference"] and got["due"] == "2026-12-31" and got["redos"] == 0
    page = json.dumps(got, ensure_ascii=False)
    assert "王五" not in page and "13900001234" not in page  # the caller stays out of the platform's read
    # Unknown reference, the wrong platform, or none named.
    assert read(api, reference="NOPE").status_code == 404
    assert read(api, platform="110").status_code == 404
    r = read(api, platform="")
    assert r.status_code == 400 and r.json()["field"] == "platform"


def replies_of(client, **kw):
    today = timezone.localdate().isoformat()
    return client.get(reverse("api:hotline-replies"), {"platform": "12345", "since": today, "until": today} | kw)


def test_the_platform_takes_the_replies_of_a_period(api, operator, neighbour):
    case = Case.objects.get(pk=push(api).json()["id"])
    push(api, reference="GD-OPEN")  # not answered: not a reply yet
    assert replies_of(api).json()["count"] == 0
    close(operator, case)
    got = replies_of(api).json()
    assert got["count"] == 1 and got["platform"] == "12345"
    row = got["results"][0]
    assert (row["external_ref"], row["code"], row["result"]) == (BODY["reference"], case.code, "已办结")
    assert row["answer"].startswith("可先与物业协商") and row["finished_on"] == timezone.localdate().isoformat()
    assert AuditEntry.objects.filter(action="hotline.replies_export", username="platform12345", detail__via="api").exists()
    # Another period, another platform, another bureau: none of this order.
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert replies_of(api, since=yesterday, until=yesterday).json()["count"] == 0
    assert replies_of(api, platform="110").json()["count"] == 0
    assert replies_of(token_client(neighbour)).json()["count"] == 0
    # A bad query names its field.
    for kw, field in (({"since": "yesterday"}, "since"), ({"platform": "12348"}, "platform"), ({"since": "2026-12-31", "until": "2026-01-01"}, "since")):
        r = replies_of(api, **kw)
        assert r.status_code == 400 and r.json()["field"] == field, r.content


# --- every role on these routes (sifa/hotline/tests/access.py) -------------------------------------


def test_every_role_on_the_platform_routes(users, operator, platform, api):
    assert push(api).status_code == 201
    for person in (*vars(users).values(), operator):
        c = token_client(person)
        got = (push(c, reference="X-1").status_code, read(c).status_code, replies_of(c).status_code)
        assert got == (403, 403, 403), person.username
    assert (push(api).status_code, read(api).status_code, replies_of(api).status_code) == (200, 200, 200)
    assert WorkOrder.objects.count() == 1


# --- the schema -------------------------------------------------------------------------------------


def test_the_routes_are_in_the_schema(api):
    # The schema is for authenticated callers only: the platform's token will do.
    paths = json.loads(api.get(reverse("api-schema"), {"format": "json"}).content)["paths"]
    assert "post" in paths["/api/v1/hotline/transfers/"]
    assert "get" in paths["/api/v1/hotline/transfers/{reference}/"]
    assert {p["name"] for p in paths["/api/v1/hotline/replies/"]["get"]["parameters"]} >= {"platform", "since", "until"}


def test_the_hotline_schema_generates_without_warnings():
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    from sifa.cases.api import case_routes

    from ..api import api_urlpatterns

    GENERATOR_STATS.reset()
    routes = [*api_urlpatterns, *(r for r in case_routes() if str(r.pattern).startswith("hotline/"))]
    schema = SchemaGenerator(patterns=[path("api/v1/", include((routes, "api"), namespace="api"))]).get_schema(request=None, public=True)
    assert {"/api/v1/hotline/transfers/", "/api/v1/hotline/transfers/{reference}/", "/api/v1/hotline/replies/"} <= set(schema["paths"])
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache


# --- the service account (manage.py hotline_platform_account) -----------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("hotline_platform_account", *args, stdout=out)
    return out.getvalue()


def token_of(output: str) -> str:
    return next(line.split("：", 1)[1] for line in output.splitlines() if line.startswith("API 令牌："))


def test_the_command_makes_a_service_account_and_prints_its_token(center):
    out = run("platform12345", "--org", center.name, "--name", "12345平台")
    user = tokens.find(token_of(out)).user
    assert "已创建" in out and user.username == "platform12345" and user.full_name == "12345平台"
    assert user.role == "hotline_platform" and user.org == center and not user.has_usable_password() and not user.password_expired
    assert push(Client(HTTP_AUTHORIZATION=f"Token {token_of(out)}")).status_code == 201
    token = ApiToken.objects.get(user=user)
    assert token.name == "12345平台对接" and "有效期至" in out
    assert timezone.now() + timedelta(days=364) < token.expires_at <= timezone.now() + timedelta(days=365)
    # Run again: the same account and token, named by its prefix (only a digest is
    # stored, so the key cannot be printed again); --rotate: a new token, the old one dead.
    again = run("platform12345", "--org", str(center.pk))
    assert "沿用" in again and token.prefix in again and "API 令牌：" not in again
    assert ApiToken.objects.filter(user=user).count() == 1
    rotated = run("platform12345", "--org", str(center.pk), "--rotate")
    assert token_of(rotated) != token_of(out) and tokens.find(token_of(out)).revoked_at is not None
    assert push(Client(HTTP_AUTHORIZATION=f"Token {token_of(out)}"), reference="GD-OLD").status_code == 401
    actions = list(AuditEntry.objects.filter(object_id=str(user.pk), username="manage.py").values_list("action", flat=True))
    assert sorted(actions) == ["perm.change", "token.create", "token.create", "token.revoke", "user.create"]
    assert token_of(out) not in str(list(AuditEntry.objects.values_list("detail", flat=True)))


def test_the_command_refuses_a_wrong_org_or_someone_elses_username(center, users, orgs):
    for args, words in (
        (("p12", "--org", str(orgs.office_a.pk)), "只能设在司法局"),
        (("p12", "--org", "没有这个机构"), "没有 id 或名称"),
        (("leader", "--org", str(center.pk)), "不是转办平台对接账号"),
        (("x", "--org", str(center.pk)), "用户名须为"),
    ):
        with pytest.raises(CommandError, match=words):
            run(*args)
    run("p12", "--org", str(center.pk))
    with pytest.raises(CommandError, match="属于"):
        run("p12", "--org", str(orgs.bureau.pk))
    assert list(ApiToken.objects.values_list("user__username", flat=True)) == ["p12"]


def test_rotating_the_token_renews_it_under_the_password_age_rule(api, platform, center):
    # A service account has no password to change: its token is its credential, and a
    # rotation starts its age again (see ensure_account).
    type(platform).objects.filter(pk=platform.pk).update(password_changed_at=timezone.now() - timedelta(days=400))
    user, *_ = ensure_account("platform12345", center, rotate=True)
    assert not user.password_expired and push(token_client(user)).status_code == 201


def test_a_service_accounts_token_is_not_stopped_by_the_password_age_rule(api, platform):
    type(platform).objects.filter(pk=platform.pk).update(password_changed_at=timezone.now() - timedelta(days=400))
    assert push(api).status_code == 201
