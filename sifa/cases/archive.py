"""归档: an archived case is read-only until it is reopened with a reason.

A line's workflow names its archived states (``Workflow.archived_states``; by
default the state called "archived"). While a case is in one, every write that
enters through the kernel's doors is refused with one Chinese sentence and
audited, and nothing changes: the workflow's steps and procedures
(``services.step_values``, ``procedures``), edits, assignment, deletion,
parties, attachments and moves (``services._require_write``). The pages ask
``selectors.may_write``, which says no, so they offer no button that would be
refused.

``reopen`` is the way back: bureau staff of the line (科室) or a leader, with a
reason, returns the case to the state it was archived from; the timeline and
the audit log say who, when and why. Archiving again is the line's own step.
"""

from __future__ import annotations

from django.db import transaction

from sifa.accounts.roles import APPROVE, HANDLE, has_cap
from sifa.audit.services import record, refused
from sifa.common import context
from sifa.common.errors import Conflict, DomainError, PermissionRefused, Refused
from sifa.kit import registry
from sifa.kit.roles import BUREAU, LINES

from .choices import EventKind
from .models import Case

READ_ONLY = "本案已归档，只能查看；如需补正，请由局科室工作人员或局领导填写理由后“重新开启”。"
REOPEN_STEP = "reopen"
REOPEN_LABEL = "重新开启"


def is_archived(case: Case) -> bool:
    ct = registry.find_type(case.case_type)
    return bool(ct and case.status in ct.workflow.archived_states)


def refuse_if_archived(actor, case: Case, action: str = "case.write") -> None:
    """Refuse a write to an archived case. The refusal is audited even though the
    caller's transaction rolls back: within a request it is recorded once the
    view has answered (``common.context.after_response``)."""
    if not is_archived(case):
        return
    ctx = context.active()
    pk, code = str(case.pk), case.code

    def audit():
        refused(action, actor=actor, object_type="cases.case", object_id=pk, object_repr=code, reason="已归档")

    if ctx is not None and transaction.get_connection().in_atomic_block:
        ctx.after_response.append(audit)
    else:
        audit()
    raise Refused(READ_ONLY)


def may_reopen(user, case: Case) -> bool:
    """Bureau staff who handle the line, or a leader (an approval), on a visible archived case."""
    if not is_archived(case) or case.is_deleted:
        return False
    spec = registry.role(getattr(user, "role", ""))
    if spec is None:
        return False
    if has_cap(user, APPROVE) and spec.scope == BUREAU:
        return True
    from .selectors import uses

    return has_cap(user, HANDLE) and spec.scope in (BUREAU, LINES) and uses(user, case.case_type)


def archived_from(case: Case) -> str:
    """The state the case was in before it was archived (its timeline says)."""
    ct = registry.case_type(case.case_type)
    event = case.events.filter(to_status=case.status).exclude(from_status__in=("", case.status)).order_by("-at", "-id").first()
    if event is not None and event.from_status in ct.workflow.states:
        return event.from_status
    # An imported archived case has no step on its timeline: the archiving step's first source.
    sources = [s for t in ct.workflow.steps if t.target == case.status for s in t.sources]
    return sources[0] if sources else ct.workflow.initial


def reopen(actor, case_or_pk, *, reason: str, expected_version: int | None = None) -> Case:
    """Reopen an archived case with a reason: back to the state it was archived from,
    open again (no closing date), on the timeline and in the audit log. A refusal
    changes nothing and is audited."""
    from .selectors import access_case
    from .services import log_event, today

    pk = getattr(case_or_pk, "pk", case_or_pk)
    reason = (reason or "").strip()
    try:
        with transaction.atomic():
            case = access_case(actor, pk, for_update=True)
            if expected_version is not None and int(expected_version) != case.version:
                raise Conflict()
            if not is_archived(case):
                raise Refused("本案未归档，无需重新开启。")
            if not may_reopen(actor, case):
                raise PermissionRefused("重新开启已归档的案件须由本业务的局科室工作人员或局领导办理。")
            if not reason:
                raise Refused("请填写重新开启的理由。", field="reason")
            if len(reason) > 500:
                raise Refused("理由过长（最多500字）。", field="reason")
            before = case.status
            case.status = archived_from(case)
            case.closed_on = None
            case.outcome = ""
            case.version += 1
            case.save()
            on = today()
            log_event(
                case,
                actor,
                EventKind.TRANSITION,
                REOPEN_LABEL,
                transition=REOPEN_STEP,
                from_status=before,
                to_status=case.status,
                reason=reason,
                data={"on": on.isoformat()},
            )
            from sifa.deadlines.services import apply_trigger

            apply_trigger(case, REOPEN_STEP, on, {})
            record("case.reopen", actor=actor, obj=case, detail={"from": before, "to": case.status, "reason": reason})
            return case
    except DomainError as exc:
        refused("case.reopen", actor=actor, object_type="cases.case", object_id=str(pk), reason=exc.message)
        raise
