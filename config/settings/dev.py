"""Development / demo settings: `make run` uses these (embedded SQLite by default)."""

from .base import *  # noqa: F403

DEBUG = True
SIFA_ENVIRONMENT = "dev"
