"""The menu's numbers (待分配案件, 待办工单, 脱管预警, 未衔接人员, 我的填报), kept a short while.

Every page draws the menu, and each number was a COUNT over the user's scope: four or five
queries on every page, a third of a list page's SQL (issue 19). Like the top bar's bell
(``deadlines.selectors.frame_bell_count``), the menu shows a copy per user kept in Django's
cache for at most ``MAX_AGE`` seconds.

Correctness first: a row saved or deleted through the ORM in an app a number counts from
(a case registered, assigned, moved on; a work order dispatched; a filing submitted) starts
a new generation of that number's copies at once, for every user, and again when the
transaction commits (a page counting in between would otherwise keep the old figure). So
the user's own action shows on their next page. What no signal announces (a bulk
``update()``, another process's cache when the cache is per process, a day passing into a
new deadline) shows on everyone's page within ``MAX_AGE`` seconds: the stated maximum age
of a badge seen by anyone else. The pages the numbers lead to always count afresh.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

MAX_AGE = 60  # seconds: how old a number on someone else's menu may be

_PREFIX = "sifa:badge"
_watched: dict[str, set[str]] = {}  # app label -> names of the badges counted from its rows


def _generation_key(name: str) -> str:
    return f"{_PREFIX}:{name}:generation"


def forget(*names: str) -> None:
    """Start a new generation of these badges (all when none named): counted afresh on the next page."""
    for name in names or {n for ns in _watched.values() for n in ns}:
        cache.set(_generation_key(name), uuid.uuid4().hex, None)


def _generation(name: str) -> str:
    generation = cache.get(_generation_key(name))
    if generation is None:
        generation = uuid.uuid4().hex
        # add, not set: two requests starting the first generation agree on one.
        if not cache.add(_generation_key(name), generation, None):
            generation = cache.get(_generation_key(name)) or generation
    return generation


def cached_badge(name: str, fn: Callable[[object], int], *, apps: Iterable[str], max_age: int = MAX_AGE) -> Callable[[object], int]:
    """``fn(user)`` for the menu, from the cache when counted in the last ``max_age`` seconds.
    ``apps``: the app labels whose rows the number counts (a save or delete there forgets it)."""
    for label in apps:
        _watched.setdefault(label, set()).add(name)

    def badge(user) -> int:
        if getattr(user, "pk", None) is None:
            return fn(user)
        # The day is in the key: a number that counts what is overdue changes at midnight.
        key = f"{_PREFIX}:{name}:{_generation(name)}:{user.pk}:{timezone.localdate().isoformat()}"
        count = cache.get(key)
        if count is None:
            count = fn(user)
            cache.set(key, count, max_age)
        return count

    badge.uncached = fn  # the exact count, for tests and for pages that must not lag
    badge.__name__ = f"cached_{name}"
    return badge


def _changed(sender, **kwargs) -> None:
    names = _watched.get(getattr(getattr(sender, "_meta", None), "app_label", ""))
    if not names:
        return
    forget(*names)
    # Again once the change is visible to other connections: a page counting between the
    # save and the commit saw the old rows and kept its copy under the new generation.
    transaction.on_commit(lambda: forget(*names))


post_save.connect(_changed, dispatch_uid="sifa.common.badges.save")
post_delete.connect(_changed, dispatch_uid="sifa.common.badges.delete")
