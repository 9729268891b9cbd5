"""Ways an application reaches the centre: received at an office (通办), online
on the portal, or turned from a consultation (hand-over). Each waits in the
centre's intake list until one of its staff takes it."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from sifa.cases import movement
from sifa.cases import selectors as case_selectors
from sifa.cases.models import Case, CaseLink
from sifa.cases.tests.matrix import snapshot
from sifa.common.errors import PermissionRefused
from sifa.portal.selectors import receiving_org
from sifa.registers.services import create_entry

from ..choices import CASE_TYPE, Status
from ..models import LegalAid
from ..registers import CONSULTATIONS
from .test_legal_aid import ID_A, aid_staff, apply, fresh, step

pytestmark = pytest.mark.django_db
D = date


def test_an_office_receives_an_application_for_the_centre(users, orgs, client_for):
    staff = aid_staff(orgs)
    case = apply(users.office_a, orgs, title="A所受理的申请")
    c = fresh(case)
    assert (c.owner_org, c.handler, c.status, LegalAid.objects.get(case=c).received_by) == (orgs.legal_aid, None, Status.RECEIVED, orgs.office_a)
    assert not c.assignments.filter(user=users.office_a).exists()
    assert case in case_selectors.intake(staff) and case not in case_selectors.intake(users.office_a)
    assert case.code in client_for(staff).get(reverse("cases:intake")).content.decode()
    # The office that received it follows it, read-only.
    a = client_for(users.office_a)
    assert a.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert case.code in a.get(reverse("legal_aid:list")).content.decode()
    before = snapshot(case)
    r = a.post(reverse("cases:transition", args=[case.pk, "grant"]), {"means_basis": "pledge", "on": "2026-03-03", "version": c.version})
    assert r.status_code == 403 and snapshot(case) == before
    with pytest.raises(PermissionRefused):
        movement.take(users.office_a, case)
    assert snapshot(case) == before
    movement.take(staff, case)
    assert fresh(case).handler == staff and case not in case_selectors.intake(staff)
    assert case.code not in client_for(staff).get(reverse("cases:intake")).content.decode()
    step(staff, case, "grant", D(2026, 3, 3), means_basis="pledge")
    assert fresh(case).status == Status.GRANTED


def test_an_online_application_reaches_the_centre_and_is_followed(users, orgs, client_for):
    staff = aid_staff(orgs)
    assert receiving_org() == orgs.bureau
    c = Client()
    form = {
        "applicant_name": "钱七",
        "applicant_id_number": ID_A,
        "applicant_phone": "139 0000 4321",
        "applicant_address": "测试区幸福路1号",
        "title": "追索劳动报酬",
        "category": "civil",
        "income": "600",
        "economy": "家庭三口人，无固定收入",
        "summary": "工地拖欠工资八个月",
        "declaration": "on",
    }
    r = c.post(reverse("portal:apply_form", args=["legal_aid"]), form)
    assert r.status_code == 302, r.content.decode()[:1500]
    case = Case.objects.get(case_type=CASE_TYPE)
    assert (case.owner_org, case.channel, case.handler, case.created_by, case.status) == (orgs.legal_aid, "online", None, None, Status.RECEIVED)
    party = case.parties.get()
    assert (party.name, party.id_number, party.phone) == ("钱七", ID_A, "13900004321")
    assert LegalAid.objects.get(case=case).received_by is None
    assert case in case_selectors.intake(staff) and case.deadlines.get(key="review").is_open
    receipt = c.get(reverse("portal:receipt")).content.decode()
    assert case.code in receipt and "钱七" not in receipt
    tracked = Client().post(reverse("portal:track"), {"code": case.code, "digits": "4321"}, REMOTE_ADDR="10.8.0.9").content.decode()
    assert case.code in tracked and "审查中" in tracked and "钱七" not in tracked and ID_A not in tracked
    wrong = Client().post(reverse("portal:track"), {"code": case.code, "digits": "0000"}, REMOTE_ADDR="10.8.0.10").content.decode()
    assert "审查中" not in wrong
    # A refused application writes nothing.
    r = c.post(reverse("portal:apply_form", args=["legal_aid"]), form | {"category": "criminal"})
    assert r.status_code in (200, 400) and Case.objects.filter(case_type=CASE_TYPE).count() == 1


def test_a_consultation_becomes_an_application_linked_both_ways(users, orgs, client_for):
    staff = aid_staff(orgs)
    values = {
        "on": D(2026, 3, 2),
        "owner_org": orgs.office_a,
        "person_name": "孙八",
        "person_phone": "13800000009",
        "person_id_number": "",
        "summary": "咨询追索劳动报酬",
        "result": "告知可申请法律援助",
        "channel": "visit",
        "category": "civil",
    }
    entry = create_entry(users.office_a, CONSULTATIONS, values)
    case = movement.hand_over(users.office_a, entry, "apply", owner_org=orgs.legal_aid)
    entry.refresh_from_db()
    assert entry.handed_to == case and case.case_type == CASE_TYPE and case.owner_org == orgs.legal_aid
    assert case.parties.get().name == "孙八" and LegalAid.objects.get(case=case).received_by == orgs.office_a
    assert CaseLink.objects.get(target=case).source_ref == f"法律咨询登记 {entry.number}"
    assert case in case_selectors.intake(staff)
    assert f"法律咨询登记 {entry.number}" in client_for(users.office_a).get(reverse("cases:detail", args=[case.pk])).content.decode()
    slug = CONSULTATIONS.slug if hasattr(CONSULTATIONS, "slug") else None
    if slug:
        page = client_for(users.office_a).get(reverse("registers:detail", args=[slug, entry.pk])).content.decode()
        assert case.code in page
    # Once only.
    before = Case.all_objects.count()
    with pytest.raises(Exception, match="已"):
        movement.hand_over(users.office_a, entry, "apply", owner_org=orgs.legal_aid)
    assert Case.all_objects.count() == before


def test_an_online_application_with_a_bad_phone_or_id_number_is_sent_back_and_writes_nothing(orgs):
    form = {
        "applicant_name": "钱七",
        "applicant_id_number": "110101199001011235",  # wrong check character
        "applicant_phone": "139-abc",
        "title": "追索劳动报酬",
        "category": "civil",
        "income": "600",
        "economy": "家庭三口人",
        "summary": "工地拖欠工资",
        "declaration": "on",
    }
    r = Client().post(reverse("portal:apply_form", args=["legal_aid"]), form)
    page = r.content.decode()
    assert r.status_code == 400
    assert "身份证号码" in page and "电话号码格式不正确" in page and page.count('aria-invalid="true"') == 2
    assert not Case.all_objects.filter(case_type=CASE_TYPE).exists()
