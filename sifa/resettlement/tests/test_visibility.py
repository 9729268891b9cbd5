"""Who sees a released person's file: the line's officers of the person's office (and
of the office it is shared with), the bureau's section with the line and the
bureau's leaders. The office's general staff, other lines' staff, another office's
officer and the 统计管理员 get 404 on every route of the file; every view is audited."""

import pytest
from django.urls import reverse

from sifa.accounts.tests.factories import UserFactory
from sifa.audit.models import AuditEntry
from sifa.cases.selectors import visible_to

from .conftest import notify

pytestmark = pytest.mark.django_db


def _routes(case):
    pk = case.pk
    return [
        reverse("cases:detail", args=[pk]),
        reverse("cases:detail", args=[pk]) + "?tab=timeline",
        reverse("cases:qr", args=[pk, "svg"]),
        reverse("cases:transition", args=[pk, "verify"]),
        reverse("api:cases-detail", args=[pk]),
        reverse("api:resettlement-detail", args=[pk]),
        reverse("api:resettlement-steps", args=[pk]),
        reverse("api:cases-timeline", args=[pk]),
    ]


def test_only_the_lines_people_see_a_person(officer, officer_b, users, orgs, client_for):
    person = notify(officer, orgs.office_a)
    jiaozheng = UserFactory(username="jiaozheng", role="correction_officer", org=orgs.office_a)
    for user in (
        users.office_a,
        users.office_b,
        users.mediator_a,
        users.lawyer,
        officer_b,
        jiaozheng,
        users.other_office,
        users.other_leader,
        users.staff_other_line,
        users.stat_admin,
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


def test_the_list_masks_and_keeps_the_offence_off_and_filters(officer, orgs, client_for):
    a = notify(officer, orgs.office_a, key_person=True)
    b = notify(officer, orgs.office_a, name="李四", origin="detention")
    c = client_for(officer)
    page = c.get(reverse("resettlement:list")).content.decode()
    assert a.code in page and b.code in page and "盗窃" not in page and "110101199003071233" not in page and "13800000001" not in page
    only_key = c.get(reverse("resettlement:list"), {"key_person": "on"}).content.decode()
    assert a.code in only_key and b.code not in only_key
    detention = c.get(reverse("resettlement:list"), {"origin": "detention"}).content.decode()
    assert b.code in detention and a.code not in detention
    by_office = c.get(reverse("resettlement:list"), {"org": orgs.office_a.pk, "status": "pending"}).content.decode()
    assert a.code in by_office and b.code in by_office
    bad = c.get(reverse("resettlement:list"), {"grade": "purple"})
    assert bad.status_code == 200  # a bad filter is named on the page, never a 500


def test_the_office_role_is_not_offered_the_line(users, client_for):
    page = client_for(users.office_a).get(reverse("cases:home")).content.decode()
    assert "安置帮教" not in page
