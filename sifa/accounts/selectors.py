"""Account reads for the administration pages."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from .models import RoleSetting, User
from .roles import CAPABILITY_LABELS, caps_of, role_choices


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


def role_settings() -> list[tuple[str, str, bool]]:
    """(role, label, require_2fa) for every role, in the registry's order."""
    required = dict(RoleSetting.objects.values_list("role", "require_2fa"))
    return [(value, label, bool(required.get(value, False))) for value, label in role_choices()]


def role_matrix() -> tuple[list[tuple[str, str]], list[tuple[str, list[tuple[str, bool]]]]]:
    """Capabilities as columns, roles as rows: what each role may do. Each cell
    carries its column's label too (the phone card layout shows it)."""
    caps = list(CAPABILITY_LABELS.items())
    rows = [(label, [(cap_label, cap in caps_of(value)) for cap, cap_label in caps]) for value, label in role_choices()]
    return caps, rows


def token_of(user):
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).first()
