"""API token authentication (``Authorization: Token <key>``) over the hashed,
expiring tokens of sifa.accounts.tokens, with the password policy applied.

The password-expiry middleware only sees session users: a token is resolved later,
inside the API view. Without this check a user whose password expired (or was reset
to a temporary one by an administrator) could go on working through a token made
earlier, which would defeat the 90-day rule of SECURITY.md.

A refused token answers 401 with a message saying why (unknown, revoked, expired,
account disabled), so the program's operator knows whether to make a new one."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from . import tokens

PASSWORD_EXPIRED_MESSAGE = "密码已过期，请先在网页上修改密码。"  # noqa: S105 (a message, not a password)
INVALID_MESSAGE = "API 令牌无效。"
REVOKED_MESSAGE = "API 令牌已被吊销，请在“账号安全”页面创建新令牌。"
EXPIRED_MESSAGE = "API 令牌已于 {when} 过期，请在“账号安全”页面创建新令牌。"
INACTIVE_MESSAGE = "账号已停用，API 令牌不能使用。"


class PolicyTokenAuthentication(TokenAuthentication):
    # Subclassing DRF's class keeps its header parsing, the 401 challenge
    # ("WWW-Authenticate: Token") and drf-spectacular's security scheme; only the
    # lookup is ours (DRF's would import rest_framework.authtoken).
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = tokens.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID_MESSAGE)
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(REVOKED_MESSAGE)
        if token.is_expired:
            when = timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M")
            raise exceptions.AuthenticationFailed(EXPIRED_MESSAGE.format(when=when))
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE_MESSAGE)
        if user.password_expired:
            raise exceptions.PermissionDenied(PASSWORD_EXPIRED_MESSAGE)
        tokens.touch(token)
        return user, token
