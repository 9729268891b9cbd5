"""Procedures inside a case (``kit.casework.SubProcedure``: 审批 office review →
bureau decision, 异议, 延期 …), run the way the case's own steps are: the same
checks in the same order (the case in the user's reach, the step's state and
capability, the date, the precondition, the reason, the form, the check), the
write, the procedure's new state, one timeline entry and one audit entry on the
case, then the procedure's own clocks. One transaction; a refusal changes
nothing and says why. The page's buttons are exactly ``allowed`` (and the API's
catalogue)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from sifa.accounts.roles import has_cap
from sifa.audit.services import record, refused
from sifa.common.errors import Conflict, DomainError, PermissionRefused, Refused
from sifa.kit import registry

from . import selectors
from .archive import is_archived, refuse_if_archived
from .choices import EventKind
from .models import Case, Procedure
from .services import log_event, may_take_step, step_values, today

READ_ONLY = "共享给贵单位的案件只能查看。"


def specs(case: Case) -> tuple:
    return registry.case_type(case.case_type).procedures


def _spec(case: Case, key: str):
    spec = next((p for p in specs(case) if p.key == key), None)
    if spec is None:
        raise Refused("没有这个程序。")
    return spec


def openable(user, case: Case) -> list:
    """The procedures the user may open on this case now (the page's 发起 buttons). A
    closed case opens only those declared for its final state (异议 against a refusal)."""
    if case.is_deleted or is_archived(case) or not selectors.works_on(user, case):
        return []
    out = []
    for spec in specs(case):
        if case.status not in spec.opens_from or not has_cap(user, spec.open_permission):
            continue
        if spec.single and case.procedures.filter(key=spec.key, closed_on__isnull=True).exists():
            continue
        out.append(spec)
    return out


def open_procedure(actor, case: Case, key: str, *, on: date | None = None, reason: str = "", by_step: bool = False) -> Procedure:
    """Open a procedure on the case. ``by_step``: called from a line's step write,
    inside the engine's transaction (the case is locked and checked already)."""
    on = on or today()
    spec = _spec(case, key)
    with transaction.atomic():
        if not by_step:
            case = selectors.access_case(actor, case.pk, for_update=True)
            refuse_if_archived(actor, case, "case.procedure_open")
            if spec not in openable(actor, case):
                raise Refused(f"本案当前不能发起{spec.label}。") if selectors.works_on(actor, case) else PermissionRefused(READ_ONLY)
            if on > today() or on < case.opened_on:
                raise Refused("发起日期应在收案日期至今天之间。", field="on")
        elif spec.single and case.procedures.filter(key=key, closed_on__isnull=True).exists():
            raise Refused(f"本案已有办理中的{spec.label}。")
        proc = Procedure.objects.create(
            case=case, key=key, status=spec.workflow.initial, opened_on=on, created_by=actor if getattr(actor, "is_authenticated", False) else None
        )
        log_event(
            case, actor, EventKind.TRANSITION, f"发起{spec.label}", transition=f"{key}.open", reason=reason, data={"procedure": proc.pk, "on": on.isoformat()}
        )
        from sifa.deadlines.services import apply_trigger

        apply_trigger(case, "opened", on, {}, procedure=proc)
        record("case.procedure_open", actor=actor, obj=case, detail={"procedure": key})
    return proc


def allowed(user, proc: Procedure) -> list:
    """The steps the user may take on the procedure now."""
    case = proc.case
    if case.is_deleted or proc.closed_on or is_archived(case) or not selectors.works_on(user, case):
        return []
    on = today()
    return [t for t in proc.spec.workflow.available_from(proc.status) if may_take_step(user, t) and (t.pre is None or t.pre(case, proc, on) is None)]


def why_not(user, proc: Procedure, step) -> str:
    if proc.closed_on:
        return f"{proc.label}已办结。"
    if proc.status not in step.sources:
        return f"{proc.label}当前为“{proc.status_label}”，不能执行“{step.label}”。"
    if not may_take_step(user, step):
        return f"您的角色不能执行“{step.label}”。"
    if not selectors.works_on(user, proc.case):
        return READ_ONLY
    return (step.pre(proc.case, proc, today()) if step.pre else None) or ""


def procedure_of(user, case_pk, proc_pk) -> Procedure:
    """A procedure of a case in the user's reach (else Http404, like a missing one)."""
    from django.http import Http404

    case = selectors.access_case(user, case_pk)
    proc = Procedure.objects.filter(case=case, pk=proc_pk).first() if str(proc_pk).isdigit() else None
    if proc is None:
        raise Http404("未找到该案件。")
    return proc


def take_step(
    actor,
    proc_or_pk,
    name: str,
    *,
    data: dict[str, Any] | None = None,
    files=None,
    reason: str = "",
    on: date | None = None,
    expected_version: int | None = None,
):
    """One step of a procedure (see the module's docstring for the order of checks)."""
    pk = getattr(proc_or_pk, "pk", proc_or_pk)
    reason, on = (reason or "").strip(), on or today()
    name_for_audit = name
    try:
        with transaction.atomic():
            proc = Procedure.objects.select_related("case").get(pk=pk)
            case = selectors.access_case(actor, proc.case_id, for_update=True)
            proc = Procedure.objects.select_for_update().get(pk=pk)
            if expected_version is not None and int(expected_version) != proc.version:
                raise Conflict()
            spec = proc.spec
            t = spec.workflow.get(name)
            if t is None:
                raise Refused("没有这个办理操作。")
            name_for_audit = f"{spec.key}.{name}"
            if proc.closed_on or proc.status not in t.sources:
                raise Refused(f"{spec.label}当前为“{proc.status_label}”，不能执行“{t.label}”。")
            values = step_values(
                actor,
                case,
                proc,
                t,
                on=on,
                since=proc.opened_on,
                since_label=f"{spec.label}发起日期",
                reason=reason,
                data=data,
                files=files,
                why_not=t.pre(case, proc, on) if t.pre is not None else None,
            )
            from_status = proc.status
            extra = (t.write(case, proc, values, actor) if t.write else None) or {}
            if t.target:
                proc.status = t.target
            if proc.status in spec.workflow.final_states:
                proc.closed_on = on
                proc.outcome = extra.get("outcome") or t.outcome or proc.status
            proc.version += 1
            proc.save()
            event = log_event(
                case,
                actor,
                EventKind.TRANSITION,
                f"{spec.label}：{extra.get('label') or t.label}",
                transition=name_for_audit,
                from_status=case.status,
                to_status=case.status,
                reason=reason,
                data=dict(extra.get("event_data") or {}) | {"on": on.isoformat(), "procedure": proc.pk, "from": from_status, "to": proc.status},
            )
            from sifa.deadlines.services import apply_trigger

            apply_trigger(case, t.name, on, values | extra, procedure=proc)
            record("case.procedure_step", actor=actor, obj=case, detail={"step": name_for_audit, "from": from_status, "to": proc.status})
            return event
    except Procedure.DoesNotExist:
        from django.http import Http404

        raise Http404("未找到该案件。") from None
    except DomainError as exc:
        refused("case.procedure_step", actor=actor, object_type="cases.procedure", object_id=str(pk), reason=exc.message, detail={"step": name_for_audit})
        raise
