"""The menu's numbers (待分配案件, 待办工单, 脱管预警, 未衔接人员, 我的填报) and the top bar's
bell, kept a short while.

Every page draws the menu, and each number was a COUNT over the user's scope: four or five
queries on every page, a third of a list page's SQL (issue 19). So the menu shows a copy per
user kept in Django's cache for at most ``MAX_AGE`` seconds.

Correctness first: a row saved or deleted through the ORM in an app a number counts from
(a case registered, assigned, moved on; a work order dispatched; a filing submitted) starts
a new generation of that number's copies at once, and again when the transaction commits
(a page counting in between would otherwise keep the old figure), for every user the row
can concern:

* those whose scope (``scope_resolver``: the org whose subtree bounds what they see) holds
  the row: the generation is kept per organisation, and a row's change starts a new one for
  every organisation on its path (its own ``org_path``, or that of the case or organisation
  it points to), so the office, its bureau and the city above it recount, and the other
  offices keep their copies;
* the users it names (a handler, an assignee, the one who acted);
* everyone, when the row can be placed nowhere (an organisation itself changed, a row
  loaded raw, or ``forget()`` called without places).

Before, every change started a new generation for every user: under a few registrations a
second, every page of every user counted afresh, and a page cost a fifth more the more
users were at work (issue 19's mixed load). What no signal announces (a bulk ``update()``,
a case moved out of a subtree, another process's cache when the cache is per process, a
day passing into a new deadline) shows on everyone's page within ``MAX_AGE`` seconds: the
stated maximum age of a number seen by anyone else. The pages the numbers lead to always
count afresh.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

MAX_AGE = 60  # seconds: how old a number on someone else's menu may be
# How long a generation is remembered. One forgotten is started afresh (a new random token),
# which only costs a recount: it never brings an old copy back.
GENERATION_AGE = 3600

_PREFIX = "sifa:badge"
_TREE = "orgs.org"  # the organisation tree's model: its rows carry ``path``, the others ``org_path``
_watched: dict[str, set[str]] = {}  # app label -> names of the badges counted from its rows


def _default_scope(user) -> int | None:
    return getattr(user, "org_id", None)


# user -> the pk of the org whose subtree bounds what the user sees (None: no subtree).
# The case registry sets its own (``cases.selectors.scope_root``) when it is ready.
scope_resolver: Callable[[object], int | None] = _default_scope


def _key(name: str, place: str = "") -> str:
    return f"{_PREFIX}:{name}:g{place}"


def _new() -> str:
    return uuid.uuid4().hex[:12]


def forget(*names: str, orgs: Iterable[int] = (), users: Iterable[int] = ()) -> None:
    """Start a new generation of these badges (all when none named). With ``orgs`` or
    ``users``, only for the users whose scope is one of those organisations' subtrees and
    for those users; without, for everyone."""
    names = names or tuple({n for ns in _watched.values() for n in ns})
    places = [f":o{pk}" for pk in orgs] + [f":u{pk}" for pk in users]
    token = _new()
    cache.set_many({_key(name, place): token for name in names for place in places or [""]}, GENERATION_AGE)


def _forget_at(names: tuple[str, ...], places: tuple[set[int], set[int]] | None) -> None:
    if places is None:
        forget(*names)
    else:
        forget(*names, orgs=places[0], users=places[1])


def places_of(instance, *, raw: bool = False) -> tuple[set[int], set[int]] | None:
    """(organisations, users) a row's change concerns; None when it cannot be placed.

    The organisations are every one on the row's path: its own ``org_path`` (a case, a
    share, a register), the path of each case-like row or organisation it points to. Such a
    pointed-to row is read only when not already loaded, one query per model."""
    meta = instance._meta
    if raw or meta.label_lower == _TREE:
        return None
    paths: list[str] = []
    own = getattr(instance, "org_path", None)
    if isinstance(own, str) and own:
        paths.append(own)
    users: set[int] = set()
    if meta.label_lower == settings.AUTH_USER_MODEL.lower() and instance.pk is not None:
        users.add(instance.pk)  # a user's own role or organisation changed
    pending: dict[type, tuple[str, set]] = {}
    for f in meta.concrete_fields:
        if not (f.many_to_one or f.one_to_one) or f.related_model is None:
            continue
        value = getattr(instance, f.attname)
        if value is None:
            continue
        model = f.related_model
        if model._meta.label_lower == settings.AUTH_USER_MODEL.lower():
            users.add(value)
            continue
        attr = _path_attr(model)
        if attr is None:
            continue
        loaded = f.get_cached_value(instance, None)
        if loaded is not None:
            paths.append(getattr(loaded, attr))
        else:
            pending.setdefault(model, (attr, set()))[1].add(value)
    known = {pk for p in paths for pk in _ids(p)}
    for model, (attr, pks) in pending.items():
        if model._meta.label_lower == _TREE:
            pks -= known  # a case's own bureau and office are already on its path
        if pks:
            paths += model._base_manager.using(DEFAULT_DB_ALIAS).filter(pk__in=pks).values_list(attr, flat=True)
    orgs = {pk for p in paths for pk in _ids(p)}
    if not orgs and not users:
        return None
    return orgs, users


@functools.cache
def _path_attr(model) -> str | None:
    """The field that places a row of ``model`` in the tree (once per model: every save asks)."""
    if model._meta.label_lower == _TREE:
        return "path"
    return "org_path" if any(f.name == "org_path" for f in model._meta.concrete_fields) else None


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def _generations(name: str, user) -> str:
    """The generations that key this user's copy: everyone's, their scope's, their own."""
    # Once per request (the user object lives as long as it), and again if the user's
    # organisation or role changed on the way.
    memo_key = (getattr(user, "org_id", None), getattr(user, "role", None))
    memo = getattr(user, "_sifa_badge_scope", None)
    if memo is not None and memo[0] == memo_key:
        scope = memo[1]
    else:
        scope = scope_resolver(user)
        user._sifa_badge_scope = (memo_key, scope)
    keys = [_key(name), _key(name, f":u{user.pk}")]
    if scope is not None:
        keys.append(_key(name, f":o{scope}"))
    found = cache.get_many(keys)
    parts = []
    for k in keys:
        g = found.get(k)
        if g is None:
            g = _new()
            # add, not set: two requests starting the first generation agree on one.
            if not cache.add(k, g, GENERATION_AGE):
                g = cache.get(k) or g
        parts.append(g)
    return ".".join(parts)


