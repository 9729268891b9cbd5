"""The line's pages and its part of the generic case page: every step's form
renders and submits through cases:transition; 我的调解, the list, the risk list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from sifa.cases.models import Case, CaseEvent
from sifa.cases.services import allowed_steps
from sifa.mediation.workflow import WORKFLOW

from .factories import make_dispute, mediator, profile, session_data, step, to_agreed, to_mediating

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(orgs, users):
    profile(orgs.committee_a)
    return [mediator(orgs.committee_a, "张调解", user=users.mediator_a), mediator(orgs.committee_a, "周调解")]


def test_every_step_form_renders(orgs, users, team, client_for):
    c = client_for(users.office_a)
    registered = make_dispute(users.office_a, orgs.committee_a)
    mediating = to_mediating(users.office_a, make_dispute(users.office_a, orgs.committee_a), team)
    agreed = to_agreed(users.office_a, make_dispute(users.office_a, orgs.committee_a), team)
    by_state = {"registered": registered, "mediating": mediating, "accepted": mediating, "agreed": agreed}
    for t in WORKFLOW.steps:
        case = next(by_state[s] for s in t.sources if s in by_state)
        resp = c.get(reverse("cases:transition", args=[case.pk, t.name]))
        assert resp.status_code == 200, t.name
        offered = t in allowed_steps(users.office_a, case)
        # A step not offered now says why instead of showing a form that could only be refused.
        assert (f"确认{t.label}" in resp.content.decode()) is offered, t.name
        assert ('data-testid="unavailable"' in resp.content.decode()) is not offered, t.name
    page = c.get(reverse("cases:transition", args=[mediating.pk, "assign_mediators"])).content.decode()
    assert "张调解" in page and 'type="checkbox"' in page


def test_step_through_the_page_and_refusal_keeps_input(orgs, users, team, client_for):
    case = to_mediating(users.office_a, make_dispute(users.office_a, orgs.committee_a), team)
    step(users.office_a, case, "record_session", session_data())
    case.refresh_from_db()
    c = client_for(users.mediator_a)
    url = reverse("cases:transition", args=[case.pk, "succeed"])
    base = {
        "on": localdate().isoformat(),
        "version": case.version,
        "agreement_form": "written",
        "agreement_content": "赔偿三千元。",
        "agreed_on": localdate().isoformat(),
    }
    resp = c.post(url, base)
    body = resp.content.decode()
    assert resp.status_code == 400 and "书面调解协议书须写明履行方式" in body and "赔偿三千元。" in body
    assert Case.objects.get(pk=case.pk).status == "mediating"
    resp = c.post(url, base | {"facts": "漏水。", "performance_manner": "转账", "performance_deadline": (localdate() + timedelta(days=5)).isoformat()})
    assert resp.status_code == 302 and Case.objects.get(pk=case.pk).status == "agreed"
    detail = c.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "调解成功（书面调解协议书）" in detail and "赔偿三千元。" in detail and "回访期限" in detail


def test_case_page_shows_the_mediation_record(orgs, users, team, client_for):
    case = to_agreed(users.office_a, make_dispute(users.office_a, orgs.committee_a, place="A村"), team)
    step(users.office_a, case, "flag_risk", {"risk_kind": "criminal", "risk_level": "major", "risk_persons": 3, "risk_note": "扬言报复。"})
    step(users.office_a, case, "report_risk", {"reported_to": "A派出所"})
    step(users.office_a, case, "apply_confirmation", {"court": "测试区人民法院", "applied_on": localdate()})
    body = client_for(users.leader).get(reverse("cases:detail", args=[case.pk])).content.decode()
    for text in (
        "人民调解",
        "当事人申请",
        "邻里纠纷",
        "A村",
        "张调解",
        "（主持）",
        "调解记录",
        "书面调解协议书",
        "风险预警（防止民转刑）",
        "已报告公安",
        "A派出所",
        "测试区人民法院",
        "法院应决定是否受理",
    ):
        assert text in body, text
    # The leader reads but has no action buttons.
    assert reverse("cases:transition", args=[case.pk, "record_visit"]) not in body


def test_my_mediation_page(orgs, users, team, client_for):
    mine = to_mediating(users.office_a, make_dispute(users.office_a, orgs.committee_a), team)
    soon = localdate() + timedelta(days=3)
    step(users.office_a, mine, "schedule_session", {"kind": "mediation", "session_on": soon, "place": "A村委会"})
    agreed = to_agreed(
        users.office_a,
        make_dispute(users.office_a, orgs.committee_a, parties=[{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}]),
        team,
    )
    not_mine = make_dispute(users.office_a, orgs.committee_a, parties=[{"role": "applicant", "name": "丙"}, {"role": "respondent", "name": "丁"}])
    body = client_for(users.mediator_a).get(reverse("mediation:home")).content.decode()
    assert mine.code in body and agreed.code in body and not_mine.code not in body
    assert "A村委会" in body and soon.isoformat() in body
    from sifa.deadlines.models import Deadline

    due = Deadline.objects.get(case=agreed, key="followup").due_date
    assert "待回访" in body and f"{due.isoformat()}前" in body
    assert reverse("mediation:quick") in body


def test_list_filters_and_risk_page(orgs, users, team, client_for):
    a = make_dispute(users.office_a, orgs.committee_a, dispute_type="0102")
    b = make_dispute(users.office_a, orgs.committee_a, source="police", parties=[{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}])
    step(users.office_a, b, "flag_risk", {"risk_kind": "public_order", "risk_level": "general", "risk_persons": 2, "risk_note": "口角"})
    c = client_for(users.staff)
    url = reverse("mediation:list")

    def codes(q):
        body = c.get(url + q).content.decode()
        return {x.code for x in (a, b) if x.code in body}

    assert codes("") == {a.code, b.code}
    assert codes("?dispute_type=01") == {a.code}
    assert codes("?source=referral") == {b.code}
    assert codes("?risk=on") == {b.code}
    assert codes("?status=open") == {a.code, b.code}
    assert codes("?q=甲") == {b.code}
    assert codes(f"?org={orgs.committee_b.pk}") == set()
    risk = c.get(reverse("mediation:risks")).content.decode()
    assert b.code in risk and a.code not in risk and "可能引发治安案件" in risk
    assert CaseEvent.objects.filter(transition="flag_risk").count() == 1
