"""Cross-cutting middleware: request ids, security headers, and a clean page
when the database is unavailable."""

from __future__ import annotations

import contextlib
import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.shortcuts import render

from . import context

log = logging.getLogger("sifa.request")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = context.RequestContext(
            ip=context.client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
            path=request.path[:200],
        )
        request.request_id = ctx.request_id
        token = context.activate(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.deactivate(token)
        response["X-Request-ID"] = ctx.request_id
        return response


class DatabaseUnavailableMiddleware:
    """A database that goes away mid-request gives a clean 503 page, not a trace.

    Connections are closed so that the next request reconnects by itself when
    the database is back (CONN_HEALTH_CHECKS is on as well).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (isinstance(exception, DatabaseError) and "connection" in str(exception).lower()):
            log.error("database unavailable: %s (request %s)", exception, getattr(request, "request_id", ""))
            for conn in connections.all():
                with contextlib.suppress(Exception):  # the connection is already broken
                    conn.close()
            return render(request, "errors/503.html", status=503)
        return None


class SecurityHeadersMiddleware:
    """CSP for every page; no-store on every page a signed-in user sees
    (they may carry personal data) and on API answers."""

    CSP = (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'self'; object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The API docs (Swagger UI) need inline bootstrapping from the sidecar package.
        if not request.path.startswith("/api/v1/docs"):
            response.setdefault("Content-Security-Policy", self.CSP)
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        if not settings.DEBUG:
            response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
