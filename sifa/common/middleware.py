"""Cross-cutting middleware: request ids, security headers, and a clean page
when the database is unavailable."""

from __future__ import annotations

import contextlib
import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader

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
            context.run_after_response(ctx)
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
        if is_database_unavailable(exception):
            return database_unavailable_response(request, exception)
        return None


def is_database_unavailable(exception) -> bool:
    return isinstance(exception, (OperationalError, InterfaceError)) or (isinstance(exception, DatabaseError) and "connection" in str(exception).lower())


def database_unavailable_response(request, exception) -> HttpResponse:
    """The clean 503 answer. Rendered without the request context: the frame's
    context processors read the database, which is what just failed. Also used by
    the 500 handler, for failures in middleware (session, user) before any view."""
    log.error("database unavailable: %s (request %s)", exception, getattr(request, "request_id", ""))
    for conn in connections.all():
        with contextlib.suppress(Exception):  # the connection is already broken
            conn.close()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "数据库暂时无法连接，请稍后重试。您刚才的操作未被保存。"}, status=503)
    return HttpResponse(loader.render_to_string("errors/503.html"), status=503)


class SecurityHeadersMiddleware:
    """CSP for every page; no-store on every page a signed-in user sees
    (they may carry personal data) and on API answers. Addresses carrying a NUL
    character are refused with 400."""

    CSP = (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'self'; object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            # No database column can hold a NUL character and no honest client sends
            # one: refuse it here rather than let a query fail with a 500.
            from .views import bad_request

            response = bad_request(request)
        else:
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
