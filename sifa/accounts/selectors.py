"""Account reads for the administration pages."""

from __future__ import annotations

import time
from typing import NamedTuple

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .models import RoleSetting, User
from .roles import CAPABILITY_LABELS, caps_of, role_choices, second_factor_default, second_factor_locked


def users(*, q: str = "", org=None, role: str | None = None, active: bool | None = None) -> QuerySet[User]:
    """Users for the administration lists. ``org`` includes its subtree;
    ``role=""`` means 未授权 (no role yet); ``None`` means any role."""
    qs = User.objects.select_related("org")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if role is not None:
        qs = qs.filter(role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("org__path", "username")


def locked_usernames(usernames) -> set[str]:
    """Which of these usernames django-axes currently locks out: the same sum of
    recent failures (per username, across IPs) its database handler uses."""
    from axes.models import AccessAttempt

    names = [u for u in usernames if u]
    if not names:
        return set()
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(username__in=names, attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {r["username"] for r in rows}


def otp_user_ids(user_ids) -> set[int]:
    """Ids of users with a confirmed authenticator."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return set(TOTPDevice.objects.filter(user_id__in=list(user_ids), confirmed=True).values_list("user_id", flat=True))


class RoleSettingRow(NamedTuple):
    role: str
    label: str
    require_2fa: bool  # in force now: the stored setting, else the role's default
    locked: bool  # an administrator role: always on, cannot be switched off
    default: bool


def role_settings() -> list[RoleSettingRow]:
    """Every role's 2FA setting in force, in the registry's order. A role without
    a stored row has its default (roles.second_factor_default), never "off"."""
    stored = dict(RoleSetting.objects.values_list("role", "require_2fa"))
    rows = []
    for value, label in role_choices():
        locked, default = second_factor_locked(value), second_factor_default(value)
        required = True if locked else bool(stored.get(value, default))
        rows.append(RoleSettingRow(value, label, required, locked, default))
    return rows


# The per-role 2FA settings (a handful of rows), kept per process so that the
# check on every request costs no query (issue 19). Read fresh at each sign-in
# (middleware.requires_2fa); cleared in this process whenever a row is saved; in
# other processes it is at most this old.
ROLE_SETTINGS_MAX_AGE = 60.0  # seconds
_stored: tuple[float, dict[str, bool]] | None = None


def forget_role_settings(**kwargs) -> None:
    global _stored
    _stored = None


def _stored_settings(*, fresh: bool) -> dict[str, bool]:
    global _stored
    kept = _stored
    if fresh or kept is None or time.monotonic() - kept[0] > ROLE_SETTINGS_MAX_AGE:
        kept = (time.monotonic(), dict(RoleSetting.objects.values_list("role", "require_2fa")))
        _stored = kept
    return kept[1]


def second_factor_required(role: str, *, fresh: bool = False) -> bool:
    """Whether a holder of ``role`` must pass TOTP: always for the administrators
    (no query), else the stored setting, else the role's default. ``fresh``
    reads the settings now; otherwise the process's copy (at most
    ROLE_SETTINGS_MAX_AGE old) is used."""
    if second_factor_locked(role):
        return True
    if not role:
        return False  # 未授权: no role, no powers
    stored = _stored_settings(fresh=fresh).get(role)
    return second_factor_default(role) if stored is None else bool(stored)


# Any write of a setting (the service, a shell, a test) clears this process's copy.
post_save.connect(forget_role_settings, sender=RoleSetting, dispatch_uid="sifa.accounts.forget_role_settings.save")
post_delete.connect(forget_role_settings, sender=RoleSetting, dispatch_uid="sifa.accounts.forget_role_settings.delete")


def role_matrix() -> tuple[list[tuple[str, str]], list[tuple[str, list[tuple[str, bool]]]]]:
    """Capabilities as columns, roles as rows: what each role may do. Each cell
    carries its column's label too (the phone card layout shows it)."""
    caps = list(CAPABILITY_LABELS.items())
    rows = [(label, [(cap_label, cap in caps_of(value)) for cap, cap_label in caps]) for value, label in role_choices()]
    return caps, rows
