"""Writes to the case registry. The one door for state changes is ``transition()``."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sifa.accounts.roles import HANDLE, has_cap
from sifa.audit.services import record, refused
from sifa.common import figures_hook
from sifa.common.errors import Conflict, DomainError, PermissionRefused, Refused
from sifa.kit import registry
from sifa.kit.workflow import Step
from sifa.orgs.selectors import bureau_of

from . import codes
from .assignees import NotAssignable, check_assignee
from .choices import AssignmentRole, Channel, EventKind
from .models import Case, CaseAssignment, CaseEvent, Counter, Party
from .parties import build_party, clean_party


def today() -> date:
    return timezone.localdate()


# --- counters --------------------------------------------------------------------


def next_value(key: str, n: int = 1) -> int:
    """Next number of a named sequence (the last of the next ``n``), taken under a
    row lock in the caller's transaction (so it is gap-free: a rolled-back creation
    returns its numbers)."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("next_value() must run inside a transaction")
    # One statement where it took three (create if missing, lock, write): the
    # upsert takes the same row lock, held to the caller's commit. PostgreSQL and
    # SQLite (≥ 3.35) both speak ON CONFLICT … DO UPDATE … RETURNING.
    table, k, v = (conn.ops.quote_name(n) for n in (Counter._meta.db_table, "key", "value"))
    with conn.cursor() as cur:
        cur.execute(f"INSERT INTO {table} ({k}, {v}) VALUES (%s, %s) ON CONFLICT ({k}) DO UPDATE SET {v} = {table}.{v} + EXCLUDED.{v} RETURNING {v}", [key, n])  # noqa: S608 (names from the schema)
        return cur.fetchone()[0]


def advance_doc_counter(case_type: str, org, year: int, seq: int) -> None:
    """The line's 文号 of ``org`` for ``year`` up to number ``seq`` are taken
    (by cases imported from a ledger): numbers issued later continue after
    them, never repeat them. Never moves the counter back. Inside the caller's
    transaction, under the counter's row lock like ``next_value``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("advance_doc_counter() must run inside a transaction")
    key = _doc_counter_key(org, registry.case_type(case_type).letters, year)
    Counter.objects.bulk_create([Counter(key=key, value=0)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(key=key)
    if counter.value < seq:
        counter.value = seq
        counter.save(update_fields=["value"])


def _doc_counter_key(org, letters: str, year: int) -> str:
    return f"doc:{org.pk}:{letters}:{year}"


def _doc_org(case: Case, ct):
    return case.bureau if ct.doc_number_scope == "bureau" else case.owner_org


def doc_number_parts(case: Case, number: str | None = None) -> tuple[int, int] | None:
    """(year, seq) of a 文号 written in the line's own form for the case's
    issuing org (演司行复〔2024〕第3号 → (2024, 3)), else None."""
    ct = registry.case_type(case.case_type)
    pattern = re.escape(ct.doc_number_template)
    for field, rx in (("short", re.escape(_doc_org(case, ct).short_name)), ("year", r"(?P<year>\d{4})"), ("seq", r"(?P<seq>\d+)")):
        pattern = pattern.replace(re.escape("{" + field + "}"), rx)
    m = re.fullmatch(pattern, number if number is not None else case.doc_number or "")
    return (int(m["year"]), int(m["seq"])) if m else None


def note_doc_numbers(case_type: str, cases: list[Case]) -> None:
    """Imported 文号 in the line's own form move its 文号 counter past them, so
    numbers the system issues later never repeat them. In the caller's transaction."""
    ct = registry.case_type(case_type)
    highest: dict[tuple, int] = {}
    for case in cases:
        parts = doc_number_parts(case)
        if parts:
            key = (_doc_org(case, ct), parts[0])
            highest[key] = max(highest.get(key, 0), parts[1])
    for (org, year), seq in highest.items():
        advance_doc_counter(case_type, org, year, seq)


def allocate_code(bureau, letters: str, year: int) -> tuple[str, int]:
    seq = next_value(f"code:{bureau.region_code}:{letters}:{year}")
    return codes.build(bureau.region_code, letters, year, seq), seq


def assign_doc_number(case: Case, *, year: int | None = None) -> str:
    """Give the case its human document number (文号) from the line's template,
    once. Call inside the transaction of the step that issues it."""
    if case.doc_number:
        return case.doc_number
    ct = registry.case_type(case.case_type)
    org = _doc_org(case, ct)
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
    figures_hook.cases_changed([case])  # every change reaches the timeline: the figures' rollup mark (ADR 0021)
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
    from .selectors import access_case, may_write

    case = access_case(actor, case_pk, for_update=True)
    if not has_cap(actor, HANDLE):
        refused("case.write", actor=actor, obj=case, reason="只读角色")
        raise PermissionRefused("您的角色只能查看，不能修改案件。")
    from .archive import refuse_if_archived

    refuse_if_archived(actor, case)  # 归档: read-only until reopened (may_write says no as well)
    if not may_write(actor, case):
        refused("case.write", actor=actor, obj=case, reason="共享只读")
        raise PermissionRefused(f"本案由{case.owner_org.name}承办，共享给贵单位的案件只能查看。")
    return case


