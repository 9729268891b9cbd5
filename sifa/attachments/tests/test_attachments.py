"""Uploads checked by content, size limit, SHA-256 verified and audited downloads,
and attachments on the timeline entry they came with (SECURITY.md "uploads")."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.urls import reverse

from sifa.attachments import services
from sifa.attachments.filetypes import classify
from sifa.attachments.models import Attachment
from sifa.audit.models import AuditEntry
from sifa.cases import services as case_services
from sifa.cases.models import CaseEvent
from sifa.cases.tests import testline
from sifa.cases.tests.factories import make_case
from sifa.cases.tests.matrix import PDF, snapshot
from sifa.common.errors import DomainError, PermissionRefused
from sifa.common.forms import StyledForm

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def _zip(names: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in names.items():
            z.writestr(name, data)
    return buf.getvalue()


def _docx() -> bytes:
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    return buf.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


def timeline_entry(resp, text: str) -> str:
    """The HTML of the case page's timeline entry that contains ``text``."""
    page = resp.content.decode()
    timeline = page[page.index('data-testid="timeline"') : page.index("</ol>", page.index('data-testid="timeline"'))]
    (entry,) = [li for li in timeline.split("<li>") if text in li]
    return entry


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def case(orgs, users):
    return make_case(users.office_a, orgs.office_a)


@pytest.mark.parametrize(
    "name,data,kind",
    [
        ("起诉状.pdf", PDF, "pdf"),
        ("照片.PNG", PNG, "png"),
        ("照片.jpeg", JPG, "jpg"),
        ("笔录.docx", None, "docx"),
        ("台账.xlsx", None, "xlsx"),
        ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "doc"),
        ("录音.mp3", b"ID3\x04\x00" + b"\x00" * 40, "mp3"),
    ],
)
def test_allowed_types_are_accepted_and_digested(case, users, name, data, kind):
    data = data if data is not None else (_docx() if kind == "docx" else _xlsx())
    att = services.upload(users.office_a, case.pk, SimpleUploadedFile(name, data))
    assert att.kind == kind and att.size == len(data)
    assert att.sha256 == hashlib.sha256(data).hexdigest()
    assert att.original_name == name
    assert Path(att.file.path).read_bytes() == data
    assert AuditEntry.objects.filter(action="attachment.upload", object_id=str(att.pk), result="ok").exists()
    # Stored under a random name, never the uploaded one.
    assert name not in att.file.name


