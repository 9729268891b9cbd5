"""The access matrix of every accounts route: role × expected status. Pages of
the three administrators answer 404 to every other role (they need not learn
the page exists), and a refused POST changes nothing."""

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from sifa.accounts import tokens
from sifa.accounts.models import User
from sifa.audit.models import AuditEntry
from sifa.cases.tests.factories import make_case

from .matrix import ADMIN_ROLES, CASE_ROLES, ROLES, expected, snapshot

pytestmark = pytest.mark.django_db

SELF_SERVICE_GET = ["accounts:password_change", "accounts:profile", "accounts:otp_setup"]


@pytest.mark.parametrize("who", ROLES)
def test_self_service_pages_for_every_role(users, client_for, who):
    c = client_for(getattr(users, who))
    for name in SELF_SERVICE_GET:
        assert c.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize("who", ROLES)
def test_login_logout_and_otp_verify_for_every_role(users, client_for, client, who):
    assert client.get(reverse("accounts:login")).status_code == 200
    c = client_for(getattr(users, who), second_factor=False)
    assert c.get(reverse("accounts:login")).status_code == 302  # already signed in
    # Without a bound authenticator, "verify" sends to "set up".
    r = c.get(reverse("accounts:otp_verify"))
    assert r.status_code == 302 and reverse("accounts:otp_setup") in r["Location"]
    assert c.get(reverse("accounts:logout")).status_code == 405  # logout is POST only
    assert c.post(reverse("accounts:logout")).status_code == 302


@pytest.mark.parametrize("who", ROLES)
def test_token_routes(users, client_for, who):
    c = client_for(getattr(users, who))
    someone_elses = tokens.issue(users.staff_other_line, name="他人的程序", actor=users.staff_other_line)
    before = snapshot()
    # Case roles reach the page but a password-only session is refused (no 2FA);
    # administrators have no case data and no token page at all. A session past
    # 2FA (the leader's) is refused for the missing name instead. Another user's
    # token answers like a missing one.
    refused = 400 if DEVICE_ID_SESSION_KEY in c.session else 403
    assert c.post(reverse("accounts:token_create")).status_code == expected(CASE_ROLES, who, refused)
    assert c.post(reverse("accounts:token_revoke", args=[someone_elses.pk])).status_code == 404
    assert c.get(reverse("accounts:token_create")).status_code == expected(CASE_ROLES, who, 405)
    assert snapshot() == before


SYSADMIN_GET = ["accounts:user_list", "accounts:user_create", "accounts:user_edit", "accounts:user_password"]
SYSADMIN_POST = ["accounts:user_active", "accounts:user_unlock", "accounts:user_otp_reset"]
SECADMIN_GET = ["accounts:role_list", "accounts:role_settings", "accounts:role_matrix", "accounts:role_edit"]


def _url(name, users):
    needs_pk = name.startswith("accounts:user_") and name not in ("accounts:user_list", "accounts:user_create") or name == "accounts:role_edit"
    return reverse(name, args=[users.office_b.pk]) if needs_pk else reverse(name)


@pytest.mark.parametrize("who", ROLES)
def test_admin_pages_get(users, client_for, who):
    c = client_for(getattr(users, who))
    for name in SYSADMIN_GET + SECADMIN_GET:
        owner = "sysadmin" if name in SYSADMIN_GET else "secadmin"
        assert c.get(_url(name, users)).status_code == expected(owner, who, 200), name


@pytest.mark.parametrize("who", [r for r in ROLES if r != "sysadmin"])
def test_user_admin_posts_refused_for_other_roles(users, client_for, who):
    data = {"active": "0", "full_name": "改名", "org": users.office_b.org_id, "password1": "Xy7#kLm9pQ", "password2": "Xy7#kLm9pQ", "username": "newbie"}
    c = client_for(getattr(users, who))
    before = snapshot()
    for name in SYSADMIN_GET + SYSADMIN_POST:
        assert c.post(_url(name, users), data).status_code == 404, name
    assert snapshot() == before
    refusals = AuditEntry.objects.filter(action="page.access", result="refused", username=getattr(users, who).username)
    assert refusals.count() == len(SYSADMIN_GET + SYSADMIN_POST)


@pytest.mark.parametrize("who", [r for r in ROLES if r != "secadmin"])
def test_role_admin_posts_refused_for_other_roles(users, client_for, who):
    data = {"role": "leader", "require_2fa_office": "on"}
    c = client_for(getattr(users, who))
    before = snapshot()
    for name in ("accounts:role_edit", "accounts:role_settings"):
        assert c.post(_url(name, users), data).status_code == 404, name
    assert snapshot() == before


def test_anonymous_is_sent_to_login(users, client):
    for name in SYSADMIN_GET + SECADMIN_GET + ["accounts:profile", "accounts:password_change", "accounts:otp_setup", "accounts:otp_verify"]:
        r = client.get(_url(name, users))
        assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login")), name


def test_anonymous_posts_change_nothing(users, client):
    before = snapshot()
    for name in SYSADMIN_POST + ["accounts:role_edit", "accounts:token_create"]:
        assert client.post(_url(name, users), {"active": "0", "role": "leader"}).status_code == 302
    assert snapshot() == before


@pytest.mark.parametrize("who", ADMIN_ROLES)
def test_administrators_see_no_case_data(orgs, users, client_for, who):
    case = make_case(users.office_a, orgs.office_a)
    c = client_for(getattr(users, who))
    assert c.get(reverse("cases:list")).status_code == 404
    assert c.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert c.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    api_list = c.get("/api/v1/cases/")
    assert api_list.status_code == 200 and api_list.json()["count"] == 0


def test_unassigned_account_has_no_powers(orgs, users, client_for):
    from sifa.kit import registry

    fresh = User.objects.create_user(username="fresh", full_name="新人", org=orgs.office_a, password="Xy7#kLm9pQ")
    assert fresh.role == "" and fresh.get_role_display() == "未授权"
    assert not any(fresh.can(cap) for spec in registry.roles() for cap in spec.caps)
    c = client_for(fresh)
    for name in ("accounts:user_list", "accounts:role_list", "audit:list", "orgs:tree", "cases:list"):
        assert c.get(reverse(name)).status_code == 404
