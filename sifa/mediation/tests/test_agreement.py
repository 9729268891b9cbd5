"""The people's-mediation figures are the same everywhere — dashboard (指挥中心),
statistics table, its Excel export, the generated Word report and
/api/v1/stats/ — and equal to counts taken here, independently, from the raw
Dispute/Case tables; for the bureau and for every office, with data over two
years and several committees (some built through the real services, most in
bulk rows holding what the services write). An office user's copies hold
only their office's figures."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from io import BytesIO

import pytest
from django.db.models import Sum
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from sifa.cases import services as case_services
from sifa.common.docgen import read_text
from sifa.kit import registry as kpi_registry
from sifa.ledgers.models import ExportJob
from sifa.mediation.models import Dispute, JudicialConfirmation
from sifa.orgs.tests.factories import OrgFactory

from .bulk import bulk_disputes
from .factories import agreement_data, make_dispute, mediator, session_data, step, to_agreed, to_mediating

pytestmark = pytest.mark.django_db

Y, P = 2025, 2024  # the year reported on and the year before (同比)
PARAMS = {"kind": "year", "year": Y}
RISK = {"risk_kind": "criminal", "risk_level": "serious", "risk_persons": 3, "risk_note": "一方扬言报复。"}


# --- the data -------------------------------------------------------------------------------------


def _parties(i: int) -> list[dict]:
    return [{"role": "applicant", "name": f"甲{i}", "phone": f"1380000{i:04d}"}, {"role": "respondent", "name": f"乙{i}"}]


@pytest.fixture
def data(orgs, users):
    studio = OrgFactory(name="A所金牌调解工作室", short_name="A工作室", kind="studio", parent=orgs.office_a)
    medical = OrgFactory(name="测试区医疗纠纷人民调解委员会", short_name="医调委", kind="committee", parent=orgs.bureau)
    neighbour = OrgFactory(name="邻区调委会", short_name="邻调", kind="committee", parent=orgs.other_office)
    a, b, c = orgs.committee_a, orgs.committee_b, orgs.committee_c

    # Bulk rows (what the services write, state by state).
    for org, plan in {
        a: [
            ("archived_success", 12, {"agreement_amount": "1000.00", "visited": True}),
            ("archived_success", 5, {"agreement_form": "oral"}),
            ("archived_failed", 3, {}),
            ("agreed", 2, {"performed": False, "agreement_amount": "99.99"}),
            ("terminated", 1, {}),
            ("accepted", 2, {}),
            ("registered", 3, {"amount_in_dispute": "2000"}),
            ("not_accepted", 1, {}),
        ],
        studio: [("archived_success", 4, {"agreement_amount": "250.50", "dispute_type": "0102", "dispute_type_top": "01", "source": "court"})],
        b: [("archived_success", 7, {"agreement_amount": "600"}), ("archived_failed", 4, {}), ("agreed", 1, {"agreement_form": "oral"})],
        medical: [("archived_success", 2, {"agreement_amount": "50000", "source": "government"}), ("archived_failed", 1, {})],
        neighbour: [("archived_success", 20, {"agreement_amount": "1"})],  # another bureau: never counted
    }.items():
        for i, (state, n, kw) in enumerate(plan):
            bulk_disputes(org, n, state, opened_on=date(Y, 1 + (i * 2) % 11, 3 + i), **kw)
    for org, plan in {
        a: [("archived_success", 6, {"agreement_amount": "10"}), ("archived_failed", 2, {})],
        b: [("archived_success", 9, {}), ("archived_failed", 1, {})],
        c: [("archived_success", 3, {"agreement_form": "oral"})],
        medical: [("archived_failed", 1, {})],
    }.items():
        for i, (state, n, kw) in enumerate(plan):
            bulk_disputes(org, n, state, opened_on=date(P, 3 + i, 10), **kw)
    # Registered in December of last year, mediated in January: 登记 counts last year, 成功 this year.
    bulk_disputes(a, 2, "archived_success", opened_on=date(P, 12, 28), outcome_after=10, agreement_amount="70")

    # Through the real services.
    team_a = [mediator(a, "张调解", user=users.mediator_a)]
    team_s = [mediator(studio, "老周")]
    team_b = [mediator(b, "林调解")]
    n = iter(range(1000))

    def new(actor, org, on, **kw):
        return make_dispute(actor, org, parties=_parties(next(n)), opened_on=on, **kw)

    office_a, office_b = users.office_a, users.office_b
    s1 = new(office_a, a, date(Y, 3, 2), amount_in_dispute="10000")
    to_agreed(office_a, s1, team_a, on=date(Y, 3, 5), agreement_amount="3000")
    step(office_a, s1, "apply_confirmation", {"court": "测试区人民法院", "applied_on": date(Y, 3, 10)}, on=date(Y, 3, 10))
    step(office_a, s1, "court_accept", {"decision": "accepted", "court_on": date(Y, 3, 12), "court_case_number": "（2025）测01民特1号"}, on=date(Y, 3, 12))
    step(office_a, s1, "court_decide", {"decision": "confirmed", "court_on": date(Y, 3, 20)}, on=date(Y, 3, 20))
    visit = {"visit_on": date(Y, 4, 1), "method": "phone", "visited": "甲", "performance": "performed", "satisfaction": "satisfied"}
    step(office_a, s1, "record_visit", visit, on=date(Y, 4, 1))
    step(office_a, s1, "archive", on=date(Y, 4, 10))
    s2 = new(office_a, a, date(Y, 5, 6), source="initiative")
    to_mediating(office_a, s2, team_a, on=date(Y, 5, 6))
    step(office_a, s2, "record_session", session_data(on=date(Y, 5, 6)), on=date(Y, 5, 6))
    oral = {"agreement_form": "oral", "agreement_content": "当场道歉。", "agreed_on": date(Y, 5, 6), "performed_on_spot": True}
    step(office_a, s2, "succeed", oral, on=date(Y, 5, 6))
    s3 = new(office_a, a, date(Y, 6, 1))
    to_mediating(office_a, s3, team_a, on=date(Y, 6, 1))
    step(office_a, s3, "terminate", {"termination_reason": "no_agreement", "routes_told": True}, on=date(Y, 6, 3))
    new(office_a, a, date(Y, 7, 1), amount_in_dispute="5000")
    s5 = new(office_a, a, date(Y, 7, 2))
    step(office_a, s5, "not_accept", {"not_accepted_reason": "party_refuses"}, reason="一方拒绝调解", on=date(Y, 7, 2))
    s6 = new(office_a, a, date(Y, 8, 1))
    step(office_a, s6, "flag_risk", RISK, on=date(Y, 8, 1))  # still open: the dashboard's 风险预警
    s7 = new(office_a, a, date(Y, 8, 2))
    step(office_a, s7, "flag_risk", RISK | {"risk_persons": 4}, on=date(Y, 8, 2))
    step(office_a, s7, "resolve_risk", {"risk_status": "defused"}, on=date(Y, 8, 5))  # 防止民转刑
    deleted = new(office_a, a, date(Y, 3, 3))
    case_services.soft_delete(office_a, deleted, reason="重复登记")  # deleted disputes never count
    s9 = new(office_a, studio, date(Y, 9, 1))
    to_agreed(office_a, s9, team_s, on=date(Y, 9, 9), agreement_amount="1200.50")
    s10 = new(office_b, b, date(Y, 2, 1))
    to_agreed(office_b, s10, team_b, on=date(Y, 2, 2), form="oral")
    s11 = new(office_b, b, date(Y, 10, 10))
    step(office_b, s11, "flag_risk", RISK, on=date(Y, 10, 10))
    step(office_b, s11, "report_risk", {"reported_to": "B派出所"}, on=date(Y, 10, 11))
    p1 = new(office_a, a, date(P, 5, 1))
    to_mediating(office_a, p1, team_a, on=date(P, 5, 6))
    step(office_a, p1, "record_session", session_data(on=date(P, 5, 6)), on=date(P, 5, 6))
    step(office_a, p1, "succeed", agreement_data(on=date(P, 5, 6), agreement_amount="800"), on=date(P, 5, 6))
    p2 = new(office_b, b, date(P, 11, 1))
    to_mediating(office_b, p2, team_b, on=date(P, 11, 1))
    step(office_b, p2, "terminate", {"termination_reason": "party_refuses", "routes_told": True}, on=date(P, 11, 11))
    r0 = new(office_a, a, date(P, 6, 1))
    step(office_a, r0, "flag_risk", RISK, on=date(P, 6, 2))  # flagged last year, still open
    nb = new(users.other_office, neighbour, date(Y, 4, 4))
    step(users.other_office, nb, "flag_risk", RISK, on=date(Y, 4, 4))
    return {"studio": studio, "medical": medical, "neighbour": neighbour}


# --- independent counts from the raw tables -------------------------------------------------------------


def _rate(num: int, den: int, down: bool = False) -> Decimal | None:
    """Half-up to two places (ADR 0014), computed here independently of the engine."""
    if not den:
        return None
    exact = Decimal(num) * 100 / Decimal(den)
    value = exact.quantize(Decimal("0.01"), ROUND_DOWN if down else ROUND_HALF_UP)
    # Never 100.00% unless it is 100%, never 0.00% unless it is 0 (ADR 0014).
    if value >= 100 and exact < 100:
        value = Decimal("99.99")
    elif value == 0 and exact > 0:
        value = Decimal("0.01")
    return value


def _sum(qs, field) -> Decimal:
    return qs.aggregate(s=Sum(field))["s"] or Decimal(0)


def raw(org, year: int) -> dict:
    """Every mediation KPI for ``org``'s subtree and ``year``, counted from the tables."""
    live = Dispute.objects.filter(case__case_type="mediation", case__is_deleted=False, case__org_path__startswith=org.path)
    registered = live.filter(case__opened_on__year=year)
    outcome = live.filter(outcome_on__year=year)
    success = outcome.filter(result="success")
    succeeded = success.count()
    mediated = succeeded + outcome.filter(result="failed").count()
    defused = live.filter(risk_status="defused", risk_resolved_on__year=year)
    confirmations = JudicialConfirmation.objects.filter(dispute__in=live)
    return {
        "mediation.received": registered.count(),
        "mediation.accepted": live.filter(accepted_on__year=year).count(),
        "mediation.mediated": mediated,
        "mediation.succeeded": succeeded,
        "mediation.success_rate": _rate(succeeded, mediated),
        "mediation.oral_agreements": success.filter(agreement_form="oral").count(),
        "mediation.written_agreements": success.filter(agreement_form="written").count(),
        "mediation.agreement_amount": _sum(success, "agreement_amount"),
        "mediation.disputed_amount": _sum(registered, "amount_in_dispute"),
        "mediation.confirmation_applied": confirmations.filter(applied_on__year=year).count(),
        "mediation.confirmed": confirmations.filter(status="confirmed", decided_on__year=year).count(),
        "mediation.performance_rate": _rate(success.filter(performance="performed").count(), succeeded),
        "mediation.followup_rate": _rate(success.filter(visit_count__gt=0).count(), succeeded),
        "mediation.prevented_criminal": defused.count(),
        "mediation.prevented_criminal_persons": _sum(defused, "risk_persons"),
        "mediation.open_risks": live.filter(
            risk_flag=True, risk_status__in=["active", "reported"], case__closed_on__isnull=True, risk_flagged_on__year=year
        ).count(),
    }


