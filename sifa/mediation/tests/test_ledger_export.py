"""The mediation ledger out: the import template, and the export of the
filtered dispute list (纠纷列表 → 导出本列表) — same disputes as the page,
masked unless revealed (and then audited), text never a formula."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sifa.audit.models import AuditEntry
from sifa.cases.models import Case
from sifa.ledgers import xlsx
from sifa.ledgers.models import ExportJob, ImportJob, JobStatus
from sifa.mediation.ledger import LEDGER

from . import ledgerdata as L
from .factories import make_dispute, step

pytestmark = pytest.mark.django_db

CJK = re.compile(r"^[\u4e00-\u9fff（）]+$")
EVIL = '=HYPERLINK("http://x","y")'
RISK = {"risk_kind": "criminal", "risk_level": "serious", "risk_persons": 2, "risk_note": "扬言报复。"}


def _sheet(data: bytes, name: str | None = None) -> list[list]:
    wb = load_workbook(BytesIO(data), read_only=True)
    ws = wb[name] if name else wb.worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_template_has_chinese_headers_an_example_row_and_imports_when_filled(orgs, users, client_for):
    c = client_for(users.office_a)
    resp = c.get(reverse("ledgers:template", args=["mediation"]))
    assert resp.status_code == 200 and quote("人民调解台账导入模板.xlsx") in resp["Content-Disposition"]
    wb = load_workbook(BytesIO(resp.content))
    ws = wb["台账"]
    headers = [cell.value for cell in ws[1]]
    assert headers == [col.header for col in LEDGER.import_columns()]
    assert all(CJK.match(h) for h in headers), headers
    assert headers[:5] == ["纠纷名称", "登记日期", "调解组织", "案件来源", "纠纷类型"]
    example = dict(zip(headers, [cell.value for cell in ws[2]], strict=True))
    assert example["纠纷名称"] == "张三与李四邻里纠纷" and example["调解结果"] == "调解成功" and example["纠纷类型"] == "邻里纠纷"
    guide = _sheet(resp.content, "填写说明")
    assert guide[0] == ["列名", "是否必填", "填写要求", "可选值", "示例"]
    rules = {r[0]: r for r in guide[1 : len(headers) + 1]}
    assert rules["纠纷名称"][1] == "必填" and rules["协议形式"][1] == "选填"
    assert "赡养纠纷" in rules["纠纷类型"][3] and "邻里纠纷" in rules["纠纷类型"][3]  # the dictionary, sub-types included
    assert rules["调解结果"][3] == "调解成功、调解不成"
    # The template, filled in below its example row, imports (the example row is skipped).
    filled = L.row(11, "A调委会")
    for i, key in enumerate(L.KEYS, start=1):
        ws.cell(row=3, column=i, value=filled.get(key))
    buf = BytesIO()
    wb.save(buf)
    resp = c.post(reverse("ledgers:import_start"), {"case_type": "mediation", "file": L.upload("模板.xlsx", buf.getvalue())})
    assert resp.status_code == 302
    job = ImportJob.objects.latest("id")
    assert job.status == JobStatus.VALIDATED and job.row_count == 1, job.errors
    assert any("示例" in n for n in job.notes)
    # A template is offered only to roles that may import.
    assert client_for(users.leader).get(reverse("ledgers:template", args=["mediation"])).status_code == 404


@pytest.fixture
def disputes(orgs, users):
    evil = make_dispute(
        users.office_a,
        orgs.committee_a,
        opened_on=date(2025, 5, 1),
        parties=[
            {"role": "applicant", "name": EVIL, "id_number": "11010519491231002X", "phone": "13812345678"},
            {"role": "respondent", "name": "+1+2", "phone": "13900001111"},
        ],
    )
    step(users.office_a, evil, "flag_risk", RISK, on=date(2025, 5, 2))
    plain = make_dispute(users.office_a, orgs.committee_a, opened_on=date(2025, 6, 1), dispute_type="04")
    other = make_dispute(users.office_b, orgs.committee_b, opened_on=date(2025, 6, 2))
    step(users.office_b, other, "flag_risk", RISK, on=date(2025, 6, 3))
    return {"evil": evil, "plain": plain, "other": other}


def _export(client, query: str, reveal: bool = False) -> bytes:
    resp = client.post(reverse("ledgers:export") + "?" + query, {"reveal": "on"} if reveal else {})
    assert resp.status_code == 302, resp.content.decode()[:300]
    job = ExportJob.objects.latest("id")
    assert job.status == JobStatus.DONE, job.message
    return b"".join(client.get(reverse("ledgers:export_download", args=[job.pk])).streaming_content)


def _list_codes(client, query: str) -> list[str]:
    resp = client.get(reverse("mediation:list") + "?" + query)
    assert resp.status_code == 200
    return [c.code for c, _light in resp.context["rows"]]


def test_export_of_the_filtered_list_holds_the_same_disputes(orgs, users, client_for, disputes):
    c = client_for(users.office_a)
    page = c.get(reverse("mediation:list") + "?risk=on")
    export_url = page.context["export_url"]
    assert "source=mediation.list" in export_url and "risk=on" in export_url and 'data-testid="export-list"' in page.content.decode()
    for query in ("risk=on", "dispute_type=04", "status=open&org=" + str(orgs.committee_a.pk), ""):
        rows = _sheet(_export(c, "source=mediation.list&" + query))
        assert rows[0] == [col.header for col in LEDGER.export_columns()]
        assert [r[0] for r in rows[1:]] == _list_codes(c, query), query
    rows = _sheet(_export(c, "source=mediation.list&risk=on"))
    assert [r[0] for r in rows[1:]] == [disputes["evil"].code]  # office B's flagged dispute is not office A's to see
    info = dict(r[:2] for r in _sheet(_export(c, "source=mediation.list&risk=on"), "说明"))
    assert info["筛选条件"] == "人民调解纠纷；仅风险预警：是" and info["导出内容"] == "人民调解台账"
    # The bureau's leader sees both offices' flagged disputes.
    rows = _sheet(_export(client_for(users.leader), "source=mediation.list&risk=on"))
    assert {r[0] for r in rows[1:]} == {disputes["evil"].code, disputes["other"].code}
    # Users outside the line cannot export it.
    assert client_for(users.staff_other_line).get(reverse("ledgers:export") + "?source=mediation.list").status_code == 404


def test_a_bad_filter_is_named_on_the_list_and_refused_by_the_export(orgs, users, client_for, disputes):
    c = client_for(users.office_a)
    page = c.get(reverse("mediation:list") + "?risk=on&date_from=2026-02-30")
    assert "date_from" in page.context["form"].errors
    assert [row[0].code for row in page.context["rows"]] == [disputes["evil"].code]  # 仅风险预警 still applied
    before = ExportJob.objects.count()
    resp = c.post(reverse("ledgers:export") + "?source=mediation.list&risk=on&date_from=2026-02-30")
    assert resp.status_code == 400 and "筛选条件有误" in resp.content.decode()
    assert ExportJob.objects.count() == before


def test_export_is_masked_without_reveal_and_text_never_a_formula(orgs, users, client_for, disputes):
    c = client_for(users.office_a)
    data = _export(c, "source=mediation.list&risk=on")
    rows = _sheet(data)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["申请人姓名"] == EVIL and row["被申请人姓名"] == "+1+2"
    assert row["申请人联系电话"] == "138****5678" and row["申请人证件号码"] == "110105********002X"
    assert "13812345678" not in str(rows) and "11010519491231002X" not in str(rows)
    assert row["案件来源"] == "当事人申请" and row["纠纷类型"] == "邻里纠纷" and row["状态"] == "已登记" and row["调解组织"] == "A调委会"
    assert xlsx.formula_cells(data) == []
    cells = [cell for r in load_workbook(BytesIO(data)).worksheets[0].iter_rows() for cell in r if cell.value in (EVIL, "+1+2")]
    assert len(cells) == 2 and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    # The leader may not reveal: asking for it changes nothing and is not recorded as a reveal.
    rows = _sheet(_export(client_for(users.leader), "source=mediation.list&risk=on", reveal=True))
    assert "13812345678" not in str(rows) and "138****5678" in str(rows)
    assert not AuditEntry.objects.filter(action="party.reveal").exists()
    # Office staff may reveal; the export says so and the reveal is audited.
    data = _export(c, "source=mediation.list&risk=on", reveal=True)
    rows = _sheet(data)
    assert "13812345678" in str(rows) and "11010519491231002X" in str(rows)
    assert AuditEntry.objects.filter(action="party.reveal", user=users.office_a, detail__via="ledger.export").count() == 1
    assert xlsx.formula_cells(data) == []


def test_export_of_imported_disputes_reads_back_their_ledger_values(orgs, users, client_for):
    c = client_for(users.office_a)
    source = L.row(0, "A调委会")  # a written agreement, followed up … archived
    resp = c.post(reverse("ledgers:import_start"), {"case_type": "mediation", "file": L.upload("台账.xlsx", L.xlsx([source]))})
    assert resp.status_code == 302
    job = ImportJob.objects.latest("id")
    assert c.post(reverse("ledgers:import_commit", args=[job.pk])).status_code == 302
    case = Case.objects.get()
    rows = _sheet(_export(c, "source=mediation.list", reveal=True))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["案件编码"] == case.code and row["状态"] == "已结案归档" and row["承办人"] == users.office_a.display_name
    for key in L.KEYS:
        header = LEDGER.column(key).header
        want = source.get(key) or (source["opened_on"] if key == "accepted_on" else None)  # 受理日期 defaults to 登记日期
        got = row[header]
        if hasattr(want, "isoformat"):
            got = got.date() if hasattr(got, "date") else got
        if key in ("amount_in_dispute", "agreement_amount") and want is not None:
            want, got = float(want), float(got)
        assert (got in (None, "") and want in (None, "")) or got == want, (header, got, want)
