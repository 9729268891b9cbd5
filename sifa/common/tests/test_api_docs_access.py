"""The API schema and its docs page are for signed-in users (and token callers)
only: the schema maps every route and field of the platform."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sifa.accounts.tests.api_tokens import token_key

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_for_the_schema_and_the_login_page_for_the_docs(client):
    for params in ({}, {"format": "json"}):
        r = client.get(reverse("api-schema"), params)
        assert r.status_code == 401, params
        assert "paths" not in r.content.decode() and "/api/v1/cases/" not in r.content.decode()
    r = client.get(reverse("api-docs"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))
    assert "next=/api/v1/docs/" in r["Location"]


def test_a_bad_token_gets_401_too(client):
    r = Client(HTTP_AUTHORIZATION="Token sifa_nonsense").get(reverse("api-schema"), {"format": "json"})
    assert r.status_code == 401 and r.json()["detail"] == "API 令牌无效。"


def test_signed_in_users_and_token_callers_read_them(users, client_for):
    c = client_for(users.office_a)
    assert c.get(reverse("api-schema"), {"format": "json"}).json()["paths"]
    assert c.get(reverse("api-docs")).status_code == 200
    api = Client(HTTP_AUTHORIZATION=f"Token {token_key(users.office_a)}")
    assert "/api/v1/cases/" in api.get(reverse("api-schema"), {"format": "json"}).json()["paths"]
