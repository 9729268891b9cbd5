"""/api/v1/mediation/: create, read (masked), every step through the API,
refusals with a Chinese ``detail`` that change nothing, and the schema."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from sifa.cases.models import Case, CaseEvent
from sifa.mediation.models import Dispute
from sifa.mediation.workflow import WORKFLOW

from .factories import APPLICANT, RESPONDENT, make_dispute, mediator, profile

pytestmark = pytest.mark.django_db


def body(org, **over):
    return {
        "owner_org": org.pk,
        "source": "application",
        "dispute_type": "02",
        "summary": "楼上漏水。",
        "parties": [dict(APPLICANT), dict(RESPONDENT)],
        "amount_in_dispute": "3000.50",
    } | over


@pytest.fixture
def api(client_for, users):
    return client_for(users.office_a)


def post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_create_and_read_masked(api, orgs):
    resp = post(api, reverse("api:mediation-disputes"), body(orgs.committee_a))
    assert resp.status_code == 201, resp.content
    data = resp.json()
    assert data["code"].startswith("359901TJ") and data["status"] == "registered"
    assert data["mediation"]["dispute"]["source_label"] == "当事人申请"
    assert data["mediation"]["dispute"]["amount_in_dispute"] == "3000.50"
    applicant = data["parties"][0]
    assert applicant["id_number"] == "110105********002X" and applicant["phone"] == "138****5678"
    assert APPLICANT["id_number"] not in resp.content.decode()
    detail = api.get(reverse("api:mediation-dispute", args=[data["id"]])).json()
    assert detail["mediation"]["confirmation"] is None and detail["mediation"]["sessions"] == []


def test_detail_lists_every_kind_of_row_it_has(api, orgs, users):
    """The detail answer reads a list only when it has rows (one query says which):
    each kind, present, is listed; absent, it is empty."""
    from sifa.mediation.models import DisputeMediator, FollowUpVisit, JudicialConfirmation, RiskReport, Session

    case = make_dispute(users.office_a, orgs.committee_a)
    url = reverse("api:mediation-dispute", args=[case.pk])
    d, on = case.record, localdate()
    rows = {
        "mediators": lambda: DisputeMediator.objects.create(dispute=d, mediator=mediator(orgs.committee_a), is_lead=True, assigned_on=on),
        "sessions": lambda: Session.objects.create(dispute=d, on=on, place="调解室"),
        "visits": lambda: FollowUpVisit.objects.create(dispute=d, on=on, method="phone", visited="张三", performance="performed", satisfaction="satisfied"),
        "risk_reports": lambda: RiskReport.objects.create(dispute=d, reported_on=on, reported_to="派出所"),
        "confirmation": lambda: JudicialConfirmation.objects.create(dispute=d, court="某区人民法院", applied_on=on),
    }
    for i, (name, make) in enumerate(rows.items()):
        make()
        block = api.get(url).json()["mediation"]
        for j, other in enumerate(rows):
            present = block[other] if other != "confirmation" else ([block[other]] if block[other] else [])
            assert len(present) == (1 if j <= i else 0), (name, other, block[other])
    block = api.get(url).json()["mediation"]
    assert block["mediators"][0]["name"] == "周调解" and block["sessions"][0]["place"] == "调解室"
    assert block["confirmation"]["court"] == "某区人民法院"


def test_create_through_a_token_in_a_bounded_number_of_queries(orgs, users):
    """Registering through the API (a program's call with a token): the statements
    are counted, not timed (issue 19's create p50; benchmarks/). Among them: the
    owner org's scope is checked once, the code counter is one upsert, the line's
    record is not read back, the audit entry is sealed in two statements (the head
    locked with the unsealed rows read, then the rows and the head written)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sifa.accounts.tests.api_tokens import token_client

    c = token_client(users.office_a)
    post(c, reverse("api:mediation-disputes"), body(orgs.committee_a, confirm_duplicate=True))  # warm: first generation of caches
    with CaptureQueriesContext(connection) as ctx:
        resp = post(c, reverse("api:mediation-disputes"), body(orgs.committee_a, confirm_duplicate=True))
    assert resp.status_code == 201, resp.content
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not any("django_session" in q for q in sql)
    assert sum('"cases_counter"' in q for q in sql) == 1
    assert not any(q.startswith("SELECT") and '"mediation_dispute"."source"' in q for q in sql)  # the record, not read back
    assert not any(q.startswith('SELECT "mediation_session"."id"') for q in sql)  # no list read: none can have rows yet
    assert sum(q.startswith("SELECT") and 'FROM "orgs_org"' in q and '"orgs_org"."kind" IN' in q for q in sql) <= 1  # the scope, once
    # The answer reads back nothing just written: not the parties, not the clocks (none
    # starts on registration), not which of the dispute's lists have rows (none has).
    assert not any(q.startswith("SELECT") and ('FROM "cases_party"' in q or 'FROM "deadlines_deadline"' in q) for q in sql), "\n".join(sql)
    assert not any("EXISTS" in q and '"mediation_disputemediator"' in q for q in sql)
    assert not any(q.startswith('SELECT 1 AS "a" FROM "mediation_session"') for q in sql)  # the documents' check
    assert len(sql) <= 17, "\n".join(sql)  # 33, then 22 before


def test_the_answer_of_a_registration_is_the_case_as_read_back(api, orgs, users):
    """The POST's answer is built from the rows just written (issue 19): it is the
    same as the case read back, parties, clocks, steps and the mediation block."""
    created = post(api, reverse("api:mediation-disputes"), body(orgs.committee_a, confirm_duplicate=True))
    assert created.status_code == 201, created.content
    out = created.json()
    read = api.get(reverse("api:mediation-dispute", args=[out["id"]])).json()
    assert out == read
    assert [p["role"] for p in out["parties"]] == ["applicant", "respondent"] and out["deadlines"] == []
    assert out["mediation"]["sessions"] == [] and out["mediation"]["confirmation"] is None and out["steps"]


def test_create_duplicate_then_confirm(api, orgs, users):
    first = make_dispute(users.office_a, orgs.committee_a)
    resp = post(api, reverse("api:mediation-disputes"), body(orgs.committee_a))
    assert resp.status_code == 409
    out = resp.json()
    assert out["code"] == "duplicate" and out["duplicates"][0]["code"] == first.code and "仍然登记" in out["detail"]
    assert Case.objects.count() == 1
    assert post(api, reverse("api:mediation-disputes"), body(orgs.committee_a, confirm_duplicate=True)).status_code == 201


@pytest.mark.parametrize(
    "over,status,field",
    [
        ({"dispute_type": "77"}, 400, "dispute_type"),
        ({"parties": [dict(APPLICANT)]}, 400, "parties"),
        ({"parties": [dict(APPLICANT, phone="abc"), dict(RESPONDENT)]}, 400, "phone"),
        ({"source": "rumour"}, 400, "source"),
        ({"summary": ""}, 400, "summary"),
    ],
)
def test_create_refusals(api, orgs, over, status, field):
    resp = post(api, reverse("api:mediation-disputes"), body(orgs.committee_a, **over))
    assert resp.status_code == status
    assert field in resp.content.decode()
    assert not Case.all_objects.exists()


def test_create_outside_scope_or_read_only(client_for, users, orgs):
    resp = post(client_for(users.office_b), reverse("api:mediation-disputes"), body(orgs.committee_a))
    assert resp.status_code == 400 and "调解组织无效" in resp.json()["detail"]
    resp = post(client_for(users.leader), reverse("api:mediation-disputes"), body(orgs.committee_a))
    assert resp.status_code == 403
    assert not Case.all_objects.exists()


def test_whole_lifecycle_through_the_api(api, orgs, users):
    profile(orgs.committee_a)
    m = mediator(orgs.committee_a, "张调解", user=users.mediator_a)
    case = post(api, reverse("api:mediation-disputes"), body(orgs.committee_a)).json()
    pk = case["id"]

    def do(name, data=None, **kw):
        return post(api, reverse("api:mediation-step", args=[pk, name]), {"data": data or {}} | kw)

    today = localdate().isoformat()
    assert do("accept").status_code == 200
    assert do("assign_mediators", {"mediators": [m.pk], "mediator_choice": "designated"}).json()["status"] == "mediating"
    # Refused: no mediation recorded yet (the step is not even offered), then no agreement.
    # Each says why and changes nothing.
    before = (CaseEvent.objects.count(), Case.objects.get(pk=pk).version)
    resp = do("succeed", {})
    assert resp.status_code == 400 and "尚未记录调解情况" in resp.json()["detail"]
    assert (CaseEvent.objects.count(), Case.objects.get(pk=pk).version) == before
    assert "succeed" not in [s["name"] for s in api.get(reverse("api:mediation-steps", args=[pk])).json()]
    assert do("record_session", {"kind": "mediation", "session_on": today, "place": "调解室", "record": "双方协商。"}).status_code == 200
    before = (CaseEvent.objects.count(), Case.objects.get(pk=pk).version)
    resp = do("succeed", {"agreement_form": "oral", "agreed_on": today})
    assert resp.status_code == 400 and "没有调解协议内容" in resp.json()["detail"] and resp.json()["field"] == "agreement_content"
    assert (CaseEvent.objects.count(), Case.objects.get(pk=pk).version) == before
    assert "succeed" in [s["name"] for s in api.get(reverse("api:mediation-steps", args=[pk])).json()]
    agreement = {
        "agreement_form": "written",
        "facts": "漏水致损。",
        "agreement_content": "赔偿三千元。",
        "performance_manner": "转账",
        "performance_deadline": today,
        "agreement_amount": "3000",
        "agreed_on": today,
    }
    version = Case.objects.get(pk=pk).version
    assert do("succeed", agreement, version=version - 1).status_code == 409
    resp = do("succeed", agreement, version=version)
    assert resp.status_code == 200 and resp.json()["status"] == "agreed"
    visit = {"visit_on": today, "method": "phone", "visited": "张三", "performance": "performed", "satisfaction": "satisfied"}
    assert do("record_visit", visit).status_code == 200
    assert do("archive").json()["status"] == "archived"
    assert [s["kind"] for s in api.get(reverse("api:mediation-sessions", args=[pk])).json()] == ["mediation"]
    assert [v["performance"] for v in api.get(reverse("api:mediation-visits", args=[pk])).json()] == ["performed"]
    d = Dispute.objects.get(pk=pk)
    assert (d.result, d.performance, d.visit_count) == ("success", "performed", 1)


def test_generic_endpoint_validates_raw_data_too(api, orgs, users):
    case = make_dispute(users.office_a, orgs.committee_a)
    url = reverse("api:cases-transition", args=[case.pk, "flag_risk"])
    resp = post(api, url, {"data": {"risk_kind": "criminal", "risk_level": "huge", "risk_persons": "3", "risk_note": "x"}})
    assert resp.status_code == 400 and "风险等级" in resp.json()["detail"]
    assert not Dispute.objects.get(pk=case.pk).risk_flag
    resp = post(api, url, {"data": {"risk_kind": "criminal", "risk_level": "major", "risk_persons": "3", "risk_note": "扬言报复"}, "on": "2026-01-05"})
    assert resp.status_code == 400  # before the dispute was registered
    resp = post(api, url, {"data": {"risk_kind": "criminal", "risk_level": "major", "risk_persons": "3", "risk_note": "扬言报复"}})
    assert resp.status_code == 200 and Dispute.objects.get(pk=case.pk).risk_flagged_on == localdate()


def test_step_on_another_lines_case_is_404(api, orgs, users):
    from sifa.cases.tests.factories import make_case

    other = make_case(users.office_a, orgs.office_a)
    assert post(api, reverse("api:mediation-step", args=[other.pk, "accept"]), {}).status_code == 404
    assert api.get(reverse("api:mediation-dispute", args=[other.pk])).status_code == 404


def test_steps_describe_every_transition_and_its_fields(api):
    steps = {s["name"]: s for s in api.get(reverse("api:mediation-steps-all")).json()}
    assert set(steps) == {t.name for t in WORKFLOW.steps}
    succeed = {f["name"]: f for f in steps["succeed"]["fields"]}
    assert succeed["agreement_content"]["required"] and succeed["agreed_on"]["type"] == "date"
    assert ["oral", "口头协议"] in succeed["agreement_form"]["choices"]
    assert steps["not_accept"]["reason_required"] and steps["archive"]["target"] == "archived"


def test_mine_and_risks(client_for, orgs, users):
    profile(orgs.committee_a)
    c = client_for(users.mediator_a)
    case = post(c, reverse("api:mediation-disputes"), body(orgs.committee_a)).json()
    post(
        c,
        reverse("api:mediation-step", args=[case["id"], "flag_risk"]),
        {"data": {"risk_kind": "mass", "risk_level": "general", "risk_persons": 20, "risk_note": "集体讨薪"}},
    )
    mine = c.get(reverse("api:mediation-mine")).json()
    assert [d["code"] for d in mine["disputes"]] == [case["code"]] and mine["next_sessions"] == []
    risks = client_for(users.leader).get(reverse("api:mediation-risks")).json()["results"]
    assert [r["code"] for r in risks] == [case["code"]] and risks[0]["risk_status"] == "active"


def test_registry_api(client_for, orgs, users):
    profile(orgs.committee_a)
    mediator(orgs.committee_a, "周淑芬", position="director", phone="13811112222")
    rows = client_for(users.leader).get(reverse("api:mediation-committees")).json()
    a = next(r for r in rows if r["name"] == "A调委会")
    assert a["members"] == 1 and any("委员不足3人" in w for w in a["warnings"]) and a["office"] == "A司法所"
    b = next(r for r in rows if r["name"] == "B调委会")
    assert "尚未建立调解组织档案（类型、成立日期、任期）。" in b["warnings"]
    one = client_for(users.office_a).get(reverse("api:mediation-committee", args=[orgs.committee_a.pk])).json()
    assert [(r["name"], r["position_label"]) for r in one["roster"]] == [("周淑芬", "主任")]
    meds = client_for(users.office_a).get(reverse("api:mediation-mediators")).json()["results"]
    assert meds[0]["phone"] == "138****2222" and "13811112222" not in str(meds)
    only_b = client_for(users.leader).get(reverse("api:mediation-committees") + f"?office={orgs.office_b.pk}").json()
    assert [r["name"] for r in only_b] == ["B调委会"]


def test_schema_lists_the_mediation_api(client, users, client_for):
    schema = client_for(users.office_a).get(reverse("api-schema")).content.decode()
    for p in (
        "/api/v1/mediation/disputes/",
        "/api/v1/mediation/disputes/{id}/steps/{name}/",
        "/api/v1/mediation/committees/",
        "/api/v1/mediation/risks/",
        "/api/v1/mediation/mine/",
    ):
        assert p in schema, p


def test_mediation_schema_generates_without_warnings():
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    from sifa.cases.api import case_routes
    from sifa.mediation.api import api_urlpatterns

    GENERATOR_STATS.reset()
    routes = [*api_urlpatterns, *(r for r in case_routes() if str(r.pattern).startswith("mediation/"))]
    schema = SchemaGenerator(patterns=[path("api/v1/", include((routes, "api"), namespace="api"))]).get_schema(request=None, public=True)
    assert {"/api/v1/mediation/disputes/", "/api/v1/mediation/disputes/{id}/"} <= set(schema["paths"])
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
    # "kind" of a mediator is a plain string: the enum name "kind" belongs to parties.
    names = set(schema["components"]["schemas"])
    assert "KindEnum" not in names and not any(n.startswith("Kind") and n.endswith("Enum") for n in names)


def test_a_new_dispute_keeps_its_rows_in_hand_until_a_clock_starts_on_it(orgs, users, django_assert_num_queries):
    """A dispute just registered answers its parties, clocks and lists from what was written
    (ADR 0025); a clock started later on the same object is read again, not hidden."""
    from django.db import transaction

    from sifa.deadlines.services import apply_trigger

    case = make_dispute(users.office_a, orgs.committee_a)
    with django_assert_num_queries(0):
        assert [p.role for p in case.parties.all()] == ["applicant", "respondent"]
        assert list(case.deadlines.all()) == [] and list(case.record.sessions.all()) == []
    with transaction.atomic():
        assert apply_trigger(case, "accept", localdate(), {})
    assert [d.key for d in case.deadlines.all()] == ["mediation_term"]
