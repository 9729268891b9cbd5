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


@dataclass(frozen=True)
class Stage:
    """One stage of the case page's 流程进度: reached once the case is in one of
    ``states`` or has taken one of ``steps`` (a recorded step that keeps the state,
    such as 听取意见, marks its stage too)."""

    label: str
    states: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class StageMark:
    stage: Stage
    mark: str  # "done" | "current" | "next" | "todo" | "skipped" (closed before reaching it)


# At most this many steps are the page's primary buttons; the others go in a menu.
LEADING_MAX = 3


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
    # The 流程进度 of the case page, in order. Empty: one stage per open state, then 办结.
    stages: tuple[Stage, ...] = ()

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
        for st in self.stages:
            for x in st.states:
                if x not in self.states:
                    raise ValueError(f"stage {st.label}: unknown state {x}")
            for x in st.steps:
                if x not in self._by_name:
                    raise ValueError(f"stage {st.label}: unknown step {x}")

    def stage_list(self) -> tuple[Stage, ...]:
        if self.stages:
            return self.stages
        open_ = tuple(Stage(label, (state,)) for state, label in self.states.items() if state not in self.final_states)
        return open_ + ((Stage("办结", tuple(s for s in self.states if s in self.final_states)),) if self.final_states else ())

    def progress(self, status: str, taken: set[str] | frozenset[str]) -> list[StageMark]:
        """Where the case stands: the furthest stage reached (by its state or by a
        step it has taken) is current; before it done; after it next, then todo.
        Once the case is closed, a later stage none of whose steps can still be
        taken is skipped (不予受理 skips 调解), and when none is left the current
        stage reads done."""
        stages = self.stage_list()
        reached = [i for i, st in enumerate(stages) if status in st.states or taken & set(st.steps)]
        current = max(reached, default=0)
        closed = status in self.final_states
        possible = {t.name for t in self.available_from(status)}
        ahead = [i > current and (not closed or bool(possible & set(st.steps))) for i, st in enumerate(stages)]
        marks = []
        for i, st in enumerate(stages):
            if i < current:
                mark = "done"
            elif i == current:
                mark = "done" if closed and not any(ahead) else "current"
            elif not ahead[i]:
                mark = "skipped"
            else:
                mark = "next" if not any(ahead[current + 1 : i]) else "todo"
            marks.append(StageMark(st, mark))
        return marks

    def leading(self, allowed: list[Step], status: str, taken: set[str] | frozenset[str]) -> tuple[list[Step], list[Step]]:
        """(the likely next steps: the page's primary buttons; the others, for a menu).
        Likely: a step of the current stage not yet taken, then one of the next
        stage; failing those, the steps drawn solid (not ``outline-*``)."""
        marks = self.progress(status, taken)
        cur = next((m.stage for m in marks if m.mark == "current"), None)
        nxt = next((m.stage for m in marks if m.mark == "next"), None)

        def in_next(t: Step) -> bool:
            return nxt is not None and (t.name in nxt.steps or (t.target is not None and t.target in nxt.states and t.target != status))

        def in_current(t: Step) -> bool:
            return cur is not None and t.name in cur.steps and t.name not in taken

        # What the current stage still asks for first, then what leads on.
        lead = [t for t in allowed if in_current(t)] + [t for t in allowed if in_next(t) and not in_current(t)]
        lead = lead or [t for t in allowed if not t.style.startswith("outline")]
        if len(allowed) <= LEADING_MAX:
            # So few that a menu would only hide one: all shown, the likely first.
            lead = lead + [t for t in allowed if t not in lead]
        lead = lead[:LEADING_MAX]
        return lead, [t for t in allowed if t not in lead]

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
