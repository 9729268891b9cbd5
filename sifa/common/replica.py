"""Reads from a PostgreSQL streaming replica, only where they were asked for
(docs/adr/0020-read-replica.md).

A replica is a few hundred milliseconds behind the primary, more under load. So
nothing reads it by default: a read goes there only inside an explicit
``reading_replica()`` scope, and even then not inside a transaction (whatever
reads inside ``atomic()`` is about to decide a write). Every write goes to the
primary (``sifa.common.dbrouter``).

Who enters the scope:

* ``ReplicaReadsMiddleware``, for GET/HEAD requests to the views declared in
  ``READ_VIEWS`` (the dashboard, the statistics pages and API, the annual
  report's pages): figures that may be a second old;
* the ledger export job (``sifa.ledgers.jobs.run_export``) while it collects
  its rows, which also builds the report's Word file.

Read-your-own-write: a case page, a job page, a form after its POST are not in
the list, so they read the primary. Within the list, a browser that has just
written (any POST/PUT/PATCH/DELETE) carries a short-lived cookie that keeps it
on the primary for ``SIFA_REPLICA_PIN_SECONDS``; a session the replica does not
have yet (a fresh sign-in, a new session key) is read from the primary, and the
rest of that request too.

With no replica configured (no ``replica`` alias in DATABASES) all of this is a
no-op.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.urls import Resolver404, resolve

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"

# Declared once: a namespace ("stats": every page of the statistics app) or a
# "namespace:name". Settings may replace it (SIFA_REPLICA_READ_VIEWS). Only
# views whose GET reads figures belong here; never a page that shows a record
# its user may have just written (a case, a job's progress).
READ_VIEWS: tuple[str, ...] = (
    "stats",  # 指挥中心 (dashboard, wall), drill-down, tables, definitions, line figures, returns, the annual report's pages
    "api:stats-kpis",
    "api:stats-kpi",
)

PIN_COOKIE = "sifa_primary_until"
DEFAULT_PIN_SECONDS = 10
_SAFE_METHODS = ("GET", "HEAD")
# A replica that refused a connection is left alone this long (per process):
# its readers use the primary meanwhile instead of answering 503.
DOWN_SECONDS = 30

log = logging.getLogger("sifa.replica")
_down_until = 0.0


class _Scope:
    __slots__ = ("active",)

    def __init__(self, active: bool):
        self.active = active


# None: no scope (the primary). A mutable scope so that code deep inside a
# request can send the rest of it to the primary (stay_on_primary).
_scope: ContextVar[_Scope | None] = ContextVar("sifa_replica_scope", default=None)


def configured() -> bool:
    """A replica alias exists and replica reads are switched on (the test
    settings switch them off for every test but the replica's own)."""
    return REPLICA in settings.DATABASES and getattr(settings, "SIFA_REPLICA_READS", True)


def reachable() -> bool:
    """Whether the replica takes connections. Opening it is no extra cost: the
    scope's first read would open it anyway. A refusal (the replica is down, or
    being rebuilt) sends this process's replica reads to the primary for
    DOWN_SECONDS, so the dashboard slows down rather than fails. Put a
    ``connect_timeout`` in DATABASE_REPLICA_URL so an unreachable host fails fast."""
    global _down_until
    if time.monotonic() < _down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError as exc:
        _down_until = time.monotonic() + DOWN_SECONDS
        log.warning("read replica unavailable, reading the primary for %ss: %s", DOWN_SECONDS, exc)
        return False
    return True


@contextmanager
def reading_replica():
    """Reads inside go to the replica (when one is configured, reachable, and no
    transaction is open). Usable as a decorator too."""
    token = _scope.set(_Scope(configured() and reachable()))
    try:
        yield
    finally:
        _scope.reset(token)


@contextmanager
def reading_primary():
    """Reads inside go to the primary, even within a replica scope."""
    token = _scope.set(None)
    try:
        yield
    finally:
        _scope.reset(token)


def stay_on_primary() -> None:
    """The rest of the current replica scope reads the primary (the replica was
    found behind for this request)."""
    scope = _scope.get()
    if scope is not None:
        scope.active = False


def in_scope() -> bool:
    scope = _scope.get()
    return scope is not None and scope.active


def alias_for_read() -> str:
    """Where a read made now goes."""
    if not in_scope() or not configured():
        return PRIMARY
    # Inside atomic() a read usually precedes a write that depends on it (a
    # lock, a check, a counter): the primary, always.
    if connections[PRIMARY].in_atomic_block:
        return PRIMARY
    return REPLICA


# --- which requests -----------------------------------------------------------------------------


def read_views() -> frozenset[str]:
    return frozenset(getattr(settings, "SIFA_REPLICA_READ_VIEWS", READ_VIEWS))


def declared(request) -> bool:
    """Whether the request's URL resolves to a view declared for replica reads."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    names = read_views()
    return match.view_name in names or bool(match.namespace) and match.namespace in names


def pin_seconds() -> int:
    return int(getattr(settings, "SIFA_REPLICA_PIN_SECONDS", DEFAULT_PIN_SECONDS))


def pinned(request) -> bool:
    """The browser wrote within the last pin_seconds(): it reads the primary."""
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


def _pin(response) -> None:
    seconds = pin_seconds()
    if seconds <= 0:
        return
    # The deadline is in the value as well as in max-age: a client that keeps
    # expired cookies (a script, the test client) is not pinned for ever. The
    # cookie only ever sends reads to the primary, so a forged one harms nobody.
    response.set_cookie(
        PIN_COOKIE,
        f"{time.time() + seconds:.0f}",
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _session_from_primary_if_missing(request) -> None:
    """Load the session now, from the replica; when the replica has no live row
    for the browser's key (a session written a moment ago: a sign-in, a cycled
    key, an idle clock just renewed past its old expiry), load it from the
    primary instead and keep the rest of the request there, since the replica is
    behind for this user."""
    session = getattr(request, "session", None)
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if session is None or not key:
        return
    session.keys()  # loads it (django.contrib.sessions reads lazily)
    if session.session_key is not None:
        return
    with reading_primary():
        fresh = type(session)(key)
        fresh.keys()
    if fresh.session_key is not None:
        request.session = fresh
        stay_on_primary()


class ReplicaReadsMiddleware:
    """Enters the replica scope for safe requests to the declared views, and pins
    a browser that has just written to the primary for a few seconds.

    Sits right after SessionMiddleware (so it can swap a session the replica
    does not have yet) and before AuthenticationMiddleware (so the user, the
    second factor's device and everything after are read in the scope)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        if request.method not in _SAFE_METHODS:
            response = self.get_response(request)
            _pin(response)
            return response
        if pinned(request) or not declared(request):
            return self.get_response(request)
        with reading_replica():
            _session_from_primary_if_missing(request)
            return self.get_response(request)
