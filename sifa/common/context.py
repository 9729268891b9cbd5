"""The current request's facts (user, IP, request id) for the audit log.

Set by RequestIdMiddleware; services read them through ``current()`` so that
they do not need the request passed down just to write an audit entry.
"""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass, field


@dataclass
class RequestContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    ip: str = ""
    user_agent: str = ""
    path: str = ""
    # Work to run once the view has answered, outside any transaction it rolled
    # back: the audit entry of a refusal raised inside a service's transaction.
    after_response: list = field(default_factory=list)


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("sifa_request", default=None)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        ctx = RequestContext()
    return ctx


def active() -> RequestContext | None:
    """The current request's context, or None outside a request (shell, task)."""
    return _current.get()


def run_after_response(ctx: RequestContext) -> None:
    """Run what ``after_response`` holds (each once; one failing never hides the rest)."""
    import logging

    while ctx.after_response:
        fn = ctx.after_response.pop(0)
        try:
            fn()
        except Exception:  # the answer is already made: log and go on
            logging.getLogger("sifa.request").exception("after-response work failed")


def activate(ctx: RequestContext):
    return _current.set(ctx)


def deactivate(token) -> None:
    _current.reset(token)


def client_ip(request) -> str:
    # Behind a reverse proxy the deployment sets SIFA_TRUST_X_FORWARDED_FOR; we never
    # trust the header by default because it is client-controlled.
    from django.conf import settings

    if getattr(settings, "SIFA_TRUST_X_FORWARDED_FOR", False):
        fwd = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if fwd:
            return fwd.split(",")[0].strip()[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]
