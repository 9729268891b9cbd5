"""The same figures everywhere: dashboard, statistics table, its Excel export,
the Word report and the API agree with each other and with counts taken
independently from the raw case table, for the bureau and for every office;
and an office user's copies contain only their office's data."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from sifa.cases.models import Case
from sifa.cases.tests.factories import make_case
from sifa.cases.tests.testline import KEY
from sifa.ledgers.models import ExportJob

from .bulkdata import bulk_cases

pytestmark = pytest.mark.django_db
Y = {"kind": "year", "year": 2026}


@pytest.fixture
def data(orgs, users, test_kpis):
    plan = {  # org: (received 2026, success 2026, refused 2026, received 2025)
        orgs.office_a: (40, 31, 3, 20),
        orgs.committee_a: (7, 7, 0, 1),
        orgs.office_b: (25, 11, 9, 30),
        orgs.office_c: (0, 0, 0, 4),
        orgs.bureau: (5, 2, 0, 0),
        orgs.other_office: (50, 50, 0, 0),  # another bureau: never counted
    }
    for org, (rec, ok, ref, last) in plan.items():
        for m in range(rec):
            opened = date(2026, 1 + m % 9, 1 + m % 27)
            if m < ok:
                bulk_cases(org, 1, opened_on=opened, closed_on=date(2026, 10, 15), outcome="success")
            elif m < ok + ref:
                bulk_cases(org, 1, opened_on=opened, closed_on=date(2026, 10, 16), outcome="refused")
            else:
                bulk_cases(org, 1, opened_on=opened)
        bulk_cases(org, last, opened_on=date(2025, 5, 5), closed_on=date(2025, 6, 5), outcome="success")
    make_case(users.office_a, orgs.office_a, opened_on=date(2026, 2, 2))  # through the service, with parties
    deleted = make_case(users.office_a, orgs.office_a, opened_on=date(2026, 2, 3))
    Case.all_objects.filter(pk=deleted.pk).update(is_deleted=True)  # deleted cases never count


def raw(org, year=2026) -> dict:
    live = Case.objects.filter(case_type=KEY, org_path__startswith=org.path)
    received = live.filter(opened_on__year=year).count()
    success = live.filter(closed_on__year=year, outcome="success").count()
    rate = None if not received else (Decimal(success) * 100 / received).quantize(Decimal("0.01"), ROUND_HALF_UP)  # ADR 0014
    return {"testline.received": received, "testline.success": success, "testline.success_rate": rate}


def _dashboard(client, params):
    ctx = client.get(reverse("stats:dashboard"), params).context
    return {c["kpi"].key: c["figure"].value for g in ctx["lines"] for c in g["cards"]}, ctx


def _table(client, params):
    ctx = client.get(reverse("stats:table"), params).context
    return {c["kpi"].key: c["figure"].value for g in ctx["groups"] for c in g["cards"]}


def _excel(client, params):
    q = "&".join(f"{k}={v}" for k, v in params.items())
    assert client.post(reverse("stats:table_export") + "?" + q).status_code == 302
    job = ExportJob.objects.latest("id")
    data = b"".join(client.get(reverse("ledgers:export_download", args=[job.pk])).streaming_content)
    wb = load_workbook(BytesIO(data), read_only=True)
    rows = list(wb["统计表"].iter_rows(values_only=True))
    defs = list(wb["指标口径"].iter_rows(values_only=True))
    per_office = list(wb["分机构"].iter_rows(values_only=True))
    label_to_key = {(r[1], r[2]): r[0] for r in defs[1:]}
    return {label_to_key[(r[0], r[1])]: r[2] for r in rows[1:]}, defs, per_office


def _report(client, params):
    q = "&".join(f"{k}={v}" for k, v in params.items())
    assert client.post(reverse("stats:report") + "?" + q).status_code == 302
    job = ExportJob.objects.latest("id")
    assert job.status == "done", job.message
    data = b"".join(client.get(reverse("ledgers:export_download", args=[job.pk])).streaming_content)
    return Document(BytesIO(data))


def _api(client, params, key):
    return client.get(reverse("api:stats-kpi", args=[key]), params).json()


def _same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and Decimal(str(a)) == Decimal(str(b)))


def test_everywhere_agrees_with_raw_counts(orgs, users, client_for, data):
    c = client_for(users.leader)
    for org in (orgs.bureau, orgs.office_a, orgs.office_b, orgs.office_c, orgs.committee_a):
        params = {**Y, "org": org.pk}
        expected = raw(org)
        dash, _ = _dashboard(c, params)
        table = _table(c, params)
        excel, _, _ = _excel(c, params)
        for key, value in expected.items():
            api = _api(c, params, key)
            assert _same(dash[key], value), (org.name, key, dash[key], value)
            assert _same(table[key], value), (org.name, key)
            assert _same(excel[key], value), (org.name, key, excel[key], value)
            assert _same(api["value"], value), (org.name, key)
            assert api["definition"] and "四舍五入" in _api(c, params, "testline.success_rate")["definition"]


def test_office_breakdowns_agree_with_each_office(orgs, users, client_for, data):
    c = client_for(users.leader)
    _, ctx = _dashboard(c, Y)
    office_rows = {r["label"]: r for r in ctx["office_rows"]["rows"]}
    kpis = ctx["office_rows"]["kpis"]
    keys = [k.key for k in kpis]
    _, _, per_office = _excel(c, Y)
    header = list(per_office[0])
    excel_rows = {r[0]: dict(zip(header, r, strict=True)) for r in per_office[1:]}
    api = _api(c, {**Y, "dim": "office"}, "testline.received")["breakdown"]["rows"]
    for office in (orgs.office_a, orgs.office_b, orgs.office_c):
        expected = raw(office)
        for i, key in enumerate(keys):
            if not key.startswith("testline."):
                continue  # other lines' KPIs may be installed too
            shown = office_rows[office.name]["cells"][i]["display"]
            value = expected[key]
            assert shown == ("—" if value is None else (f"{value:.2f}%" if key.endswith("rate") else f"{value:,}件")), (office.name, key, shown)
            assert _same(excel_rows[office.name][f"测试业务·{kpis[i].label}（{kpis[i].unit}）"], value)
        assert next(r["value"] for r in api if r["label"] == office.name) == expected["testline.received"]
    # The bureau's own cases are listed as its own row.
    assert office_rows["测试区司法局（本级）"]["cells"][keys.index("testline.received")]["display"] == "5件"


def test_word_report_agrees(orgs, users, client_for, data):
    c = client_for(users.leader)
    doc = _report(c, {**Y, "org": orgs.bureau.pk})
    text = "\n".join(p.text for p in doc.paragraphs)
    expected = raw(orgs.bureau)
    assert f"全年共受理测试案件{expected['testline.received']:,}件" in text
    assert f"成功率{expected['testline.success_rate']:.2f}%（{expected['testline.success']}件/{expected['testline.received']}件）" in text
    ti = next(i for i, t in enumerate(doc.tables) if any(r.cells[0].text == "受理测试案件" for r in t.rows))
    main = doc.tables[ti]
    cells = {row.cells[0].text: row.cells[1].text for row in main.rows[1:]}
    assert cells["受理测试案件"] == f"{expected['testline.received']:,}件"
    assert cells["成功率"] == f"{expected['testline.success_rate']:.2f}%"
    offices = {row.cells[0].text: row.cells[1].text for row in doc.tables[ti + 1].rows[1:]}
    for office in (orgs.office_a, orgs.office_b, orgs.office_c):
        assert offices[office.name] == f"{raw(office)['testline.received']:,}件"
    assert "注：" in text and "成功结案件数 ÷ 受理件数 × 100%" in text  # definitions as notes
    assert len(doc.inline_shapes) >= 2  # trend and per-office charts


def test_office_user_sees_only_their_office(orgs, users, client_for, data):
    c = client_for(users.office_a)
    own = raw(orgs.office_a)
    dash, ctx = _dashboard(c, Y)  # default org: their office
    assert ctx["org"] == orgs.office_a
    assert _same(dash["testline.received"], own["testline.received"])
    table = _table(c, Y)
    excel, _, _ = _excel(c, Y)
    assert _same(table["testline.received"], own["testline.received"]) and _same(excel["testline.received"], own["testline.received"])
    doc = _report(c, Y)
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(cell.text for t in doc.tables for row in t.rows for cell in row.cells)
    assert "B司法所" not in text and "C司法所" not in text
    # Drill-down lists only their cases, and its export likewise.
    resp = c.get(reverse("stats:drill"), {**Y, "kpi": "testline.received"})
    assert resp.status_code == 200
    shown = resp.context["page_obj"].paginator.count
    assert shown == own["testline.received"]
    assert all(x.org_path.startswith(orgs.office_a.path) for x in resp.context["page_obj"].object_list)
    export = c.post(reverse("ledgers:export") + f"?source=kpi&kpi=testline.received&kind=year&year=2026&org={orgs.office_a.pk}")
    assert export.status_code == 302
    job = ExportJob.objects.latest("id")
    data = b"".join(c.get(reverse("ledgers:export_download", args=[job.pk])).streaming_content)
    rows = list(load_workbook(BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True))[1:]
    assert len(rows) == own["testline.received"]
    assert {r[4] for r in rows} <= {"A司法所", "A调委会"}
    # An office user asking for the bureau's drill-down gets 404, like a missing page.
    assert c.get(reverse("stats:drill"), {**Y, "kpi": "testline.received", "org": orgs.bureau.pk}).status_code == 404


def test_drill_down_cells_add_up(orgs, users, client_for, data):
    c = client_for(users.leader)
    _, ctx = _dashboard(c, Y)
    total = 0
    i = [k.key for k in ctx["office_rows"]["kpis"]].index("testline.received")
    for row in ctx["office_rows"]["rows"]:
        resp = c.get(row["cells"][i]["url"])
        assert resp.status_code == 200
        assert "口径" in resp.content.decode()
        total += resp.context["page_obj"].paginator.count
    assert total == raw(orgs.bureau)["testline.received"]
