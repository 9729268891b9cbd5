"""The demo path, also on SQLite (``make smoke`` runs every test marked ``smoke``):
demo data loads and a second load changes nothing, production refuses it, the
login page renders, and a case can be registered and moved on."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

pytestmark = [pytest.mark.smoke, pytest.mark.django_db]


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cur:
        for table in connection.introspection.table_names():
            cur.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names from the schema)
            counts[table] = cur.fetchone()[0]
    return counts


def test_demo_seeding_twice_changes_nothing():
    out = StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=out)
    assert "演示数据就绪" in out.getvalue()
    first = row_counts()
    assert first["accounts_user"] >= 8 and first["orgs_org"] >= 9
    out = StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=out)
    assert "本次新建 0 项" in out.getvalue()
    assert row_counts() == first


def test_seed_demo_refuses_production(settings):
    settings.SIFA_ENVIRONMENT = "prod"
    before = row_counts()
    with pytest.raises(CommandError, match="生产环境"):
        call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    assert row_counts() == before


def test_demo_users_can_sign_in_and_work(client):
    from sifa.demo.seed import DEMO_PASSWORD

    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    resp = client.post(reverse("accounts:login"), {"username": "office_a", "password": DEMO_PASSWORD})
    assert resp.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("cases:list")).status_code == 200


def test_login_page_renders(client):
    resp = client.get(reverse("accounts:login"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'name="username"' in html and 'name="password"' in html and "司法行政一体化平台" in html
    assert "default-src 'self'" in resp["Content-Security-Policy"]
    # Signed out, the platform sends people to sign in.
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))


def test_a_case_can_be_registered_and_moved_on(orgs, users, client_for):
    from sifa.cases import services
    from sifa.cases.tests.factories import make_case

    case = make_case(users.office_a, orgs.office_a, title="冒烟测试案件")
    assert case.code.startswith("359901ZZ") and case.deadlines.get(key="review").due_date > case.opened_on
    client = client_for(users.office_a)
    resp = client.post(reverse("cases:transition", args=[case.pk, "accept"]), {"on": case.opened_on.isoformat(), "version": 1, "reason": ""})
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.status == "accepted" and case.deadlines.get(key="decide").due_date > case.opened_on
    services.transition(users.office_a, case, "close", data={"agreement": "和解"})
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "已结案" in page and "冒烟测试案件" in page
    assert client.get(reverse("api:cases-detail", args=[case.pk])).json()["status"] == "closed"
