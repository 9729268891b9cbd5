"""The HTTP helpers of `make prod-check` (tools/prodcheck_http.py), which speak
HTTP to gunicorn with the standard library alone: its TOTP codes are the ones
django-otp accepts, its form parser submits what a browser would, its
multipart bodies parse in Django, and its cookie flags are read right. The
journey itself runs in `make prod-check`."""

from __future__ import annotations

import importlib.util
import io
import time
from pathlib import Path

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("prodcheck_http", ROOT / "tools" / "prodcheck_http.py")
prodcheck = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(prodcheck)


def test_totp_codes_are_those_django_otp_computes():
    key = bytes(range(20))
    secret = __import__("base64").b32encode(key).decode().rstrip("=")  # as the setup page shows it
    for at in (59, 1_111_111_109, 2_000_000_000, time.time()):
        totp = TOTP(key, step=30, t0=0, digits=6)
        totp.time = at
        assert prodcheck.totp(secret, at) == f"{totp.token():06d}"
    # The next step's code differs (the journey uses it to sign in again without a replay).
    assert prodcheck.totp(secret, 59) != prodcheck.totp(secret, 89)


def test_totp_matches_rfc_6238_vector():
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits).
    secret = __import__("base64").b32encode(b"12345678901234567890").decode()
    assert prodcheck.totp(secret, 59, digits=8) == "94287082"


PAGE = """
<form method="post" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="t0"><button>退出</button></form>
<form method="get" action="/cases/"><input name="q" value=""></form>
<form method="post" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="t1">
  <input name="title" value="甲 &amp; 乙">
  <input type="checkbox" name="reveal">
  <input type="checkbox" name="notify" value="yes" checked>
  <input type="radio" name="side" value="a"><input type="radio" name="side" value="b" checked>
  <select name="org"><option value="">—</option><option value="7" selected>东湖所</option></select>
  <select name="kind"><option value="year">年度</option><option value="half">半年</option></select>
  <select name="plain"><option>不带值</option></select>
  <textarea name="summary">
第一行</textarea>
  <input type="file" name="file">
  <button type="submit" name="go" value="1">提交</button>
</form>
"""


def test_the_form_submits_what_a_browser_would():
    form = prodcheck.find_form(PAGE, "csrfmiddlewaretoken")
    assert form.action == "" and form.method == "post"
    assert form.fields == [
        ("csrfmiddlewaretoken", "t1"),
        ("title", "甲 & 乙"),
        ("notify", "yes"),
        ("side", "b"),
        ("org", "7"),
        ("kind", "year"),
        ("plain", "不带值"),
        ("summary", "第一行"),
    ]
    assert {"reveal", "file"} <= form.names  # named, though not submitted unchanged
    assert "go" not in dict(form.fields)  # nor is the button
    assert form.options["kind"] == ["year", "half"]
    values = form.values(title="新标题", extra="x")
    assert ("title", "新标题") in values and ("title", "甲 & 乙") not in values and ("extra", "x") in values


def test_the_sign_out_form_is_chosen_only_when_asked_for():
    assert prodcheck.find_form(PAGE, "csrfmiddlewaretoken", "/accounts/logout/").fields == [("csrfmiddlewaretoken", "t0")]
    assert prodcheck.find_form(PAGE, "csrfmiddlewaretoken").fields[0] == ("csrfmiddlewaretoken", "t1")
    with pytest.raises(prodcheck.CheckFailed, match="no form with a field 'q'"):
        prodcheck.find_form(PAGE, "q")  # a GET form is never submitted as a POST
    with pytest.raises(prodcheck.CheckFailed):
        prodcheck.find_form(PAGE, "missing")


def test_a_multipart_body_parses_in_django():
    data = b"PK\x03\x04 binary \r\n-- not a boundary"
    body, ctype = prodcheck.encode_multipart([("case_type", "mediation"), ("note", "台账")], {"file": ('验收"台账.xlsx', data, "application/octet-stream")})
    meta = {"CONTENT_TYPE": ctype, "CONTENT_LENGTH": str(len(body))}
    post, files = MultiPartParser(meta, io.BytesIO(body), [MemoryFileUploadHandler()]).parse()
    assert post["case_type"] == "mediation" and post["note"] == "台账"
    upload = files["file"]
    assert upload.name.endswith("台账.xlsx") and upload.read() == data


def test_cookie_flags():
    assert prodcheck.cookie_flags("sessionid=abc; expires=Thu, 01 Jan 2026 00:00:00 GMT; HttpOnly; Max-Age=900; Path=/; SameSite=Lax; Secure") == (
        "sessionid",
        {"expires", "httponly", "max-age", "path", "samesite", "secure"},
    )
    assert prodcheck.cookie_flags("csrftoken=x; Path=/") == ("csrftoken", {"path"})
