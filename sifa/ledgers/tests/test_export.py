"""Exports: the same cases as the list, text never a formula, masking unless
revealed (and then audited), jobs private to their owner."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sifa.audit.models import AuditEntry
from sifa.cases.models import Case
from sifa.cases.tests.factories import make_case
from sifa.ledgers import xlsx
from sifa.ledgers.models import ExportJob, JobStatus

pytestmark = pytest.mark.django_db

EVIL = ['=HYPERLINK("http://evil.example/","点我")', "+1+2", "-3+4", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def _export(client, query="", reveal=False):
    resp = client.post(reverse("ledgers:export") + ("?" + query if query else ""), {"reveal": "on"} if reveal else {})
    assert resp.status_code == 302, resp.content.decode()[:500]
    job = ExportJob.objects.latest("id")
    assert job.status == JobStatus.DONE, job.message
    resp = client.get(reverse("ledgers:export_download", args=[job.pk]))
    assert resp.status_code == 200
    data = b"".join(resp.streaming_content)
    return job, data


def _rows(data: bytes, sheet: str | None = None):
    wb = load_workbook(BytesIO(data), read_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.fixture
def evil_cases(orgs, users):
    out = []
    for i, name in enumerate(EVIL):
        out.append(
            make_case(
                users.office_a,
                orgs.office_a,
                title=f"案件{i}",
                parties=[{"name": name, "role": "applicant", "phone": "13812345678", "id_number": "11010519491231002X"}],
            )
        )
    out.append(make_case(users.office_b, orgs.office_b, title="B所案件"))
    return out


def test_formula_like_text_is_exported_as_text(users, client_for, evil_cases):
    job, data = _export(client_for(users.office_a))
    assert xlsx.formula_cells(data) == []
    cells = [c for row in _rows(data) for c in row]
    text = "\n".join(str(c) for c in cells)
    for name in EVIL:
        assert name.strip() in text  # names are stored trimmed
    wb = load_workbook(BytesIO(data))
    evil = [c for row in wb.worksheets[0].iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t"))]
    assert evil and all(c.data_type == "s" and c.quotePrefix for c in evil)


def test_export_agrees_with_list_and_scope(orgs, users, client_for, evil_cases):
    office_a = client_for(users.office_a)
    _, data = _export(office_a)
    codes = [r[0] for r in _rows(data)[1:]]
    assert set(codes) == {c.code for c in evil_cases if c.owner_org == orgs.office_a}
    # Same filter, same order as the case list page.
    page = office_a.get(reverse("cases:list") + "?q=案件1").content.decode()
    _, data = _export(office_a, "q=案件1")
    codes = [r[0] for r in _rows(data)[1:]]
    assert codes == [c.code for c in Case.objects.filter(title="案件1")] and codes[0] in page
    # The leader sees both offices, sorted like the list (newest first).
    _, data = _export(client_for(users.leader), "sort=code")
    assert [r[0] for r in _rows(data)[1:]] == sorted(c.code for c in evil_cases)


def test_masked_unless_revealed_and_reveal_is_audited(orgs, users, client_for, evil_cases):
    c = client_for(users.office_a)
    _, data = _export(c)
    text = str(_rows(data))
    assert "13812345678" not in text and "138****5678" in text
    assert "11010519491231002X" not in text and "110105********002X" in text
    _, data = _export(c, reveal=True)
    text = str(_rows(data))
    assert "13812345678" in text and "11010519491231002X" in text
    assert AuditEntry.objects.filter(action="party.reveal", detail__via="ledger.export").count() == 1
    assert AuditEntry.objects.filter(action="ledger.export").count() == 2
    # The leader may not reveal: the option is ignored.
    _, data = _export(client_for(users.leader), reveal=True)
    assert "13812345678" not in str(_rows(data))
    assert AuditEntry.objects.filter(action="party.reveal", detail__via="ledger.export").count() == 1


def test_line_ledger_columns_when_one_type(users, client_for, evil_cases, test_ledger):
    _, data = _export(client_for(users.office_a), "case_type=testline")
    header = _rows(data)[0]
    assert header[:4] == ["案件编码", "案由", "收案日期", "承办机构"] and "申请人证件号码" in header
    assert "说明" in load_workbook(BytesIO(data), read_only=True).sheetnames


def test_export_job_is_private_and_refusals_change_nothing(users, client_for, evil_cases):
    job, _ = _export(client_for(users.office_a))
    for name in ("ledgers:export_job", "ledgers:export_status", "ledgers:export_download"):
        assert client_for(users.office_b).get(reverse(name, args=[job.pk])).status_code == 404
    before = ExportJob.objects.count()
    for user in (users.mediator_a, users.lawyer, users.sysadmin, users.secadmin, users.auditor):
        assert client_for(user).post(reverse("ledgers:export")).status_code == 404, user.username
    assert ExportJob.objects.count() == before


def test_export_confirm_page_counts(users, client_for, evil_cases):
    resp = client_for(users.office_a).get(reverse("ledgers:export") + "?q=案件")
    assert resp.status_code == 200
    assert "data-export-count>6<" in resp.content.decode().replace(" ", "")


def test_export_with_a_bad_filter_refuses_and_changes_nothing(users, client_for, evil_cases):
    client = client_for(users.office_a)
    before = ExportJob.objects.count()
    for method in (client.get, client.post):
        resp = method(reverse("ledgers:export") + "?q=案件&date_from=yesterday")
        assert resp.status_code == 400
        assert "筛选条件有误" in resp.content.decode() and "收案自" in resp.content.decode()
    assert ExportJob.objects.count() == before
