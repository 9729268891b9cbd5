"""Statistical returns (``kit.kpis.StatReturn``): the page and its .xlsx show the
figures ``engine.compute`` gives for this period and the same period last year,
with 同比; each value opens the cases behind it; the access matrix of the other
stats pages holds (roles without the dashboard, another office or bureau: 404)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sifa.audit.models import AuditEntry
from sifa.cases import services
from sifa.cases.tests.factories import make_case
from sifa.cases.tests.testline.registers import CONSULTATIONS, RETURN
from sifa.kit import registry
from sifa.kit.kpis import ReturnRow, StatReturn
from sifa.ledgers import xlsx
from sifa.stats import engine, selectors
from sifa.stats import returns as stat_returns
from sifa.stats.periods import Period

pytestmark = pytest.mark.django_db

URL = reverse("stats:return", args=[RETURN.key])
Y = {"kind": "year", "year": 2026}
SEES = ("leader", "staff", "office_a", "office_b")
BLIND = ("mediator_a", "lawyer", "sysadmin", "secadmin", "auditor")


@pytest.fixture
def data(orgs, users, test_kpis):
    made = [make_case(users.office_a, orgs.office_a, opened_on=date(2026, 3, 5)) for _ in range(3)]
    made.append(make_case(users.office_b, orgs.office_b, opened_on=date(2026, 4, 5)))
    for c in made[:2]:
        services.transition(c.handler, c, "accept", on=date(2026, 3, 6))
        services.transition(c.handler, c, "close", data={"agreement": "x"}, on=date(2026, 3, 7))
    last = make_case(users.office_a, orgs.office_a, opened_on=date(2025, 3, 5))
    services.transition(last.handler, last, "accept", on=date(2025, 3, 6))
    services.transition(last.handler, last, "close", data={"agreement": "x"}, on=date(2025, 3, 7))
    make_case(users.office_a, orgs.office_a, opened_on=date(2025, 5, 5))
    CONSULTATIONS.sample(users.office_a, orgs.office_a)  # 2026-03-05
    return made


def _kpis():
    return [registry.kpi(r.kpi) for r in RETURN.rows]


def test_values_are_the_engines_for_this_year_and_last(orgs, users, client_for, data):
    resp = client_for(users.leader).get(URL, Y)
    assert resp.status_code == 200
    rows = resp.context["rows"]
    assert [r["kpi"].key for r in rows] == [r.kpi for r in RETURN.rows]
    for r in rows:
        k = r["kpi"]
        now = engine.compute(k, orgs.bureau, Period.year(2026), users.leader)
        before = engine.compute(k, orgs.bureau, Period.year(2025), users.leader)
        assert (r["current"].value, r["previous"].value) == (now.value, before.value), k.key
        assert r["url"] == selectors.drill_url(k, orgs.bureau, Period.year(2026))
    by_key = {r["kpi"].key: r for r in rows}
    assert by_key["testline.received"]["current"].value == 4 and by_key["testline.received"]["previous"].value == 2
    assert by_key["testline.received"]["yoy"]["text"] == "增长100.00%"
    # A ratio's 同比 is in percentage points: 2/4 = 50% against 1/2 = 50%.
    assert by_key["testline.success_rate"]["yoy"]["text"] == "+0.00个百分点"
    assert by_key["testline.consultations"]["current"].value == 1
    page = resp.content.decode()
    assert "测试业务统计表" in page and "上年同期" in page and "同比" in page
    assert f'href="{by_key["testline.received"]["url"]}"'.replace("&", "&amp;") in page
    # The drill-down behind a value lists exactly the cases counted.
    drill = client_for(users.leader).get(by_key["testline.received"]["url"])
    assert drill.status_code == 200 and drill.context["page_obj"].paginator.count == 4


def test_an_office_sees_its_own_figures(orgs, users, client_for, data):
    rows = client_for(users.office_b).get(URL, Y).context["rows"]
    assert {r["kpi"].key: r["current"].value for r in rows}["testline.received"] == 1
    for r in rows:
        assert r["current"].value == engine.compute(r["kpi"], orgs.office_b, Period.year(2026), users.office_b).value


def test_xlsx_holds_the_same_numbers_and_no_formula(orgs, users, client_for, data):
    c = client_for(users.leader)
    rows = c.get(URL, Y).context["rows"]
    before = AuditEntry.objects.filter(action="ledger.export").count()
    resp = c.get(URL, {**Y, "format": "xlsx"})
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in resp["Content-Disposition"]
    data_bytes = resp.content
    assert xlsx.formula_cells(data_bytes) == []
    wb = load_workbook(BytesIO(data_bytes))
    ws = wb.worksheets[0]
    assert ws["A1"].value == RETURN.label
    assert [ws.cell(3, i).value for i in range(1, 7)] == ["行次", "项目", "单位", "本期", "上年同期", "同比"]
    for i, r in enumerate(rows, start=4):
        got = [ws.cell(i, j).value for j in range(1, 7)]
        want_now = None if r["current"].value is None else float(r["current"].value)
        want_before = None if r["previous"].value is None else float(r["previous"].value)
        assert got == [r["n"], r["row"].label, r["kpi"].unit, want_now, want_before, r["yoy"]["text"]], got
    info = {row[0]: row[1] for row in wb["说明"].iter_rows(min_row=2, values_only=True)}
    assert orgs.bureau.name in info["统计机构"] and "2026" in info["统计期间"]
    assert users.leader.display_name in info["导出人"] and info["导出时间"]
    defs = list(wb["指标口径"].iter_rows(min_row=2, values_only=True))
    assert [d[2] for d in defs] == [r.kpi for r in RETURN.rows] and all(d[5] for d in defs)
    assert AuditEntry.objects.filter(action="ledger.export").count() == before + 1


def test_breakdown_by_office_and_its_export(orgs, users, client_for, data):
    c = client_for(users.leader)
    resp = c.get(URL, {**Y, "by": "office"})
    crossed = resp.context["crossed"]
    assert crossed["dim"].key == "office"
    cols = [label for _key, label in crossed["columns"]]
    assert "A司法所" in cols and "测试法律援助中心" in cols
    received = next(r for r in crossed["rows"] if r["kpi"].key == "testline.received")
    a = cols.index("A司法所")
    assert received["cells"][a]["value"] == 3 and received["cells"][a]["url"]
    wb = load_workbook(BytesIO(c.get(URL, {**Y, "by": "office", "format": "xlsx"}).content))
    sheet = wb["按司法所"]
    header = [x.value for x in sheet[2]]
    line = next(row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] == "受理案件")
    assert line[header.index("A司法所")] == 3
    by_month = c.get(URL, {**Y, "by": "month"}).context["crossed"]
    march = [key for key, _label in by_month["columns"]].index(date(2026, 3, 1))
    assert next(r for r in by_month["rows"] if r["kpi"].key == "testline.received")["cells"][march]["value"] == 3
    # A breakdown only some rows' KPIs have (来源渠道): the others show "—".
    by_channel = c.get(URL, {**Y, "by": "channel"}).context["crossed"]
    success = next(r for r in by_channel["rows"] if r["kpi"].key == "testline.success")
    assert by_channel["columns"] and all(cell["display"] == "—" and not cell["url"] for cell in success["cells"])


def test_other_bureau_or_office_org_is_not_found(orgs, users, client_for, data):
    assert client_for(users.leader).get(URL, {**Y, "org": orgs.other_bureau.pk}).status_code == 404
    assert client_for(users.leader).get(URL, {**Y, "org": orgs.other_bureau.pk, "format": "xlsx"}).status_code == 404
    office = client_for(users.office_a)
    assert office.get(URL, {**Y, "org": orgs.office_b.pk}).status_code == 404
    assert office.get(URL, {**Y, "org": orgs.office_a.pk}).status_code == 200
    assert client_for(users.other_leader).get(URL, {**Y, "org": orgs.bureau.pk}).status_code == 404


@pytest.mark.parametrize("role", SEES + BLIND)
def test_matrix(role, users, client_for, data):
    c = client_for(getattr(users, role))
    expected = 200 if role in SEES else 404
    assert c.get(URL, Y).status_code == expected, role
    assert c.get(URL, {**Y, "format": "xlsx"}).status_code == expected, role


def test_export_needs_the_export_capability(users, client_for, data, monkeypatch):
    monkeypatch.setattr("sifa.stats.views.returns.can_export", lambda user: False)
    c = client_for(users.leader)
    assert c.get(URL, Y).context["export_url"] == ""
    assert c.get(URL, {**Y, "format": "xlsx"}).status_code == 403


def test_unknown_or_unseen_returns_are_not_found(orgs, users, client_for, data):
    assert client_for(users.leader).get(reverse("stats:return", args=["nope"])).status_code == 404
    # Section staff of another line may not see the test line's KPIs, so not its return.
    assert client_for(users.staff_other_line).get(URL, Y).status_code == 404


def test_a_return_naming_an_unregistered_kpi_is_hidden(users, client_for, orgs):
    # Without the stats tests' KPIs the test line's return names unknown KPIs.
    assert RETURN not in stat_returns.visible(users.leader)
    assert client_for(users.leader).get(URL, Y).status_code == 404


def test_listed_on_the_statistics_table(users, client_for, data):
    page = client_for(users.leader).get(reverse("stats:table"), Y).content.decode()
    assert URL in page and RETURN.label in page
    assert URL not in client_for(users.staff_other_line).get(reverse("stats:table"), Y).content.decode()


def test_text_is_never_a_formula(users, client_for, data):
    odd = StatReturn("testline.odd", '=HYPERLINK("x")', "testline", rows=(ReturnRow("+cmd|' /C calc'!A0", "testline.received"),), note="@SUM(1)")
    registry.add_return(odd)
    try:
        resp = client_for(users.leader).get(reverse("stats:return", args=[odd.key]), {**Y, "format": "xlsx"})
        assert resp.status_code == 200 and xlsx.formula_cells(resp.content) == []
        ws = load_workbook(BytesIO(resp.content)).worksheets[0]
        assert ws["A1"].value == odd.label and ws["B4"].value == odd.rows[0].label
    finally:
        registry.remove_return(odd.key)


def test_registry():
    assert registry.find_return(RETURN.key) is RETURN
    assert RETURN in registry.returns("testline")
    with pytest.raises(ValueError):
        registry.add_return(StatReturn(RETURN.key, "另一张", "testline", rows=()))
    # Every line's return other than the test line's (whose KPIs the stats tests add) names registered KPIs.
    for ret in registry.returns():
        if ret.line != "testline":
            assert ret.rows and all(registry.find_kpi(k) for k in ret.kpi_keys), ret.key


@pytest.mark.parametrize("ret", [r for r in registry.returns() if r.line != "testline"], ids=lambda r: r.key)
def test_every_lines_return_renders_and_exports(ret, users, client_for):
    """Each installed line's return, on an empty database, for a user who sees all its KPIs."""
    c = client_for(users.leader)
    url = reverse("stats:return", args=[ret.key])
    resp = c.get(url, Y)
    assert resp.status_code == 200 and len(resp.context["rows"]) == len(ret.rows)
    assert all(r["current"].value in (0, None) for r in resp.context["rows"])
    for d in resp.context["dims"]:
        assert c.get(url, {**Y, "by": d[0].key}).status_code == 200, d[0].key
    export = c.get(url, {**Y, "format": "xlsx"})
    assert export.status_code == 200 and xlsx.formula_cells(export.content) == []
