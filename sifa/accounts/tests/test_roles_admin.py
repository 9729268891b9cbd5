"""The security administrator's work: roles, business lines, per-role 2FA, the
permission matrix. Every grant or revoke writes perm.change with before/after."""

import pytest
from django.urls import reverse

from sifa.accounts.models import ApiToken, RoleSetting, User
from sifa.audit.models import AuditEntry
from sifa.cases.tests.testline import KEY

from .api_tokens import token_key
from .matrix import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def sec(users, client_for):
    return client_for(users.secadmin)


@pytest.fixture
def fresh(orgs):
    return User.objects.create_user(username="fresh", full_name="新人", org=orgs.bureau, password="Xy7#kLm9pQ")


def test_grant_section_role_with_lines(users, sec, fresh):
    r = sec.post(reverse("accounts:role_edit", args=[fresh.pk]), {"role": "section", "lines": [KEY]})
    assert r.status_code == 302
    fresh.refresh_from_db()
    assert fresh.role == "section" and fresh.lines == [KEY]
    entry = AuditEntry.objects.get(action="perm.change")
    assert entry.username == "secadmin" and entry.object_id == str(fresh.pk)
    assert entry.detail["before"] == {"role": "", "lines": []}
    assert entry.detail["after"] == {"role": "section", "lines": [KEY]}


def test_revoke_role_writes_before_and_after_and_drops_the_token(users, sec):
    token_key(users.office_b)
    r = sec.post(reverse("accounts:role_edit", args=[users.office_b.pk]), {"role": ""})
    assert r.status_code == 302
    users.office_b.refresh_from_db()
    assert users.office_b.role == ""
    entry = AuditEntry.objects.get(action="perm.change")
    assert entry.detail["before"]["role"] == "office" and entry.detail["after"]["role"] == ""
    assert entry.detail["token_revoked"] is True
    assert not ApiToken.objects.usable().filter(user=users.office_b).exists()


@pytest.mark.parametrize(
    ("target", "data", "field", "message"),
    [
        ("fresh", {"role": "section"}, "lines", "至少分配一个业务条线"),
        ("fresh", {"role": "leader", "lines": [KEY]}, "lines", "只有“科室工作人员”"),
        ("fresh", {"role": "section", "lines": ["nope"]}, "lines", "选择一个有效的选项"),
        ("fresh", {"role": "boss"}, "role", "选择一个有效的选项"),
        # An office role placed on the bureau would see every office's cases.
        ("fresh", {"role": "office"}, "role", "不能授予"),
        ("office_b", {"role": "leader"}, "role", "不能授予"),
        ("mediator_a", {"role": "office"}, "role", "不能授予"),
    ],
)
def test_grant_refusals_name_the_field_and_change_nothing(users, sec, fresh, target, data, field, message):
    user = fresh if target == "fresh" else getattr(users, target)
    before = snapshot()
    r = sec.post(reverse("accounts:role_edit", args=[user.pk]), data)
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert snapshot() == before
    assert not AuditEntry.objects.filter(action="perm.change").exists()


def test_secadmin_cannot_change_own_role(users, sec):
    before = snapshot()
    r = sec.post(reverse("accounts:role_edit", args=[users.secadmin.pk]), {"role": "sysadmin"})
    assert r.status_code == 403 and "不能修改自己的角色" in r.content.decode()
    assert snapshot() == before


def test_role_list_shows_roles_and_lines_and_filters(users, sec, fresh):
    r = sec.get(reverse("accounts:role_list"), {"role": "__none__"})
    assert [u.username for u, _ in r.context["rows"]] == ["fresh"]
    r = sec.get(reverse("accounts:role_list"), {"q": "staff"})
    rows = {u.username: lines for u, lines in r.context["rows"]}
    assert rows["staff"] and rows["staff_x"] == ["__none__"]
    assert "未授权" in sec.get(reverse("accounts:role_list")).content.decode()


def test_role_settings_require_2fa(users, sec):
    url = reverse("accounts:role_settings")
    # The leader's box is ticked by default; the administrators' cannot be unticked.
    r = sec.post(url, {"require_2fa_office": "on", "require_2fa_leader": "on"})
    assert r.status_code == 302
    assert dict(RoleSetting.objects.values_list("role", "require_2fa")) == {"office": True}
    entries = AuditEntry.objects.filter(action="perm.role_setting")
    assert [(e.detail["role"], e.detail["before"], e.detail["after"]) for e in entries] == [("office", False, True)]
    # Unticking turns it off again (with a reason); unchanged roles write nothing.
    sec.post(url, {"require_2fa_leader": "on", "reason": "试点结束"})
    assert dict(RoleSetting.objects.values_list("role", "require_2fa")) == {"office": False}
    assert AuditEntry.objects.filter(action="perm.role_setting").count() == 2
    assert AuditEntry.objects.filter(action="perm.role_setting").latest("id").detail["reason"] == "试点结束"


def test_matrix_is_read_only_and_in_chinese(users, sec):
    r = sec.get(reverse("accounts:role_matrix"))
    body = r.content.decode()
    for text in ("系统管理员", "安全管理员", "审计管理员", "查阅审计日志", "授予角色与权限", "管理用户账号", "查看案件"):
        assert text in body
    caps, rows = r.context["caps"], dict(r.context["rows"])
    labels = [label for _, label in caps]
    audit_col = labels.index("查阅审计日志")
    assert [flag for _, flag in rows["审计管理员"]][audit_col] is True
    assert [flag for _, flag in rows["系统管理员"]][audit_col] is False
    # Three administrators, three separate powers; none of them sees cases.
    for admin in ("系统管理员", "安全管理员", "审计管理员"):
        assert rows[admin][labels.index("查看案件")][1] is False
    assert sec.post(reverse("accounts:role_matrix")).status_code in (200, 405)


def test_separation_of_the_three_administrators(users, client_for):
    """Nobody administers users, grants permissions and reads the audit log at once."""
    pages = {"sysadmin": "accounts:user_list", "secadmin": "accounts:role_list", "auditor": "audit:list"}
    for who in pages:
        c = client_for(getattr(users, who))
        for other, page in pages.items():
            assert c.get(reverse(page)).status_code == (200 if other == who else 404), (who, page)
