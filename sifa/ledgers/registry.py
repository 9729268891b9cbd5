"""Where lines register their ledgers, keyed by case type. Names no line."""

from __future__ import annotations

from .definitions import Ledger

_ledgers: dict[str, Ledger] = {}


def register(ledger: Ledger) -> Ledger:
    if ledger.case_type in _ledgers and _ledgers[ledger.case_type] is not ledger:
        raise ValueError(f"ledger for {ledger.case_type} registered twice")
    keys = [c.key for c in ledger.columns]
    if len(keys) != len(set(keys)):
        raise ValueError(f"ledger {ledger.case_type}: duplicate column keys")
    headers = [c.header for c in ledger.columns]
    if len(headers) != len(set(headers)):
        raise ValueError(f"ledger {ledger.case_type}: duplicate column headers")
    _ledgers[ledger.case_type] = ledger
    return ledger


def find(case_type: str) -> Ledger | None:
    return _ledgers.get(case_type)


def get(case_type: str) -> Ledger:
    try:
        return _ledgers[case_type]
    except KeyError:
        raise LookupError(f"no ledger for {case_type!r}") from None


def all_ledgers() -> list[Ledger]:
    return sorted(_ledgers.values(), key=lambda x: (x.order, x.case_type))


def importable() -> list[Ledger]:
    return [x for x in all_ledgers() if x.importable]


def unregister(case_type: str) -> None:
    """For tests only."""
    _ledgers.pop(case_type, None)
