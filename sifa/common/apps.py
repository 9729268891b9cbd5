from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "sifa.common"
    label = "common"
    verbose_name = "公共"

    def ready(self):
        from django.core import checks

        from . import integers
        from .checks import check_keys

        # An id beyond 64 bits names no row, through a foreign key or an ``in`` list too.
        integers.install()

        # Not deploy-only: runserver, migrate and every command check the keys too.
        checks.register(check_keys, checks.Tags.security)
