"""Production settings. Everything secret comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

SIFA_ENVIRONMENT = "prod"
DEBUG = False

SECRET_KEY = os.environ.get("SIFA_SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("生产环境必须设置 SIFA_SECRET_KEY。")
ALLOWED_HOSTS = [h for h in os.environ.get("SIFA_ALLOWED_HOSTS", "").split(",") if h]

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# In production the 2FA requirement is on for every staff role unless the
# security administrator relaxes it (see accounts.RoleSetting).

# Background jobs go to the database queue and run in `manage.py worker` (docs/adr/0018).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
