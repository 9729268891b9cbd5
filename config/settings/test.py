"""Test settings: fast hashing, no throttling surprises, files in a temp dir."""

import tempfile
from pathlib import Path

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
