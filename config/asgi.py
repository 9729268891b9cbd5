import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_asgi_application()

# Servers run no system checks: refuse to start without readable keys, rather than
# failing at their first use in front of a user (sifa.common.checks).
from sifa.common.checks import refuse_without_keys  # noqa: E402 (needs the app registry)

refuse_without_keys()
