"""Who sees a person under correction: the line's officers of the person's
office, the bureau's correction section and the bureau's leaders. The office's
general staff, other lines' staff of the same office and another office's
officer get 404 on every route of the file, and every view is audited."""

import pytest
from django.urls import reverse

from sifa.accounts.tests.factories import UserFactory
from sifa.audit.models import AuditEntry
from sifa.cases.models import Procedure
from sifa.cases.selectors import visible_to

pytestmark = pytest.mark.django_db


def _routes(case):
    pk = case.pk
    out = [
        reverse("cases:detail", args=[pk]),
        reverse("cases:detail", args=[pk]) + "?tab=timeline",
        reverse("cases:qr", args=[pk, "svg"]),
        reverse("cases:document", args=[pk, "intake"]),
        reverse("cases:transition", args=[pk, "record"]),
        reverse("api:cases-detail", args=[pk]),
        reverse("api:correction-detail", args=[pk]),
        reverse("api:correction-steps", args=[pk]),
        reverse("api:cases-timeline", args=[pk]),
    ]
    for proc in Procedure.objects.filter(case=case):
        out.append(reverse("cases:procedure_step", args=[pk, proc.pk, "forward"]))
    return out


def test_only_the_lines_people_see_a_person(person, officer, officer_b, users, orgs, client_for):
    from sifa.cases.services import transition

    transition(officer, person, "apply", data={"kind": "visit", "visitor": "律师", "purpose": "咨询"})
    other_line_same_office = UserFactory(username="mediation_clerk", role="mediator", org=orgs.committee_a)
    for user in (
        users.office_a,
        users.office_b,
        users.mediator_a,
        other_line_same_office,
        users.lawyer,
        officer_b,
        users.other_office,
        users.other_leader,
        users.staff_other_line,
    ):
        assert not visible_to(user).filter(pk=person.pk).exists(), user.username
        c = client_for(user)
        for url in _routes(person):
            assert c.get(url).status_code == 404, (user.username, url)
    for user in (officer, users.staff, users.leader):
        assert visible_to(user).filter(pk=person.pk).exists(), user.username
        before = AuditEntry.objects.filter(action="case.view", user=user, object_id=str(person.pk)).count()
        assert client_for(user).get(reverse("cases:detail", args=[person.pk])).status_code == 200
        assert AuditEntry.objects.filter(action="case.view", user=user, object_id=str(person.pk)).count() == before + 1, user.username


def test_lists_and_search_mask_and_keep_the_offence_off(person, officer, client_for):
    c = client_for(officer)
    page = c.get(reverse("correction:list")).content.decode()
    assert person.code in page and "危险驾驶" not in page and "110101199003071233" not in page
    api = c.get(reverse("api:correction-list")).json()
    text = str(api)
    assert person.code in text and "危险驾驶" not in text and "13800000001" not in text
    detail = c.get(reverse("api:correction-detail", args=[person.pk])).json()
    assert "crime" not in detail["record"] and "110101199003071233" not in str(detail)


def test_the_office_role_is_not_offered_the_line(users, client_for):
    page = client_for(users.office_a).get(reverse("cases:home")).content.decode()
    assert "社区矫正" not in page


def test_a_new_place_of_execution_in_another_bureau_takes_the_file_with_its_history(person, officer, orgs, users):
    from sifa.cases import movement
    from sifa.cases.models import CaseEvent
    from sifa.cases.selectors import intake

    there = UserFactory(username="officer_there", role="correction_officer", org=orgs.other_office)
    events = CaseEvent.objects.filter(case=person).count()
    movement.transfer(officer, person, orgs.other_office, reason="经批准变更执行地", keep_sight=False)
    person.refresh_from_db()
    assert person.owner_org == orgs.other_office and person.code and CaseEvent.objects.filter(case=person).count() > events
    assert intake(there).filter(pk=person.pk).exists()
    assert not visible_to(officer).filter(pk=person.pk).exists()
    assert not visible_to(users.other_office).filter(pk=person.pk).exists()  # their general staff: still no
