"""The work report as a record: drafted by the 统计管理员, reviewed by the
leader, issued and frozen (figures, text and the Word file), every step audited;
refusals change nothing; to anyone outside the bureau's report users a report
does not exist."""

from __future__ import annotations

import hashlib
import os
from datetime import date
from io import BytesIO

import pytest
from django.http import Http404
from django.urls import reverse
from docx import Document

from sifa.accounts.roles import Role
from sifa.accounts.tests.factories import UserFactory
from sifa.audit.models import AuditEntry, Result
from sifa.common.docgen import read_text
from sifa.common.errors import Conflict, PermissionRefused, Refused
from sifa.common.text import cn_date
from sifa.ledgers.models import ExportJob
from sifa.stats import reports
from sifa.stats.models import Report, ReportVersion
from sifa.stats.periods import Period

from .bulkdata import bulk_cases

pytestmark = pytest.mark.django_db

DOC_NUMBER = "测司〔2027〕3号"
SIGNED_ON = date(2027, 1, 10)


@pytest.fixture
def data(orgs, test_kpis):
    bulk_cases(orgs.office_a, 12, opened_on=date(2026, 3, 1), closed_on=date(2026, 4, 1), outcome="success")
    bulk_cases(orgs.office_b, 4, opened_on=date(2026, 5, 1))


@pytest.fixture
def stat(orgs):
    """The bureau's 统计管理员 (the demo's ``tongji``)."""
    return UserFactory(username="tongji_t", full_name="统计员", role=Role.STATISTICIAN, org=orgs.bureau)


@pytest.fixture
def other_stat(orgs):
    return UserFactory(username="tongji_other", role=Role.STATISTICIAN, org=orgs.other_bureau)


def _snapshot(report) -> tuple:
    """Everything a refused action must leave as it was."""
    r = Report.objects.get(pk=report.pk)
    return (r.status, reports.text_of(r), r.review_note, r.sha256, r.document_bytes(), r.data, ReportVersion.objects.filter(report=r).count())


def _actions(report) -> list[tuple[str, str]]:
    return list(AuditEntry.objects.filter(object_type="stats.report", object_id=str(report.pk)).order_by("id").values_list("action", "result"))


def _reviewed(stat, leader, org, **text) -> Report:
    report = reports.create(stat, org, Period.year(2026))
    if text:
        reports.save_text(stat, report.pk, text)
    reports.submit(stat, report.pk)
    return reports.review(leader, report.pk, approve=True)


# --- the whole life ------------------------------------------------------------------------------


