"""Writes to the case registry. The one door for state changes is ``transition()``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sifa.accounts.roles import HANDLE, Role, has_cap
from sifa.audit.services import record, refused
from sifa.common.errors import Conflict, DomainError, PermissionRefused, Refused
from sifa.orgs.selectors import bureau_of

from . import codes, registry
from .choices import AssignmentRole, Channel, EventKind
from .models import Case, CaseAssignment, CaseEvent, Counter
from .parties import build_party, clean_party


def today() -> date:
    return timezone.localdate()


# --- counters --------------------------------------------------------------------


def next_value(key: str) -> int:
    """Next number of a named sequence, taken under a row lock in the caller's
    transaction (so it is gap-free: a rolled-back creation returns its number)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value() must run inside a transaction")
    Counter.objects.bulk_create([Counter(key=key, value=0)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


def advance_doc_counter(case_type: str, org, year: int, seq: int) -> None:
    """The line's 文号 of ``org`` for ``year`` up to number ``seq`` are taken
    (by cases imported from a ledger): numbers issued later continue after
    them, never repeat them. Never moves the counter back. Inside the caller's
    transaction, under the counter's row lock like ``next_value``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("advance_doc_counter() must run inside a transaction")
    key = _doc_counter_key(org, registry.get(case_type).letters, year)
    Counter.objects.bulk_create([Counter(key=key, value=0)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(key=key)
    if counter.value < seq:
        counter.value = seq
        counter.save(update_fields=["value"])


def _doc_counter_key(org, letters: str, year: int) -> str:
    return f"doc:{org.pk}:{letters}:{year}"


def allocate_code(bureau, letters: str, year: int) -> tuple[str, int]:
    seq = next_value(f"code:{bureau.region_code}:{letters}:{year}")
    return codes.build(bureau.region_code, letters, year, seq), seq


def assign_doc_number(case: Case, *, year: int | None = None) -> str:
    """Give the case its human document number (文号) from the line's template,
    once. Call inside the transaction of the step that issues it."""
    if case.doc_number:
        return case.doc_number
    ct = registry.get(case.case_type)
    org = case.bureau if ct.doc_number_scope == "bureau" else case.owner_org
    year = year or today().year
    seq = next_value(_doc_counter_key(org, ct.letters, year))
    case.doc_number = ct.doc_number_template.format(short=org.short_name, year=year, seq=seq)
    return case.doc_number


# --- events ----------------------------------------------------------------------


def log_event(
    case: Case,
    actor,
    kind: str,
    label: str,
    *,
    transition: str = "",
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: dict | None = None,
    at=None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=getattr(actor, "display_name", "") or "系统",
        kind=kind,
        transition=transition,
        label=label[:200],
        from_status=from_status,
        to_status=to_status,
        reason=reason or "",
        data=data or {},
    )


# --- access for writes ----------------------------------------------------------------


def _require_write(actor, case_pk) -> Case:
    """Lock and return a case the actor may change; 404 when not visible,
    refusal when visible but read-only for this role."""
    from .selectors import access_case

    case = access_case(actor, case_pk, for_update=True)
    if not has_cap(actor, HANDLE):
        refused("case.write", actor=actor, obj=case, reason="只读角色")
        raise PermissionRefused("您的角色只能查看，不能修改案件。")
    return case


def _check_version(case: Case, expected_version) -> None:
    if expected_version is not None and int(expected_version) != case.version:
        raise Conflict()


# --- create ------------------------------------------------------------------------------


def create_case(
    actor,
    *,
    case_type: str,
    owner_org,
    title: str,
    opened_on: date | None = None,
    handler=None,
    parties: list[dict] | tuple = (),
    summary: str = "",
    channel: str = Channel.IN_PERSON,
    status: str | None = None,
    extra: dict | None = None,
    on_created=None,
    event_label: str = "登记",
    event_reason: str = "",
    check_access: bool = True,
) -> Case:
    """Register a matter: allocate its code, store parties, write the first
    timeline entry and audit entry, start the deadlines of the line's rules.

    ``on_created(case)`` lets the line write its one-to-one record in the same
    transaction. ``check_access=False`` is for system callers only (the public
    portal, ledger import under an import permission checked by the caller).
    """
    ct = registry.get(case_type)
    title = (title or "").strip()
    if not title:
        raise DomainError("标题/案由不能为空。", field="title")
    if len(title) > 200:
        raise DomainError("标题/案由过长（最多200字）。", field="title")
    if channel not in Channel.values:
        raise DomainError("来源渠道无效。", field="channel")
    opened_on = opened_on or today()
    if opened_on > today():
        raise DomainError("收案日期不能晚于今天。", field="opened_on")
    if check_access:
        from .selectors import creatable_orgs

        if not creatable_orgs(actor, case_type).filter(pk=owner_org.pk).exists():
            refused("case.create", actor=actor, object_type="cases.case", object_repr=f"{ct.label} @ {owner_org}", reason="无权在该机构登记")
            raise PermissionRefused(f"您无权在“{owner_org.name}”登记{ct.label}案件。")
    cleaned = [clean_party(p, position=i + 1, allowed_roles=ct.party_roles or None) for i, p in enumerate(parties)]
    if handler is None and actor is not None and getattr(actor, "is_authenticated", False) and has_cap(actor, HANDLE):
        handler = actor
    with transaction.atomic():
        bureau = bureau_of(owner_org)
        code, seq = allocate_code(bureau, ct.letters, opened_on.year)
        case = Case.objects.create(
            code=code,
            case_type=ct.key,
            bureau=bureau,
            owner_org=owner_org,
            org_path=owner_org.path,
            status=status or ct.workflow.initial,
            handler=handler,
            title=title,
            summary=summary or "",
            channel=channel,
            opened_on=opened_on,
            year=opened_on.year,
            seq=seq,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for i, fields in enumerate(cleaned):
            build_party(case, fields, i).save()
        if handler is not None and handler.role in (Role.MEDIATOR, Role.LAWYER):
            CaseAssignment.objects.create(case=case, user=handler, role=AssignmentRole.MEDIATOR if handler.role == Role.MEDIATOR else AssignmentRole.LAWYER)
        if on_created is not None:
            on_created(case)
        log_event(case, actor, EventKind.CREATED, event_label, to_status=case.status, reason=event_reason, data=(extra or {}) | {"on": opened_on.isoformat()})
        from sifa.deadlines.services import apply_trigger

        apply_trigger(case, "created", opened_on, extra or {})
        record("case.create", actor=actor, obj=case, detail={"type": ct.key, "org": owner_org.name})
    return case


# --- the one door for state changes ----------------------------------------------------------


def allowed_transitions(user, case: Case) -> list:
    """Transitions the user may take now (for the action buttons)."""
    ct = registry.get(case.case_type)
    return [t for t in ct.workflow.available_from(case.status) if has_cap(user, t.permission) and (t.available is None or t.available(case))]


def transition(
    actor,
    case_or_pk,
    name: str,
    *,
    data: dict[str, Any] | None = None,
    reason: str = "",
    expected_version: int | None = None,
    on: date | None = None,
    system: bool = False,
) -> CaseEvent:
    """Apply one workflow step: lock the row, check state, permission, guard and
    reason, run the line's writes, change status, append the timeline and audit
    entries, recompute deadlines. All in one transaction; a refusal changes
    nothing and says why.

    ``system=True`` is for a line's own scheduled job recording a consequence the
    law attaches to elapsed time (视为受理 when the review period lapses …): no
    user (``actor`` None, the timeline shows 系统), the row is locked without user
    scoping and the permission check is skipped; state, guard, dates and the
    rest apply as usual. Never set it from a request."""
    from .selectors import access_case

    pk = getattr(case_or_pk, "pk", case_or_pk)
    data = dict(data or {})
    reason = (reason or "").strip()
    on = on or today()
    # The step's date reaches the line's guard and apply as data["on"] (e.g. the
    # date a dispute was accepted); "on" is the page's own date field, so no line form uses it.
    data["on"] = on
    try:
        with transaction.atomic():
            if system:
                case = Case.objects.select_for_update(of=("self",)).get(pk=pk)
            else:
                case = access_case(actor, pk, for_update=True)
            _check_version(case, expected_version)
            ct = registry.get(case.case_type)
            t = ct.workflow.get(name)
            if t is None:
                raise Refused("没有这个办理操作。")
            if case.status not in t.sources:
                raise Refused(f"案件当前为“{ct.status_label(case.status)}”，不能执行“{t.label}”。")
            if not system and not has_cap(actor, t.permission):
                raise PermissionRefused(f"您的角色不能执行“{t.label}”。")
            if t.reason_required and not reason:
                raise Refused(f"请填写{t.reason_label}。", field="reason")
            if on > today():
                raise Refused("办理日期不能晚于今天。", field="on")
            if on < case.opened_on:
                raise Refused("办理日期不能早于收案日期。", field="on")
            if t.guard is not None:
                why = t.guard(case, data)
                if why:
                    raise Refused(why)
            from_status = case.status
            extra = (t.apply(case, data, actor) if t.apply else None) or {}
            if t.target:
                case.status = t.target
            if t.closes:
                case.closed_on = on
                case.outcome = extra.get("outcome") or t.outcome or case.outcome
            if t.reopens:
                case.closed_on = None
                case.outcome = ""
            case.version += 1
            case.save()
            event = log_event(
                case,
                actor,
                EventKind.TRANSITION,
                extra.get("label") or t.label,
                transition=t.name,
                from_status=from_status,
                to_status=case.status,
                reason=reason,
                data=dict(extra.get("event_data") or {}) | {"on": on.isoformat()},
            )
            files = _uploaded_files(data)
            if files:
                # Files sent with the step's form join its timeline entry, checked and
                # stored in this transaction (a refused file refuses the step).
                from sifa.attachments.services import attach_to_event

                attach_to_event(actor, case, event, files)
            from sifa.deadlines.services import apply_trigger

            apply_trigger(case, t.name, on, data | extra)
            record("case.transition", actor=actor, obj=case, detail={"transition": t.name, "from": from_status, "to": case.status})
            return event
    except DomainError as exc:
        refused("case.transition", actor=actor, object_type="cases.case", object_id=str(pk), reason=exc.message, detail={"transition": name})
        raise


def _uploaded_files(data: dict) -> list:
    from django.core.files.uploadedfile import UploadedFile

    out = []
    for value in data.values():
        values = value if isinstance(value, (list, tuple)) else [value]
        out += [v for v in values if isinstance(v, UploadedFile)]
    return out


# --- edits, assignment, deletion ---------------------------------------------------------------

EDITABLE_FIELDS = {"title": "案由/标题", "summary": "简要情况", "channel": "来源渠道", "opened_on": "收案日期", "is_sealed": "封存"}


def update_case(actor, case_or_pk, *, expected_version: int | None, **fields) -> Case:
    pk = getattr(case_or_pk, "pk", case_or_pk)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"字段不可修改：{', '.join(sorted(unknown))}")
    if "title" in fields and not (fields["title"] or "").strip():
        raise DomainError("标题/案由不能为空。", field="title")
    if "opened_on" in fields and fields["opened_on"] and fields["opened_on"] > today():
        raise DomainError("收案日期不能晚于今天。", field="opened_on")
    with transaction.atomic():
        case = _require_write(actor, pk)
        _check_version(case, expected_version)
        changed = {}
        for key, value in fields.items():
            if getattr(case, key) != value:
                changed[key] = [str(getattr(case, key)), str(value)]
                setattr(case, key, value)
        if not changed:
            return case
        case.version += 1
        case.save()
        log_event(case, actor, EventKind.EDIT, "修改：" + "、".join(EDITABLE_FIELDS[k] for k in changed), data={"changes": changed})
        record("case.update", actor=actor, obj=case, detail={"changes": changed})
    return case


def assign(actor, case_or_pk, user, *, role: str = AssignmentRole.HANDLER, make_handler: bool = False, reason: str = "") -> Case:
    pk = getattr(case_or_pk, "pk", case_or_pk)
    with transaction.atomic():
        case = _require_write(actor, pk)
        if not user.is_active or not user.org.is_within(case.bureau):
            raise DomainError("被指派人员不在本局范围内或已停用。", field="user")
        try:
            with transaction.atomic():
                CaseAssignment.objects.update_or_create(case=case, user=user, role=role, defaults={"active": True})
        except IntegrityError:
            pass
        if make_handler:
            case.handler = user
            case.version += 1
            case.save(update_fields=["handler", "version", "updated_at"])
        log_event(case, actor, EventKind.ASSIGNMENT, f"指派{AssignmentRole(role).label}：{user.display_name}", reason=reason)
        record("case.assign", actor=actor, obj=case, detail={"user": user.username, "role": role})
    return case


def soft_delete(actor, case_or_pk, *, reason: str, expected_version: int | None = None) -> Case:
    if not (reason or "").strip():
        raise DomainError("删除案件须填写原因。", field="reason")
    pk = getattr(case_or_pk, "pk", case_or_pk)
    with transaction.atomic():
        case = _require_write(actor, pk)
        _check_version(case, expected_version)
        if case.legal_hold:
            raise Refused("该案件处于保全状态，不能删除。")
        case.is_deleted, case.deleted_at, case.deleted_by, case.deleted_reason = True, timezone.now(), actor, reason.strip()[:200]
        case.version += 1
        case.save()
        log_event(case, actor, EventKind.DELETED, "删除案件", reason=reason)
        record("case.delete", actor=actor, obj=case, detail={"reason": reason})
    return case


def restore(actor, case_pk) -> Case:
    from .selectors import access_case

    with transaction.atomic():
        case = access_case(actor, case_pk, for_update=True, include_deleted=True)
        if not has_cap(actor, HANDLE):
            raise PermissionRefused("您的角色不能恢复案件。")
        if not case.is_deleted:
            raise Refused("该案件未被删除。")
        case.is_deleted, case.deleted_at, case.deleted_by, case.deleted_reason = False, None, None, ""
        case.version += 1
        case.save()
        log_event(case, actor, EventKind.RESTORED, "恢复案件")
        record("case.restore", actor=actor, obj=case)
    return case
