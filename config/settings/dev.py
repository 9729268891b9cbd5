"""Development / demo settings: `make run` uses these (embedded SQLite by default).

DEBUG is off unless asked for (SIFA_DEBUG=1): the demo is shown to bureau staff,
and they must meet the platform's own Chinese error pages (404, 403, 500), never
Django's debug pages, which also list every URL and setting. Tracebacks still go
to the console. Static files are served by WhiteNoise straight from the app
directories (as in the tests), so nothing needs collecting first.
"""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("SIFA_DEBUG", "") == "1"
SIFA_ENVIRONMENT = "dev"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Background jobs go to the database queue and run in `manage.py worker` (docs/adr/0018).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
