"""Settings of the load benchmark (benchmarks/load.py): the shipped production
settings, with only what a loopback benchmark needs on top.

* SIFA_SECRET_KEY, SIFA_VAR_DIR (static files, media, keys, audit checkpoints)
  and DATABASE_URL come from the environment, set by load.py (a throwaway key
  and directory, the harness's PostgreSQL).
* ALLOWED_HOSTS: the loopback address gunicorn listens on.
* The test line (ZZ) is installed and the benchmark's KPIs registered (the
  ``benchmarks`` app): the loaded cases are that line's, as in run.py.

Nothing else changes: HTTPS redirect, secure cookies, HSTS, 2FA for every
staff role, the database task queue and SIFA_CONN_MAX_AGE stay as in
production. There is no TLS on loopback, so the load generator sends
``X-Forwarded-Proto: https`` as nginx does, and its session cookies
as a header (load.py signs the users in beforehand, second factor passed)."""

from config.settings.prod import *  # noqa: F403
from config.settings.prod import INSTALLED_APPS

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [*INSTALLED_APPS, "sifa.cases.tests.testline", "benchmarks"]
