"""Workflow as data. A business line declares its states and transitions here;
``services.transition()`` is the one door that applies them.

A transition names the states it may start from, the state it leads to (or
None for a recorded step that keeps the state, such as a mediation session),
the capability it needs, an optional guard that explains a refusal in one
Chinese sentence, whether a reason is required, an optional form for the
step's data, and an optional ``apply`` that writes the line's own records in
the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sifa.accounts.roles import HANDLE

Guard = Callable[[Any, dict], "str | None"]
Apply = Callable[[Any, dict, Any], "dict | None"]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str | None
    permission: str = HANDLE
    guard: Guard | None = None
    reason_required: bool = False
    reason_label: str = "理由"
    form: type | None = None
    apply: Apply | None = None
    closes: bool = False
    reopens: bool = False
    outcome: str | None = None
    style: str = "primary"
    confirm: str = ""
    help: str = ""
    # (case) -> bool: whether the step is offered now (the action buttons), for
    # steps that depend on the case's records, not only its state (e.g. a reply
    # can be recorded once, after the copy was sent). The guard still decides.
    available: Callable[[Any], bool] | None = None


@dataclass
class Workflow:
    states: dict[str, str]
    initial: str
    transitions: list[Transition]
    final_states: frozenset[str] = field(default_factory=frozenset)
    # Badge colours per state: "secondary" (new), "primary" (in progress),
    # "warning" (waiting/paused), "success" (done well), "danger" (refused), "dark" (archived)
    colours: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        names = set()
        for t in self.transitions:
            if t.name in names:
                raise ValueError(f"duplicate transition {t.name}")
            names.add(t.name)
            for s in t.sources:
                if s not in self.states:
                    raise ValueError(f"transition {t.name}: unknown source state {s}")
            if t.target is not None and t.target not in self.states:
                raise ValueError(f"transition {t.name}: unknown target state {t.target}")
        if self.initial not in self.states:
            raise ValueError(f"unknown initial state {self.initial}")
        self._by_name = {t.name: t for t in self.transitions}

    def get(self, name: str) -> Transition | None:
        return self._by_name.get(name)

    def label(self, state: str) -> str:
        return self.states.get(state, state)

    def colour(self, state: str) -> str:
        if state in self.colours:
            return self.colours[state]
        return "dark" if state in self.final_states else "primary"

    def available_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]