def cached_badge(name: str, fn: Callable[[object], int], *, apps: Iterable[str], max_age: int = MAX_AGE) -> Callable[[object], int]:
    """``fn(user)`` for the menu, from the cache when counted in the last ``max_age`` seconds.
    ``apps``: the app labels whose rows the number counts (a save or delete there forgets it)."""
    for label in apps:
        _watched.setdefault(label, set()).add(name)

    def badge(user) -> int:
        if getattr(user, "pk", None) is None:
            return fn(user)
        # The day is in the key: a number that counts what is overdue changes at midnight.
        key = f"{_PREFIX}:{name}:{user.pk}:{timezone.localdate().isoformat()}:{_generations(name, user)}"
        count = cache.get(key)
        if count is None:
            count = fn(user)
            cache.set(key, count, max_age)
        return count

    badge.uncached = fn  # the exact count, for tests and for pages that must not lag
    badge.__name__ = f"cached_{name}"
    return badge


def _changed(sender, instance=None, raw=False, **kwargs) -> None:
    names = _watched.get(getattr(getattr(sender, "_meta", None), "app_label", ""))
    if not names:
        return
    names = tuple(names)
    places = places_of(instance, raw=raw) if instance is not None else None
    _forget_at(names, places)
    _again_at_commit(names, places)


def _again_at_commit(names: tuple[str, ...], places: tuple[set[int], set[int]] | None) -> None:
    """Again once the change is visible to other connections: a page counting between the
    save and the commit saw the old rows and kept its copy under the new generation.

    A transaction's changes are gathered, and the first of its callbacks after the commit
    starts their generations in one write per set of badges; the others find nothing left.
    A registration saves the case, its line's record and its timeline entry, each for the
    same places: one write, not three (issue 19). The gathering belongs to the callbacks
    still waiting on the connection: after a rollback none is, and the next change starts
    a new one."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        return  # autocommit: the row was visible to all when the signal came
    pending = _gathering(conn)
    if places is None or pending.get(names, ()) is None:
        pending[names] = None
    else:
        orgs, users = pending.setdefault(names, (set(), set()))
        orgs |= places[0]
        users |= places[1]
    transaction.on_commit(functools.partial(_flush, pending))


def _gathering(conn) -> dict:
    """This transaction's gathered changes: those a callback still waiting on the
    connection will start, else a new gathering."""
    held = conn.__dict__.get("_sifa_badges")  # (the callbacks' list when last seen, the gathering)
    if held is not None and held[0] is not conn.run_on_commit:
        # A new transaction, or a savepoint rolled back (Django rebuilds the list): is one of
        # this gathering's callbacks still waiting?
        waiting = any(isinstance(f, functools.partial) and f.func is _flush and f.args[0] is held[1] for _sids, f, _robust in conn.run_on_commit)
        held = (conn.run_on_commit, held[1]) if waiting else None
        conn.__dict__["_sifa_badges"] = held
    if held is None:
        held = conn.__dict__["_sifa_badges"] = (conn.run_on_commit, {})
    return held[1]


def _flush(pending: dict) -> None:
    while pending:
        names, places = pending.popitem()
        _forget_at(names, places)


post_save.connect(_changed, dispatch_uid="sifa.common.badges.save")
post_delete.connect(_changed, dispatch_uid="sifa.common.badges.delete")