def open_risk_codes(org, year: int) -> set[str]:
    live = Dispute.objects.filter(case__is_deleted=False, case__org_path__startswith=org.path, case__closed_on__isnull=True)
    return set(live.filter(risk_flag=True, risk_status__in=["active", "reported"], risk_flagged_on__year=year).values_list("case__code", flat=True))


def unit(key: str) -> str:
    return kpi_registry.kpi(key).unit


def shown(key: str, value) -> str:
    """How a figure reads (ADR 0014: rates rounded half-up to two places unless the indicator is published truncated)."""
    if value is None:
        return "—"
    u = unit(key)
    if u == "%":
        return f"{value:.2f}%"
    if u == "元":
        return f"{value:,.2f}元"
    return f"{int(value):,}{u}"


def yoy_phrase(key: str, cur, prev) -> str:
    if cur is None or prev is None:
        return "同比无可比数据"
    if unit(key) == "%":
        delta = cur - prev
        return "同比持平" if delta == 0 else f"同比{'提高' if delta > 0 else '下降'}{abs(delta):.2f}个百分点"
    if prev == 0:
        return "上年同期为0"
    pct = (Decimal(cur - prev) * 100 / Decimal(prev)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return "同比持平" if pct == 0 else f"同比{'增长' if pct > 0 else '下降'}{abs(pct)}%"


def same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and Decimal(str(a)) == Decimal(str(b)))