def test_life_from_draft_to_issued_and_frozen(orgs, users, stat, data):
    report = reports.create(stat, orgs.bureau, Period.year(2026))
    assert (report.status, report.title, report.signer) == ("draft", "测试区司法局2026年工作总结", "测试区司法局")
    assert report.versions.count() == 0

    _, v1 = reports.save_text(stat, report.pk, {"recipients": "区委、区政府", "problems": "一是人员不足。"}, base_version=0)
    _, v2 = reports.save_text(stat, report.pk, {"opening": "荣获省级先进集体。", "next_steps": "加强队伍建设。"}, base_version=1)
    assert (v1.number, v2.number) == (1, 2)
    assert v1.fields["recipients"] == "区委、区政府" and v1.fields["opening"] == ""
    assert v2.fields["opening"] == "荣获省级先进集体。" and v2.fields["problems"] == "一是人员不足。"
    # Someone saving over version 1 after version 2 exists: a conflict, nothing lost or changed.
    before = _snapshot(report)
    with pytest.raises(Conflict):
        reports.save_text(stat, report.pk, {"problems": "覆盖"}, base_version=1)
    assert _snapshot(report) == before
    # The same words again make no version.
    assert reports.save_text(stat, report.pk, {"problems": "一是人员不足。\r\n"})[1] is None

    reports.submit(stat, report.pk)
    before = _snapshot(report)
    with pytest.raises(Refused):
        reports.save_text(stat, report.pk, {"problems": "提交后修改"})
    with pytest.raises(Refused) as exc:
        reports.review(users.leader, report.pk, approve=False, note="  ")
    assert exc.value.field == "note"
    assert _snapshot(report) == before

    returned = reports.review(users.leader, report.pk, approve=False, note="请补充存在问题的整改措施。")
    assert (returned.status, returned.review_note, returned.reviewed_by) == ("draft", "请补充存在问题的整改措施。", users.leader)
    reports.save_text(stat, report.pk, {"problems": "一是人员不足，拟通过招录补充。", "doc_number": DOC_NUMBER, "signed_on": SIGNED_ON})
    reports.submit(stat, report.pk)
    assert reports.review(users.leader, report.pk, approve=True).status == "reviewed"

    issued = reports.issue(stat, report.pk)
    report.refresh_from_db()
    assert report.status == "issued" and report.issued_by == stat and report.issued_at is not None
    content = report.document_bytes()
    assert content.startswith(b"PK") and report.sha256 == hashlib.sha256(content).hexdigest() == issued.sha256
    assert report.data and isinstance(report.data, dict)
    assert report.versions.count() == 3
    # Re-rendered from the stored figures and text: the same file, byte for byte.
    assert reports.regenerate(report) == content
    assert reports.regenerate(Report.objects.get(pk=report.pk)) == content

    text = read_text(content)
    for words in ("区委、区政府", DOC_NUMBER, "测试区司法局", "荣获省级先进集体。", "一是人员不足，拟通过招录补充。", "加强队伍建设。"):
        assert words in text, words
    assert cn_date(SIGNED_ON) in text or SIGNED_ON.isoformat() in text
    Document(BytesIO(content))  # opens as Word

    # Issued: nothing about it changes any more.
    before = _snapshot(report)
    with pytest.raises(Refused):
        reports.save_text(stat, report.pk, {"title": "改标题"})
    with pytest.raises(Refused):
        reports.submit(stat, report.pk)
    with pytest.raises(Refused):
        reports.review(users.leader, report.pk, approve=False, note="再看看")
    with pytest.raises(Refused):
        reports.issue(users.leader, report.pk)
    assert _snapshot(report) == before

    assert [a for a, r in _actions(report) if r == Result.OK] == [
        "stats.report.create",
        "stats.report.save",
        "stats.report.save",
        "stats.report.submit",
        "stats.report.return",
        "stats.report.save",
        "stats.report.submit",
        "stats.report.approve",
        "stats.report.issue",
    ]
    refusals = [a for a, r in _actions(report) if r == Result.REFUSED]
    assert refusals == [
        "stats.report.save",
        "stats.report.save",
        "stats.report.return",
        "stats.report.save",
        "stats.report.submit",
        "stats.report.return",
        "stats.report.issue",
    ]
    entry = AuditEntry.objects.get(action="stats.report.issue", result=Result.OK)
    assert entry.detail["sha256"] == report.sha256 and entry.detail["doc_number"] == DOC_NUMBER


def test_issue_needs_doc_number_and_date(orgs, users, stat, data):
    report = _reviewed(stat, users.leader, orgs.bureau, signed_on=SIGNED_ON)
    before = _snapshot(report)
    with pytest.raises(Refused) as exc:
        reports.issue(stat, report.pk)
    assert exc.value.field == "doc_number" and "文号" in exc.value.message
    assert _snapshot(report) == before
    assert AuditEntry.objects.filter(action="stats.report.issue", result=Result.REFUSED, object_id=str(report.pk)).count() == 1

    no_date = _reviewed(stat, users.leader, orgs.bureau, doc_number=DOC_NUMBER)
    with pytest.raises(Refused) as exc:
        reports.issue(users.leader, no_date.pk)
    assert exc.value.field == "signed_on"
    with pytest.raises(Refused) as exc:
        reports.issue(users.leader, no_date.pk, signed_on="2026-13-40")
    assert exc.value.field == "signed_on"
    assert Report.objects.get(pk=no_date.pk).status == "reviewed"

    # Given at issue (as offices number documents when they send them): kept as a version.
    issued = reports.issue(users.leader, report.pk, doc_number=DOC_NUMBER)
    assert issued.status == "issued" and issued.doc_number == DOC_NUMBER and issued.issued_by == users.leader
    assert issued.versions.count() == 2 and issued.versions.first().fields["doc_number"] == DOC_NUMBER
    assert reports.regenerate(Report.objects.get(pk=issued.pk)) == Report.objects.get(pk=issued.pk).document_bytes()
    # One 文号 is one document.
    before = _snapshot(no_date)
    with pytest.raises(Refused) as exc:
        reports.issue(users.leader, no_date.pk, signed_on=SIGNED_ON)
    assert exc.value.field == "doc_number" and "已用于" in exc.value.message
    assert _snapshot(no_date) == before


