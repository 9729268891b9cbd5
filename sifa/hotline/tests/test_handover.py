"""A work order or a visitor becomes a case of another line in one step
(前台统一受理，后台分流转办): parties and content carried over, both linked both
ways, the new case in the receiving org's intake list; scoping holds on both
sides; the operator, who registers no case of those lines, can still hand over."""

from datetime import date

import pytest
from django.urls import reverse

from sifa.cases import movement
from sifa.cases import selectors as case_selectors
from sifa.cases.models import Case, CaseLink
from sifa.common.errors import Conflict, DomainError, PermissionRefused
from sifa.kit import registry
from sifa.registers.services import create_entry

from ..choices import Category, Point, Service
from ..registers import VISITS
from ..services import register

pytestmark = pytest.mark.django_db

CALLER = {"role": "caller", "name": "王五", "phone": "13800000003"}
NEIGHBOUR = {"role": "respondent", "name": "赵六"}


def _order(operator, center, **kw):
    fields = {
        "owner_org": center,
        "parties": [CALLER, NEIGHBOUR],
        "summary": "邻居装修噪音扰民，多次协商未果。",
        "category": Category.PROPERTY,
        "opened_on": date(2026, 9, 30),
    }
    return register(operator, **(fields | kw))


def _count():
    return Case.all_objects.count(), CaseLink.objects.count()


def test_an_order_becomes_a_dispute_with_its_parties_linked_both_ways(operator, center, users, orgs, client_for):
    order = _order(operator, center)
    # The operator does not register disputes, but may hand the order to a committee of the bureau.
    assert not case_selectors.creatable_orgs(operator, "mediation").exists()
    h = registry.handover("mediate")
    assert orgs.committee_a in movement.handover_orgs(operator, h) and orgs.other_office not in movement.handover_orgs(operator, h)
    c = client_for(operator)
    page = c.get(reverse("cases:detail", args=[order.pk])).content.decode()
    assert reverse("cases:handover", args=[order.pk, "mediate"]) in page
    r = c.post(reverse("cases:handover", args=[order.pk, "mediate"]), {"owner_org": orgs.committee_a.pk, "dispute_type": "02"})
    assert r.status_code == 302, r.content.decode()[:2000]
    dispute = CaseLink.objects.get(source=order, kind="mediate").target
    assert dispute.case_type == "mediation" and dispute.owner_org == orgs.committee_a and dispute.handler is None
    assert {(p.role, p.name) for p in dispute.parties.all()} == {("applicant", "王五"), ("respondent", "赵六")}
    assert dispute.summary == order.summary
    # The committee's office takes it from its intake list.
    assert dispute in case_selectors.intake(users.office_a)
    # Both sides show each other: the order the dispute's code and status, the dispute its origin.
    assert dispute.code in {x["code"] for x in movement.links_of(operator, order)}
    assert order.code in {x["code"] for x in movement.links_of(users.office_a, dispute)}
    assert dispute.code in c.get(reverse("cases:detail", args=[order.pk])).content.decode()
    # The operator sees the link, not the dispute (another line's case): 404 like a missing one.
    assert c.get(reverse("cases:detail", args=[dispute.pk])).status_code == 404
    # Another office sees neither.
    other = client_for(users.office_b)
    for case in (order, dispute):
        assert other.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    # Once only.
    before = _count()
    with pytest.raises(Conflict):
        movement.hand_over(operator, order, "mediate", owner_org=orgs.committee_a, dispute_type="02")
    assert _count() == before


def test_a_dispute_needs_its_other_side(operator, center, orgs):
    order = _order(operator, center, parties=[CALLER])
    before = _count()
    with pytest.raises(DomainError, match="被申请人"):
        movement.hand_over(operator, order, "mediate", owner_org=orgs.committee_a, dispute_type="02")
    assert _count() == before
    dispute = movement.hand_over(operator, order, "mediate", owner_org=orgs.committee_a, dispute_type="02", respondent_name="赵六")
    assert sorted(dispute.parties.values_list("name", flat=True)) == ["王五", "赵六"]


def test_not_to_another_bureaus_org(operator, center, orgs):
    order = _order(operator, center)
    before = _count()
    with pytest.raises(PermissionRefused):
        movement.hand_over(operator, order, "apply", owner_org=orgs.other_legal_aid)
    assert _count() == before


def test_an_appointment_becomes_a_legal_aid_application_without_the_other_side(operator, center, orgs, users):
    order = _order(operator, center, kind="appointment", appointment="legal_aid")
    application = movement.hand_over(operator, order, "apply", owner_org=orgs.legal_aid)
    assert application.case_type == "legal_aid" and [p.name for p in application.parties.all()] == ["王五"]
    assert application.parties.get().role == "applicant" and application.handler is None


def test_an_order_becomes_a_reconsideration_application(operator, center, orgs, users):
    order = _order(operator, center, parties=[CALLER], summary="对区市场监管局罚款决定不服。", category=Category.ADMINISTRATIVE)
    # The receiving line's own fields, read from its hand-over form (this line imports no other).
    form = registry.handover("reconsider").form(None, orgs=[orgs.bureau])
    agency, category = (next(v for v, _ in form.fields[name].choices if v) for name in ("respondent_agency", "category"))
    app = movement.hand_over(operator, order, "reconsider", owner_org=orgs.bureau, respondent_agency=agency, category=category, contested_act="罚款决定")
    assert app.case_type == "reconsideration" and app.record.request == "对区市场监管局罚款决定不服。" and app.handler is None
    assert app in case_selectors.intake(users.staff)


def test_a_visitor_at_a_station_becomes_a_dispute(users, orgs, client_for):
    values = {
        "on": date(2026, 10, 8),
        "owner_org": orgs.office_a,
        "person_name": "钱七",
        "person_phone": "13800000007",
        "person_id_number": "",
        "summary": "宅基地边界纠纷",
    }
    extra = {
        "result": "",
        "point": Point.STATION,
        "point_name": "A街道工作站",
        "service": Service.MEDIATION,
        "category": Category.PROPERTY,
        "served_by": "值班律师",
    }
    visit = create_entry(users.office_a, VISITS, values | extra)
    c = client_for(users.office_a)
    page = c.get(reverse("registers:detail", args=[VISITS.slug, visit.pk])).content.decode()
    assert "转人民调解" in page
    r = c.post(
        reverse("registers:handover", args=[VISITS.slug, visit.pk, "mediate"]),
        {"owner_org": orgs.committee_a.pk, "dispute_type": "02", "respondent_name": "孙八"},
    )
    assert r.status_code == 302, r.content.decode()[:1500]
    visit.refresh_from_db()
    dispute = visit.handed_to
    assert dispute.case_type == "mediation" and sorted(dispute.parties.values_list("name", flat=True)) == ["孙八", "钱七"]
    assert any(visit.number in x["code"] for x in movement.links_of(users.office_a, dispute))


def test_the_visit_registers_export_counts_records_not_cases(users, client_for):
    html = client_for(users.office_a).get(reverse("ledgers:export") + f"?source={VISITS.key}").content.decode()
    assert "<dt>记录数</dt>" in html and "案件数" not in html