# --- each place a figure is shown --------------------------------------------------------------------


def dashboard(client, params):
    resp = client.get(reverse("stats:dashboard"), params)
    assert resp.status_code == 200
    ctx = resp.context
    cards = {c["kpi"].key: c["figure"].value for g in ctx["lines"] for c in g["cards"]}
    return cards, ctx


def table(client, params):
    resp = client.get(reverse("stats:table"), params)
    assert resp.status_code == 200
    return {c["kpi"].key: c["figure"] for g in resp.context["groups"] for c in g["cards"]}


def _download(client):
    job = ExportJob.objects.latest("id")
    assert job.status == "done", job.message
    return b"".join(client.get(reverse("ledgers:export_download", args=[job.pk])).streaming_content)


def excel(client, params):
    q = "&".join(f"{k}={v}" for k, v in params.items())
    assert client.post(reverse("stats:table_export") + "?" + q).status_code == 302
    wb = load_workbook(BytesIO(_download(client)), read_only=True)
    defs = list(wb["指标口径"].iter_rows(values_only=True))[1:]
    key_of = {(d[1], d[2]): d[0] for d in defs}
    rows = {key_of[(r[0], r[1])]: r for r in list(wb["统计表"].iter_rows(values_only=True))[1:]}
    per_office = list(wb["分机构"].iter_rows(values_only=True))
    return rows, per_office, wb


