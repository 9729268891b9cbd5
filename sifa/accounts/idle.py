"""The idle clock (issue 18 item 2, issue 19 item 6).

The session row is written when the clock is pushed, at most once a minute
(``SIFA_SESSION_REFRESH_SECONDS``), not on every request. The idle limit is kept
in the session itself (``IDLE_AT`` + ``SESSION_COOKIE_AGE``) and enforced by
SessionLimitsMiddleware, so a session write made for another reason (by a
background poll, say) never extends it. Because the clock moves in steps of a
minute, a user is signed out between 14 and 15 minutes after their last action.

Background requests (the bell, a job's progress, a dashboard's auto-refresh,
any htmx polling) carry ``X-Sifa-Background: 1`` and neither push the clock nor
write the session.

A small signed cookie (``sifa_idle``: user id, idle deadline, how the session
ended) survives the session so that the login page can say why the user was
signed out and a form posted afterwards can be kept for that user only. It
holds no form content and is deleted at an explicit logout."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils import timezone

# When the idle clock was last pushed (epoch seconds, timezone.now()).
IDLE_AT = "sifa_idle_at"
BACKGROUND_HEADER = "HTTP_X_SIFA_BACKGROUND"
REMAINING_HEADER = "X-Sifa-Idle-Remaining"
SIGNED_OUT_HEADER = "X-Sifa-Signed-Out"
COOKIE = "sifa_idle"
_SALT = "sifa.accounts.idle"

# Why the user was signed out: the login page's explanation.
IDLE = "idle"
ABSOLUTE = "absolute"
ELSEWHERE = "elsewhere"
REASONS = {
    IDLE: "因 15 分钟无操作，已自动退出登录",
    ABSOLUTE: "会话已过期：登录已满 12 小时，为安全起见已自动退出登录",
    ELSEWHERE: "您的登录已在别处结束（已退出登录、密码被修改、账号被停用或会话被管理员终止）",
}


# A display account's session (roles.wall_only): the role it was signed in as. It has
# no idle or absolute limit; its row lives UNATTENDED_SECONDS from the last refresh
# of the wall (which reloads itself every minute) and ends at once when the account
# is disabled (the user no longer authenticates) or its role changes (middleware).
UNATTENDED = "sifa_unattended"
UNATTENDED_SECONDS = getattr(settings, "SIFA_WALL_SESSION_SECONDS", 30 * 24 * 60 * 60)


def keep_unattended(session) -> None:
    """Give a display account's session its own lifetime, renewed (the row rewritten)
    at most once a minute, like the idle clock."""
    if session.get("_session_expiry") != UNATTENDED_SECONDS:
        session.set_expiry(UNATTENDED_SECONDS)
    touch(session)


def now() -> float:
    # timezone.now(), not time.time(): the session backend dates the row's
    # expiry with it, so one clock rules both (and tests can move it).
    return timezone.now().timestamp()


def is_background(request) -> bool:
    return request.META.get(BACKGROUND_HEADER) == "1"


def is_htmx(request) -> bool:
    return request.META.get("HTTP_HX_REQUEST") == "true"


def deadline(session) -> float | None:
    at = session.get(IDLE_AT)
    return None if at is None else float(at) + settings.SESSION_COOKIE_AGE


def idle_expired(session) -> bool:
    end = deadline(session)
    return end is not None and now() >= end


def touch(session, *, force: bool = False) -> bool:
    """Push the idle clock when it was last pushed over a minute ago (or
    ``force``, the keep-alive). Returns whether it moved (and the session
    will be written)."""
    at = session.get(IDLE_AT)
    t = now()
    if force or at is None or t - float(at) >= settings.SIFA_SESSION_REFRESH_SECONDS:
        session[IDLE_AT] = t
        return True
    return False


def remaining(session) -> int:
    end = deadline(session)
    return 0 if end is None else max(0, int(end - now()))


def set_cookie(response, user_pk: int, end: float, reason: str = "") -> None:
    value = f"{user_pk}:{int(end)}:{reason}"
    response.set_signed_cookie(
        COOKIE,
        value,
        salt=_SALT,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def delete_cookie(response) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def read_cookie(request) -> tuple[int, float, str] | None:
    """(user id, idle deadline, reason) of the last session in this browser, or None."""
    try:
        raw = request.get_signed_cookie(COOKIE, salt=_SALT)
        pk, end, reason = raw.split(":", 2)
        return int(pk), float(end), reason
    except (KeyError, signing.BadSignature, ValueError):
        return None


def signed_out_reason(request) -> str | None:
    """Why this (anonymous) browser's last session ended, or None when it was an
    ordinary logout or there was none."""
    if getattr(request, "sifa_signed_out", None):
        return request.sifa_signed_out  # ended by this very request (SessionLimitsMiddleware)
    if request.GET.get("expired") == "1":
        return ABSOLUTE
    info = read_cookie(request)
    if info is None:
        return None
    _pk, end, reason = info
    if reason in REASONS:
        return reason
    # The session backend dates its row from the last write, never before the
    # deadline; a session gone before its deadline was ended on purpose.
    return IDLE if now() >= end - 2 else ELSEWHERE
