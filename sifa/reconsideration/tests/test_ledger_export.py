"""Exporting the line's own lists ("导出本列表"): exactly the listed cases, in the
ledger's columns; personal data masked for roles that may not reveal it (and for
anyone who did not ask); text that looks like a formula stays text."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sifa.audit.models import AuditEntry
from sifa.ledgers import xlsx
from sifa.ledgers.models import ExportJob, JobStatus
from sifa.reconsideration.choices import FY_KEY

from .factories import ID_A, ID_B, PHONE_A, PHONE_B, accepted, applicant, heard, make_application, make_suit, step

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://evil.example/","点我")'


@pytest.fixture
def cases(orgs, users):
    evil = make_application(users.staff, received_on=date(2026, 3, 2), category="licensing", parties=[applicant(EVIL, ID_B, PHONE_B)])
    plain = make_application(users.staff, received_on=date(2026, 3, 3), category="licensing")
    other = accepted(users, date(2026, 3, 4))  # category 罚款: filtered out below
    heard(users, other, date(2026, 3, 9))
    step(users.staff, other, "decide", date(2026, 4, 1), kind="revoke", summary="x")
    suit = make_suit(users.staff, served_on=date(2026, 3, 5), parties=[{"role": "plaintiff", "name": "+1+2", "phone": PHONE_B}])
    return {"evil": evil, "plain": plain, "other": other, "suit": suit}


def _export(client, query: str, reveal: bool = False):
    resp = client.post(reverse("ledgers:export") + "?" + query, {"reveal": "on"} if reveal else {})
    assert resp.status_code == 302, resp.content.decode()[:300]
    job = ExportJob.objects.latest("id")
    assert job.status == JobStatus.DONE, job.message
    data = b"".join(client.get(reverse("ledgers:export_download", args=[job.pk])).streaming_content)
    rows = [list(r) for r in load_workbook(BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True)]
    return job, data, rows


def test_filtered_list_exports_the_same_cases_masked_for_a_leader(users, client_for, cases):
    leader = client_for(users.leader)
    query = "category=licensing"
    page = leader.get(reverse("reconsideration:list") + "?" + query)
    listed = [c.code for c, *_ in page.context["rows"]]
    assert listed == [cases["plain"].code, cases["evil"].code]
    html = page.content.decode()
    assert "导出本列表" in html and "source=reconsideration" in html
    job, data, rows = _export(leader, "source=reconsideration&" + query, reveal=True)  # the leader may not reveal: ignored
    header, body = rows[0], rows[1:]
    assert [r[0] for r in body] == listed
    assert header[:4] == ["案件编码", "收到申请日期", "申请人姓名", "申请人证件号码"]
    assert "被申请人" in header and "是否纠错" in header and "文号" in header
    text = str(rows)
    assert ID_A not in text and PHONE_A not in text and ID_B not in text and PHONE_B not in text
    assert "138****5678" in text and "110105********002X" in text
    assert job.params["reveal"] is False and not AuditEntry.objects.filter(action="party.reveal").exists()
    info = dict(load_workbook(BytesIO(data), read_only=True)["说明"].iter_rows(values_only=True))
    assert info["筛选条件"] == "行政复议案件；事项类别：行政许可" and info["行数"] == 2
    # The formula-like applicant name is stored as text, never as a formula.
    assert xlsx.formula_cells(data) == []
    wb = load_workbook(BytesIO(data))
    cell = next(c for row in wb.worksheets[0].iter_rows() for c in row if c.value == EVIL)
    assert cell.data_type == "s" and cell.quotePrefix


def test_section_staff_reveals_only_when_asked_and_it_is_audited(users, client_for, cases):
    staff = client_for(users.staff)
    _, _, rows = _export(staff, "source=reconsideration&category=licensing")
    assert PHONE_A not in str(rows) and ID_A not in str(rows)
    _, _, rows = _export(staff, "source=reconsideration&category=licensing", reveal=True)
    assert PHONE_A in str(rows) and ID_A in str(rows)
    assert AuditEntry.objects.filter(action="party.reveal", detail__via="ledger.export", detail__rows=2).count() == 1


def test_closed_cases_export_their_outcome_and_correction(users, client_for, cases):
    _, _, rows = _export(client_for(users.leader), "source=reconsideration&status=closed")
    header, body = rows[0], rows[1:]
    assert len(body) == 1 and body[0][0] == cases["other"].code
    row = dict(zip(header, body[0], strict=True))
    assert row["结案方式"] == "撤销" and row["是否纠错"] == "是" and row["是否按期审结"] == "是"
    assert row["被申请人"] == "区市场监督管理局" and row["复议事项类别"] == "罚款" and row["审理程序"] == "普通程序"
    assert row["文号"] == cases["other"].doc_number and row["状态"] == "已结案"


def test_litigation_list_export_and_who_may_not(users, client_for, cases):
    _, data, rows = _export(client_for(users.leader), "source=litigation")
    assert [r[0] for r in rows[1:]] == [cases["suit"].code]
    assert xlsx.formula_cells(data) == [] and "+1+2" in str(rows)
    before = ExportJob.objects.count()
    for user in (users.office_a, users.staff_other_line):
        resp = client_for(user).post(reverse("ledgers:export") + "?source=" + FY_KEY)
        assert resp.status_code == 404, user.username  # outside the line: like a missing list
    assert ExportJob.objects.count() == before
