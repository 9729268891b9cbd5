"""Account writes: passwords (with history), the second factor, API tokens, and
the three administrators' work (三员分立):

* the system administrator creates and maintains accounts, never roles;
* the security administrator grants roles and per-role security settings;
* the audit administrator only reads (sifa.audit).

Every write is audited in the same transaction; a refusal raises DomainError
before anything is written.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sifa.audit.services import record
from sifa.common import identity
from sifa.common.errors import DomainError, PermissionRefused

from .models import PasswordHistory, RoleSetting, User
from .roles import SEE_CASES, Role, has_cap, is_admin_role, role_choices, role_fits_org, role_label

HISTORY_KEEP = 5
OPERATOR = "manage.py"  # the audit name of the server operator's commands
USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,29}$")


@transaction.atomic
def set_password(user, raw_password: str, *, actor=None, temporary: bool = False, validate: bool = True, operator: bool = False) -> None:
    """Set a password, keeping the previous hash for the reuse check.
    ``temporary`` (set by an administrator) forces a change at next login;
    ``operator``: set from the server's command line (audited as "manage.py")."""
    if validate:
        validate_password(raw_password, user)
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = user.password_history.all()[HISTORY_KEEP:]
        PasswordHistory.objects.filter(pk__in=[p.pk for p in stale]).delete()
    user.set_password(raw_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = temporary
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    if operator:
        record("auth.password_set", obj=user, username=OPERATOR, detail={"via": "manage.py"})
    else:
        record("auth.password_set" if temporary else "auth.password_change", actor=actor or user, obj=user)


def _password_error(exc: ValidationError) -> DomainError:
    return DomainError("；".join(exc.messages), field="password")


# --- system administrator: accounts ----------------------------------------------


def _clean_identity(full_name: str, phone: str, org) -> tuple[str, str]:
    full_name = (full_name or "").strip()
    if not full_name:
        raise DomainError("姓名不能为空。", field="full_name")
    if len(full_name) > 50:
        raise DomainError("姓名过长（最多50字）。", field="full_name")
    phone = (phone or "").strip()
    if phone:
        phone = identity.normalize_phone(phone)
    if org is None:
        raise DomainError("请选择所属机构。", field="org")
    if not org.is_active:
        raise DomainError(f"机构“{org.name}”已停用，不能添加或调入用户。", field="org")
    return full_name, phone


def _not_self(actor, user, what: str) -> None:
    if actor is not None and actor.pk == user.pk:
        raise PermissionRefused(f"不能对自己的账号{what}。")


def refuse_admin_credentials(user, what: str) -> None:
    """三员分立: whoever can set an administrator's credentials can act as that
    administrator, so the system administrator could read the audit log or grant
    roles. An administrator account's password or second factor is therefore never
    reset in the UI; the server's operator does it (``manage.py reset_admin_password``)."""
    if is_admin_role(user.role):
        raise PermissionRefused(
            f"“{user.username}”是{role_label(user.role)}账号，不能在此{what}（三员分立）："
            f"由本人修改，或由服务器运维人员执行 manage.py reset_admin_password {user.username}。"
        )


@transaction.atomic
def create_user(actor, *, username: str, full_name: str, org, phone: str = "", password: str) -> User:
    """A new account with no role (未授权) and a temporary password that must be
    changed at first sign-in."""
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise DomainError("用户名须为3–30位字母、数字或 . _ -，并以字母或数字开头。", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"用户名“{username}”已被使用。", field="username")
    full_name, phone = _clean_identity(full_name, phone, org)
    user = User(username=username, full_name=full_name, org=org, phone=phone, role="", is_active=True)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise _password_error(exc) from None
    user.set_password(password)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.save()
    record("user.create", actor=actor, obj=user, detail={"username": username, "org": org.name})
    return user


@transaction.atomic
def update_user(actor, user: User, *, full_name: str, org, phone: str = "") -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    full_name, phone = _clean_identity(full_name, phone, org)
    if org.pk != user.org_id and not role_fits_org(user.role, org.kind):
        raise DomainError(
            f"该用户的角色为“{role_label(user.role)}”，不能调入“{org.kind_label}”类机构；请先由安全管理员调整角色。",
            field="org",
        )
    before = {"full_name": user.full_name, "org": str(user.org), "phone": identity.mask_phone(user.phone)}
    user.full_name, user.org, user.phone = full_name, org, phone
    after = {"full_name": user.full_name, "org": str(org), "phone": identity.mask_phone(phone)}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        user.save(update_fields=["full_name", "org", "phone"])
        record("user.update", actor=actor, obj=user, detail=changes)
    return user


def _revoke_token(user: User) -> bool:
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).delete()[0] > 0


@transaction.atomic
def set_active(actor, user: User, active: bool) -> User:
    _not_self(actor, user, "停用或启用")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    # A disabled account's token dies with it (DRF would refuse it anyway, but a
    # later re-enable must not bring an old credential back).
    revoked = False if active else _revoke_token(user)
    record("user.enable" if active else "user.disable", actor=actor, obj=user, detail={"token_revoked": revoked})
    return user


@transaction.atomic
def reset_password(actor, user: User, raw_password: str) -> None:
    """An administrator sets a temporary password; the user must change it at
    the next sign-in. The user's API token is revoked: a reset usually means the
    old credentials are in doubt."""
    _not_self(actor, user, "重置密码（请使用“修改密码”）")
    user = User.objects.select_for_update().get(pk=user.pk)
    refuse_admin_credentials(user, "重置密码")
    try:
        set_password(user, raw_password, actor=actor, temporary=True)
    except ValidationError as exc:
        raise _password_error(exc) from None
    _revoke_token(user)


