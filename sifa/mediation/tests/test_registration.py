"""Registering a dispute: full form (several parties per side), quick form,
duplicate warning, and refusals that name the field and save nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from sifa.cases.models import Case, CaseAssignment, Party
from sifa.cases.selectors import open_cases_with_parties
from sifa.cases.services import PossibleDuplicate
from sifa.common.errors import DomainError, PermissionRefused
from sifa.mediation import selectors
from sifa.mediation.models import Dispute, DisputeMediator
from sifa.mediation.services import register_dispute

from .factories import APPLICANT, RESPONDENT, make_dispute, mediator, profile

pytestmark = pytest.mark.django_db


def full_post(org, **over):
    data = {
        "owner_org": str(org.pk),
        "source": "court",
        "referred_by": "测试区人民法院",
        "dispute_type": "0102",
        "title": "",
        "place": "A村",
        "amount_in_dispute": "12000",
        "opened_on": localdate().isoformat(),
        "summary": "三个子女就母亲赡养费分担争执。",
        "party-TOTAL_FORMS": "3",
        "party-INITIAL_FORMS": "0",
        "party-MIN_NUM_FORMS": "0",
        "party-MAX_NUM_FORMS": "1000",
    }
    rows = [("applicant", "王大", "13800000001"), ("applicant", "王二", "13800000002"), ("respondent", "王三", "")]
    for i, (role, name, phone) in enumerate(rows):
        data |= {f"party-{i}-role": role, f"party-{i}-kind": "natural", f"party-{i}-name": name, f"party-{i}-phone": phone}
    return data | over


def test_full_form_with_several_parties_per_side(orgs, users, client_for):
    c = client_for(users.office_a)
    assert c.get(reverse("mediation:create")).status_code == 200
    resp = c.post(reverse("mediation:create"), full_post(orgs.committee_a))
    case = Case.objects.get(case_type="mediation")
    assert resp.status_code == 302 and resp.url == reverse("cases:detail", args=[case.pk])
    d = case.dispute
    assert (d.source, d.source_group, d.referred_by, d.dispute_type, d.dispute_type_top, str(d.amount_in_dispute), d.place) == (
        "court",
        "referral",
        "测试区人民法院",
        "0102",
        "01",
        "12000.00",
        "A村",
    )
    assert case.title == "王大与王三赡养纠纷" and case.channel == "referral" and case.owner_org == orgs.committee_a
    assert list(case.parties.values_list("role", "name")) == [("applicant", "王大"), ("applicant", "王二"), ("respondent", "王三")]
    assert case.status == "registered" and case.events.get().label == "登记纠纷（人民法院委托移送）"


@pytest.mark.parametrize(
    "over,message",
    [
        ({"summary": ""}, "纠纷简要情况"),
        ({"dispute_type": "77"}, "纠纷类型"),
        ({"party-1-phone": "1234"}, "电话号码格式不正确"),
        ({"party-2-role": "applicant"}, "至少登记一名申请人和一名被申请人"),
        ({"amount_in_dispute": "-5"}, "争议金额"),
        ({"opened_on": (localdate() + timedelta(days=1)).isoformat()}, "不能晚于今天"),
        ({"source": "rumour"}, "案件来源"),
    ],
)
def test_full_form_refusals_name_the_field_and_save_nothing(orgs, users, client_for, over, message):
    resp = client_for(users.office_a).post(reverse("mediation:create"), full_post(orgs.committee_a, **over))
    assert resp.status_code == 400
    assert message in resp.content.decode()
    assert not Case.all_objects.exists() and not Party.objects.exists() and not Dispute.objects.exists()


def test_quick_form_by_a_mediator(orgs, users, client_for):
    profile(orgs.committee_a)
    me = mediator(orgs.committee_a, "张调解", user=users.mediator_a)
    c = client_for(users.mediator_a)
    page = c.get(reverse("mediation:quick")).content.decode()
    assert "申请人（一方）姓名" in page and "A调委会" in page
    data = {
        "owner_org": str(orgs.committee_a.pk),
        "source": "initiative",
        "dispute_type": "02",
        "applicant_name": "张三",
        "applicant_phone": "13812345678",
        "respondent_name": "李四",
        "respondent_phone": "",
        "summary": "楼上漏水。",
    }
    resp = c.post(reverse("mediation:quick"), data)
    assert resp.status_code == 302
    case = Case.objects.get()
    assert case.handler == users.mediator_a and case.channel == "initiative"
    assert CaseAssignment.objects.filter(case=case, user=users.mediator_a, role="mediator").exists()
    assert list(DisputeMediator.objects.values_list("mediator", "is_lead")) == [(me.pk, True)]
    assert list(selectors.mine(users.mediator_a)) == [case]
    # Required: the applicant's phone.
    resp = c.post(reverse("mediation:quick"), data | {"applicant_phone": ""})
    assert resp.status_code == 400 and "申请人电话" in resp.content.decode() and Case.objects.count() == 1


def test_duplicate_warning_needs_an_explicit_tick(orgs, users, client_for):
    first = make_dispute(users.office_a, orgs.committee_a)
    c = client_for(users.office_a)
    data = full_post(orgs.committee_a) | {"party-0-name": "张三", "party-0-id_number": APPLICANT["id_number"]}
    resp = c.post(reverse("mediation:create"), data)
    body = resp.content.decode()
    assert resp.status_code == 400 and first.code in body and reverse("cases:detail", args=[first.pk]) in body
    assert "仍然登记" in body and Case.objects.count() == 1
    resp = c.post(reverse("mediation:create"), data | {"confirm_duplicate": "on"})
    assert resp.status_code == 302 and Case.objects.count() == 2


def test_duplicates_by_id_hash_else_exact_name(orgs, users):
    first = make_dispute(users.office_a, orgs.committee_a)
    by_id = [{"role": "applicant", "name": "张叁", "id_number": APPLICANT["id_number"]}]
    assert list(open_cases_with_parties(users.office_a, "mediation", by_id)) == [first]
    assert list(open_cases_with_parties(users.office_a, "mediation", [{"role": "respondent", "name": "李四"}])) == [first]
    assert list(open_cases_with_parties(users.office_a, "mediation", [{"role": "respondent", "name": "李"}])) == []
    # A different ID under the same name is a different person.
    other_id = [{"role": "applicant", "name": "张三", "id_number": "110105194912310046"}]
    assert list(open_cases_with_parties(users.office_a, "mediation", other_id)) == []
    # Only open disputes the user may see.
    assert list(open_cases_with_parties(users.office_b, "mediation", [dict(RESPONDENT)])) == []
    with pytest.raises(PossibleDuplicate) as info:
        make_dispute(users.office_a, orgs.committee_a, confirm_duplicate=False)
    assert first.code in info.value.message and info.value.matches == [first]
    Case.objects.filter(pk=first.pk).update(closed_on=localdate())
    assert list(open_cases_with_parties(users.office_a, "mediation", [dict(RESPONDENT)])) == []


def test_service_refusals(orgs, users):
    with pytest.raises(DomainError, match="请选择调解组织"):
        make_dispute(users.office_a, orgs.office_a)
    with pytest.raises(PermissionRefused):
        make_dispute(users.office_b, orgs.committee_a)
    with pytest.raises(PermissionRefused):
        make_dispute(users.leader, orgs.committee_a)
    with pytest.raises(DomainError, match="不在字典中"):
        make_dispute(users.office_a, orgs.committee_a, dispute_type="77")
    with pytest.raises(DomainError, match="争议金额应为数字"):
        register_dispute(
            users.office_a,
            owner_org=orgs.committee_a,
            source="application",
            dispute_type="02",
            parties=[APPLICANT, RESPONDENT],
            summary="x",
            amount_in_dispute="abc",
        )
    assert not Case.all_objects.exists()


def test_leader_cannot_open_the_form(users, client_for):
    c = client_for(users.leader)
    assert c.get(reverse("mediation:create")).status_code == 403
    assert c.post(reverse("mediation:quick"), {"summary": "x"}).status_code == 403
    assert not Case.all_objects.exists()
