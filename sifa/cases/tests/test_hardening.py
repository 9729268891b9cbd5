"""Production hardening: ``check --deploy``, security headers, a database that
goes away mid-request, and garbage in URLs and parameters (never a 500)."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from .factories import make_case

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SIFA_", "DATABASE_URL"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SIFA_SECRET_KEY": secrets.token_urlsafe(50),
        "SIFA_ALLOWED_HOSTS": "sifa.example.gov.cn",
        "SIFA_VAR_DIR": str(tmp_path),
        # The keys held outside the database (sifa.common.checks refuses to pass without them).
        **{name: base64.b64encode(os.urandom(32)).decode() for name in ("SIFA_FIELD_KEY", "SIFA_HASH_KEY", "SIFA_AUDIT_KEY")},
    }
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_production_settings_refuse_a_missing_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SIFA_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.prod", "SIFA_VAR_DIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "SIFA_SECRET_KEY" in proc.stderr


# --- headers ---------------------------------------------------------------------------------


def _security_headers(resp):
    assert "default-src 'self'" in resp["Content-Security-Policy"]
    assert "script-src 'self'" in resp["Content-Security-Policy"] and "unsafe-eval" not in resp["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in resp["Content-Security-Policy"]
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Referrer-Policy"] == "same-origin"
    assert resp["X-Frame-Options"] in ("DENY", "SAMEORIGIN")


@pytest.mark.django_db
def test_headers_on_pages_and_api(orgs, users, client_for, client):
    case = make_case(users.office_a, orgs.office_a)
    login = client.get(reverse("accounts:login"))
    _security_headers(login)
    signed_in = client_for(users.office_a)
    for url in (reverse("home"), reverse("cases:list"), reverse("cases:detail", args=[case.pk]), reverse("deadlines:list"), "/cases/987654321/"):
        resp = signed_in.get(url)
        _security_headers(resp)
        assert resp["Cache-Control"] == "no-store", url
        assert resp["X-Request-ID"]
    for resp in (
        signed_in.get(reverse("api:cases-list")),
        signed_in.get(reverse("api:cases-detail", args=[case.pk])),
        signed_in.get("/api/v1/cases/987654321/"),
        client.get(reverse("api:cases-list")),  # refused, still no-store
        signed_in.get(reverse("api:deadlines-calculate"), {"start": "x"}),
    ):
        assert resp["Cache-Control"] == "no-store"
        assert resp["X-Content-Type-Options"] == "nosniff"
        assert resp["Content-Type"].startswith("application/json")


# --- the database goes away --------------------------------------------------------------------


def _db_down(fail_when):
    def wrapper(execute, sql, params, many, context):
        if fail_when(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "where",
    [
        "everything",  # gone before the session could be read (middleware, not a view)
        "cases",  # gone in the middle of the view
    ],
)
def test_database_gone_mid_request_gives_503_and_the_next_request_works(orgs, users, where):
    make_case(users.office_a, orgs.office_a)
    client = Client(raise_request_exception=False)
    client.force_login(users.office_a)
    fail = (lambda sql: True) if where == "everything" else (lambda sql: '"cases_case"' in sql)
    with connection.execute_wrapper(_db_down(fail)):
        page = client.get(reverse("cases:list"))
        api = client.get(reverse("api:cases-list"))
    assert page.status_code == 503
    html = page.content.decode()
    assert "数据库暂时无法连接" in html and "Traceback" not in html and "OperationalError" not in html
    assert api.status_code == 503 and "数据库" in api.json()["detail"]
    # The database is back: the next request works by itself.
    assert client.get(reverse("cases:list")).status_code == 200
    assert client.get(reverse("api:cases-list")).status_code == 200


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    with connection.execute_wrapper(_db_down(lambda sql: True)):
        resp = client.get("/healthz")
    assert resp.status_code == 503


# --- garbage in URLs and parameters ------------------------------------------------------------

XSS = '"><script>alert(1)</script>'
HUGE = "9" * 30

FUZZ_PATHS = [
    "/cases/abc/",
    f"/cases/{HUGE}/",
    "/cases/-1/",
    "/cases/0/",
    f"/cases/{HUGE}/qr.png",
    "/cases/{pk}/qr.exe",
    f"/cases/{HUGE}/do/accept/",
    "/cases/{pk}/do/%3Cscript%3E/",
    f"/cases/{HUGE}/edit/",
    f"/cases/{HUGE}/parties/{HUGE}/",
    f"/cases/{HUGE}/doc/notice.docx",
    "/cases/{pk}/doc/..%2F..%2Fetc%2Fpasswd.docx",
    f"/attachments/{HUGE}/download/",
    "/attachments/abc/download/",
    "/q/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/q/" + "A" * 500,
    "/q/359901ZZ2026000001%00",
    f"/api/v1/cases/{HUGE}/",
    f"/api/v1/cases/{HUGE}/timeline/",
    "/api/v1/cases/by-code/%3Cscript%3E/",
    "/api/v1/cases/by-code/" + "Z" * 300 + "/",
    "/api/v1/cases/by-code/359901ZZ2026000001%00/",
    "/cases/?" + "&".join(f"{k}={v}" for k, v in (("page", HUGE), ("sort", "';drop table"), ("date_from", "2026-02-30"), ("org", HUGE), ("case_type", "%00"))),
    "/cases/?date_from=99999-01-01&date_to=0000-00-00",
    "/cases/?due=%27&status=%3Cb%3E",
    "/cases/deleted/?page=-5",
    "/deadlines/?light=%00&org=-1&page=abc&case_type=" + HUGE,
    "/deadlines/calculator/?start=2026-01-01&amount=" + HUGE + "&unit=month",
    "/deadlines/calculator/?start=%00&amount=&unit=",
    "/api/v1/deadlines/calculate?start=abc&amount=-1&unit=x",
    "/api/v1/deadlines/calculate?start=2200-12-31&amount=3650&unit=workday",
    "/api/v1/deadlines/calculate?start=1950-01-01&amount=240&unit=month",
    "/api/v1/deadlines/calculate",
    "/api/v1/cases/?page=" + HUGE,
    "/api/v1/cases/?q=%00",
    "/api/v1/cases/?q=" + "%E5%BC%A0" * 400,
]


@pytest.fixture
def fuzz(orgs, users, client_for):
    """A signed-in client and the ids of a real case and party, for ``{pk}`` / ``{party}`` in paths."""
    case = make_case(users.office_a, orgs.office_a, parties=[{"name": "张三"}])
    return client_for(users.office_a), {"pk": case.pk, "party": case.parties.get().pk}


@pytest.mark.django_db
@pytest.mark.parametrize("path", FUZZ_PATHS)
def test_garbage_never_gives_a_500(fuzz, path):
    client, ids = fuzz
    resp = client.get(path.format(**ids) if "{" in path else path)
    assert resp.status_code < 500, (path, resp.status_code)
    assert "Traceback" not in resp.content.decode(errors="replace")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path,data",
    [
        (f"/cases/{HUGE}/do/accept/", {"on": "x", "version": HUGE}),
        ("/cases/{pk}/do/accept/", {"on": "2026-02-30", "version": "abc"}),
        ("/cases/{pk}/do/accept/", {"on": "2026-11-01", "version": HUGE}),
        ("/cases/{pk}/edit/", {"title": XSS, "version": "-1"}),
        ("/cases/{pk}/delete/", {"reason": XSS, "version": HUGE}),
        ("/cases/{pk}/assign/", {"user": HUGE, "role": XSS}),
        ("/cases/{pk}/parties/add/", {"name": XSS, "id_number": HUGE, "phone": XSS, "kind": "x", "role": "y"}),
        (f"/cases/party/{HUGE}/reveal/id_number/", {}),
        ("/cases/party/{party}/reveal/%3Cx%3E/", {}),
        (f"/cases/{HUGE}/restore/", {}),
        (f"/attachments/case/{HUGE}/upload/", {}),
        ("/attachments/case/{pk}/upload/", {"file": "not a file"}),
        (f"/api/v1/cases/{HUGE}/transitions/accept/", {}),
        (f"/api/v1/parties/{HUGE}/reveal/phone/", {}),
    ],
)
def test_garbage_posts_never_give_a_500(fuzz, path, data):
    client, ids = fuzz
    resp = client.post(path.format(**ids), data)
    assert resp.status_code < 500, (path, resp.status_code, resp.content[:300])


@pytest.mark.django_db
def test_search_strings_are_escaped_on_output(fuzz):
    client, _ = fuzz
    for url in ("/cases/", "/api/v1/cases/"):
        resp = client.get(url, {"q": XSS})
        assert resp.status_code == 200
        assert "<script>alert(1)</script>" not in resp.content.decode()
    html = client.get("/cases/", {"q": XSS}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown back, escaped
