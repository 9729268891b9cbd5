"""A seam for telling the statistics that cases changed (docs/adr/0021).

The kernel (cases, ledgers' bulk commit) may not import sifa.stats (import-linter:
the kernel imports no consumer). The stats app plugs its marker in here from its
AppConfig.ready(); every write that can change a figure calls ``cases_changed``
in its own transaction, so the mark commits (or rolls back) with the change.
Without a marker connected (stats not installed), it is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_marker: Callable[[list[int]], None] | None = None


def connect(marker: Callable[[list[int]], None]) -> None:
    global _marker
    _marker = marker


def cases_changed(cases: Iterable) -> None:
    """``cases``: Case instances or their ids. Runs in the caller's transaction."""
    if _marker is None:
        return
    ids = [getattr(c, "pk", c) for c in cases]
    if ids:
        _marker(ids)