def test_a_failing_render_issues_nothing(orgs, users, stat, data, monkeypatch):
    from sifa.stats.report import builder

    report = _reviewed(stat, users.leader, orgs.bureau, doc_number=DOC_NUMBER, signed_on=SIGNED_ON)
    before = _snapshot(report)

    def broken(data, meta):
        raise RuntimeError("no font")

    monkeypatch.setattr(builder, "render", broken)
    with pytest.raises(Refused) as exc:
        reports.issue(stat, report.pk)
    assert "未印发" in exc.value.message and _snapshot(report) == before
    assert AuditEntry.objects.filter(action="stats.report.issue", result=Result.REFUSED).count() == 1


def test_bad_text_is_refused_with_the_field(orgs, stat):
    report = reports.create(stat, orgs.bureau, Period.half(2026, 2))
    assert report.title == "测试区司法局2026年下半年工作总结"
    before = _snapshot(report)
    for values, field in (
        ({"title": " "}, "title"),
        ({"signer": ""}, "signer"),
        ({"signed_on": "2026-01-01"}, "signed_on"),
        ({"doc_number": "号" * 61}, "doc_number"),
    ):
        with pytest.raises(Refused) as exc:
            reports.save_text(stat, report.pk, values)
        assert exc.value.field == field
    assert _snapshot(report) == before
    with pytest.raises(Refused) as exc:
        reports.make_period("half", 2026, 3)
    assert exc.value.field == "part"
    assert reports.make_period("quarter", 2026, 3) == Period.quarter(2026, 3)


# --- who may -------------------------------------------------------------------------------------


def test_service_permissions(orgs, users, stat, other_stat):
    with pytest.raises(PermissionRefused):
        reports.create(users.leader, orgs.bureau, Period.year(2026))
    for user in (users.office_a, users.staff, users.sysadmin):
        with pytest.raises(PermissionRefused):
            reports.create(user, orgs.office_a, Period.year(2026))
    with pytest.raises(Refused) as exc:
        reports.create(other_stat, orgs.bureau, Period.year(2026))
    assert exc.value.field == "org"
    with pytest.raises(Refused):
        reports.create(stat, orgs.bureau, Period.month(2026, 1))
    assert not Report.objects.exists()

    report = reports.create(stat, orgs.office_a, Period.quarter(2026, 1))  # an office of the bureau
    before = _snapshot(report)
    for outsider in (other_stat, users.other_leader, users.office_a, users.staff, users.auditor):
        with pytest.raises(Http404):
            reports.save_text(outsider, report.pk, {"problems": "外单位修改"})
        with pytest.raises(Http404):
            reports.submit(outsider, report.pk)
    with pytest.raises(PermissionRefused):
        reports.save_text(users.leader, report.pk, {"problems": "领导直接改"})
    with pytest.raises(PermissionRefused):
        reports.submit(users.leader, report.pk)
    reports.submit(stat, report.pk)
    with pytest.raises(PermissionRefused):
        reports.review(stat, report.pk, approve=True)
    with pytest.raises(Http404):
        reports.review(users.other_leader, report.pk, approve=True)
    assert Report.objects.get(pk=report.pk).status == "submitted"
    assert before[1:] == _snapshot(report)[1:]
    assert AuditEntry.objects.filter(action="stats.report.access", result=Result.REFUSED, object_id=str(report.pk)).count() >= 10
    assert set(reports.visible(other_stat)) == set() and set(reports.visible(users.leader)) == {Report.objects.get(pk=report.pk)}


