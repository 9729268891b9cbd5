"""An external lawyer (援助律师) sees only the cases assigned to them, on every
route; an unassigned case answers exactly like a missing one. They record
their work (REPORT) but decide nothing. Another office sees a centre's case
only when it received the application there."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sifa.attachments.models import Attachment
from sifa.cases import services as case_services
from sifa.cases.tests.matrix import MISSING_PK, PDF, assert_like_missing, snapshot
from sifa.ledgers.models import ExportJob, JobStatus

from ..choices import Status
from .test_legal_aid import aid_staff, apply, assign, fresh, grant, provider, step

pytestmark = pytest.mark.django_db
D = date


@pytest.fixture
def world(users, orgs):
    staff = aid_staff(orgs)
    mine = apply(staff, orgs, title="委派给王律师的案件", on=D(2026, 3, 2))
    grant(staff, mine, D(2026, 3, 3))
    assign(staff, mine, provider(orgs, "王律师", user=users.lawyer), D(2026, 3, 4))
    theirs = apply(staff, orgs, title="委派给他人的案件", on=D(2026, 3, 2))
    grant(staff, theirs, D(2026, 3, 3))
    assign(staff, theirs, provider(orgs, "赵律师"), D(2026, 3, 4))
    waiting = apply(staff, orgs, title="尚未指派的案件", on=D(2026, 3, 2))
    from sifa.attachments import services as attachments

    for case in (mine, theirs, waiting):
        attachments.upload(staff, case.pk, SimpleUploadedFile("申请书.pdf", PDF))
    return staff, mine, theirs, waiting


def _doc_key(case_pk) -> str:
    """A document the case offers now (the line's documents are edited elsewhere)."""
    from sifa.cases.models import Case

    from .. import documents

    case = Case.all_objects.filter(pk=case_pk).first()
    return next((d.key for d in documents.DOCUMENTS if case is not None and d.available(case)), documents.DOCUMENTS[0].key)


def _routes(case_pk, doc_key="notice"):
    return [
        ("GET", reverse("cases:detail", args=[case_pk])),
        ("GET", reverse("api:legal-aid-detail", args=[case_pk])),
        ("GET", reverse("api:cases-detail", args=[case_pk])),
        ("GET", reverse("api:cases-timeline", args=[case_pk])),
        ("GET", reverse("cases:qr", args=[case_pk, "svg"])),
        ("GET", reverse("cases:document", args=[case_pk, doc_key])),
        ("GET", reverse("cases:transition", args=[case_pk, "progress"])),
        ("POST", reverse("attachments:upload", args=[case_pk])),
    ]


def _call(client, method, url):
    if method == "POST":
        return client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)})
    return client.get(url)


def test_an_unassigned_case_answers_like_a_missing_one(users, client_for, world):
    staff, mine, theirs, waiting = world
    c = client_for(users.lawyer)
    for other in (theirs, waiting):
        before = snapshot(other)
        key = _doc_key(other.pk)
        for (method, url), (_, missing) in zip(_routes(other.pk, key), _routes(MISSING_PK, key), strict=True):
            assert_like_missing(_call(c, method, url), _call(c, method, missing))
        download = reverse("attachments:download", args=[Attachment.objects.filter(case=other).get().pk])
        assert c.get(download).status_code == 404
        assert snapshot(other) == before
    # Their own case on the same routes.
    for method, url in _routes(mine.pk, _doc_key(mine.pk)):
        if method == "GET":
            assert c.get(url).status_code == 200, url
    assert c.get(reverse("attachments:download", args=[Attachment.objects.filter(case=mine).get().pk])).status_code == 200
    r = c.post(reverse("attachments:upload", args=[mine.pk]), {"file": SimpleUploadedFile("会见笔录.pdf", PDF)}, follow=True)
    # The kernel's attachments are the centre's to keep: a lawyer reads them (as in the access matrix).
    assert r.status_code == 200 and "只能查看" in r.content.decode() and Attachment.objects.filter(case=mine).count() == 1


def test_the_lists_and_the_export_hold_only_their_cases(users, client_for, world):
    staff, mine, theirs, waiting = world
    c = client_for(users.lawyer)
    page = c.get(reverse("legal_aid:list")).content.decode()
    assert mine.code in page and theirs.code not in page and waiting.code not in page
    api = c.get(reverse("api:legal-aid-list")).json()
    rows = api["results"] if isinstance(api, dict) else api
    assert [r["code"] for r in rows] == [mine.code]
    kernel = c.get(reverse("api:cases-list")).json()
    assert [r["code"] for r in (kernel["results"] if isinstance(kernel, dict) else kernel)] == [mine.code]
    assert c.get(reverse("api:cases-intake")).status_code in (200, 403)
    r = c.post(reverse("ledgers:export") + "?source=legal_aid", {})
    if r.status_code == 302:
        job = ExportJob.objects.latest("id")
        assert job.status == JobStatus.DONE, job.message
        data = b"".join(c.get(reverse("ledgers:export_download", args=[job.pk])).streaming_content)
        body = [list(r) for r in load_workbook(BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True)][1:]
        assert [r[0] for r in body] == [mine.code]
    else:
        assert r.status_code == 404  # a lawyer may not export at all: nothing leaks either way
    # The centre's staff see all three.
    staff_page = client_for(staff).get(reverse("legal_aid:list")).content.decode()
    assert all(case.code in staff_page for case in (mine, theirs, waiting))


