"""Account writes: passwords (with history), the second factor, API tokens, and
the three administrators' work (三员分立):

* the system administrator creates and maintains accounts, never roles;
* the security administrator grants roles and per-role security settings, but
  never an administrator's role nor an administrator role: the server's operator
  does that (``manage.py set_role``);
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

from sifa.audit.services import record, refused
from sifa.common import identity
from sifa.common.errors import DomainError, PermissionRefused

from .models import PasswordHistory, RoleSetting, User
from .roles import (
    SEE_CASES,
    Role,
    has_cap,
    is_admin_role,
    role_choices,
    role_fits_org,
    role_label,
    second_factor_default,
    second_factor_locked,
)

HISTORY_KEEP = 5
OPERATOR = "manage.py"  # the audit name of the server operator's commands
USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,29}$")
REASON_MAX = 200  # a reason written into the audit entry (role changes, settings)


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
    """Revoke every live API token of ``user`` (audited as ``token.revoke``);
    whether there was any. The tokens themselves: tokens.py (ADR 0016)."""
    return _revoke_all(user)


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


def refuse_admin_role_change(user, role: str) -> None:
    """三员分立: an administrator's role decides who administers users, grants roles
    and reads the audit log. Made a leader, the system administrator would read
    every case; the auditor would stop auditing. So neither an administrator
    account's role nor a grant of an administrator role is changed in the UI or
    the API; the server's operator does it (``manage.py set_role``, audited)."""
    command = f"manage.py set_role {user.username} <角色> --reason <理由>"
    if is_admin_role(user.role):
        raise PermissionRefused(
            f"“{user.username}”是{role_label(user.role)}账号，其角色不能在此修改（三员分立）：由服务器运维人员执行 {command}。", field="role"
        )
    if is_admin_role(role):
        raise PermissionRefused(
            f"“{role_label(role)}”是管理员角色，不能在此授予（三员分立）：由服务器运维人员执行 manage.py set_role {user.username} {role} --reason <理由>。",
            field="role",
        )


def grant_role(actor, user: User, *, role: str, lines: list[str] | tuple = ()) -> User:
    """The security administrator grants, changes or revokes (``role=""``) a
    user's role; ``lines`` only for section staff. Writes ``perm.change`` with
    before and after. An administrator account, or an administrator role, is
    refused (audited) before anything is written."""
    if actor is not None and actor.pk == user.pk:
        raise PermissionRefused("不能修改自己的角色。")
    try:
        refuse_admin_role_change(user, role)
    except PermissionRefused as exc:
        # Outside any transaction: the refusal entry must outlive the rollback.
        refused("perm.change", actor=actor, obj=user, reason=exc.message, detail={"role": user.role, "requested": role})
        raise
    return _apply_role(user, role=role, lines=lines, actor=actor)


def operator_set_role(user: User, role: str, *, lines: list[str] | tuple = (), reason: str) -> User:
    """The server operator's change of any account's role, administrators
    included (``manage.py set_role``). Audited as ``perm.change`` under the name
    "manage.py", with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写变更理由（--reason）。", field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(f"理由过长（最多{REASON_MAX}字）。", field="reason")
    return _apply_role(user, role=role, lines=lines, reason=reason)


@transaction.atomic
def _apply_role(user: User, *, role: str, lines, actor=None, reason: str = "") -> User:
    """``actor`` None: the operator's command (no administrator-role check)."""
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
    if actor is not None:
        # Again under the row lock: the account may have become an administrator meanwhile.
        refuse_admin_role_change(user, role)
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
    if actor is None:
        record("perm.change", obj=user, username=OPERATOR, detail=detail | {"via": "manage.py", "reason": reason})
    else:
        record("perm.change", actor=actor, obj=user, detail=detail)
    return user


def set_role_settings(actor, require_2fa: dict[str, bool], *, reason: str = "") -> list[str]:
    """Per-role security settings; returns the roles that changed. The
    administrators' 2FA cannot be switched off (refused and audited, nothing
    written); switching it off for another role needs a reason, kept in the
    audit entry."""
    known = dict(role_choices())
    if any(role not in known for role in require_2fa):
        raise DomainError("角色无效。", field="role")
    locked_off = [role for role, required in require_2fa.items() if not required and second_factor_locked(role)]
    if locked_off:
        labels = "、".join(role_label(r) for r in locked_off)
        message = f"不能关闭{labels}的强制双因素认证：管理员账号必须使用双因素认证登录（三员分立）。"
        refused("perm.role_setting", actor=actor, reason=message, detail={"roles": locked_off, "setting": "require_2fa"})
        raise PermissionRefused(message, field=f"require_2fa_{locked_off[0]}")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise DomainError(f"理由过长（最多{REASON_MAX}字）。", field="reason")
    return _save_role_settings(actor, require_2fa, reason)


@transaction.atomic
def _save_role_settings(actor, require_2fa: dict[str, bool], reason: str) -> list[str]:
    # The setting in force: the stored row, else the role's default (a missing
    # row is never "off"). Rows are written only for a change.
    stored = {s.role: s for s in RoleSetting.objects.select_for_update().filter(role__in=list(require_2fa))}
    changes = {}
    for role, required in require_2fa.items():
        before = second_factor_default(role) if role not in stored else stored[role].require_2fa
        if not second_factor_locked(role) and before != bool(required):
            changes[role] = (before, bool(required))
    switched_off = [role for role, (_, after) in changes.items() if not after]
    if switched_off and not reason:
        labels = "、".join(role_label(r) for r in switched_off)
        raise DomainError(f"关闭{labels}的强制双因素认证须填写理由（记入审计日志）。", field="reason")
    if changes:
        # Saving clears this process's copy at once; clear it again once committed,
        # in case a request read the old rows in between.
        from .selectors import forget_role_settings

        transaction.on_commit(forget_role_settings)
    for role, (before, after) in changes.items():
        setting, _ = RoleSetting.objects.update_or_create(role=role, defaults={"require_2fa": after})
        detail = {"role": role, "setting": "require_2fa", "before": before, "after": after}
        record("perm.role_setting", actor=actor, obj=setting, detail=detail | ({"reason": reason} if reason else {}))
    return list(changes)


# --- personal API tokens: sifa.accounts.tokens (hashed, named, expiring; ADR 0016) ---
# Re-exported so that callers of services keep working.

from .tokens import create_token, revoke_token  # noqa: E402, F401
from .tokens import revoke_all as _revoke_all  # noqa: E402


def password_policy_text() -> str:
    return (
        "至少8位，包含大写字母、小写字母、数字、符号中的至少3类；不能包含或近似用户名，不能是常见密码，"
        f"不能与最近{HISTORY_KEEP}次使用过的密码相同；每{settings.SIFA_PASSWORD_MAX_AGE_DAYS}天须更换。"
    )
