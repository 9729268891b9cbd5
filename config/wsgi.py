import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()

# Servers run no system checks: refuse to start without readable keys, rather than
# failing at their first use in front of a user (sifa.common.checks).
from sifa.common.checks import refuse_without_keys  # noqa: E402 (needs the app registry)

refuse_without_keys()

# Import every app's pages and compile the first templates now, not in the first
# user's request (sifa.common.warmup).
from sifa.common.warmup import warm  # noqa: E402

warm()
