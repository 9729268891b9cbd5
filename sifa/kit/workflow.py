"""A line's workflow as data: states and steps. ``cases.services.transition()``
is the one door that takes a step; ``cases.services.allowed_steps()`` decides
which buttons a case shows, and the step catalogue API lists the same.

A step is **form + check + write**:

* ``pre(case, rec, on)`` — the precondition, decided from the case and its
  line record alone (no input): a step whose precondition fails is not
  offered, and is refused with that sentence if sent anyway;
* ``form`` — a ``cases.forms.StepForm``; the engine binds it once, to the
  page's POST or the API's JSON, so both get the same Chinese messages naming
  the field;
* ``check(case, rec, values)`` — rules that need the input and the state;
* ``write(case, rec, values, actor)`` — the line's own rows, inside the
  engine's transaction; returns what the timeline and the clocks need
  (``label``, ``outcome``, ``event_data`` and any dates for the rules).

``rec`` is the case's line record (``CaseType.record``), or None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

HANDLE = "handle"  # the default permission (sifa.accounts.roles.HANDLE)

Pre = Callable[[Any, Any, date], "str | None"]
Check = Callable[[Any, Any, dict], "str | None"]
Write = Callable[[Any, Any, dict, Any], "dict | None"]


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str | None = None  # None: a recorded step that keeps the state
    form: type | None = None
    pre: Pre | None = None
    check: Check | None = None
    write: Write | None = None
    permission: str = HANDLE
    reason_required: bool = False
    reason_label: str = "理由"
    closes: bool = False
    reopens: bool = False
    outcome: str | None = None
    style: str = "primary"
    confirm: str = ""
    help: str = ""
    # Who may take it beyond the capability: (user) -> bool (``cases.services.may_take_step``). 社区矫正's approvals are decided
    # at the bureau (县级社区矫正机构) while the office reviews, and both hold HANDLE.
    by: Callable[[Any], bool] | None = None


@dataclass
class Workflow:
    states: dict[str, str]
    initial: str
    steps: list[Step]
    final_states: frozenset[str] = field(default_factory=frozenset)
    # Badge colours per state: "secondary" (new), "primary" (in progress),
    # "warning" (waiting/paused), "success" (done well), "danger" (refused), "dark" (archived)
    colours: dict[str, str] = field(default_factory=dict)
    # 归档: a case in one of these states is read-only until reopened with a reason
    # (``cases.archive``). None: the state named "archived", when the line has one.
    archived_states: frozenset[str] | None = None

    def __post_init__(self):
        self.steps = list(self.steps)
        if self.archived_states is None:
            self.archived_states = frozenset({"archived"} & set(self.states))
        names = set()
        for t in self.steps:
            if t.name in names:
                raise ValueError(f"duplicate step {t.name}")
            names.add(t.name)
            for s in t.sources:
                if s not in self.states:
                    raise ValueError(f"step {t.name}: unknown source state {s}")
            if t.target is not None and t.target not in self.states:
                raise ValueError(f"step {t.name}: unknown target state {t.target}")
        if self.initial not in self.states:
            raise ValueError(f"unknown initial state {self.initial}")
        self._by_name = {t.name: t for t in self.steps}

    def get(self, name: str) -> Step | None:
        return self._by_name.get(name)

    def label(self, state: str) -> str:
        return self.states.get(state, state)

    def colour(self, state: str) -> str:
        if state in self.colours:
            return self.colours[state]
        return "dark" if state in self.final_states else "primary"

    def available_from(self, state: str) -> list[Step]:
        return [t for t in self.steps if state in t.sources]

    @property
    def open_states(self) -> list[str]:
        return [s for s in self.states if s not in self.final_states]
