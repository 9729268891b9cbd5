"""Writes of register entries: registration (a number from the locked
counter), correction, deletion (kept, marked) — each checked against the
user's scope and audited. A refusal changes nothing and says why."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from sifa.accounts.roles import HANDLE, has_cap
from sifa.audit.services import record, refused
from sifa.cases import codes
from sifa.cases.services import next_value
from sifa.common.errors import Conflict, DomainError, PermissionRefused, Refused
from sifa.orgs.selectors import bureau_of

from . import selectors

KERNEL_FIELDS = ("on", "owner_org", "person_name", "person_phone", "person_id_number", "summary", "result")


def number_counter(reg, bureau, year: int) -> str:
    """The sequence of a register's numbers of one bureau and year (one at a time
    here, in blocks by a ledger import: ``ledgers.entries``)."""
    return f"entry:{bureau.region_code}:{reg.letters}:{year}"


def allocate_number(reg, bureau, year: int) -> str:
    seq = next_value(number_counter(reg, bureau, year))
    if seq >= 1_000_000:
        raise Refused(f"{year}年{reg.label}编号已用尽。")
    return codes.build(bureau.region_code, reg.letters, year, seq)


def _check(actor, reg, values: dict) -> None:
    if not selectors.may_register(actor, reg):
        raise PermissionRefused(f"您的角色不能登记{reg.label}。")
    org = values.get("owner_org")
    if org is None or not selectors.creatable_orgs(actor, reg).filter(pk=org.pk).exists():
        raise Refused(f"不能在该机构登记{reg.label}。", field="owner_org")
    on = values.get("on")
    if not isinstance(on, date) or on > timezone.localdate():
        raise Refused("登记日期不能晚于今天。", field="on")
    if not (values.get("summary") or "").strip():
        raise Refused(f"请填写{reg.summary_label}。", field="summary")


def create_entry(actor, reg, values: dict):
    """A new entry from cleaned values (the register's form or API)."""
    try:
        _check(actor, reg, values)
    except DomainError as exc:
        refused("register.create", actor=actor, reason=exc.message, detail={"register": reg.key})
        raise
    Model = selectors.model_of(reg)
    org = values["owner_org"]
    with transaction.atomic():
        bureau = bureau_of(org)
        entry = Model(
            **{k: v for k, v in values.items() if k != "owner_org"},
            owner_org=org,
            org_path=org.path,
            bureau=bureau,
            case_type=reg.case_type,
            handler=actor if has_cap(actor, HANDLE) else None,
            created_by=actor,
            number=allocate_number(reg, bureau, values["on"].year),
        )
        entry.save()
        record("register.create", actor=actor, obj=entry, detail={"register": reg.key, "number": entry.number})
    return entry


def update_entry(actor, reg, pk, values: dict, *, expected_version: int | None = None):
    with transaction.atomic():
        entry = selectors.access_entry(actor, reg, pk, for_update=True)
        if expected_version is not None and int(expected_version) != entry.version:
            raise Conflict()
        if not has_cap(actor, HANDLE):
            raise PermissionRefused("您的角色只能查看。")
        _check(actor, reg, values)
        if values["owner_org"].pk != entry.owner_org_id:
            raise Refused("登记机构不能修改；请删除后在正确的机构重新登记。", field="owner_org")
        if values["on"].year != entry.on.year:
            raise Refused("登记日期不能改到其他年度（登记编号按年度编排）。", field="on")
        changed = sorted(k for k, v in values.items() if getattr(entry, k) != v and k != "owner_org")
        for k, v in values.items():
            if k != "owner_org":
                setattr(entry, k, v)
        entry.version += 1
        entry.save()
        record("register.update", actor=actor, obj=entry, detail={"register": reg.key, "fields": changed})
    return entry


def delete_entry(actor, reg, pk, reason: str):
    reason = (reason or "").strip()
    with transaction.atomic():
        entry = selectors.access_entry(actor, reg, pk, for_update=True)
        if not has_cap(actor, HANDLE):
            raise PermissionRefused("您的角色只能查看。")
        if not reason:
            raise Refused("请填写删除原因。", field="reason")
        if entry.handed_to_id:
            raise Refused("已移交办理的登记不能删除。")
        entry.is_deleted, entry.deleted_reason = True, reason[:200]
        entry.save(update_fields=["is_deleted", "deleted_reason", "updated_at"])
        record("register.delete", actor=actor, obj=entry, detail={"register": reg.key, "reason": reason[:200]})
    return entry