@pytest.mark.parametrize(
    "name,data,why",
    [
        ("判决书.pdf", EXE, "类型不被允许"),  # a renamed program
        ("判决书.pdf", HTML, "类型不被允许"),  # HTML named .pdf
        ("页面.html", HTML, "类型不被允许"),
        ("程序.exe", EXE, "类型不被允许"),
        ("照片.pdf", PNG, "与扩展名不符"),  # a real PNG under another name
        ("笔录.docx", _zip({"evil.exe": EXE}), "类型不被允许"),  # a ZIP that is not a Word file
        ("笔录.docx", b"PK\x03\x04garbage", "类型不被允许"),
        ("资料.xls", PDF, "类型不被允许"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_refused_uploads_store_nothing(case, users, name, data, why):
    before = (snapshot(case), Attachment.objects.count(), stored_files())
    with pytest.raises(DomainError) as exc:
        services.upload(users.office_a, case.pk, SimpleUploadedFile(name, data))
    assert why in exc.value.message and exc.value.field == "file"
    assert name.split("/")[-1] in exc.value.message  # names the file
    assert (snapshot(case), Attachment.objects.count(), stored_files()) == before


def test_classify_never_trusts_the_name_alone():
    assert classify("a.pdf", PDF) == "pdf"
    assert classify("a.PDF", b"%PDF-1.7") == "pdf"
    assert classify("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == "doc"
    assert classify("a.exe", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") is None
    assert classify("a.ppt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") is None


def test_size_limit(case, users, settings):
    settings.SIFA_ATTACHMENT_MAX_BYTES = 1024
    before = (Attachment.objects.count(), stored_files())
    with pytest.raises(DomainError) as exc:
        services.upload(users.office_a, case.pk, SimpleUploadedFile("大文件.pdf", PDF + b"0" * 1024))
    assert "超过大小限制" in exc.value.message and "1 KB" in exc.value.message and "大文件.pdf" in exc.value.message
    assert (Attachment.objects.count(), stored_files()) == before
    # Exactly at the limit is fine.
    att = services.upload(users.office_a, case.pk, SimpleUploadedFile("刚好.pdf", PDF + b"0" * (1024 - len(PDF))))
    assert att.size == 1024


def test_size_limit_on_the_page_names_the_file_and_changes_nothing(case, users, client_for, settings):
    settings.SIFA_ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    before = (snapshot(case), stored_files())
    resp = client_for(users.office_a).post(
        reverse("attachments:upload", args=[case.pk]), {"file": SimpleUploadedFile("扫描件.pdf", PDF + b"0" * (2 * 1024 * 1024))}, follow=True
    )
    text = resp.content.decode()
    assert resp.status_code == 200 and "扫描件.pdf" in text and "2 MB" in text
    assert (snapshot(case), stored_files()) == before


def test_read_only_roles_cannot_upload(case, users):
    before = (snapshot(case), stored_files())
    with pytest.raises(PermissionRefused):
        services.upload(users.leader, case.pk, SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(Http404):  # not assigned to this case: it does not exist for the lawyer
        services.upload(users.lawyer, case.pk, SimpleUploadedFile("a.pdf", PDF))
    assert (snapshot(case), stored_files()) == before


def test_upload_page_without_a_file(case, users, client_for):
    before = snapshot(case)
    resp = client_for(users.office_a).post(reverse("attachments:upload", args=[case.pk]), {}, follow=True)
    assert "请选择要上传的文件" in resp.content.decode()
    assert snapshot(case) == before


@pytest.mark.smoke
def test_download_is_verified_audited_and_served_as_attachment(case, users, client_for):
    att = services.upload(users.office_a, case.pk, SimpleUploadedFile("调解协议 (签字).pdf", PDF))
    resp = client_for(users.office_a).get(reverse("attachments:download", args=[att.pk]))
    assert resp.status_code == 200 and resp.content == PDF
    assert resp["Content-Type"] == "application/pdf"
    assert resp["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    assert "%E8%B0%83%E8%A7%A3" in resp["Content-Disposition"]  # 调解, percent-encoded
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in resp["Content-Security-Policy"]
    assert resp["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="attachment.download")
    assert entry.result == "ok" and entry.username == "office_a" and entry.object_id == str(att.pk)


@pytest.mark.parametrize("damage", ["tamper", "remove"])
def test_tampered_or_missing_file_is_refused_and_audited(case, users, client_for, damage):
    att = services.upload(users.office_a, case.pk, SimpleUploadedFile("证据.pdf", PDF))
    path = Path(att.file.path)
    if damage == "tamper":
        path.write_bytes(PDF.replace(b"1 0 obj", b"2 0 obj"))
    else:
        path.unlink()
    resp = client_for(users.office_a).get(reverse("attachments:download", args=[att.pk]))
    assert resp.status_code == 409
    text = resp.content.decode()
    assert "拒绝下载" in text and "%PDF" not in text
    assert resp["Content-Type"].startswith("text/html")
    entry = AuditEntry.objects.get(action="attachment.download")
    assert entry.result == "refused" and entry.object_id == str(att.pk) and entry.detail["reason"]


def test_upload_on_the_page_appears_on_its_timeline_entry(case, users, client_for):
    client = client_for(users.office_a)
    resp = client.post(reverse("attachments:upload", args=[case.pk]), {"file": SimpleUploadedFile("现场照片.png", PNG), "description": "东侧围墙"})
    assert resp.status_code == 302 and resp["Location"].endswith("?tab=files")
    att = Attachment.objects.get(case=case)
    assert att.event.kind == "attachment" and att.event.label == "上传附件：现场照片.png" and att.description == "东侧围墙"
    entry = timeline_entry(client.get(reverse("cases:detail", args=[case.pk])), "上传附件：现场照片.png")
    assert reverse("attachments:download", args=[att.pk]) in entry


class EvidenceForm(StyledForm):
    file = forms.FileField(label="证据材料")

    def __init__(self, *args, case=None, record=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture
def note_with_file(monkeypatch):
    """The test line's “记录” step, given a form with a file (as a line's step may have)."""
    step = testline.WORKFLOW.get("note")
    monkeypatch.setitem(testline.WORKFLOW._by_name, "note", replace(step, form=EvidenceForm))


def test_files_sent_with_a_step_join_that_steps_timeline_entry(case, users, client_for, note_with_file):
    case_services.transition(users.office_a, case, "accept")
    case.refresh_from_db()
    client = client_for(users.office_a)
    url = reverse("cases:transition", args=[case.pk, "note"])
    resp = client.post(
        url, {"on": case.opened_on.isoformat(), "version": case.version, "reason": "走访当事人", "file": SimpleUploadedFile("走访记录.docx", _docx())}
    )
    assert resp.status_code == 302
    event = CaseEvent.objects.get(case=case, transition="note")
    att = Attachment.objects.get(case=case)
    assert att.event == event and att.kind == "docx"
    assert not CaseEvent.objects.filter(case=case, kind="attachment").exists()  # no separate “上传附件” entry
    entry = timeline_entry(client.get(reverse("cases:detail", args=[case.pk])), "走访当事人")
    assert "走访记录.docx" in entry and reverse("attachments:download", args=[att.pk]) in entry
    assert "走访记录.docx" not in timeline_entry(client.get(reverse("cases:detail", args=[case.pk])), "（已登记 → 已受理）")


def test_a_refused_file_refuses_the_step_and_changes_nothing(case, users, client_for, note_with_file):
    case_services.transition(users.office_a, case, "accept")
    case.refresh_from_db()
    before = (snapshot(case), stored_files())
    resp = client_for(users.office_a).post(
        reverse("cases:transition", args=[case.pk, "note"]),
        {"on": case.opened_on.isoformat(), "version": case.version, "reason": "x", "file": SimpleUploadedFile("笔录.pdf", EXE)},
    )
    assert resp.status_code == 400
    assert "笔录.pdf" in resp.content.decode() and "类型不被允许" in resp.content.decode()
    assert (snapshot(case), stored_files()) == before
    assert AuditEntry.objects.filter(action="case.transition", result="refused").exists()


def test_sweep_removes_only_old_files_no_row_names(case, users, tmp_path, settings):
    import os
    import time

    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path  # only this test's files
    kept = services.upload(users.office_a, case.pk, SimpleUploadedFile("照片.png", PNG))
    # A step refused after its file was written leaves the file behind (the storage is outside the transaction).
    with pytest.raises(RuntimeError), transaction.atomic():
        services.upload(users.office_a, case.pk, SimpleUploadedFile("笔录.pdf", PDF))
        raise RuntimeError("a later check refused the step")
    assert Attachment.objects.count() == 1 and len(stored_files()) == 2
    orphan = next(p for p in stored_files() if p.name != kept.token)
    fresh = tmp_path / "attachments" / "000" / ("f" * 32)
    fresh.parent.mkdir(parents=True, exist_ok=True)
    fresh.write_bytes(PDF)  # an upload still committing: young, left alone
    os.utime(fresh, (time.time(), time.time()))  # "now" by the clock the sweep reads
    day_ago = time.time() - 25 * 3600
    for p in (orphan, tmp_path / kept.file.name):
        os.utime(p, (day_ago, day_ago))
    assert services.sweep_orphans(dry_run=True) == [orphan.relative_to(tmp_path).as_posix()]
    assert len(stored_files()) == 3  # a dry run deletes nothing
    out = io.StringIO()
    call_command("attachments_sweep", stdout=out)
    assert "已清理遗留文件 1 个" in out.getvalue()
    assert sorted(p.name for p in stored_files()) == sorted([kept.token, fresh.name])
    assert AuditEntry.objects.filter(action="attachment.sweep", detail__removed=1).exists()
    assert services.read_verified(users.office_a, kept)  # the attached file is intact
