"""The keys held outside the database are checked at start-up (``check``,
``check --deploy``, runserver, the WSGI entry point), not at their first use."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from sifa.common import checks as key_checks

ROOT = Path(__file__).resolve().parents[3]
GOOD = base64.b64encode(bytes(range(32))).decode()
ALL_SET = {"SIFA_FIELD_KEY": GOOD, "SIFA_HASH_KEY": GOOD, "SIFA_AUDIT_KEY": GOOD}


def ids(problems) -> list[tuple[str, str]]:
    return [(p.id, next(s.setting for s in key_checks.KEYS if s.setting in p.msg + p.hint)) for p in problems]


def test_production_with_every_key_set_passes(tmp_path):
    with override_settings(SIFA_ENVIRONMENT="prod", SIFA_KEY_DIR=tmp_path, **ALL_SET):
        assert key_checks.key_problems() == []


def test_production_without_the_field_key_is_an_error_saying_how_to_set_it(tmp_path):
    with override_settings(SIFA_ENVIRONMENT="prod", SIFA_KEY_DIR=tmp_path, **(ALL_SET | {"SIFA_FIELD_KEY": ""})):
        problems = key_checks.key_problems()
        assert ids(problems) == [("sifa.E100", "SIFA_FIELD_KEY")]
        msg = problems[0].msg + problems[0].hint
        assert "缺少字段加密密钥" in msg and "is missing" in msg and "base64" in msg and str(tmp_path / "field.key") in msg
        assert problems[0].is_serious()
        # The same problem stops `manage.py check` (and so runserver and migrate).
        with pytest.raises(SystemCheckError, match="SIFA_FIELD_KEY"):
            call_command("check")
        # And the WSGI/ASGI entry points refuse to start.
        with pytest.raises(ImproperlyConfigured, match="SIFA_FIELD_KEY"):
            key_checks.refuse_without_keys()


@pytest.mark.parametrize("bad", ["not-a-key", base64.b64encode(b"short").decode(), base64.b64encode(bytes(31)).decode()], ids=["garbage", "short", "31-bytes"])
def test_a_malformed_key_is_an_error_in_every_environment(tmp_path, bad):
    for environment in ("prod", "dev", "test"):
        with override_settings(SIFA_ENVIRONMENT=environment, SIFA_KEY_DIR=tmp_path, **(ALL_SET | {"SIFA_HASH_KEY": bad})):
            problems = key_checks.key_problems()
            assert ids(problems) == [("sifa.E101", "SIFA_HASH_KEY")], environment
            assert "格式错误" in problems[0].msg and "32-byte" in problems[0].msg


def test_key_files_are_read_like_at_first_use(tmp_path):
    no_env = {"SIFA_FIELD_KEY": "", "SIFA_HASH_KEY": "", "SIFA_AUDIT_KEY": ""}
    (tmp_path / "field.key").write_bytes(base64.b64encode(os.urandom(32)))
    (tmp_path / "hash.key").write_bytes(base64.b64encode(os.urandom(32)) + b"\n")  # `echo key > file`
    (tmp_path / "audit.key").write_text("garbage")
    with override_settings(SIFA_ENVIRONMENT="prod", SIFA_KEY_DIR=tmp_path, **no_env):
        assert ids(key_checks.key_problems()) == [("sifa.E101", "SIFA_AUDIT_KEY")]
    # Outside production a missing file is made at first use: not an error.
    (tmp_path / "audit.key").unlink()
    with override_settings(SIFA_ENVIRONMENT="dev", SIFA_KEY_DIR=tmp_path, **no_env):
        assert key_checks.key_problems() == []
    with override_settings(SIFA_ENVIRONMENT="prod", SIFA_KEY_DIR=tmp_path, **no_env):
        assert ids(key_checks.key_problems()) == [("sifa.E100", "SIFA_AUDIT_KEY")]


def test_a_key_another_change_adds_is_checked_only_if_settings_has_it(tmp_path, settings):
    settings.SIFA_ENVIRONMENT, settings.SIFA_KEY_DIR = "prod", tmp_path
    settings.SIFA_FIELD_KEY = settings.SIFA_HASH_KEY = GOOD
    if hasattr(settings, "SIFA_AUDIT_KEY"):
        del settings.SIFA_AUDIT_KEY
    assert key_checks.key_problems() == []


def test_check_deploy_fails_under_production_settings_without_the_keys(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SIFA_", "DATABASE_URL"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SIFA_SECRET_KEY": secrets.token_urlsafe(50),
        "SIFA_ALLOWED_HOSTS": "sifa.example.gov.cn",
        "SIFA_VAR_DIR": str(tmp_path),
        "SIFA_HASH_KEY": GOOD,
        "SIFA_AUDIT_KEY": GOOD,
    }
    proc = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "sifa.E100" in proc.stderr and "SIFA_FIELD_KEY" in proc.stderr and "SIFA_HASH_KEY" not in proc.stderr
