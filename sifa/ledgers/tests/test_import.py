"""Importing ledgers: row-by-row validation, all-or-nothing commit, codes,
timelines, KPIs; CSV encodings; refusals change nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sifa.audit.models import AuditEntry
from sifa.cases.choices import Channel, EventKind
from sifa.cases.models import Case, CaseEvent, Party
from sifa.cases.tests.testline import KEY
from sifa.kit import registry
from sifa.ledgers.models import ImportJob, JobStatus
from sifa.stats import engine
from sifa.stats.periods import Period

from .util import HEADERS, committed, csv_bytes, id_number, row, upload, uploaded, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_ten_thousand_rows_one_bad_commits_nothing_then_all(orgs, users, client_for, test_ledger, test_kpis):
    c = client_for(users.office_a)
    kpi = registry.kpi("testline.received")
    year = Period.year(2025)
    before_kpi = engine.compute(kpi, orgs.bureau, year).value
    before_cases = Case.all_objects.count()
    rows = [row(i, "A司法所" if i % 3 else "A调委会", result="成功" if i % 10 else "不予受理") for i in range(10_000)]
    for i in range(0, 10_000, 97):  # some open cases: no closing date, no result
        rows[i][7] = rows[i][8] = None
    bad = list(rows[7529])  # spreadsheet row 7,531 (row 1 is the header)
    bad[4] = bad[4][:-1] + ("0" if bad[4][-1] != "0" else "1")
    rows[7529] = bad
    job = uploaded(c, xlsx_bytes(rows))
    assert job.status == JobStatus.INVALID
    assert job.error_count == 1
    assert job.errors == [[7531, "申请人证件号码", "身份证号码校验位不正确，请核对。"]]
    assert Case.all_objects.count() == before_cases
    page = c.get(reverse("ledgers:import_job", args=[job.pk])).content.decode()
    assert "第7531行" in page and "申请人证件号码" in page
    # A refused commit of an invalid job changes nothing either.
    assert c.post(reverse("ledgers:import_commit", args=[job.pk])).status_code == 400
    assert Case.all_objects.count() == before_cases

    rows[7529] = row(7529, "A司法所")
    job = uploaded(c, xlsx_bytes(rows), "台账-修正.xlsx")
    assert job.status == JobStatus.VALIDATED and job.row_count == 10_000
    job = committed(c, job)
    assert job.status == JobStatus.DONE, job.message
    assert job.created_count == 10_000
    imported = Case.objects.filter(channel=Channel.IMPORT)
    assert imported.count() == 10_000
    codes = list(imported.values_list("code", flat=True))
    assert len(set(codes)) == 10_000
    assert sorted(imported.values_list("seq", flat=True)) == list(range(1, 10_001))
    events = CaseEvent.objects.filter(case__in=imported, kind=EventKind.IMPORTED)
    assert events.count() == 10_000
    assert events.first().label == f"由 {users.office_a.display_name} 从台账 台账-修正.xlsx 导入"
    assert Party.objects.filter(case__in=imported).count() == 20_000
    assert engine.compute(kpi, orgs.bureau, year).value == before_kpi + 10_000
    assert imported.filter(closed_on__isnull=True).count() == len(range(0, 10_000, 97))
    # Open imported cases got their deadlines like newly registered ones.
    open_case = imported.filter(closed_on__isnull=True).first()
    assert open_case.deadlines.exists() and open_case.next_due is not None
    assert AuditEntry.objects.filter(action="ledger.import", result="ok", detail__rows=10_000).exists()


def _small(client, rows, **kw):
    return uploaded(client, xlsx_bytes(rows, **kw))


def test_every_error_is_named_by_row_and_column(orgs, users, client_for, test_ledger):
    c = client_for(users.office_a)
    rows = [row(1), row(2), row(3), row(4), row(5)]
    rows[0][1] = "2025-13-01"  # row 2: no such date
    rows[1][2] = "B司法所"  # row 3: another office, outside office_a's scope
    rows[2][0] = None  # row 4: required
    rows[3][8] = "调解"  # row 5: not a choice
    rows[4][7] = "2025-03-01"  # row 6: closed before opened
    job = _small(c, rows)
    assert job.status == JobStatus.INVALID and Case.objects.count() == 0
    by_row = {r: (col, msg) for r, col, msg in job.errors}
    assert by_row[2] == ("收案日期", "日期“2025-13-01”不存在。")
    assert by_row[3][0] == "承办机构" and "B司法所" in by_row[3][1]
    assert by_row[4] == ("案由", "必填，不能为空。")
    assert by_row[5][0] == "办理结果" and "调解" in by_row[5][1]
    assert by_row[6] == ("结案日期", "结案日期早于收案日期。")


def test_missing_required_column_and_unknown_file(orgs, users, client_for, test_ledger):
    c = client_for(users.office_a)
    headers = [h for h in HEADERS if h != "案由"]
    job = _small(c, [row(1)[1:]], headers=headers)
    assert job.status == JobStatus.INVALID and job.errors == [[1, "案由", "缺少必填列“案由”。"]]
    resp = c.post(reverse("ledgers:import_start"), {"case_type": KEY, "file": upload("x.pdf", b"%PDF-1.4")})
    assert resp.status_code == 400 and "只能导入 .xlsx 或 .csv 文件" in resp.content.decode()
    job = uploaded(c, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "old.xlsx")
    assert job.status == JobStatus.INVALID and ".xls" in job.errors[0][2]
    assert Case.objects.count() == 0


def test_title_row_above_header_and_example_row_are_fine(orgs, users, client_for, test_ledger):
    from sifa.ledgers.blank import build_template

    c = client_for(users.office_a)
    job = _small(c, [row(1), row(2)], title_row="A司法所测试台账（2025年）")
    assert job.status == JobStatus.VALIDATED and job.row_count == 2
    assert job.preview["rows"][0]["row"] == 3
    # The downloaded template, filled in below its example row, imports.
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(build_template(test_ledger)))
    ws = wb["台账"]
    headers = [cell.value for cell in ws[1]]
    values = dict(zip(HEADERS, row(9), strict=True))
    for i, h in enumerate(headers, start=1):
        ws.cell(row=3, column=i, value=values.get(h))
    buf = BytesIO()
    wb.save(buf)
    job = uploaded(c, buf.getvalue(), "模板.xlsx")
    assert job.status == JobStatus.VALIDATED, job.errors
    assert job.row_count == 1 and any("示例" in n for n in job.notes)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_each_encoding(orgs, users, client_for, test_ledger, encoding):
    c = client_for(users.office_a)
    job = uploaded(c, csv_bytes([row(1), row(2)], encoding=encoding), "台账.csv")
    assert job.status == JobStatus.VALIDATED, job.errors
    job = committed(c, job)
    assert job.status == JobStatus.DONE
    assert set(Case.objects.values_list("title", flat=True)) == {"纠纷1", "纠纷2"}
    assert Party.objects.filter(name="申请人1").exists()


def test_id_number_saved_as_excel_number_is_caught(orgs, users, client_for, test_ledger):
    c = client_for(users.office_a)
    r = row(1)
    r[4] = 110105198001011234.0
    job = _small(c, [r])
    assert job.status == JobStatus.INVALID and "文本" in job.errors[0][2]


def test_line_refusal_during_commit_rolls_back_everything(orgs, users, client_for, test_ledger):
    c = client_for(users.office_a)
    rows = [row(1), row(2), row(3)]
    rows[2][0] = "拒绝导入"
    job = _small(c, rows)
    assert job.status == JobStatus.VALIDATED
    job = committed(c, job)
    assert job.status == JobStatus.INVALID and job.errors == [[4, "案由", "该行被业务规则拒绝。"]]
    assert Case.all_objects.count() == 0 and CaseEvent.objects.count() == 0 and Party.objects.count() == 0


def test_commit_twice_imports_once(orgs, users, client_for, test_ledger):
    c = client_for(users.office_a)
    job = _small(c, [row(1)])
    committed(c, job)
    resp = c.post(reverse("ledgers:import_commit", args=[job.pk]))
    assert resp.status_code == 400
    assert Case.objects.count() == 1


def test_import_dates_and_status(orgs, users, client_for, test_ledger):
    c = client_for(users.office_a)
    job = _small(c, [row(1, closed=None, result=None), row(2), row(3, result="不予受理")])
    job = committed(c, job)
    by_title = {x.title: x for x in Case.objects.all()}
    assert by_title["纠纷1"].status == "registered" and by_title["纠纷1"].closed_on is None
    assert by_title["纠纷2"].status == "closed" and by_title["纠纷2"].outcome == "success" and by_title["纠纷2"].closed_on == date(2025, 3, 20)
    assert by_title["纠纷3"].status == "refused"
    assert by_title["纠纷2"].handler == users.office_a and by_title["纠纷2"].owner_org == orgs.office_a
    assert by_title["纠纷2"].code.startswith("359901ZZ2025")


def test_another_users_job_is_not_found_and_cannot_be_committed(orgs, users, client_for, test_ledger):
    job = _small(client_for(users.office_a), [row(1)])
    other = client_for(users.staff)
    for name in ("ledgers:import_job", "ledgers:import_status", "ledgers:import_errors"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    assert other.post(reverse("ledgers:import_commit", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED and Case.objects.count() == 0


def test_roles_that_may_not_import_change_nothing(orgs, users, client_for, test_ledger):
    data = xlsx_bytes([row(1)])
    for user in (users.leader, users.mediator_a, users.lawyer, users.sysadmin, users.auditor, users.staff_other_line):
        resp = client_for(user).post(reverse("ledgers:import_start"), {"case_type": KEY, "file": upload("a.xlsx", data)})
        assert resp.status_code == 404, user.username
    assert ImportJob.objects.count() == 0 and Case.objects.count() == 0


def test_section_staff_imports_into_any_office(orgs, users, client_for, test_ledger):
    c = client_for(users.staff)
    job = _small(c, [row(1, "A司法所"), row(2, "B司法所"), row(3, "测试区司法局")])
    job = committed(c, job)
    assert job.status == JobStatus.DONE
    assert set(Case.objects.values_list("owner_org__name", flat=True)) == {"A司法所", "B司法所", "测试区司法局"}
    assert id_number(1)


def test_a_rule_said_on_the_row_and_returned_is_reported_once(orgs, users, client_for, test_ledger):
    """A line's ``check_row`` may say its refusals on the row and return ``row.problems``:
    each still appears once in the report (it appeared twice)."""

    def said_on_the_row(r, ctx):
        r.not_before("closed_on", "opened_on")
        return r.problems

    original = test_ledger.check_row
    object.__setattr__(test_ledger, "check_row", said_on_the_row)
    try:
        bad = row(1)
        bad[7] = "2025-03-01"  # closed before opened
        job = _small(client_for(users.office_a), [bad])
    finally:
        object.__setattr__(test_ledger, "check_row", original)
    assert job.status == JobStatus.INVALID and len(job.errors) == 1, job.errors
