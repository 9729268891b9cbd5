"""三员分立 for roles (issue 20, item 3): an administrator account's role, and
any grant of an administrator role, change only through the server operator's
``manage.py set_role`` (audited) — never in the UI, the service or the API."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import get_resolver, reverse

from sifa.accounts import services
from sifa.accounts.models import User
from sifa.audit.models import AuditEntry
from sifa.common.errors import PermissionRefused

from .matrix import ADMIN_ROLES, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def sec(users, client_for):
    return client_for(users.secadmin)


@pytest.fixture
def fresh(orgs):
    return User.objects.create_user(username="fresh", full_name="新人", org=orgs.bureau, password="Xy7#kLm9pQ")


def refusals(username="secadmin"):
    return AuditEntry.objects.filter(action="perm.change", result="refused", username=username)


# --- the page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sysadmin", "auditor"])
def test_page_shows_an_administrators_role_locked_with_the_reason(users, sec, who):
    target = getattr(users, who)
    r = sec.get(reverse("accounts:role_edit", args=[target.pk]))
    assert r.status_code == 200
    form = r.context["form"]
    assert form.fields["role"].disabled and form.fields["lines"].disabled
    page = r.content.decode()
    assert "三员分立" in page and f"manage.py set_role {target.username}" in page
    assert 'data-testid="admin-role-locked"' in page
    listing = sec.get(reverse("accounts:role_list"), {"q": who}).content.decode()
    assert "查看" in listing and ">授权<" not in listing


@pytest.mark.parametrize("who", ["sysadmin", "auditor"])
@pytest.mark.parametrize("role", ["leader", "", "section"])
def test_page_refuses_to_change_an_administrators_role(users, sec, who, role):
    target = getattr(users, who)
    before = snapshot()
    r = sec.post(reverse("accounts:role_edit", args=[target.pk]), {"role": role, "lines": ["testline"] if role == "section" else []})
    assert r.status_code == 403 and "三员分立" in r.content.decode()
    assert snapshot() == before
    entry = refusals().get()
    assert entry.object_id == str(target.pk) and "三员分立" in entry.detail["reason"]


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_page_refuses_to_grant_an_administrator_role(users, sec, fresh, role):
    before = snapshot()
    r = sec.post(reverse("accounts:role_edit", args=[users.staff.pk]), {"role": role})
    assert r.status_code == 403
    assert "管理员角色，不能在此授予" in " ".join(r.context["form"].errors["role"])
    assert snapshot() == before
    assert refusals().get().detail["requested"] == role
    # The options are there to read but not to pick.
    html = str(sec.get(reverse("accounts:role_edit", args=[fresh.pk])).context["form"]["role"])
    assert f'value="{role}" disabled' in html and 'value="leader">' in html


# --- the service -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ADMIN_ROLES)
def test_service_refuses_any_change_of_an_administrator_account(users, who):
    actor = users.sysadmin if who == "secadmin" else users.secadmin
    before = snapshot()
    with pytest.raises(PermissionRefused, match="三员分立"):
        services.grant_role(actor, getattr(users, who), role="leader")
    assert snapshot() == before
    assert refusals(actor.username).count() == 1


def test_service_refuses_to_make_anyone_an_administrator(users, fresh):
    before = snapshot()
    for role in ADMIN_ROLES:
        with pytest.raises(PermissionRefused, match="manage.py set_role fresh"):
            services.grant_role(users.secadmin, fresh, role=role)
    assert snapshot() == before
    assert refusals().count() == len(ADMIN_ROLES)


def test_ordinary_grants_still_work(users, fresh):
    services.grant_role(users.secadmin, fresh, role="leader")
    fresh.refresh_from_db()
    assert fresh.role == "leader"
    assert AuditEntry.objects.get(action="perm.change", result="ok").username == "secadmin"


# --- the API -------------------------------------------------------------------------------------------


def test_no_api_route_changes_a_role(users, client_for):
    """The API has no user or role routes; a crafted request as the security
    administrator (past the second factor) finds nothing and changes nothing."""
    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    routes = [str(p.pattern) for p in api.url_patterns]
    assert not [r for r in routes if "user" in r or "role" in r or "account" in r]
    for p in api.url_patterns:
        module = getattr(p.callback, "__module__", "")
        assert not module.startswith("sifa.accounts"), (p.pattern, module)
    c = client_for(users.secadmin)
    before = snapshot()
    for url in (f"/api/v1/users/{users.auditor.pk}/", f"/api/v1/accounts/users/{users.auditor.pk}/role/", "/api/v1/roles/"):
        for method in (c.post, c.put, c.patch):
            assert method(url, {"role": "leader"}, content_type="application/json").status_code == 404, url
    assert snapshot() == before


# --- the operator's command ---------------------------------------------------------------------------


def test_command_changes_an_administrators_role_with_a_reason(users):
    out = StringIO()
    call_command("set_role", "auditor", "leader", reason="审计管理员调任局领导，经局党组会议决定", stdout=out)
    users.auditor.refresh_from_db()
    assert users.auditor.role == "leader"
    assert "审计管理员改为局领导" in out.getvalue()
    entry = AuditEntry.objects.get(action="perm.change")
    assert entry.username == "manage.py" and entry.result == "ok" and entry.user_id is None
    assert entry.detail["via"] == "manage.py" and entry.detail["reason"] == "审计管理员调任局领导，经局党组会议决定"
    assert entry.detail["before"]["role"] == "auditor" and entry.detail["after"]["role"] == "leader"


def test_command_grants_an_administrator_role_and_revokes_one(users, fresh):
    call_command("set_role", "fresh", "secadmin", reason="新任安全管理员", stdout=StringIO())
    fresh.refresh_from_db()
    assert fresh.role == "secadmin"
    call_command("set_role", "sysadmin", "none", reason="离职", stdout=StringIO())
    users.sysadmin.refresh_from_db()
    assert users.sysadmin.role == ""
    assert AuditEntry.objects.filter(action="perm.change", username="manage.py").count() == 2


def test_command_section_staff_lines(users, fresh):
    from sifa.cases.tests.testline import KEY

    call_command("set_role", "fresh", "section", reason="调入科室", lines=KEY, stdout=StringIO())
    fresh.refresh_from_db()
    assert fresh.role == "section" and fresh.lines == [KEY]


@pytest.mark.parametrize(
    ("args", "kw", "message"),
    [
        (("auditor", "leader"), {}, "变更理由"),
        (("auditor", "leader"), {"reason": "  "}, "变更理由"),
        (("nobody", "leader"), {"reason": "x"}, "没有用户名"),
        (("auditor", "boss"), {"reason": "x"}, "角色无效"),
        (("auditor", "section"), {"reason": "x"}, "业务条线"),
        (("auditor",), {"reason": "x"}, "用法"),
    ],
)
def test_command_refusals_change_nothing(users, args, kw, message):
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        call_command("set_role", *args, stdout=StringIO(), **kw)
    assert snapshot() == before
    assert not AuditEntry.objects.filter(action="perm.change").exists()


def test_command_lists_the_roles(db):
    out = StringIO()
    call_command("set_role", "--list", stdout=out)
    assert "secadmin" in out.getvalue() and "安全管理员" in out.getvalue()
