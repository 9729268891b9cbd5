"""Test settings: fast hashing, no throttling surprises, files in a temp dir."""

import os
import tempfile
from pathlib import Path

import dj_database_url

from .base import *  # noqa: F403

# The kernel's own test line (sifa/cases/tests/testline): a line declared with
# the kit, installed only here.
INSTALLED_APPS = [*INSTALLED_APPS, "sifa.cases.tests.testline"]

SIFA_ENVIRONMENT = "test"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_tmp = Path(tempfile.mkdtemp(prefix="sifa-test-"))
MEDIA_ROOT = _tmp / "media"
STATIC_ROOT = _tmp / "static"
STATIC_ROOT.mkdir()
WHITENOISE_USE_FINDERS = True
SIFA_KEY_DIR = _tmp / "keys"
SIFA_AUDIT_CHECKPOINT_FILE = _tmp / "audit" / "checkpoints.jsonl"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Jobs run inside the request, as the tests expect; the one real-worker test
# (sifa/ledgers/tests/test_worker_real.py) overrides this.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Replica reads stay off for the whole suite: every test reads and writes the
# primary only. The replica's own tests (sifa/common/tests/test_replica.py)
# switch them on against the harness's streaming replica (tools/pgharness.py
# exports SIFA_TEST_REPLICA_URL, never DATABASE_REPLICA_URL). As in base.py, the
# alias is a TEST MIRROR of default: Django points it at the primary's test
# database name, which the replica has by streaming, and never creates or
# flushes anything on it.
SIFA_REPLICA_READS = False
if os.environ.get("SIFA_TEST_REPLICA_URL") and "replica" not in DATABASES:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["SIFA_TEST_REPLICA_URL"],
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=DATABASES["default"]["CONN_HEALTH_CHECKS"],
        ),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["sifa.common.dbrouter.PrimaryReplicaRouter"]
