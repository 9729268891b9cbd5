"""The benchmark as an installed app, only in benchmarks/settings.py (the load
benchmark's gunicorn): registers the test line's and the benchmark's KPIs at
start, as run.py does in its own process."""

from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "benchmarks"
    label = "benchmarks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .kpis import register

        register()
