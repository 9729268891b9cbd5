"""What a case may carry beyond its own workflow, declared by its line:

* ``HandOver``: a record of one line becomes a case of another (correction →
  resettlement, a 12348 consultation → a legal-aid application), parties and
  content carried over and both linked (``cases.movement.hand_over``);
* ``SubProcedure``: a procedure inside a case with its own states, steps, clocks
  and documents (审批: office review → bureau decision; 异议; 延期), run by the
  same engine as the case's steps (``cases.procedures``);
* ``RecurringDuty``: an obligation generated on a schedule while the case is in
  some states (a weekly report under strict supervision), each a clock of its own
  with a due date, a done mark and a missed warning (``deadlines.duties``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .deadlines import KINDS, ORGAN
from .workflow import Workflow


@dataclass(frozen=True)
class HandOver:
    """Declared by the receiving line. ``sources`` are case-type keys or register
    keys whose records may be handed over; ``register(actor, owner_org=…, **fields)``
    is the receiving line's registration service. ``carry(source, actor) -> dict``
    gives its fields (default: title, summary and the parties, roles mapped by
    ``party_roles`` or kept when the receiving line knows them, else applicant)."""

    key: str
    label: str  # "转安置帮教"
    target: str  # the receiving case type
    sources: tuple[str, ...]
    register: Callable[..., Any]
    carry: Callable[[Any, Any], dict] | None = None
    # Source role -> role here; "" leaves that party out (对方当事人 in a legal-aid application).
    party_roles: dict[str, str] = field(default_factory=dict)
    # What the receiving line needs that the source does not hold (纠纷类型, 被申请人 …): a
    # ``cases.forms.HandOverForm`` subclass; its cleaned fields other than ``owner_org`` go to
    # ``register`` with the carried ones, on the page and in the API alike.
    form: type | None = None
    # 前台统一受理，后台分流转办: whoever may work on the source may hand it to an org of the
    # receiving line in their own bureau even without registering in that line (a 12348
    # operator); the new case waits, unassigned, in that org's intake list, and ``register``
    # then receives ``intake=True`` (register it with ``check_access=False, unassigned=True``).
    intake: bool = False
    # (source) -> None when the record may be handed over now, else the Chinese sentence
    # that refuses it (a correction subject only once released): the source's page offers
    # the button only then, and ``hand_over`` refuses with the sentence, changing nothing.
    ready: Callable[[Any], str | None] | None = None


@dataclass(frozen=True)
class SubProcedure:
    """A procedure inside a case. ``workflow`` is its own states and steps (a
    step's ``pre``/``check``/``write`` receive the procedure as the record);
    ``deadline_rules`` its clocks, started by "opened" and its steps; ``documents``
    are offered on it (``DocumentSpec``: the template also gets ``procedure``).
    ``opens_from``: the case states in which a user may open one by hand (empty:
    only a line's step opens it, with ``cases.procedures.open_procedure``)."""

    key: str
    label: str  # "援助审批"
    workflow: Workflow
    deadline_rules: tuple = ()
    documents: tuple = ()
    opens_from: tuple[str, ...] = ()
    # One open at a time (an objection while another is pending makes no sense).
    single: bool = True
    open_permission: str = "handle"


@dataclass(frozen=True)
class RecurringDuty:
    """An obligation due every ``every`` ``unit`` ("day" | "week" | "month") while the
    case is in one of ``states`` (and ``when(case)`` holds), the first one
    ``every`` after it entered them. Each occurrence is a clock of the case
    (``Deadline``): marked done when fulfilled; missed, it warns like any clock
    of its ``kind`` (the organ's: 超期; a party's duty: the organ's to-do)."""

    key: str
    label: str  # "周报告"
    every: int
    unit: str
    states: tuple[str, ...]
    when: Callable[[Any], bool] | None = None
    basis: str = ""
    kind: str = ORGAN
    # (case) -> the day ``when`` began to hold (a grade's duties run from the day of the
    # grade, not from the day the case entered the states), or None.
    since: Callable[[Any], Any] | None = None

    def __post_init__(self):
        if self.unit not in ("day", "week", "month") or self.every < 1:
            raise ValueError(f"duty {self.key}: every N day|week|month")
        if len(self.key) > 30 or ":" in self.key:
            raise ValueError(f"duty {self.key}: a key of at most 30 characters, without ':'")
        if self.kind not in KINDS:
            raise ValueError(f"duty {self.key}: kind is one of {sorted(KINDS)}")
