"""The system administrator's user management: create, edit, disable, reset
password, unlock, reset 2FA. Refusals explain themselves and change nothing."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import check_password
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sifa.accounts.models import ApiToken, User
from sifa.audit.models import AuditEntry

from .api_tokens import token_key
from .matrix import snapshot

pytestmark = pytest.mark.django_db

GOOD = "Qw3#Lkz9Tv"


@pytest.fixture
def admin(users, client_for):
    return client_for(users.sysadmin)


def _create(admin, orgs, **over):
    data = {"username": "zhang_san", "full_name": "张三", "org": orgs.office_a.pk, "phone": "13812345678", "password1": GOOD, "password2": GOOD}
    data.update(over)
    return admin.post(reverse("accounts:user_create"), data)


def test_create_account_without_role_and_with_temporary_password(orgs, users, admin):
    r = _create(admin, orgs)
    assert r.status_code == 302
    u = User.objects.get(username="zhang_san")
    assert u.role == "" and u.lines == [] and u.must_change_password and u.check_password(GOOD)
    assert u.org == orgs.office_a and u.phone == "13812345678"
    entry = AuditEntry.objects.get(action="user.create")
    assert entry.username == "sysadmin" and entry.object_id == str(u.pk)
    assert GOOD not in str(entry.detail)


def test_sysadmin_cannot_set_a_role_when_creating(orgs, users, admin):
    _create(admin, orgs, role="leader", lines=["zz"])
    assert User.objects.get(username="zhang_san").role == ""


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"username": "ab"}, "username", "用户名须为3–30位"),
        ({"username": "张三丰"}, "username", "用户名须为3–30位"),
        ({"username": "Office_A"}, "username", "已被使用"),
        ({"full_name": ""}, "full_name", "该字段是必填项"),
        ({"phone": "138123"}, "phone", "电话号码格式不正确"),
        ({"org": ""}, "org", "该字段是必填项"),
        ({"password1": "short1A", "password2": "short1A"}, "password1", "密码太短"),
        ({"password1": "alllowercase1", "password2": "alllowercase1"}, "password1", "至少3类"),
        ({"password1": "Zhang_San@2026x", "password2": "Zhang_San@2026x"}, "password1", "不能包含用户名"),
        ({"password1": "Password1!", "password2": "Password1!"}, "password1", "太常见"),
        ({"password2": "Different#99"}, "password2", "两次输入的密码不一致"),
    ],
)
def test_create_refusals_name_the_field_and_change_nothing(orgs, users, admin, over, field, message):
    before = snapshot()
    r = _create(admin, orgs, **over)
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert "is-invalid" in r.context["form"].fields[field].widget.attrs["class"]  # the box itself is marked
    assert snapshot() == before
    assert not AuditEntry.objects.filter(action="user.create").exists()


def test_inactive_org_refused(orgs, users, admin):
    from sifa.orgs.models import Org

    Org.objects.filter(pk=orgs.office_c.pk).update(is_active=False)
    before = snapshot()
    r = _create(admin, orgs, org=orgs.office_c.pk)
    assert r.status_code == 400 and "org" in r.context["form"].errors
    assert snapshot() == before


def test_list_filters_search_and_pages(orgs, users, admin):
    r = admin.get(reverse("accounts:user_list"), {"q": "office"})
    names = {u.username for u in r.context["rows"]}
    assert names == {"office_a", "office_b", "other_office"}
    r = admin.get(reverse("accounts:user_list"), {"org": orgs.office_a.pk})
    assert {u.username for u in r.context["rows"]} == {"office_a", "mediator_a", "mediator_a2"}
    r = admin.get(reverse("accounts:user_list"), {"role": "secadmin"})
    assert [u.username for u in r.context["rows"]] == ["secadmin"]
    User.objects.filter(username="lawyer").update(role="")
    r = admin.get(reverse("accounts:user_list"), {"role": "__none__"})
    assert [u.username for u in r.context["rows"]] == ["lawyer"]
    User.objects.filter(username="office_b").update(is_active=False)
    r = admin.get(reverse("accounts:user_list"), {"active": "0"})
    assert [u.username for u in r.context["rows"]] == ["office_b"]
    r = admin.get(reverse("accounts:user_list"), {"q": "用户"})  # full names from the factory
    assert r.context["page_obj"].paginator.count == User.objects.count()
    assert r.context["page_obj"].paginator.per_page == 30
    assert 'data-label="用户名"' in r.content.decode()


def test_list_pages(orgs, users, admin):
    from .factories import UserFactory

    UserFactory.create_batch(35, org=orgs.office_c)
    first = admin.get(reverse("accounts:user_list"))
    assert len(first.context["rows"]) == 30
    second = admin.get(reverse("accounts:user_list"), {"page": 2})
    assert len(second.context["rows"]) == User.objects.count() - 30


def test_edit_name_org_phone_is_audited(orgs, users, admin):
    u = users.office_a
    r = admin.post(reverse("accounts:user_edit", args=[u.pk]), {"full_name": "李四", "org": orgs.office_b.pk, "phone": "0591-87654321"})
    assert r.status_code == 302
    u.refresh_from_db()
    assert (u.full_name, u.org, u.phone, u.role) == ("李四", orgs.office_b, "0591-87654321", "office")
    entry = AuditEntry.objects.get(action="user.update")
    assert entry.detail["full_name"][1] == "李四"


def test_edit_refuses_an_org_the_role_cannot_sit_in(orgs, users, admin):
    # An office role on the bureau would see every office's cases.
    before = snapshot()
    r = admin.post(reverse("accounts:user_edit", args=[users.office_a.pk]), {"full_name": "x", "org": orgs.bureau.pk, "phone": ""})
    assert r.status_code == 400
    assert "不能调入" in " ".join(r.context["form"].errors["org"])
    assert snapshot() == before


def test_disable_and_enable(users, admin, client_for):
    victim = client_for(users.office_b)
    token_key(users.office_b)
    r = admin.post(reverse("accounts:user_active", args=[users.office_b.pk]), {"active": "0"})
    assert r.status_code == 302
    users.office_b.refresh_from_db()
    assert not users.office_b.is_active
    assert not ApiToken.objects.usable().filter(user=users.office_b).exists()
    # The disabled user's open session no longer works.
    assert victim.get(reverse("cases:list")).status_code == 302
    assert AuditEntry.objects.filter(action="user.disable", object_id=str(users.office_b.pk)).exists()
    admin.post(reverse("accounts:user_active", args=[users.office_b.pk]), {"active": "1"})
    users.office_b.refresh_from_db()
    assert users.office_b.is_active
    assert AuditEntry.objects.filter(action="user.enable").exists()


def test_cannot_disable_or_reset_oneself(users, admin):
    before = snapshot()
    r = admin.post(reverse("accounts:user_active", args=[users.sysadmin.pk]), {"active": "0"}, follow=True)
    assert "不能对自己的账号" in r.content.decode()
    r = admin.post(reverse("accounts:user_password", args=[users.sysadmin.pk]), {"password1": GOOD, "password2": GOOD})
    assert r.status_code == 403 and "不能对自己的账号" in r.content.decode()
    assert snapshot() == before


def test_reset_password_is_temporary_and_revokes_the_token(users, admin, client):
    token_key(users.office_b)
    r = admin.post(reverse("accounts:user_password", args=[users.office_b.pk]), {"password1": GOOD, "password2": GOOD})
    assert r.status_code == 302
    users.office_b.refresh_from_db()
    assert users.office_b.check_password(GOOD) and users.office_b.must_change_password
    assert not ApiToken.objects.usable().filter(user=users.office_b).exists()
    assert AuditEntry.objects.filter(action="auth.password_set", username="sysadmin", object_id=str(users.office_b.pk)).exists()
    # At sign-in the user must choose a new password before anything else.
    client.post(reverse("accounts:login"), {"username": "office_b", "password": GOOD})
    r = client.get(reverse("cases:list"))
    assert r.status_code == 302 and reverse("accounts:password_change") in r["Location"]


def test_reset_password_refuses_a_weak_one(users, admin):
    before = snapshot()
    r = admin.post(reverse("accounts:user_password", args=[users.office_b.pk]), {"password1": "12345678", "password2": "12345678"})
    assert r.status_code == 400 and r.context["form"].errors["password1"]
    assert "is-invalid" in r.context["form"].fields["password1"].widget.attrs["class"]
    assert snapshot() == before


def test_unlock_clears_the_lockout(users, admin, client):
    for i in range(5):
        client.post(reverse("accounts:login"), {"username": "office_b", "password": f"wrong{i}"}, REMOTE_ADDR=f"10.0.0.{i}")
    assert "office_b" in admin.get(reverse("accounts:user_list")).context["locked"]
    r = admin.post(reverse("accounts:user_unlock", args=[users.office_b.pk]))
    assert r.status_code == 302
    assert not AccessAttempt.objects.filter(username="office_b").exists()
    assert AuditEntry.objects.filter(action="user.unlock", object_id=str(users.office_b.pk)).exists()
    r = client.post(reverse("accounts:login"), {"username": "office_b", "password": "Test@Pass2026"})
    assert r.status_code == 302


def test_reset_second_factor(users, admin):
    TOTPDevice.objects.create(user=users.office_b, name="x", confirmed=True)
    r = admin.post(reverse("accounts:user_otp_reset", args=[users.office_b.pk]))
    assert r.status_code == 302
    assert not TOTPDevice.objects.filter(user=users.office_b).exists()
    assert AuditEntry.objects.filter(action="auth.otp_reset").exists()


def test_unknown_user_is_404(users, admin):
    assert admin.get(reverse("accounts:user_edit", args=[999999])).status_code == 404
    assert admin.post(reverse("accounts:user_active", args=[999999]), {"active": "0"}).status_code == 404


def test_edit_page_shows_state(users, admin):
    User.objects.filter(pk=users.office_b.pk).update(last_login=timezone.now())
    r = admin.get(reverse("accounts:user_edit", args=[users.office_b.pk]))
    body = r.content.decode()
    assert "重置密码" in body and "停用账号" in body and "司法所工作人员" in body
    assert not check_password(GOOD, users.office_b.password)


@pytest.mark.parametrize("who", ["secadmin", "auditor"])
def test_administrator_credentials_are_not_reset_in_the_ui(users, admin, who):
    """三员分立: the system administrator cannot take over the audit or security administrator."""
    target = getattr(users, who)
    TOTPDevice.objects.create(user=target, name="x", confirmed=True)
    before = snapshot()
    page = admin.get(reverse("accounts:user_edit", args=[target.pk])).content.decode()
    assert 'data-testid="admin-account-note"' in page and reverse("accounts:user_password", args=[target.pk]) not in page
    r = admin.get(reverse("accounts:user_password", args=[target.pk]))
    assert r.status_code == 403 and "reset_admin_password" in r.content.decode() and '<form method="post" novalidate>' not in r.content.decode()
    r = admin.post(reverse("accounts:user_password", args=[target.pk]), {"password1": GOOD, "password2": GOOD})
    assert r.status_code == 403
    r = admin.post(reverse("accounts:user_otp_reset", args=[target.pk]), follow=True)
    assert "三员分立" in r.content.decode()
    assert snapshot() == before
    target.refresh_from_db()
    assert not target.check_password(GOOD) and TOTPDevice.objects.filter(user=target).exists()


def test_the_operator_resets_an_administrator_from_the_command_line(users, monkeypatch):
    import io

    from django.core.management import CommandError, call_command

    TOTPDevice.objects.create(user=users.auditor, name="x", confirmed=True)
    monkeypatch.setattr("sys.stdin", io.StringIO("12345678\n"))
    with pytest.raises(CommandError, match="未作修改"):
        call_command("reset_admin_password", "auditor", "--stdin", stdout=io.StringIO())
    with pytest.raises(CommandError, match="没有用户名"):
        call_command("reset_admin_password", "nobody", "--stdin", stdout=io.StringIO())
    monkeypatch.setattr("sys.stdin", io.StringIO(GOOD + "\n"))
    out = io.StringIO()
    call_command("reset_admin_password", "auditor", "--stdin", "--reset-2fa", stdout=out)
    assert "已为“auditor”设置临时密码" in out.getvalue() and "双因素验证器 1 个" in out.getvalue()
    users.auditor.refresh_from_db()
    assert users.auditor.check_password(GOOD) and users.auditor.must_change_password
    assert not TOTPDevice.objects.filter(user=users.auditor).exists()
    entry = AuditEntry.objects.filter(action="auth.password_set", object_id=str(users.auditor.pk)).latest("id")
    assert entry.username == "manage.py" and entry.user is None