def report(client, params):
    q = "&".join(f"{k}={v}" for k, v in params.items())
    assert client.post(reverse("stats:report") + "?" + q).status_code == 302
    data = _download(client)
    return read_text(data), Document(BytesIO(data))


def api(client, key, params):
    resp = client.get(reverse("api:stats-kpi", args=[key]), params)
    assert resp.status_code == 200, resp.content[:300]
    return resp.json()


def mediation_tables(doc):
    """(主要指标 {label: (this year, last year)}, 分机构 rows) of the mediation section."""
    ti = next(i for i, t in enumerate(doc.tables) if any(r.cells[0].text == "登记纠纷数" for r in t.rows))
    main = {r.cells[0].text: (r.cells[1].text, r.cells[2].text) for r in doc.tables[ti].rows[1:]}
    offices = doc.tables[ti + 1] if ti + 1 < len(doc.tables) else None
    header = [c.text for c in offices.rows[0].cells] if offices is not None else []
    if header[:1] != ["机构"] or "登记纠纷数" not in header:
        return main, {}  # one organisation runs the line: no per-office table
    return main, {r.cells[0].text: dict(zip(header, (c.text for c in r.cells), strict=True)) for r in offices.rows[1:]}


# --- the tests ---------------------------------------------------------------------------------------------


def test_raw_counts_cover_every_mediation_kpi(orgs, data):
    assert set(raw(orgs.bureau, Y)) == {k.key for k in kpi_registry.kpis("mediation")}
    figures = raw(orgs.bureau, Y)
    # The data exercises every figure (none is trivially zero) and both years differ.
    assert all(v not in (None, 0) for v in figures.values()), figures
    assert raw(orgs.bureau, P) != figures


