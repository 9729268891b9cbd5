"""Settings shared by every environment. No business code here.

Environment variables (all optional in development):
  DATABASE_URL        postgres://user:pass@host:port/db ; default: SQLite file under var/
  DATABASE_REPLICA_URL  optional streaming read replica of DATABASE_URL (docs/adr/0020-read-replica.md)
  SIFA_SECRET_KEY     Django secret key (required in production)
  SIFA_FIELD_KEY      base64 key (32 bytes) for field encryption; default: var/keys/field.key
  SIFA_HASH_KEY       base64 key for keyed lookup hashes; default: var/keys/hash.key
  SIFA_AUDIT_KEY      base64 key (32 bytes) for the audit chain's HMAC; default: var/keys/audit.key
  SIFA_AUDIT_CHECKPOINT_FILE  where audit checkpoints are appended; default: var/audit/checkpoints.jsonl
  SIFA_DB_APP_ROLE    the application's PostgreSQL login, granted its rights after each migrate
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("SIFA_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SIFA_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

# Core apps first, then business lines. Business lines plug into the case
# registry from their AppConfig.ready(); the core never imports them.
SIFA_CORE_APPS = [
    "sifa.common",
    "sifa.orgs",
    "sifa.accounts",
    "sifa.audit",
    "sifa.cases",
    "sifa.deadlines",
    "sifa.attachments",
    "sifa.registers",
    "sifa.stats",
    "sifa.filings",  # hand-filled indicators (填报) for work no line runs yet
    "sifa.ledgers",
    "sifa.portal",
    "sifa.demo",
]
SIFA_LINE_APPS: list[str] = ["sifa.mediation", "sifa.reconsideration", "sifa.legal_aid", "sifa.hotline", "sifa.correction", "sifa.resettlement"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    *SIFA_CORE_APPS,
    *SIFA_LINE_APPS,
]

MIDDLEWARE = [
    "sifa.common.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sifa.common.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sifa.common.replica.ReplicaReadsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sifa.accounts.middleware.SessionLimitsMiddleware",
    "sifa.accounts.middleware.SecondFactorMiddleware",
    "sifa.accounts.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sifa.common.middleware.SecurityHeadersMiddleware",
    # Axes must be last: it inspects the response of the login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sifa" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sifa.cases.context_processors.frame",
            ],
            # Django's ``date`` filter with its two common formats written directly, and its
            # ``url`` tag with addresses of whole numbers built from a kept shape (issue 19).
            "builtins": ["sifa.common.templatetags.fastdate", "sifa.common.templatetags.fasturl"],
        },
    },
]

# <select> written in Python, the same markup (sifa/common/renderers.py: its options were 40% of a list page).
FORM_RENDERER = "sifa.common.renderers.FormRenderer"

# Django's per-process memory cache, with room for the menu's numbers and the bell of every
# user at work (a copy and a generation per user and number, common.badges): the default
# 300 entries were culled a third at a time under a few dozen users, and every culled copy
# is a recount. Several web servers share one cache instead (docs/scale.md "Cache").
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
}

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'sifa.sqlite3'}",
        # Persistent connections (docs/runbook.md "Database connections"): a new PostgreSQL
        # connection costs 15-40 ms a request (issue 19), so each is kept 60 s by default, checked
        # before reuse (conn_health_checks). SQLite stays at 0: opening the file costs
        # microseconds, and runserver's thread per request would leave a connection per thread.
        conn_max_age=int(os.environ.get("SIFA_CONN_MAX_AGE") or (60 if (os.environ.get("DATABASE_URL") or "").startswith(("postgres", "pgsql")) else 0)),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout so the demo server and a management command can share the file.
    # IMMEDIATE: a transaction takes the write lock when it begins, so it waits out the
    # busy timeout there. A deferred one that reads (the audit chain's last hash) and then
    # writes fails at once with "database is locked" when another request wrote meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"}
    )
# An optional streaming read replica (docs/adr/0020-read-replica.md, runbook "Read replica").
# Only reads explicitly scoped by sifa.common.replica go there (the dashboard, statistics,
# reports, exports); every write and every other read stays on the primary. The connection
# settings follow the primary's. TEST MIRROR: tests never create or flush a database on it;
# it serves the primary's test database by streaming.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=DATABASES["default"]["CONN_HEALTH_CHECKS"],
        ),
        "TEST": {"MIRROR": "default"},
    }
    # The primary's options (a pool, sslmode …), then the replica URL's own (?connect_timeout=3).
    DATABASES["replica"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **DATABASES["replica"].get("OPTIONS", {})}
    DATABASE_ROUTERS = ["sifa.common.dbrouter.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the user's organisation read with the user (issue 19).
    "sifa.accounts.backends.UserWithOrgBackend",
]

# --- passwords (SECURITY.md: ≥8 chars, ≥3 of 4 classes, not common, not like the username,
#     90-day expiry, no reuse of the last 5) ---
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "sifa.accounts.passwords.UsernameContainmentValidator"},
    {"NAME": "sifa.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "sifa.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "sifa.accounts.passwords.HistoryValidator", "OPTIONS": {"keep": 5}},
]
SIFA_PASSWORD_MAX_AGE_DAYS = 90

# --- login failures: 5 in 30 minutes lock the account for 30 minutes, across IPs ---
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
# Per account, across IPs (SECURITY.md). Not per IP: offices sit behind one NAT
# address, and five typos by one clerk must not lock out the whole office.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sifa.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_USERNAME_FORM_FIELD = "username"

# --- sessions: idle 15 min, absolute 12 h, killed server-side at logout ---
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 15 * 60
# The idle clock is pushed at most once a minute (SessionLimitsMiddleware), not
# by a session write on every request (issue 19); background polls never push it.
SESSION_SAVE_EVERY_REQUEST = False
SIFA_SESSION_REFRESH_SECONDS = 60
SIFA_SESSION_WARN_SECONDS = 2 * 60
# Form content posted after a logout, kept server-side for its owner (accounts.formkeep).
SIFA_FORMKEEP_SECONDS = 15 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SIFA_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
CSRF_COOKIE_HTTPONLY = False

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:home"
LOGOUT_REDIRECT_URL = "accounts:login"

OTP_TOTP_ISSUER = "sifa 司法行政一体化平台"

# --- i18n: the UI is Simplified Chinese, time is shown in Asia/Shanghai, stored in UTC ---
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["sifa.common.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "sifa" / "static"]
MEDIA_ROOT = VAR_DIR / "media"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- uploads ---
SIFA_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- field encryption keys live outside the database ---
SIFA_KEY_DIR = Path(os.environ.get("SIFA_KEY_DIR", VAR_DIR / "keys"))
SIFA_FIELD_KEY = os.environ.get("SIFA_FIELD_KEY", "")
SIFA_HASH_KEY = os.environ.get("SIFA_HASH_KEY", "")
# The audit chain's key lives outside the database like the field keys: whoever
# holds only the database login cannot recompute a rewritten chain.
SIFA_AUDIT_KEY = os.environ.get("SIFA_AUDIT_KEY", "")
# Checkpoints go outside the database too (ship this file to write-once storage
# or send the sifa.audit.checkpoint log to syslog; docs/runbook.md).
SIFA_AUDIT_CHECKPOINT_FILE = Path(os.environ.get("SIFA_AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit" / "checkpoints.jsonl"))
# Set in the environment of `migrate` (run as the owner): the application's own
# login, which then gets every right except rewriting the audit tables.
SIFA_DB_APP_ROLE = os.environ.get("SIFA_DB_APP_ROLE", "")

# --- public base URL printed in case QR codes; proxy trust for client IPs ---
SIFA_PUBLIC_URL = os.environ.get("SIFA_PUBLIC_URL", "http://127.0.0.1:8000")
SIFA_TRUST_X_FORWARDED_FOR = os.environ.get("SIFA_TRUST_X_FORWARDED_FOR") == "1"

# --- deadlines: 临期 when due within this many working days ---
SIFA_DUE_SOON_WORKDAYS = 3

# --- API ---
REST_FRAMEWORK = {
    # Token first: a bad or missing token then answers 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sifa.accounts.authentication.PolicyTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "sifa.common.paging.CappedPagination",  # counts up to 10,000 rows (paging.py)
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "sifa.common.api.exception_handler",
    # Every body's strings lose their control characters on the way in (sifa.common.parsers).
    "DEFAULT_PARSER_CLASSES": ["sifa.common.parsers.CleanJSONParser", "sifa.common.parsers.CleanFormParser", "sifa.common.parsers.CleanMultiPartParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "sifa 司法行政一体化平台 API",
    "DESCRIPTION": "案件登记、期限、各业务条线的接口。访问范围与页面相同。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",  # the default points at a CDN; intranets have none
    # Named explicitly so that other "kind" choice sets do not collide with it (drf_spectacular.W001).
    "ENUM_NAME_OVERRIDES": {"PartyKindEnum": "sifa.cases.choices.PartyKind"},
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- background work (Django task API backport); immediate by default ---
# Immediate (inside the request) unless a settings module says otherwise: dev and prod
# queue jobs in the database for `manage.py worker` (docs/adr/0018-background-worker.md).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"sifa": {"level": "INFO"}},
}
