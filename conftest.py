"""Shared fixtures: an organisation tree, one user per role, and a small test
business line ("ZZ") so the core can be tested without any real line."""

from __future__ import annotations

import os

import pytest

if os.environ.get("SIFA_DB") == "sqlite":
    os.environ.pop("DATABASE_URL", None)


@pytest.fixture(autouse=True)
def _calendar_cache():
    from sifa.deadlines import calendar

    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture(autouse=True, scope="session")
def _test_line():
    from sifa.cases.tests import testline

    testline.register()


@pytest.fixture
def orgs(db):
    from sifa.orgs.tests.factories import build_tree

    return build_tree()


@pytest.fixture
def users(orgs):
    from sifa.accounts.tests.factories import users_for

    return users_for(orgs)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as ``user``."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make
