"""What an app server does once at start so that its first user does not pay for it:
the whole URL configuration imported (every app's views, about half a second) and the
pages people open first compiled. Called from ``config/wsgi.py`` after the application
is built (gunicorn preloads it in the master, so every forked worker starts warm);
``benchmarks/cold.py`` calls it too, so the "cold" dashboard it measures is the first
request after a real server start.

Nothing here reads the database: a server must start while PostgreSQL is still coming up.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

# The templates of the pages opened first after a start: the desk, a list, a case, the overview.
FIRST_PAGES = ("base.html", "cases/home.html", "cases/list.html", "cases/detail.html", "stats/dashboard.html")


def warm() -> None:
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every app's urls and views)
    for name in FIRST_PAGES:
        try:
            get_template(name)
        except TemplateDoesNotExist:  # an app left out of this installation
            log.debug("warm-up: no template %s", name)