def _check_version(case: Case, expected_version) -> None:
    if expected_version is not None and int(expected_version) != case.version:
        raise Conflict()


# --- create ------------------------------------------------------------------------------


def handler_assignment(handler) -> str:
    """The assignment a handler's role gets on a case it registers ("" for none)."""
    spec = registry.role(getattr(handler, "role", "")) if handler is not None else None
    return spec.assignment if spec is not None else ""


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
    unassigned: bool = False,
) -> Case:
    """Register a matter: allocate its code, store parties, write the first
    timeline entry and audit entry, start the deadlines of the line's rules.

    ``on_created(case)`` lets the line write its one-to-one record in the same
    transaction; returning the record spares a read of it (``case.record``).
    ``check_access=False`` is for system callers only (the public portal, ledger
    import under an import permission checked by the caller; an owner org from
    ``selectors.checked_creatable`` is not checked a second time).
    ``unassigned``: the case waits in its owner's intake list (待分配) even when
    the actor handles cases (an office receiving an application for a centre).
    """
    ct = registry.case_type(case_type)
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
        from .selectors import creatable_orgs, is_checked_creatable

        if not is_checked_creatable(owner_org, actor, case_type) and not creatable_orgs(actor, case_type).filter(pk=owner_org.pk).exists():
            refused("case.create", actor=actor, object_type="cases.case", object_repr=f"{ct.label} @ {owner_org}", reason="无权在该机构登记")
            raise PermissionRefused(f"您无权在“{owner_org.name}”登记{ct.label}案件。")
    cleaned = [clean_party(p, position=i + 1, allowed_roles=ct.party_roles or None) for i, p in enumerate(parties)]
    if handler is None and not unassigned and actor is not None and getattr(actor, "is_authenticated", False) and has_cap(actor, HANDLE):
        handler = actor
    from .selectors import prime

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
        written = Party.objects.bulk_create([build_party(case, fields, i) for i, fields in enumerate(cleaned)])  # one INSERT for them all
        if all(p.pk is not None for p in written):
            # The case's parties are these, in their order (sort_order, id): its answer
            # (the API's 201, a receipt) reads them from here, not back (issue 19, ADR 0025).
            prime(case, "parties", written)
        assignment = handler_assignment(handler)
        if assignment:
            # An assignment-scoped role (调解员 …) sees the cases it registers.
            CaseAssignment.objects.create(case=case, user=handler, role=assignment)
        if on_created is not None:
            made = on_created(case)
            if ct.record_model is not None and isinstance(made, ct.record_model):
                case.record = made  # the line's record, just written: not read back (Case.record)
        log_event(case, actor, EventKind.CREATED, event_label, to_status=case.status, reason=event_reason, data=(extra or {}) | {"on": opened_on.isoformat()})
        from sifa.deadlines.services import apply_trigger

        if not apply_trigger(case, "created", opened_on, extra or {}):
            prime(case, "deadlines", [])  # no clock starts on registration: it has none yet
        record("case.create", actor=actor, obj=case, detail={"type": ct.key, "org": owner_org.name})
    return case


class PossibleDuplicate(DomainError):
    """The same parties already have an open case of this type: registering needs
    an explicit "continue anyway" (``confirm_duplicate``). Never blocks silently."""

    status_code = 409

    def __init__(self, matches, noun: str):
        self.matches = list(matches)
        codes_ = "、".join(c.code for c in self.matches[:5])
        super().__init__(f"当事人已有在办{noun}（{codes_}），请核对；确需另行登记的，请勾选“仍然登记”。", field="confirm_duplicate", code="duplicate")
        self.extra = {"duplicates": [{"id": c.pk, "code": c.code, "title": c.title, "owner_org": c.owner_org.name} for c in self.matches]}


def refuse_duplicates(actor, case_type: str, parties, *, noun: str = "") -> None:
    """Raise ``PossibleDuplicate`` when any of ``parties`` has an open case of this type."""
    from .selectors import open_cases_with_parties

    matches = list(open_cases_with_parties(actor, case_type, list(parties))[:10])
    if matches:
        raise PossibleDuplicate(matches, noun or f"{registry.case_type(case_type).label}案件")


# --- the one door for state changes ----------------------------------------------------------


