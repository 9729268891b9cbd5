"""The hotline's fixtures: the bureau's public legal service centre and its
operator (热线坐席), beside the shared test tree (``conftest.py`` at the root)."""

import pytest


@pytest.fixture
def center(orgs):
    from sifa.orgs.services import create_org

    return create_org(
        actor=None, name="测试区公共法律服务中心", short_name="公法中心", kind="pls_center", region_code=orgs.bureau.region_code, parent=orgs.bureau
    )


@pytest.fixture
def operator(center):
    from sifa.accounts.tests.factories import UserFactory

    return UserFactory(username="operator", role="hotline_operator", org=center)