def test_every_place_agrees_with_the_raw_tables(orgs, users, client_for, data):
    c = client_for(users.leader)
    keys = [k.key for k in kpi_registry.kpis("mediation")]
    headline = {k.key for k in kpi_registry.kpis("mediation") if k.headline}
    for org in (orgs.bureau, orgs.office_a, orgs.office_b, orgs.office_c, data["medical"]):
        params = {**PARAMS, "org": org.pk}
        expected, last_year = raw(org, Y), raw(org, P)
        where = org.name
        cards, ctx = dashboard(c, params)
        assert ctx["org"] == org
        for key in headline:
            assert same(cards[key], expected[key]), (where, "dashboard", key, cards[key], expected[key])
        risk = next(r for r in ctx["risks"] if r["card"]["kpi"].key == "mediation.open_risks")
        assert same(risk["card"]["figure"].value, expected["mediation.open_risks"]), (where, "risk panel")
        assert {x.code for x in risk["cases"]} == open_risk_codes(org, Y), where
        trend = next(s for s in ctx["chart_data"]["trend"]["series"] if s["name"] == "人民调解·登记纠纷数")
        assert sum(trend["data"]) == expected["mediation.received"], (where, "monthly trend")
        figures = table(c, params)
        rows, _, _ = excel(c, params)
        for key in keys:
            assert same(figures[key].value, expected[key]), (where, "table", key, figures[key].value, expected[key])
            row = rows[key]
            assert same(row[2], expected[key]), (where, "excel", key, row[2], expected[key])
            assert same(row[6], last_year[key]), (where, "excel 上年同期", key)
            body = api(c, key, params)
            assert same(body["value"], expected[key]), (where, "api", key, body["value"], expected[key])
            assert same(body["yoy"]["value"], last_year[key]), (where, "api 同比", key)
            assert body["display"] == shown(key, expected[key]) and body["definition"]
        assert same(rows["mediation.success_rate"][4], expected["mediation.succeeded"])
        assert same(rows["mediation.success_rate"][5], expected["mediation.mediated"])


def test_word_report_says_the_same(orgs, users, client_for, data):
    c = client_for(users.leader)
    for org in (orgs.bureau, orgs.office_a, orgs.office_b, orgs.office_c):
        expected, last_year = raw(org, Y), raw(org, P)
        text, doc = report(c, {**PARAMS, "org": org.pk})
        e = {k: shown(k, v) for k, v in expected.items()}
        sentences = [
            f"一是矛盾纠纷排查化解扎实有效。全年，{org.name}辖区各级人民调解组织共登记矛盾纠纷{e['mediation.received']}，"
            f"{yoy_phrase('mediation.received', expected['mediation.received'], last_year['mediation.received'])}；受理{e['mediation.accepted']}，",
            f"调解纠纷{e['mediation.mediated']}，其中调解成功{e['mediation.succeeded']}，",
            f"调解成功率{e['mediation.success_rate']}（调解纠纷（成功+终止）{int(expected['mediation.mediated']):,}件，"
            f"其中调解成功{int(expected['mediation.succeeded']):,}件），"
            f"{yoy_phrase('mediation.success_rate', expected['mediation.success_rate'], last_year['mediation.success_rate'])}。",
            f"达成口头协议{e['mediation.oral_agreements']}、书面调解协议{e['mediation.written_agreements']}，协议涉及金额{e['mediation.agreement_amount']}，",
            f"申请司法确认{e['mediation.confirmation_applied']}，人民法院确认调解协议有效{e['mediation.confirmed']}；",
            f"协议履行率{e['mediation.performance_rate']}，回访率{e['mediation.followup_rate']}。",
            f"三是源头预防和风险预警持续加强。化解可能引发治安、刑事案件的纠纷{e['mediation.prevented_criminal']}，涉及{e['mediation.prevented_criminal_persons']}；",
            f"仍有{e['mediation.open_risks']}在跟踪处置。",
        ]
        for s in sentences:
            assert s in text, (org.name, s)
        main, offices = mediation_tables(doc)
        for k in kpi_registry.kpis("mediation"):
            assert main[k.label] == (shown(k.key, expected[k.key]), shown(k.key, last_year[k.key])), (org.name, k.key)
        # Only the organisations that run people's mediation: offices and committees, not the legal-aid centre.
        children = {o.name: o for o in org.children.all() if o.kind != "legal_aid_center"}
        # A table only where more than one runs it (one row would repeat the totals).
        assert set(offices) == (set(children) if len(children) > 1 else set()), (org.name, set(offices))
        for k in kpi_registry.kpis("mediation")[:4]:  # the report's per-office table: the first four figures
            for name, child in children.items() if offices else ():
                assert offices[name][k.label] == shown(k.key, raw(child, Y)[k.key]), (org.name, name, k.key)
        assert "注：" in text and "调解成功件数 ÷ 调解纠纷数" in text  # definitions printed with the numbers
        assert len(doc.inline_shapes) >= 2  # monthly trend and per-office charts


