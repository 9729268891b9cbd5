"""The clocks of 法律援助 as the statute counts them (2026 Spring Festival:
15–23 Feb off, Saturdays 14 and 28 Feb working days), §26, the objection (§49)
and the lapse of a notice to supply material (§43). A refusal changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sifa.cases import procedures
from sifa.cases.tests.matrix import snapshot
from sifa.common.errors import PermissionRefused, Refused

from ..choices import Status
from ..models import LegalAid
from .test_legal_aid import aid_staff, apply, assign, clock, fresh, grant, notice, provider, step

pytestmark = pytest.mark.django_db
D = date


def test_review_runs_seven_calendar_days_past_the_spring_festival(users, orgs, client_for):
    staff = aid_staff(orgs)
    case = apply(staff, orgs, on=D(2026, 2, 10))
    review = clock(case, "review")
    # 10 Feb + 7 days = 17 Feb, inside the holiday: the period ends on the first working day after it.
    assert (review.unit, review.amount, review.due_date, review.kind) == ("day", 7, D(2026, 2, 24), "organ")
    assert "2026-02-17" in review.rule_text and not case.deadlines.filter(key__in=("review_wd", "assign")).exists()
    assert fresh(case).next_due == D(2026, 2, 24)
    page = client_for(staff).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "审查决定期限" in page and "2026-02-24" in page
    api = client_for(staff).get(reverse("api:legal-aid-detail", args=[case.pk])).json()
    assert {(d["label"], d["due_date"]) for d in api["deadlines"]} >= {("审查决定期限", "2026-02-24")}, api["deadlines"]
    grant(staff, case, D(2026, 2, 12))
    assert clock(case, "review").completed_on == D(2026, 2, 12)


def test_review_pauses_while_the_applicant_supplies_material(users, orgs):
    staff = aid_staff(orgs)
    case = apply(staff, orgs, on=D(2026, 2, 10))
    step(staff, case, "request_materials", D(2026, 2, 12), missing="身份证复印件、经济困难承诺书")
    review, materials = clock(case, "review"), clock(case, "materials")
    assert review.paused_since == D(2026, 2, 12) and fresh(case).status == Status.MATERIALS
    # The applicant's own period: 12 Feb + 10 days = 22 Feb (holiday) → 24 Feb; it never makes the case overdue.
    assert (materials.kind, materials.due_date) == ("duty", D(2026, 2, 24)) and fresh(case).next_due is None
    step(staff, case, "receive_materials", D(2026, 2, 26))
    review, materials = clock(case, "review"), clock(case, "materials")
    # 14 days paused: 17 Feb + 14 = 3 Mar (a Tuesday).
    assert (review.paused_since, review.paused_days, review.due_date) == (None, 14, D(2026, 3, 3))
    assert materials.completed_on == D(2026, 2, 26) and fresh(case).status == Status.RECEIVED


def test_a_province_counting_working_days(users, orgs, settings):
    settings.SIFA_LEGAL_AID_REVIEW_UNIT = "workday"
    case = apply(aid_staff(orgs), orgs, on=D(2026, 2, 10))
    assert not case.deadlines.filter(key="review").exists()
    review = clock(case, "review_wd")
    # 11, 12, 13, 14 (调休上班), then 24, 25, 26 Feb.
    assert (review.label, review.unit, review.due_date) == ("审查决定期限", "workday", D(2026, 2, 26))


def test_assignment_runs_three_days_from_the_decision(users, orgs, client_for):
    staff = aid_staff(orgs)
    case = apply(staff, orgs, on=D(2026, 2, 10))
    assert not case.deadlines.filter(key="assign").exists()
    grant(staff, case, D(2026, 2, 13))
    a = clock(case, "assign")
    assert (a.label, a.start_date, a.due_date) == ("指派期限", D(2026, 2, 13), D(2026, 2, 24)) and fresh(case).next_due == D(2026, 2, 24)
    page = client_for(staff).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "指派期限" in page and "2026-02-24" in page
    assign(staff, case, provider(orgs), D(2026, 2, 24))
    assert clock(case, "assign").completed_on == D(2026, 2, 24) and fresh(case).next_due is None


def test_a_courts_notice_is_assigned_within_three_days(users, orgs, client_for):
    staff = aid_staff(orgs)
    case = notice(staff, orgs, on=D(2026, 2, 25))
    a = clock(case, "assign")
    # 25 Feb + 3 = Saturday 28 Feb, a make-up working day: the period ends that day.
    assert (a.start_date, a.due_date) == (D(2026, 2, 25), D(2026, 2, 28))
    # A notice is not an application: no review clock runs on it.
    assert not case.deadlines.filter(key__in=("review", "review_wd")).exists() and fresh(case).next_due == D(2026, 2, 28)
    api = client_for(staff).get(reverse("api:cases-detail", args=[case.pk])).json()
    assert ("指派期限", "2026-02-28") in {(d["label"], d["due_date"]) for d in api["deadlines"]}, api
    assign(staff, case, provider(orgs), D(2026, 2, 27))
    assert clock(case, "assign").completed_on == D(2026, 2, 27) and fresh(case).status == Status.ASSIGNED


def test_section_26_a_capital_case_needs_three_years(users, orgs, client_for):
    staff = aid_staff(orgs)
    case = notice(staff, orgs, on=D(2026, 3, 2), capital=True)
    young = provider(orgs, "新律师", since=D(2023, 6, 1))  # 2 years on 3 Mar 2026
    before = snapshot(case)
    with pytest.raises(Refused, match="第二十六条") as exc:
        assign(staff, case, young, D(2026, 3, 3))
    assert "新律师执业2年" in exc.value.message
    assert snapshot(case) == before and LegalAid.objects.get(case=case).provider is None
    # The page answers the same refusal and changes nothing either.
    r = client_for(staff).post(
        reverse("cases:transition", args=[case.pk, "assign"]),
        {"provider": young.pk, "assign_mode": "rotation", "on": "2026-03-03", "version": fresh(case).version},
    )
    assert r.status_code in (400, 409, 422) and "第二十六条" in r.content.decode() and snapshot(case) == before
    # Nor a grassroots worker of long standing.
    worker = provider(orgs, "老法律工作者", since=D(2000, 1, 1), kind="grassroots")
    with pytest.raises(Refused, match="第二十六条"):
        assign(staff, case, worker, D(2026, 3, 3))
    assert snapshot(case) == before
    senior = provider(orgs, "资深律师", since=D(2023, 3, 3))  # exactly three years on 3 Mar 2026
    assign(staff, case, senior, D(2026, 3, 3))
    rec = LegalAid.objects.get(case=case)
    assert (fresh(case).status, rec.provider, rec.assigned_on) == (Status.ASSIGNED, senior, D(2026, 3, 3))
    assert "资深律师" in client_for(staff).get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_the_whole_way_to_closing(users, orgs):
    staff = aid_staff(orgs)
    case = apply(staff, orgs, on=D(2026, 3, 2))
    grant(staff, case, D(2026, 3, 3))
    p = provider(orgs)
    assign(staff, case, p, D(2026, 3, 4))
    step(staff, case, "agreement", D(2026, 3, 5), agreement_on="2026-03-05")
    step(staff, case, "end", D(2026, 4, 1), outcome="mediated", fees_waived="3000", losses_recovered="52000")
    closing = clock(case, "closing")
    assert (closing.unit, closing.due_date) == ("workday", D(2026, 5, 18))  # 30 working days past 清明 and 劳动节
    step(staff, case, "submit_closing", D(2026, 4, 10), report="调解结案")
    before = snapshot(case)
    with pytest.raises(Exception, match="结案材料不全"):
        step(staff, case, "close", D(2026, 4, 12), checklist=["application"])
    assert snapshot(case) == before
    from ..forms import CHECKLIST

    step(staff, case, "close", D(2026, 4, 13), checklist=[k for k, _ in CHECKLIST], grade="excellent", satisfaction="satisfied")
    c, rec = fresh(case), LegalAid.objects.get(case=case)
    assert (c.status, c.closed_on, c.outcome) == (Status.CLOSED, D(2026, 4, 13), "mediated")
    assert (rec.agreement_on, rec.outcome, rec.fees_waived, rec.grade) == (D(2026, 3, 5), "mediated", 3000, "excellent")


def test_refusal_opens_an_objection_the_leader_decides(users, orgs, client_for):
    staff = aid_staff(orgs)
    case = apply(staff, orgs, on=D(2026, 2, 10))
    before = snapshot(case)
    with pytest.raises(Refused, match="理由"):
        step(staff, case, "refuse", D(2026, 2, 12))
    assert snapshot(case) == before
    step(staff, case, "refuse", D(2026, 2, 12), reason="经济状况不符合条件")
    c = fresh(case)
    assert (c.status, c.outcome, c.closed_on, clock(case, "review").completed_on) == (Status.REFUSED, "refused", D(2026, 2, 12), D(2026, 2, 12))
    proc = procedures.open_procedure(staff, c, "objection", on=D(2026, 2, 13), reason="申请人提出异议")
    dl = case.deadlines.get(procedure=proc)
    # 13 Feb + 5 = 18 Feb (holiday) → 24 Feb.
    assert (dl.label, dl.due_date) == ("异议审查：异议审查期限", D(2026, 2, 24))
    for who in (users.office_a, staff):
        before = snapshot(case)
        with pytest.raises((PermissionRefused, Exception)):
            procedures.take_step(who, proc, "uphold", data={"opinion": "维持"}, on=D(2026, 2, 24))
        proc.refresh_from_db()
        assert snapshot(case) == before and proc.status == "pending"
    procedures.take_step(users.leader, proc, "correct", data={"opinion": "申请人符合第四十二条免予核查情形"}, on=D(2026, 2, 24))
    proc.refresh_from_db()
    assert (proc.status, proc.closed_on) == ("corrected", D(2026, 2, 24))
    assert case.deadlines.get(procedure=proc).completed_on == D(2026, 2, 24)
    # 责令改正: the centre reviews the application again, on a fresh seven-day clock.
    step(staff, case, "reconsider", D(2026, 2, 25))
    c = fresh(case)
    review = clock(case, "review")
    assert (c.status, c.closed_on, c.outcome) == (Status.RECEIVED, None, "") and (review.completed_on, review.due_date) == (None, D(2026, 3, 4))
    grant(staff, case, D(2026, 2, 26), means_basis="exempt", exemption="relief")
    assert fresh(case).status == Status.GRANTED


def test_without_a_correction_a_refusal_stays(users, orgs):
    staff = aid_staff(orgs)
    case = apply(staff, orgs, on=D(2026, 2, 10))
    step(staff, case, "refuse", D(2026, 2, 12), reason="不符合条件")
    proc = procedures.open_procedure(staff, fresh(case), "objection", on=D(2026, 2, 13))
    procedures.take_step(users.leader, proc, "uphold", data={"opinion": "维持"}, on=D(2026, 2, 24))
    before = snapshot(case)
    with pytest.raises(Refused, match="责令改正"):
        step(staff, case, "reconsider", D(2026, 2, 25))
    assert snapshot(case) == before and fresh(case).status == Status.REFUSED


def test_deemed_withdrawn_only_once_the_materials_period_lapsed(users, orgs):
    staff = aid_staff(orgs)
    today = timezone.localdate()
    recent = apply(staff, orgs, on=today - timedelta(days=5), title="近期申请")
    step(staff, recent, "request_materials", today - timedelta(days=3), missing="收入证明")
    dl = clock(recent, "materials")
    assert dl.kind == "duty" and dl.is_open
    before = snapshot(recent)
    with pytest.raises(Refused, match="尚未届满") as exc:
        step(staff, recent, "deem_withdrawn", today)
    assert f"至{dl.due_date:%Y-%m-%d}" in exc.value.message and snapshot(recent) == before
    old = apply(staff, orgs, on=D(2026, 2, 10), title="早期申请")
    step(staff, old, "request_materials", D(2026, 2, 12), missing="收入证明")
    step(staff, old, "deem_withdrawn", today)
    c = fresh(old)
    assert (c.status, c.outcome) == (Status.WITHDRAWN, "withdrawn")
    assert clock(old, "materials").completed_on == today and clock(old, "review").completed_on == today


def test_rotation_suggests_the_provider_whose_turn_it_is(users, orgs):
    from ..selectors import next_in_rotation

    staff = aid_staff(orgs)
    first, second = provider(orgs, "甲律师", since=D(2010, 1, 1)), provider(orgs, "乙律师", since=D(2024, 1, 1))
    a = apply(staff, orgs, title="轮流一")
    grant(staff, a, D(2026, 3, 3))
    assert next_in_rotation(fresh(a), D(2026, 3, 4)) == first  # neither assigned yet: in the order of the registry
    assign(staff, a, first, D(2026, 3, 4))
    b = apply(staff, orgs, title="轮流二")
    grant(staff, b, D(2026, 3, 3))
    assert next_in_rotation(fresh(b), D(2026, 3, 5)) == second  # 甲 had the last one
    capital = notice(staff, orgs, title="可能判处死刑的案件", capital=True)
    assert next_in_rotation(fresh(capital), D(2026, 3, 5)) == first  # §26: 乙 has under 3 years
