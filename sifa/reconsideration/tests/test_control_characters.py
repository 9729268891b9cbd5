"""Issue 20: an online applicant named with U+0001 made every document of their
case answer 500. The portal now cleans the name; and a case whose stored names
and texts already hold control characters still gives every document."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from sifa.cases.models import Case, Party
from sifa.common.tests.test_control_characters import is_a4_gbt9704
from sifa.kit import registry
from sifa.reconsideration.choices import FY_KEY

from .factories import accepted, fresh, heard, make_application, step
from .test_portal import application

pytestmark = pytest.mark.django_db
STORED = "\x01\x08\x0b\x0c\x1c\x1f"  # what PostgreSQL stores (not NUL) and XML forbids


def test_the_portal_cleans_an_applicants_name(orgs):
    r = Client().post("/portal/apply/reconsideration/", application(applicant_name="\x01赵\x0b敏", request="撤销\x1f罚款决定\x7f"))
    assert r.status_code == 302, r.content.decode()[:2000]
    case = Case.objects.get(case_type=FY_KEY)
    assert case.parties.get().name == "赵敏" and case.application.request == "撤销罚款决定"


def _store_controls(case) -> None:
    Party.objects.filter(case=case).update(name=f"{STORED}张{STORED}三")
    app = case.application
    type(app).objects.filter(pk=app.pk).update(**dict.fromkeys(("request", "reasons", "contested_act"), f"{STORED}文字{STORED}"))


def _all_documents(client, case) -> set[str]:
    got = set()
    for doc in registry.case_type(FY_KEY).documents:
        if not doc.available(fresh(case)):
            continue
        r = client.get(reverse("cases:document", args=[case.pk, doc.key]))
        assert r.status_code == 200, (doc.key, r.status_code)
        d = Document(BytesIO(r.content))  # opens
        assert all(is_a4_gbt9704(s) for s in d.sections), doc.key
        text = "\n".join(p.text for p in d.paragraphs) + "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
        assert not set(text) & set(STORED), doc.key
        got.add(doc.key)
    return got


def test_every_document_of_a_case_with_stored_control_characters(users, client_for):
    c = client_for(users.staff)
    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 4))
    _store_controls(case)
    heard(users, case, date(2026, 3, 6))
    step(users.staff, case, "schedule_hearing", date(2026, 3, 9), hearing_date=date(2026, 3, 17), place="第一听证室", matters="罚款数额")
    step(users.staff, case, "request_extension", date(2026, 4, 1), days=30, grounds="复杂")
    step(users.leader, case, "approve_extension", date(2026, 4, 2))
    step(users.staff, case, "suspend", date(2026, 4, 3), ground="other_case", note="等待法院判决")
    step(users.staff, case, "resume", date(2026, 4, 13))
    step(users.staff, case, "decide", date(2026, 5, 8), kind="partial_revoke", order_redo=True, compensation_awarded=True, summary="罚款数额明显不当。")
    step(users.staff, case, "issue_opinion", date(2026, 5, 9), kind="opinion", addressee="market", content="罚款裁量基准未公开。")
    got = _all_documents(c, case)
    assert {"acceptance", "reply_notice", "hearing", "extension", "suspension", "resumption", "decision", "opinion"} <= got

    other = make_application(users.staff, received_on=date(2026, 3, 2))
    _store_controls(other)
    step(users.staff, other, "request_correction", date(2026, 3, 3), items="1. 身份证明")
    assert "correction" in _all_documents(c, other)