PAGES = ("detail", "version", "download")


def _urls(report) -> dict:
    return {
        "detail": reverse("stats:report_detail", args=[report.pk]),
        "version": reverse("stats:report_version", args=[report.pk, 1]),
        "download": reverse("stats:report_download", args=[report.pk]),
    }


@pytest.mark.parametrize("who", ["office_a", "staff", "mediator_a", "lawyer", "sysadmin", "secadmin", "auditor", "other_leader", "other_stat"])
def test_pages_are_not_found_for_everyone_else(who, orgs, users, stat, other_stat, client_for, data):
    report = reports.create(stat, orgs.bureau, Period.year(2026))
    reports.save_text(stat, report.pk, {"problems": "问题"})
    user = other_stat if who == "other_stat" else getattr(users, who)
    c = client_for(user)
    before, jobs = _snapshot(report), ExportJob.objects.count()
    for name, url in _urls(report).items():
        assert c.get(url).status_code == 404, name
    assert c.post(_urls(report)["detail"], {"action": "submit"}).status_code == 404
    assert c.post(_urls(report)["download"]).status_code == 404
    create = c.post(reverse("stats:report_create"), {"org": orgs.bureau.pk, "kind": "year", "year": 2026})
    if who.startswith("other_"):  # their own bureau's reports are theirs; ours they cannot make
        assert create.status_code in (400, 403)
    else:
        assert c.get(reverse("stats:report_create")).status_code == 404 and create.status_code == 404
    assert _snapshot(report) == before and ExportJob.objects.count() == jobs and Report.objects.count() == 1
    # The list shows no report to them (those who see figures get the data part alone).
    resp = c.get(reverse("stats:report"))
    assert resp.status_code in (200, 404)
    assert report.title.encode() not in resp.content


