"""API tokens in tests: issue one directly (the profile page's checks of role
and second factor are tested in test_api_tokens) and get a client that sends it."""

from __future__ import annotations

from django.test import Client

from sifa.accounts import tokens


def token_key(user, *, name: str = "测试程序", days: int = tokens.DEFAULT_DAYS) -> str:
    return tokens.issue(user, name=name, days=days, actor=user).key


def token_client(user, **kw) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {token_key(user, **kw)}")
