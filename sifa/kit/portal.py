"""How a business line plugs into the public portal without the portal knowing it.

A line names in its ``Line``:

* ``PublicForm``: an application the public may file online (the form class,
  and ``submit(cleaned_data, org)`` that creates the case through the line's own
  service with ``check_access=False`` and ``channel="online"``);
* on its case type, ``public_tracking`` and ``public_progress(case) -> PublicProgress``
  for the progress lookup. Without the hook the portal shows the status label
  and the next open deadline.

The portal never imports a line (import-linter checks this).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class PublicForm:
    key: str  # URL part: /portal/apply/<key>/
    label: str  # "行政复议申请"
    case_type: str
    form_class: type  # a Django form taking (data, files); the portal adds the declaration and CSRF
    submit: Callable[[dict, Any], Any]  # (cleaned_data, receiving org) -> Case; raises DomainError(field=…)
    intro: str = ""  # shown above the form
    declaration: str = "本人承诺所填写的信息和提交的材料真实、完整，如有虚假愿承担相应的法律责任。"
    next_steps: str = ""  # shown on the receipt
    order: int = 100


@dataclass(frozen=True)
class PublicProgress:
    """What the public sees of a case: never names, ID numbers, addresses or staff."""

    stage: str
    received_on: date
    next_deadline_label: str = ""
    next_deadline_due: date | None = None
    decided_on: date | None = None
    result: str = ""
    milestones: tuple[tuple[date, str], ...] = ()
