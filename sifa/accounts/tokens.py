"""API tokens (ADR 0016): issue, list, revoke and resolve.

A token is a bearer credential outside the session's idle and absolute limits, so:

* only a SHA-256 digest and a short display prefix are stored; the key exists in
  the answer to the creating request and nowhere else (``ApiToken.key`` is set on
  the returned object only, never saved);
* every token has a name (用途) and an expiry (at most a year); revoked and expired
  tokens stay listed, marked, and the API refuses them with a message saying which;
* a person gets one only from a session that passed the second factor, and only if
  their role reaches case data (tokens exist for that);
* every issue and revocation is audited, never the key.

The key is 256 random bits, so a plain SHA-256 is enough to make a stolen table
useless (no salt or slow hash needed: there is nothing to guess), and the lookup
is one indexed equality.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sifa.audit.services import record
from sifa.common.errors import DomainError, PermissionRefused

from .models import ApiToken, User
from .roles import SEE_CASES, has_cap

KEY_PREFIX = "sifa_"  # recognisable in logs and by secret scanners
PREFIX_CHARS = 10  # "sifa_" + 5 random characters: enough to tell one's tokens apart
EXPIRY_CHOICES = [(30, "30天"), (90, "90天"), (180, "180天"), (365, "1年")]
DEFAULT_DAYS = 90
MAX_DAYS = 365
MAX_USABLE = 10  # per user: several programs, not an unbounded pile of live credentials
NAME_MAX = 50
LAST_USED_GRANULARITY = timedelta(minutes=1)  # one write a minute per token, not one per request


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _clean_name(name) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise DomainError("请填写令牌用途（如“12345对接程序”），便于日后识别和吊销。", field="name")
    if len(name) > NAME_MAX:
        raise DomainError(f"令牌用途过长（最多{NAME_MAX}字）。", field="name")
    return name


def _clean_days(days) -> int:
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if days not in dict(EXPIRY_CHOICES):
        allowed = "、".join(label for _, label in EXPIRY_CHOICES)
        raise DomainError(f"有效期无效：请选择 {allowed}（最长{MAX_DAYS // 365}年）。", field="days")
    return days


@transaction.atomic
def issue(user: User, *, name: str, days: int = DEFAULT_DAYS, actor=None, username: str = "", via: str = "") -> ApiToken:
    """Make a token for ``user`` without the checks of a person's request (the
    callers do them: ``create_token`` for the profile page, the service-account
    command for a platform). Returns the saved row with ``.key`` set, once."""
    name, days = _clean_name(name), _clean_days(days)
    # Lock the user row so two parallel requests cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if user.api_tokens.usable().count() >= MAX_USABLE:
        raise DomainError(f"最多同时持有{MAX_USABLE}个有效令牌，请先吊销不再使用的令牌。", field="name")
    if user.api_tokens.usable().filter(name=name).exists():
        raise DomainError(f"已有用途为“{name}”的有效令牌，请换一个名称或先吊销原令牌。", field="name")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:PREFIX_CHARS], digest=digest_of(key), created_at=now, expires_at=now + timedelta(days=days)
    )
    detail = {"token_id": token.pk, "name": name, "prefix": token.prefix, "expires_at": token.expires_at.isoformat()}
    record("token.create", actor=actor, obj=user, username=username, detail=detail | ({"via": via} if via else {}))
    token.key = key
    return token


def create_token(user: User, *, verified: bool, name: str = "", days=DEFAULT_DAYS) -> ApiToken:
    """A person's token from the profile page. ``verified``: this session passed
    the second factor (SECURITY.md "second factor"); the token outlives the
    session, so it is issued only to a session that proved both factors."""
    if not has_cap(user, SEE_CASES):
        raise PermissionRefused("您的角色不使用接口访问案件数据，不能创建 API 令牌。")
    if not verified:
        raise PermissionRefused("创建 API 令牌前，须启用双因素认证并在本次登录中完成验证。")
    return issue(user, name=name, days=days, actor=user)


@transaction.atomic
def revoke_token(user: User, token_id=None, *, actor=None) -> int:
    """Revoke one of ``user``'s tokens (``token_id``) or, without it, all of them.
    ``actor`` defaults to the owner. Returns how many were revoked; an unknown id
    (or another user's token) raises DomainError and changes nothing."""
    actor = actor or user
    qs = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if token_id is not None:
        try:
            token_id = int(token_id)
        except (TypeError, ValueError):
            token_id = 0
        if not ApiToken.objects.filter(user=user, pk=token_id).exists():
            raise DomainError("没有这个令牌。", field="token", code="not_found")
        qs = qs.filter(pk=token_id)
    return _revoke(user, list(qs), actor=actor)


def _revoke(user: User, rows: list[ApiToken], *, actor=None, username: str = "", reason: str = "") -> int:
    if not rows:
        return 0
    ApiToken.objects.filter(pk__in=[t.pk for t in rows]).update(revoked_at=timezone.now())
    detail = {"tokens": [{"token_id": t.pk, "name": t.name, "prefix": t.prefix} for t in rows]}
    record("token.revoke", actor=actor, obj=user, username=username, detail=detail | ({"reason": reason} if reason else {}))
    return len(rows)


@transaction.atomic
def revoke_all(user: User, *, actor=None, username: str = "", reason: str = "") -> bool:
    """Every live token of ``user`` revoked (account disabled, password reset by an
    administrator, a role without case data, a platform's token rotated). Audited
    as one ``token.revoke`` entry, in the caller's transaction beside the caller's
    own entry. Returns whether there was any."""
    rows = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    return _revoke(user, rows, actor=actor, username=username, reason=reason) > 0


# --- reads ---------------------------------------------------------------------------------


def tokens_of(user: User, *, limit: int = 30) -> list[ApiToken]:
    """The owner's list: live tokens first, then the recent revoked or expired ones."""
    rows = list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id")[:limit])
    return sorted(rows, key=lambda t: not t.is_usable)


def find(key: str) -> ApiToken | None:
    """The token row for a presented key (any state), or None."""
    if not key or len(key) > 200 or not key.startswith(KEY_PREFIX):
        return None
    return ApiToken.objects.select_related("user__org").filter(digest=digest_of(key)).first()  # the org: every call scopes by it


def touch(token: ApiToken) -> None:
    """Note the use, at most once a minute (a plain UPDATE: no audit entry, the
    request itself is audited where it matters)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