def precondition(case: Case, rec, step: Step, on: date) -> str | None:
    """Why ``step`` may not be taken on ``on`` for the case as it stands (None: it may):
    the law's own rule first (a lapse step no earlier than its period ends), then the line's."""
    ct = registry.case_type(case.case_type)
    if any(r.lapse and r.lapse.step == step.name for r in ct.deadline_rules):
        from .settle import lapse_refusal

        if why := lapse_refusal(case, step.name, on):
            return why
    return step.pre(case, rec, on) if step.pre is not None else None


def may_take_step(user, step) -> bool:
    """Does the user's role let them take this step (a case's or a procedure's): its
    capability, and its ``by`` when the line narrows it (decided at the bureau)."""
    return has_cap(user, step.permission) and (step.by is None or bool(step.by(user)))


def allowed_steps(user, case: Case) -> list[Step]:
    """The steps the user may take now: the action buttons, and the step
    catalogue of the API. A step whose precondition fails is not offered."""
    from .archive import is_archived

    if case.is_deleted or is_archived(case):
        return []
    from .selectors import works_on

    if not works_on(user, case):
        return []  # a case shared read-only
    ct = registry.case_type(case.case_type)
    steps = [t for t in ct.workflow.available_from(case.status) if may_take_step(user, t)]
    lapses = {r.lapse.step for r in ct.deadline_rules if r.lapse}
    if not any(t.pre or t.name in lapses for t in steps):
        return steps
    rec, on = case.record, today()
    return [t for t in steps if precondition(case, rec, t, on) is None]


def why_not(user, case: Case, step: Step) -> str:
    """Why the step is not offered now, in one Chinese sentence ("" when it is)."""
    ct = registry.case_type(case.case_type)
    from .archive import READ_ONLY, is_archived

    if case.is_deleted:
        return "该案件已删除。"
    if is_archived(case):
        return READ_ONLY
    if case.status not in step.sources:
        return f"案件当前为“{ct.status_label(case.status)}”，不能执行“{step.label}”。"
    if not may_take_step(user, step):
        return f"您的角色不能执行“{step.label}”。"
    from .selectors import works_on

    if not works_on(user, case):
        return f"本案由{case.owner_org.name}承办，共享给贵单位的案件只能查看。"
    return precondition(case, case.record, step, today()) or ""


class StepInvalid(DomainError):
    """The step's form refused its input: the message names the first bad field;
    ``form`` carries every error for the page to show."""

    def __init__(self, form):
        from sifa.common.forms import first_error

        self.form = form
        first = first_error(form)
        super().__init__(first.message, field=first.field)


def _raw(value):
    """A value as a form reads it from a request (the API and tests may send Python values)."""
    from decimal import Decimal

    from django.core.files.uploadedfile import UploadedFile
    from django.db import models

    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return [v if isinstance(v, UploadedFile) else _raw(v) for v in value]
    if isinstance(value, (date, Decimal)):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return "" if value is None else value


def bind_step_form(step: Step, case: Case, rec, data=None, files=None):
    """The step's form for ``case``: unbound (data None) or bound to a request's data."""
    if data is None:
        return step.form(None, None, case=case, record=rec)
    if not hasattr(data, "getlist"):  # a plain dict (API JSON, tests): as a form would read it
        data = {k: _raw(v) for k, v in data.items()}
    return step.form(data, files, case=case, record=rec)