def test_office_breakdowns_agree_with_each_office(orgs, users, client_for, data):
    c = client_for(users.leader)
    _, ctx = dashboard(c, PARAMS)
    kpis = ctx["office_rows"]["kpis"]
    dash_rows = {r["label"]: r["cells"] for r in ctx["office_rows"]["rows"]}
    _, per_office, _ = excel(c, PARAMS)
    header = list(per_office[0])
    excel_rows = {r[0]: dict(zip(header, r, strict=True)) for r in per_office[1:]}
    children = [orgs.office_a, orgs.office_b, orgs.office_c, orgs.legal_aid, data["medical"]]
    for k in kpi_registry.kpis("mediation"):
        body = api(c, k.key, {**PARAMS, "dim": "office"})
        by_label = {r["label"]: r["value"] for r in body["breakdown"]["rows"]}
        for child in children:
            expected = raw(child, Y)[k.key]
            assert same(by_label[child.name], expected), ("api", child.name, k.key)
            assert same(excel_rows[child.name][f"人民调解·{k.label}（{k.unit}）"], expected), ("excel", child.name, k.key)
            if k in kpis:
                cell = dash_rows[child.name][kpis.index(k)]
                assert cell["display"] == shown(k.key, expected), ("dashboard", child.name, k.key)
        assert same(by_label["测试区司法局（本级）"], None if k.is_ratio else 0)  # no dispute belongs to the bureau itself
    # Drill-down cells add up to the bureau's figure and list exactly the disputes counted.
    i = [k.key for k in kpis].index("mediation.succeeded")
    total = 0
    for row in ctx["office_rows"]["rows"]:
        resp = c.get(row["cells"][i]["url"])
        assert resp.status_code == 200
        total += resp.context["page_obj"].paginator.count
    assert total == raw(orgs.bureau, Y)["mediation.succeeded"]


def test_office_user_sees_only_their_office(orgs, users, client_for, data):
    c = client_for(users.office_a)
    own, own_last = raw(orgs.office_a, Y), raw(orgs.office_a, P)
    cards, ctx = dashboard(c, PARAMS)  # default organisation: their office
    assert ctx["org"] == orgs.office_a
    for key, value in cards.items():
        if key.startswith("mediation."):
            assert same(value, own[key]), key
    risk = next(r for r in ctx["risks"] if r["card"]["kpi"].key == "mediation.open_risks")
    assert {x.code for x in risk["cases"]} == open_risk_codes(orgs.office_a, Y)
    assert all(x.org_path.startswith(orgs.office_a.path) for x in risk["cases"])
    assert {r["label"] for r in ctx["office_rows"]["rows"]} == {"A调委会", "A所金牌调解工作室", "A司法所（本级）"}
    figures = table(c, PARAMS)
    rows, per_office, wb = excel(c, PARAMS)
    for key, value in own.items():
        assert same(figures[key].value, value) and same(rows[key][2], value) and same(rows[key][6], own_last[key]), key
        assert same(api(c, key, PARAMS)["value"], value), key
    assert {r[0] for r in per_office[1:]} == {"A调委会", "A所金牌调解工作室", "A司法所（本级）"}
    everything = "\n".join(str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r if v is not None)
    text, _ = report(c, PARAMS)
    for other in ("B司法所", "B调委会", "C司法所", "医调委", "测试区医疗纠纷人民调解委员会", "邻区"):
        assert other not in text and other not in everything, other
    assert f"共登记矛盾纠纷{shown('mediation.received', own['mediation.received'])}" in text
    # Another office's or the bureau's figures answer like a missing page.
    assert c.get(reverse("api:stats-kpi", args=["mediation.received"]), {**PARAMS, "org": orgs.bureau.pk}).status_code == 404
    assert c.get(reverse("stats:dashboard"), {**PARAMS, "org": orgs.office_b.pk}).status_code == 404
    drill = c.get(reverse("stats:drill"), {**PARAMS, "kpi": "mediation.received"})
    assert drill.status_code == 200 and drill.context["page_obj"].paginator.count == own["mediation.received"]
