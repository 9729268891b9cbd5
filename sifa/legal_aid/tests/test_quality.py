"""The means test against the province's standard (§34, §42) and the quality
assessment of closed cases (SF/T 0085 style score sheet, sampled): a refusal
changes nothing; the sample page lists a fixed share of the closed cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from sifa.cases import procedures
from sifa.cases.tests.matrix import snapshot
from sifa.common.errors import DomainError

from ..choices import Status
from .test_legal_aid import aid_staff, apply, assign, fresh, grant, provider, step

pytestmark = pytest.mark.django_db
CHECKLIST = ["application", "identity", "means", "decision", "agreement", "documents", "report"]


def test_an_income_above_the_standard_is_not_means_tested_poor_unless_exempt(users, orgs, settings):
    settings.SIFA_LEGAL_AID_MEANS_STANDARD = 1800
    staff = aid_staff(orgs)
    case = apply(staff, orgs, income=Decimal("2500"))
    before = snapshot(case)
    with pytest.raises(DomainError, match="高于本地经济困难标准1800元"):
        grant(staff, case, date(2026, 3, 3), means_basis="checked")
    with pytest.raises(DomainError, match="第二十五条、第二十八条、第三十二条"):
        grant(staff, case, date(2026, 3, 3), means_basis="not_required")
    assert snapshot(case) == before
    grant(staff, case, date(2026, 3, 3), means_basis="exempt", exemption="migrant_worker")  # §42: no check
    assert fresh(case).status == Status.GRANTED
    poor = apply(staff, orgs, title="低收入申请", income=Decimal("1200"))
    grant(staff, poor, date(2026, 3, 3), means_basis="checked")
    assert fresh(poor).status == Status.GRANTED


def _closed(staff, orgs, p, title):
    case = apply(staff, orgs, title=title)
    grant(staff, case, date(2026, 3, 3))
    assign(staff, case, p, date(2026, 3, 4))
    step(staff, case, "end", date(2026, 4, 1), outcome="judgment")
    step(staff, case, "submit_closing", date(2026, 4, 2), report="判决支持诉讼请求。")
    step(staff, case, "close", date(2026, 4, 3), checklist=CHECKLIST)
    return fresh(case)


def test_a_closed_case_is_scored_on_the_sheet_and_graded(users, orgs, client_for):
    staff = aid_staff(orgs)
    case = _closed(staff, orgs, provider(orgs), "质量评估样例")
    assert [s.key for s in procedures.openable(staff, case)] == ["quality"]
    proc = procedures.open_procedure(staff, case, "quality", on=date(2026, 4, 10))
    scores = {"score_acceptance": 10, "score_contact": 14, "score_preparation": 18, "score_advocacy": 28, "score_documents": 14, "score_discipline": 10}
    before = (snapshot(case), proc.status)
    with pytest.raises(DomainError):
        procedures.take_step(staff, proc, "score", data=scores | {"score_advocacy": 31, "opinion": "超出满分"}, on=date(2026, 4, 11))
    proc.refresh_from_db()
    assert (snapshot(case), proc.status) == before
    procedures.take_step(staff, proc, "score", data=scores | {"opinion": "办理规范"}, on=date(2026, 4, 11))
    proc.refresh_from_db()
    assert proc.data["total"] == 94 and proc.data["grade"] == "excellent" and fresh(case).legalaid.grade == "excellent"
    low = _closed(staff, orgs, provider(orgs, name="李律师"), "不合格样例")
    p2 = procedures.open_procedure(staff, low, "quality", on=date(2026, 4, 10))
    procedures.take_step(staff, p2, "score", data=dict.fromkeys(scores, 5) | {"opinion": "准备不足"}, on=date(2026, 4, 11))
    assert fresh(low).legalaid.grade == "fail"


def test_the_sample_page_lists_a_fixed_share_of_closed_cases(users, orgs, client_for, settings):
    staff = aid_staff(orgs)
    p = provider(orgs)
    cases = [_closed(staff, orgs, p, f"样例{i}") for i in range(3)]
    settings.SIFA_LEGAL_AID_QUALITY_SAMPLE = 100
    c = client_for(staff)
    page = c.get(reverse("legal_aid:quality") + "?year=2026").content.decode()
    assert all(x.code in page for x in cases) and "已结案 3 件" in page
    settings.SIFA_LEGAL_AID_QUALITY_SAMPLE = 0
    assert not any(x.code in c.get(reverse("legal_aid:quality") + "?year=2026").content.decode() for x in cases)
    # Only those who register legal aid organise it; another line's users answer 404.
    assert client_for(users.leader).get(reverse("legal_aid:quality")).status_code == 403
    assert client_for(users.mediator_a).get(reverse("legal_aid:quality")).status_code == 404
    settings.SIFA_LEGAL_AID_QUALITY_SAMPLE = 100
    assert not any(x.code in client_for(users.other_office).get(reverse("legal_aid:quality") + "?year=2026").content.decode() for x in cases)
