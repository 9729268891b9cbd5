"""Two-factor sign-in on by default (issue 20, item 1): the three administrators
always, the leader unless the security administrator switches it off with a
reason; a missing RoleSetting row is the role's default, never "off"; and the
requirement is decided at sign-in, not queried on every request (issue 19)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sifa.accounts import selectors, services
from sifa.accounts.middleware import SESSION_2FA
from sifa.accounts.models import RoleSetting
from sifa.audit.models import AuditEntry
from sifa.common.errors import DomainError, PermissionRefused

from .factories import PASSWORD
from .matrix import ADMIN_ROLES, snapshot
from .otp import authenticator, code

pytestmark = pytest.mark.django_db

SETTINGS = "accounts:role_settings"


def sign_in(username: str) -> Client:
    """Through the real login form, with the password only."""
    c = Client()
    assert c.post(reverse("accounts:login"), {"username": username, "password": PASSWORD}).status_code == 302
    return c


@pytest.mark.parametrize("who", [*ADMIN_ROLES, "leader"])
def test_fresh_database_sends_administrators_and_the_leader_to_set_up_2fa(users, who):
    assert not RoleSetting.objects.exists()  # nothing seeded: the defaults alone
    c = sign_in(who)
    for path in (reverse("home"), reverse("accounts:profile")):
        r = c.get(path)
        assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_setup")), path
    assert c.get("/api/v1/cases/").status_code == 403


@pytest.mark.parametrize("who", [*ADMIN_ROLES, "leader"])
def test_with_an_authenticator_they_enter_a_code_then_work(users, who):
    device = authenticator(getattr(users, who))
    c = sign_in(who)
    r = c.get(reverse("accounts:profile"))
    assert r["Location"].startswith(reverse("accounts:otp_verify"))
    assert c.post(reverse("accounts:otp_verify"), {"token": code(device)}).status_code == 302
    assert c.get(reverse("accounts:profile")).status_code == 200


def test_other_roles_keep_password_sign_in_by_default(users):
    for who in ("staff", "office_a", "stat_admin", "mediator_a"):
        assert sign_in(getattr(users, who).username).get(reverse("accounts:profile")).status_code == 200, who


def test_settings_page_shows_the_defaults_and_locks_the_administrators(users, client_for):
    rows = {r.role: r for r in selectors.role_settings()}
    assert all(rows[r].require_2fa and rows[r].locked for r in ADMIN_ROLES)
    assert rows["leader"].require_2fa and not rows["leader"].locked
    assert not rows["office"].require_2fa
    form = client_for(users.secadmin).get(reverse(SETTINGS)).context["form"]
    for role in ADMIN_ROLES:
        field = form[f"require_2fa_{role}"]
        assert field.field.disabled and field.value() is True
        assert "disabled" in str(field) and "checked" in str(field)
    assert not form["require_2fa_leader"].field.disabled and form["require_2fa_leader"].value() is True


def test_the_page_cannot_switch_off_the_administrators(users, client_for):
    sec = client_for(users.secadmin)
    before = snapshot()
    # Unticked boxes (absent) for the administrators: disabled fields keep their value.
    r = sec.post(reverse(SETTINGS), {"require_2fa_leader": "on", "reason": "试试"})
    assert r.status_code == 302
    assert snapshot() == before
    assert not AuditEntry.objects.filter(action="perm.role_setting").exists()
    for who in ADMIN_ROLES:  # (the security administrator has an authenticator: verify, not set up)
        assert sign_in(who).get(reverse("home"))["Location"].startswith("/accounts/otp/")


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_the_service_refuses_to_switch_off_an_administrator_role(users, role):
    before = snapshot()
    with pytest.raises(PermissionRefused, match="不能关闭.*三员分立"):
        services.set_role_settings(users.secadmin, {"office": True, role: False}, reason="理由")
    assert snapshot() == before  # not even the office change
    entry = AuditEntry.objects.get(action="perm.role_setting")
    assert entry.result == "refused" and entry.username == "secadmin" and entry.detail["roles"] == [role]


def test_switching_off_the_leader_needs_a_reason_and_is_audited(users, client_for):
    sec = client_for(users.secadmin)
    before = snapshot()
    r = sec.post(reverse(SETTINGS), {})
    assert r.status_code == 400
    assert "须填写理由" in " ".join(r.context["form"].errors.get("reason", [])), r.context["form"].errors
    assert snapshot() == before
    with pytest.raises(DomainError, match="须填写理由"):
        services.set_role_settings(users.secadmin, {"leader": False}, reason="  ")
    assert snapshot() == before

    r = sec.post(reverse(SETTINGS), {"reason": "领导班子统一使用数字证书登录"})
    assert r.status_code == 302
    assert dict(RoleSetting.objects.values_list("role", "require_2fa")) == {"leader": False}
    entry = AuditEntry.objects.get(action="perm.role_setting")
    assert entry.username == "secadmin" and entry.result == "ok"
    assert entry.detail == {"role": "leader", "setting": "require_2fa", "before": True, "after": False, "reason": "领导班子统一使用数字证书登录"}
    # A new sign-in of the leader needs the password only now.
    assert sign_in("leader").get(reverse("accounts:profile")).status_code == 200


def test_switching_on_needs_no_reason_and_applies_to_new_and_open_sessions(users):
    signed_in = sign_in("office_a")
    assert signed_in.get(reverse("accounts:profile")).status_code == 200
    assert services.set_role_settings(users.secadmin, {"office": True}) == ["office"]
    assert sign_in("office_a").get(reverse("home"))["Location"].startswith(reverse("accounts:otp_setup"))
    # The open session: this process's copy was cleared by the change.
    assert signed_in.get(reverse("home"))["Location"].startswith(reverse("accounts:otp_setup"))


def test_another_process_copy_does_not_let_a_new_sign_in_through(users):
    """A process whose copy of the settings is stale (up to a minute) still asks
    a new sign-in for the second factor: sign-in reads the settings fresh."""
    from sifa.accounts import selectors as sel

    sign_in("office_a").get(reverse("accounts:profile"))  # the copy says "office: not required"
    RoleSetting.objects.bulk_create([RoleSetting(role="office", require_2fa=True)])  # as another process would (no signal)
    assert sel.second_factor_required("office") is False  # stale copy
    r = sign_in("office_a").get(reverse("home"))
    assert r["Location"].startswith(reverse("accounts:otp_setup"))


def test_the_process_copy_catches_up_within_its_age(users, monkeypatch):
    from sifa.accounts import selectors as sel

    assert sel.second_factor_required("office") is False
    RoleSetting.objects.bulk_create([RoleSetting(role="office", require_2fa=True)])  # another process's write
    assert sel.second_factor_required("office") is False
    monkeypatch.setattr(sel, "ROLE_SETTINGS_MAX_AGE", 0.0)
    assert sel.second_factor_required("office") is True


def test_the_requirement_costs_no_query_per_request(users, client_for):
    c = client_for(users.office_a)
    page = reverse("cases:list")
    c.get(page)  # first request: decided (and kept) if sign-in did not, and the process's copy read
    assert c.session[SESSION_2FA] == ["office", False]
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert c.get(page).status_code == 200
    assert not [q for q in queries.captured_queries if "accounts_rolesetting" in q["sql"]]


def test_a_role_changed_mid_session_is_decided_afresh(users, client_for):
    c = client_for(users.staff)
    assert c.get(reverse("accounts:profile")).status_code == 200
    services.grant_role(users.secadmin, users.staff, role="leader")
    r = c.get(reverse("accounts:profile"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_setup"))


def test_a_session_without_the_decision_is_not_let_through(users):
    c = sign_in("leader")
    session = c.session
    session.pop(SESSION_2FA, None)
    session.save()
    assert c.get(reverse("home"))["Location"].startswith(reverse("accounts:otp_setup"))
