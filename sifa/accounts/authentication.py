"""API token authentication with the password policy applied.

The password-expiry middleware only sees session users: a token is resolved later,
inside the API view. Without this check a user whose password expired (or was reset
to a temporary one by an administrator) could go on working through a token made
earlier, which would defeat the 90-day rule of SECURITY.md."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

PASSWORD_EXPIRED_MESSAGE = "密码已过期，请先在网页上修改密码。"  # noqa: S105 (a message, not a password)


class PolicyTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)  # refuses unknown keys and inactive users
        if user.password_expired:
            raise exceptions.PermissionDenied(PASSWORD_EXPIRED_MESSAGE)
        return user, token