def transition(
    actor,
    case_or_pk,
    name: str,
    *,
    data: dict[str, Any] | None = None,
    files=None,
    reason: str = "",
    expected_version: int | None = None,
    on: date | None = None,
    system: bool = False,
) -> CaseEvent:
    """Take one workflow step: lock the row, check state, permission, the step's
    precondition, reason and date; validate its input with its form (once: the
    page's POST or the API's JSON); run its check and its write; change the
    status; append the timeline and audit entries; recompute the clocks. All in
    one transaction; a refusal changes nothing and says why.

    ``system=True`` is for the nightly settlement of lapsed periods (视为受理 …):
    no user (``actor`` None, the timeline shows 系统), the row is locked without
    user scoping and the permission check is skipped; state, precondition, dates
    and the rest apply as usual. Never set it from a request."""
    from .selectors import access_case

    pk = getattr(case_or_pk, "pk", case_or_pk)
    reason = (reason or "").strip()
    on = on or today()
    try:
        with transaction.atomic():
            if system:
                case = Case.objects.select_for_update(of=("self",)).get(pk=pk)
            else:
                case = access_case(actor, pk, for_update=True)
            _check_version(case, expected_version)
            ct = registry.case_type(case.case_type)
            if case.status in ct.workflow.archived_states:
                from .archive import READ_ONLY

                raise Refused(READ_ONLY)
            t = ct.workflow.get(name)
            if t is None:
                raise Refused("没有这个办理操作。")
            if case.status not in t.sources:
                raise Refused(f"案件当前为“{ct.status_label(case.status)}”，不能执行“{t.label}”。")
            rec = case.record
            if ct.record and rec is None:
                raise Refused(f"未找到本案的{ct.label}记录。")
            values = step_values(
                actor,
                case,
                rec,
                t,
                on=on,
                since=case.opened_on,
                since_label="收案日期",
                reason=reason,
                data=data,
                files=files,
                why_not=precondition(case, rec, t, on),
                system=system,
            )
            from_status = case.status
            extra = (t.write(case, rec, values, actor) if t.write else None) or {}
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
            uploaded = _uploaded_files(values)
            if uploaded:
                # Files sent with the step's form join its timeline entry, checked and
                # stored in this transaction (a refused file refuses the step).
                from sifa.attachments.services import attach_to_event

                attach_to_event(actor, case, event, uploaded)
            from sifa.deadlines.services import apply_trigger

            apply_trigger(case, t.name, on, values | extra)
            record("case.transition", actor=actor, obj=case, detail={"transition": t.name, "from": from_status, "to": case.status})
            return event
    except DomainError as exc:
        refused("case.transition", actor=actor, object_type="cases.case", object_id=str(pk), reason=exc.message, detail={"transition": name})
        raise


def step_values(
    actor, case: Case, rec, t: Step, *, on: date, since: date, since_label: str, reason: str, data, files, why_not: str | None, system: bool = False
) -> dict:
    """The checks every step takes after its state, in this order (a case's step in
    ``transition``, a procedure's in ``cases.procedures``): the role's capability,
    the case being the user's to work on, the date (not after today, not before
    ``since``), the precondition (``why_not``), the reason, the step's form, its
    check. Returns the values its write receives (the form's data and ``on``)."""
    from .archive import READ_ONLY, is_archived
    from .selectors import works_on

    if is_archived(case):
        raise Refused(READ_ONLY)  # 归档: no step, no procedure until reopened (cases.archive)
    if not system and not may_take_step(actor, t):
        raise PermissionRefused(f"您的角色不能执行“{t.label}”。")
    if not system and not works_on(actor, case):
        raise PermissionRefused(f"本案由{case.owner_org.name}承办，共享给贵单位的案件只能查看。")
    if on > today():
        raise Refused("办理日期不能晚于今天。", field="on")
    if on < since:
        raise Refused(f"办理日期不能早于{since_label}。", field="on")
    if why_not:
        raise Refused(why_not)
    if t.reason_required and not reason:
        raise Refused(f"请填写{t.reason_label}。", field="reason")
    values = {"on": on}
    if t.form is not None:
        form = bind_step_form(t, case, rec, data or {}, files)
        if not form.is_valid():
            raise StepInvalid(form)
        values = {**form.cleaned_data, "on": on}
    if t.check is not None and (why := t.check(case, rec, values)):
        raise Refused(why)
    return values


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


def assign(actor, case_or_pk, user, *, role: str = AssignmentRole.HANDLER, make_handler: bool = False, reason: str = "", quiet: bool = False) -> Case:
    """Assign ``user`` to the case in ``role`` (and make them its handler). Refused,
    audited and changing nothing when ``user`` could not see the case. ``quiet``:
    no timeline entry of its own, for a step whose entry already names the people
    (指派调解员); the audit entry is written either way."""
    pk = getattr(case_or_pk, "pk", case_or_pk)
    if role not in {a.code for a in registry.assignment_roles()}:
        raise DomainError("分工无效。", field="role")
    try:
        with transaction.atomic():
            case = _require_write(actor, pk)
            check_assignee(case, user, make_handler)
            try:
                with transaction.atomic():
                    CaseAssignment.objects.update_or_create(case=case, user=user, role=role, defaults={"active": True})
            except IntegrityError:
                pass
            if make_handler:
                case.handler = user
                case.version += 1
                case.save(update_fields=["handler", "version", "updated_at"])
            if not quiet:
                log_event(case, actor, EventKind.ASSIGNMENT, f"指派{registry.assignment_label(role)}：{user.display_name}", reason=reason)
            record("case.assign", actor=actor, obj=case, detail={"user": user.username, "role": role})
    except NotAssignable as exc:
        # Outside the rolled-back transaction, so the refusal's entry stays.
        detail = {"user": getattr(user, "username", ""), "role": role, "make_handler": make_handler}
        refused("case.assign", actor=actor, obj=exc.case, reason=exc.reason, detail=detail)
        raise DomainError(exc.message, field="user") from None
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
