"""Every role on the line's own pages: those who use the line see its list and,
when they may register, the registration form; a reading role is refused the
form (403), everyone else answers 404 as for a page that does not exist."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# username (sifa.accounts.tests.factories.users_for): (list page, registration page)
EXPECTED = {
    "leader": (200, 403),
    "stat_admin": (200, 403),  # 统计管理员 reads as the leader does
    "staff": (200, 200),
    "staff_x": (404, 404),
    "office_a": (200, 200),
    "office_b": (200, 200),
    "mediator_a": (404, 404),
    "mediator_a2": (404, 404),
    "lawyer": (200, 403),  # 援助律师 use the line (their assigned cases) but register nothing
    "sysadmin": (404, 404),
    "secadmin": (404, 404),
    "auditor": (404, 404),
    "other_office": (200, 200),
    "other_leader": (200, 403),
}


def test_every_role_on_the_pages(users, client_for):
    for user in vars(users).values():
        c = client_for(user)
        got = (c.get(reverse("legal_aid:list")).status_code, c.get(reverse("legal_aid:create")).status_code)
        assert got == EXPECTED[user.username], user.username


# (providers' registry, adding a provider): the line's users see their bureau's registry (a
# lawyer only themselves); those who may register legal-aid cases for a centre may add to it.
PROVIDERS = {
    "leader": (200, 403),
    "stat_admin": (200, 403),  # 统计管理员 reads as the leader does
    "staff": (200, 200),
    "staff_x": (404, 404),
    "office_a": (200, 200),
    "office_b": (200, 200),
    "mediator_a": (404, 404),
    "mediator_a2": (404, 404),
    "lawyer": (200, 403),
    "sysadmin": (404, 404),
    "secadmin": (404, 404),
    "auditor": (404, 404),
    "other_office": (200, 200),
    "other_leader": (200, 403),
}


def test_every_role_on_the_providers_registry(users, orgs, client_for):
    from sifa.legal_aid.models import Provider

    mine = Provider.objects.create(center=orgs.legal_aid, org_path=orgs.legal_aid.path, name="本局律师")
    theirs = Provider.objects.create(center=orgs.other_legal_aid, org_path=orgs.other_legal_aid.path, name="邻区律师")
    for user in vars(users).values():
        c = client_for(user)
        page = c.get(reverse("legal_aid:providers"))
        got = (page.status_code, c.get(reverse("legal_aid:provider_create")).status_code)
        assert got == PROVIDERS[user.username], user.username
        if page.status_code == 200:
            body = page.content.decode()
            assert theirs.name not in body or user.org.path.startswith(orgs.other_bureau.path), user.username
            assert mine.name not in body or not user.org.path.startswith(orgs.other_bureau.path), user.username
    before = Provider.objects.count()
    r = client_for(users.leader).post(reverse("legal_aid:provider_create"), {"name": "某律师", "kind": "lawyer"})
    assert r.status_code == 403 and Provider.objects.count() == before
    r = client_for(users.staff).post(reverse("legal_aid:provider_create"), {"name": "", "kind": "lawyer"})
    assert r.status_code == 400 and "姓名" in r.content.decode() and Provider.objects.count() == before
    r = client_for(users.staff).post(reverse("legal_aid:provider_create"), {"name": "新律师", "kind": "lawyer", "practice_since": "2015-06-01"})
    assert r.status_code == 302 and Provider.objects.get(name="新律师").center == orgs.legal_aid


def test_a_provider_is_corrected_linked_to_a_lawyer_login_and_taken_off_duty(users, orgs, client_for):
    from sifa.legal_aid.models import Provider

    p = Provider.objects.create(center=orgs.legal_aid, org_path=orgs.legal_aid.path, name="王律师")
    theirs = Provider.objects.create(center=orgs.other_legal_aid, org_path=orgs.other_legal_aid.path, name="邻区律师")
    url = reverse("legal_aid:provider_edit", args=[p.pk])
    assert client_for(users.staff).get(reverse("legal_aid:provider_edit", args=[theirs.pk])).status_code == 404
    for who, expected in (("leader", 404), ("mediator_a", 404), ("lawyer", 404), ("other_office", 404), ("staff", 200)):
        assert client_for(getattr(users, who)).get(url).status_code == expected, who
    before = list(Provider.objects.values_list("pk", "name", "user", "is_active"))
    r = client_for(users.staff).post(url, {"name": "王律师", "kind": "lawyer", "user": str(users.office_a.pk), "is_active": "on"})
    assert r.status_code == 400 and list(Provider.objects.values_list("pk", "name", "user", "is_active")) == before  # not a lawyer's login
    r = client_for(users.staff).post(url, {"name": "王律师", "kind": "lawyer", "user": str(users.lawyer.pk), "practice_since": "2012-03-01"})
    assert r.status_code == 302
    p.refresh_from_db()
    assert (p.user, p.is_active, p.practice_since.year) == (users.lawyer, False, 2012)  # linked, and off duty
    assert "已停用" in client_for(users.staff).get(reverse("legal_aid:providers")).content.decode()