@transaction.atomic
def operator_reset(user: User, raw_password: str, *, second_factor: bool = False) -> int:
    """The server operator's reset of any account (``manage.py reset_admin_password``):
    a temporary password to change at next sign-in, the API token revoked and,
    if asked, the second factor removed. Returns the devices removed. Audited
    under the name "manage.py" (there is no signed-in actor)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    try:
        validate_password(raw_password, user)
    except ValidationError as exc:
        raise _password_error(exc) from None
    set_password(user, raw_password, temporary=True, validate=False, operator=True)
    _revoke_token(user)
    return _remove_second_factor(None, user) if second_factor else 0


def unlock(actor, user: User) -> int:
    """Lift a login lockout (django-axes) for this username."""
    from axes.utils import reset

    with transaction.atomic():
        cleared = reset(username=user.username)
        record("user.unlock", actor=actor, obj=user, detail={"attempts_cleared": cleared})
    return cleared


@transaction.atomic
def reset_second_factor(actor, user: User) -> int:
    """Remove a user's authenticator (lost phone). A role that requires 2FA will
    ask them to bind a new one at next sign-in."""
    _not_self(actor, user, "重置双因素认证")
    refuse_admin_credentials(user, "重置双因素认证")
    return _remove_second_factor(actor, user)


def _remove_second_factor(actor, user: User) -> int:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    record("auth.otp_reset", actor=actor, obj=user, username="" if actor else OPERATOR, detail={"devices_removed": removed})
    return removed


# --- security administrator: roles -----------------------------------------------


def line_choices() -> list[tuple[str, str]]:
    from sifa.kit import registry

    return registry.type_choices()


@transaction.atomic
def grant_role(actor, user: User, *, role: str, lines: list[str] | tuple = ()) -> User:
    """Grant, change or revoke (``role=""``) a user's role; ``lines`` only for
    section staff. Writes ``perm.change`` with before and after."""
    if actor is not None and actor.pk == user.pk:
        raise PermissionRefused("不能修改自己的角色。")
    if role and role not in dict(role_choices()):
        raise DomainError("角色无效。", field="role")
    lines = list(dict.fromkeys(lines or []))
    known = dict(line_choices())
    unknown = [k for k in lines if k not in known]
    if unknown:
        raise DomainError(f"业务条线无效：{'、'.join(unknown)}。", field="lines")
    if role == Role.SECTION and not lines:
        raise DomainError("科室工作人员须至少分配一个业务条线。", field="lines")
    if role != Role.SECTION and lines:
        raise DomainError("只有“科室工作人员”需要分配业务条线。", field="lines")
    user = User.objects.select_for_update().select_related("org").get(pk=user.pk)
    if not role_fits_org(role, user.org.kind):
        raise DomainError(
            f"“{role_label(role)}”不能授予“{user.org.kind_label}”的用户（{user.org.name}）；请先由系统管理员调整其所属机构。",
            field="role",
        )
    before = {"role": user.role, "lines": list(user.lines or [])}
    after = {"role": role, "lines": lines}
    if before == after:
        return user
    user.role, user.lines = role, lines
    user.save(update_fields=["role", "lines"])
    detail = {"before": before, "after": after, "before_label": role_label(before["role"]), "after_label": role_label(role)}
    if not has_cap(user, SEE_CASES):
        # Tokens exist to reach case data; a role without it keeps none.
        detail["token_revoked"] = _revoke_token(user)
    record("perm.change", actor=actor, obj=user, detail=detail)
    return user


@transaction.atomic
def set_role_settings(actor, require_2fa: dict[str, bool]) -> list[str]:
    """Per-role security settings. Returns the roles that changed."""
    changed = []
    for role, required in require_2fa.items():
        if role not in dict(role_choices()):
            raise DomainError("角色无效。", field="role")
        setting, _ = RoleSetting.objects.select_for_update().get_or_create(role=role)
        if setting.require_2fa != bool(required):
            record(
                "perm.role_setting",
                actor=actor,
                obj=setting,
                detail={"role": role, "setting": "require_2fa", "before": setting.require_2fa, "after": bool(required)},
            )
            setting.require_2fa = bool(required)
            setting.save(update_fields=["require_2fa", "updated_at"])
            changed.append(role)
    return changed


# --- personal API tokens ------------------------------------------------------------


@transaction.atomic
def create_token(user: User, *, verified: bool):
    """A personal API token, replacing any earlier one. Returns the Token; its
    key is shown to the user once and never again.

    ``verified`` is whether this session passed the second factor. A token is a
    long-lived bearer credential outside the session limits, so it is issued
    only to a session that proved both factors (SECURITY.md "second factor")."""
    from rest_framework.authtoken.models import Token

    if not has_cap(user, SEE_CASES):
        raise PermissionRefused("您的角色不使用接口访问案件数据，不能创建 API 令牌。")
    if not verified:
        raise PermissionRefused("创建 API 令牌前，须启用双因素认证并在本次登录中完成验证。")
    replaced = _revoke_token(user)
    token = Token.objects.create(user=user)
    record("token.create", actor=user, obj=user, detail={"replaced": replaced, "prefix": token.key[:4]})
    return token


@transaction.atomic
def revoke_token(user: User) -> bool:
    revoked = _revoke_token(user)
    if revoked:
        record("token.revoke", actor=user, obj=user)
    return revoked


def password_policy_text() -> str:
    return (
        "至少8位，包含大写字母、小写字母、数字、符号中的至少3类；不能包含或近似用户名，不能是常见密码，"
        f"不能与最近{HISTORY_KEEP}次使用过的密码相同；每{settings.SIFA_PASSWORD_MAX_AGE_DAYS}天须更换。"
    )
