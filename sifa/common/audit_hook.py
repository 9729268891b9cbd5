"""A seam for auditing writes made by sifa.common itself (the dictionary admin).

sifa.common may not import sifa.audit (import-linter contract: common is the
foundation). The audit app plugs its writers in here from its AppConfig.ready();
if none is connected (common used alone), auditing is a no-op rather than an
import error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger("sifa.audit")

_record: Callable | None = None
_refused: Callable | None = None


def connect(*, record: Callable, refused: Callable) -> None:
    global _record, _refused
    _record, _refused = record, refused


def record(action: str, **kwargs) -> None:
    """Same arguments as sifa.audit.services.record(); runs in the caller's transaction."""
    if _record is not None:
        _record(action, **kwargs)


def refused(action: str, **kwargs) -> None:
    """Same arguments as sifa.audit.services.refused(); never raises."""
    if _refused is not None:
        try:
            _refused(action, **kwargs)
        except Exception:  # a failed refusal entry must not turn a 404 into a 500
            log.exception("could not write refusal audit entry for %s", action)