def test_pages_for_the_bureau(orgs, users, stat, client_for, data):
    s, lead = client_for(stat), client_for(users.leader)
    assert lead.get(reverse("stats:report_create")).status_code == 403
    resp = s.post(reverse("stats:report_create"), {"org": orgs.bureau.pk, "kind": "half", "year": 2026, "part": 9})
    assert resp.status_code == 400 and "请选择上半年或下半年" in resp.content.decode()
    resp = s.post(reverse("stats:report_create"), {"org": orgs.other_bureau.pk, "kind": "year", "year": 2026})
    assert resp.status_code == 400 and "请选择本局或下属机构" in resp.content.decode() and not Report.objects.exists()
    resp = s.post(reverse("stats:report_create"), {"org": orgs.bureau.pk, "kind": "half", "year": 2026, "part": 1})
    report = Report.objects.get()
    assert resp.status_code == 302 and resp["Location"] == _urls(report)["detail"]
    assert report.title == "测试区司法局2026年上半年工作总结"

    url = _urls(report)["detail"]
    text = {
        "title": report.title,
        "recipients": "区委、区政府",
        "doc_number": "",
        "opening": "",
        "problems": "问题一",
        "next_steps": "",
        "signer": "测试区司法局",
        "signed_on": "",
    }
    assert s.post(url, {**text, "action": "save", "base_version": 0}).status_code == 302
    resp = s.post(url, {**text, "title": "", "action": "save", "base_version": 1})
    assert resp.status_code == 400 and "请填写标题" in resp.content.decode()
    resp = s.post(url, {**text, "problems": "旧稿覆盖", "action": "save", "base_version": 0})
    assert resp.status_code == 409 and "已被他人修改" in resp.content.decode() and "旧稿覆盖" in resp.content.decode()  # typed text kept
    assert Report.objects.get().problems == "问题一"
    page = s.get(url).content.decode()
    assert "提交审核" in page and "第1版" in page and "审核通过" not in page
    assert "问题一" in s.get(_urls(report)["version"]).content.decode()

    # Download of a draft: a fresh Word through an export job, with the report's text.
    resp = s.post(_urls(report)["download"])
    job = ExportJob.objects.latest("id")
    assert resp.status_code == 302 and job.status == "done", job.message
    assert job.params["report"] == str(report.pk) and job.params["meta"]["recipients"] == "区委、区政府"
    assert "区委、区政府" in read_text(job.file.read())

    assert s.post(url, {"action": "submit"}).status_code == 302
    resp = lead.post(url, {"action": "return", "note": ""})
    assert resp.status_code == 400 and "退回须填写退回原因" in resp.content.decode()
    assert Report.objects.get().status == "submitted"
    assert lead.post(url, {"action": "approve", "note": "同意"}).status_code == 302
    resp = s.post(url, {"action": "issue", "doc_number": "", "signed_on": ""})
    assert resp.status_code == 400 and "印发前须填写文号" in resp.content.decode()
    assert Report.objects.get().status == "reviewed"
    assert s.post(url, {"action": "issue", "doc_number": DOC_NUMBER, "signed_on": "2026-07-10"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "issued"

    resp = lead.get(_urls(report)["download"])
    assert resp.status_code == 200 and resp.content == report.document_bytes()
    assert "attachment" in resp["Content-Disposition"] and "2027" in resp["Content-Disposition"]  # the 文号 in the name
    assert AuditEntry.objects.filter(action="stats.report.download", user=users.leader).count() == 1
    page = lead.get(url).content.decode()
    assert "已印发" in page and report.sha256 in page and "action-save" not in page
    assert s.post(url, {**text, "action": "save"}).status_code == 400
    assert Report.objects.get().problems == "问题一"

    listing = lead.get(reverse("stats:report"))
    assert listing.status_code == 200 and DOC_NUMBER in listing.content.decode() and "新建工作总结" not in listing.content.decode()
    assert "新建工作总结" in s.get(reverse("stats:report")).content.decode()


def test_data_part_alone_still_for_everyone_who_sees_figures(orgs, users, client_for, data):
    c = client_for(users.office_a)
    assert c.post(reverse("stats:report") + "?kind=year&year=2026").status_code == 302
    job = ExportJob.objects.latest("id")
    assert job.status == "done" and "report" not in job.params
    assert "A司法所" in read_text(job.file.read())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_report_pages_on_a_phone(browser_page, orgs, users, test_kpis):
    from conftest import no_sideways_scroll

    stat = UserFactory(username="tongji_phone", role=Role.STATISTICIAN, org=orgs.bureau)
    report = reports.create(stat, orgs.bureau, Period.year(2026))
    reports.save_text(stat, report.pk, {"recipients": "区委、区政府", "problems": "一是" + "人员不足" * 40})
    page = browser_page(stat)
    page.goto(f"{page.base}/stats/report/")
    page.wait_for_selector("[data-testid=report-list]")
    assert no_sideways_scroll(page)
    page.click(f"text={report.title}")
    page.wait_for_selector("[data-testid=report-text] textarea")
    assert no_sideways_scroll(page)
    page.fill("textarea[name=next_steps]", "加强队伍建设。")
    page.click("[data-testid=action-save]")
    page.wait_for_selector("text=已保存为第2版")
    page.click("[data-testid=action-submit]")
    page.wait_for_selector("[data-testid=report-status]:has-text('待审核')")
    assert no_sideways_scroll(page)
    if os.environ.get("SIFA_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SIFA_SCREENSHOTS"], "report-phone.png"), full_page=True)
    page.goto(f"{page.base}/stats/report/new/")
    page.select_option("select[name=kind]", "quarter")
    assert page.locator("select[name=part] option").count() == 5  # — and four quarters
    assert no_sideways_scroll(page)
