"""What an app server does once at start so that its first user does not pay for it:
the whole URL configuration imported (every app's views, about half a second), the
tables ``reverse()`` reads built, the pages people open first compiled, and what all
that allocated frozen out of the garbage collector's reach. Called from
``config/wsgi.py`` after the application is built (gunicorn preloads it in the
master, so every forked worker starts warm);
``benchmarks/cold.py`` calls it too, so the "cold" dashboard it measures is the first
request after a real server start.

Nothing here reads the database: a server must start while PostgreSQL is still coming up.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)

# The templates of the pages opened first after a start: the desk, a list, a case, the overview.
FIRST_PAGES = ("base.html", "cases/home.html", "cases/list.html", "cases/detail.html", "stats/dashboard.html")


def warm() -> None:
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports every app's urls and views)
    _reverse_ready(resolver)
    for name in FIRST_PAGES:
        try:
            get_template(name)
        except TemplateDoesNotExist:  # an app left out of this installation
            log.debug("warm-up: no template %s", name)
    # Everything built so far lives as long as the process: out of the collector's sight.
    # The first request otherwise paid a full collection of the start-up heap (about
    # 100 ms of a cold dashboard, issue 19), and gunicorn's forked workers (preload_app)
    # keep sharing those pages instead of copying them when the collector touches them.
    gc.collect()
    gc.freeze()


def _reverse_ready(resolver) -> None:
    """Build the tables ``reverse()`` reads (the root's and each namespace's), which
    Django builds on the first reverse: 80 ms of the first dashboard after a start."""
    resolver.reverse_dict  # noqa: B018
    for _prefix, sub in resolver.namespace_dict.values():
        _reverse_ready(sub)