def test_the_lawyer_records_their_work_but_decides_nothing(users, orgs, client_for, world):
    staff, mine, theirs, waiting = world
    names = {t.name for t in case_services.allowed_steps(users.lawyer, fresh(mine))}
    assert names == {"agreement", "progress", "end"}
    step(users.lawyer, mine, "progress", D(2026, 3, 6), note="会见受援人，了解案情")
    assert fresh(mine).events.filter(transition="progress", actor=users.lawyer).exists()
    c = client_for(users.lawyer)
    before = snapshot(mine)
    r = c.post(
        reverse("cases:transition", args=[mine.pk, "terminate"]),
        {"termination": "requested", "reason": "x", "on": "2026-03-07", "version": fresh(mine).version},
    )
    assert r.status_code == 403 and snapshot(mine) == before
    r = c.post(f"/api/v1/legal-aid/{mine.pk}/steps/terminate/", {"termination": "requested", "reason": "x"}, content_type="application/json")
    assert r.status_code == 403 and snapshot(mine) == before
    # Even on an application the staff add them to, the lawyer may not grant or assign.
    case_services.assign(staff, waiting, users.lawyer, role="lawyer")
    before = snapshot(waiting)
    for name, data in (("grant", {"means_basis": "pledge"}), ("refuse", {})):
        with pytest.raises(Exception, match="不能执行"):
            step(users.lawyer, waiting, name, D(2026, 3, 6), reason="x", **data)
    assert snapshot(waiting) == before and fresh(waiting).status == Status.RECEIVED
    grant(staff, waiting, D(2026, 3, 6))
    before = snapshot(waiting)
    with pytest.raises(Exception, match="不能执行"):
        assign(users.lawyer, waiting, provider(orgs, "钱律师"), D(2026, 3, 6))
    assert snapshot(waiting) == before


def test_another_office_sees_a_centre_case_only_when_it_received_it(users, orgs, client_for, world):
    staff, mine, theirs, waiting = world
    b = client_for(users.office_b)
    assert_like_missing(b.get(reverse("cases:detail", args=[waiting.pk])), b.get(reverse("cases:detail", args=[MISSING_PK])))
    assert_like_missing(b.get(reverse("api:cases-detail", args=[waiting.pk])), b.get(reverse("api:cases-detail", args=[MISSING_PK])))
    received = apply(users.office_b, orgs, title="B所受理的申请")
    assert b.get(reverse("cases:detail", args=[received.pk])).status_code == 200
    assert b.get(reverse("api:cases-detail", args=[received.pk])).status_code == 200
    assert received.code in b.get(reverse("legal_aid:list")).content.decode()
    assert waiting.code not in b.get(reverse("legal_aid:list")).content.decode()


def test_the_lawyer_sends_court_dates_and_closing_material_with_their_steps(users, client_for, world):
    from sifa.cases.models import CaseEvent

    _staff, mine, _theirs, _waiting = world
    c = client_for(users.lawyer)
    today = timezone.localdate().isoformat()
    r = c.post(
        reverse("cases:transition", args=[mine.pk, "progress"]),
        {"on": today, "version": fresh(mine).version, "note": "已会见当事人", "court_date": "2026-05-20"}
        | {"attachments": SimpleUploadedFile("会见笔录.pdf", PDF)},
    )
    assert r.status_code == 302, r.content.decode()[-1500:]
    event = CaseEvent.objects.filter(case=mine, transition="progress").latest("id")
    assert "开庭日期 2026-05-20" in event.label and Attachment.objects.filter(case=mine, event=event).count() == 1
    step_ = {"on": today, "version": fresh(mine).version, "outcome": "judgment"}
    assert c.post(reverse("cases:transition", args=[mine.pk, "end"]), step_).status_code == 302
    r = c.post(
        reverse("cases:transition", args=[mine.pk, "submit_closing"]),
        {"on": today, "version": fresh(mine).version, "report": "判决支持。", "attachments": SimpleUploadedFile("判决书.pdf", PDF)},
    )
    assert r.status_code == 302 and Attachment.objects.filter(case=mine, event__transition="submit_closing").count() == 1
