"""Parties: validation, writes, masking and audited reveal."""

from __future__ import annotations

from django.db import transaction

from sifa.accounts.roles import REVEAL, has_cap
from sifa.audit.services import record
from sifa.common import identity
from sifa.common.crypto import keyed_hash
from sifa.common.errors import DomainError, PermissionRefused
from sifa.common.text import pinyin_full, pinyin_initials

from .choices import EventKind, IdType, PartyKind, PartyRole
from .models import Case, Party

FIELDS = ("role", "kind", "name", "id_type", "id_number", "phone", "address", "gender", "birth_date", "ethnicity", "legal_rep")
REVEALABLE = {"id_number": "证件号码", "phone": "联系电话", "address": "住址"}
# Read once: a choices class builds its lists anew on every access (a ledger import checks every row).
_KINDS, _ID_TYPES, _ROLES = frozenset(PartyKind.values), frozenset(IdType.values), dict(PartyRole.choices)


def clean_party(data: dict, *, position: int | None = None, allowed_roles: dict | None = None) -> dict:
    """Validate and normalise one party's fields. Errors name the party and field."""
    who = f"第{position}位当事人" if position else "当事人"
    out = {k: data.get(k) for k in FIELDS if k in data}
    out["name"] = (out.get("name") or "").strip()
    if not out["name"]:
        raise DomainError(f"{who}的姓名/名称不能为空。", field="name")
    if len(out["name"]) > 100:
        raise DomainError(f"{who}的姓名/名称过长（最多100字）。", field="name")
    kind = out.get("kind") or PartyKind.NATURAL
    if kind not in _KINDS:
        raise DomainError(f"{who}的类型无效。", field="kind")
    out["kind"] = kind
    role = out.get("role") or PartyRole.APPLICANT
    roles = allowed_roles or _ROLES
    if role not in roles:
        raise DomainError(f"{who}的身份“{role}”无效。", field="role")
    out["role"] = role
    id_number = (out.get("id_number") or "").strip()
    id_type = out.get("id_type") or ""
    if id_number and not id_type:
        id_type = IdType.RESIDENT_ID if kind == PartyKind.NATURAL else IdType.USCC
    if id_type and id_type not in _ID_TYPES:
        raise DomainError(f"{who}的证件类型无效。", field="id_type")
    try:
        if id_number and id_type == IdType.RESIDENT_ID:
            id_number = identity.normalize_id_number(id_number)
            out.setdefault("birth_date", None)
            out["birth_date"] = out.get("birth_date") or identity.id_birth_date(id_number)
            out["gender"] = out.get("gender") or identity.id_gender(id_number)
        elif id_number and id_type == IdType.USCC:
            id_number = identity.normalize_uscc(id_number)
        elif id_number and len(id_number) > 40:
            raise DomainError("证件号码过长。", field="id_number")
        phone = (out.get("phone") or "").strip()
        if phone:
            phone = identity.normalize_phone(phone)
    except DomainError as exc:
        raise DomainError(f"{who}：{exc.message}", field=exc.field) from None
    out["id_type"] = id_type
    out["id_number"] = id_number
    out["phone"] = phone
    out["address"] = (out.get("address") or "").strip()[:300]
    for key in ("gender", "ethnicity", "legal_rep"):
        out[key] = (out.get(key) or "").strip() if isinstance(out.get(key), str) else (out.get(key) or "")
    return out


def _derived(fields: dict) -> dict:
    phone = fields.get("phone") or ""
    return {
        "name_initials": pinyin_initials(fields["name"]),
        "name_pinyin": pinyin_full(fields["name"]),
        "id_hash": keyed_hash(fields.get("id_number") or ""),
        "phone_last4": "".join(c for c in phone if c.isdigit())[-4:],
    }


def build_party(case: Case, fields: dict, sort_order: int = 0) -> Party:
    return Party(case=case, sort_order=sort_order, **fields, **_derived(fields))


def add_party(actor, case: Case, data: dict) -> Party:
    from .services import _require_write, log_event

    with transaction.atomic():
        case = _require_write(actor, case.pk)
        fields = clean_party(data, allowed_roles=case.type.party_roles or None)
        party = build_party(case, fields, sort_order=case.parties.count())
        party.save()
        log_event(case, actor, EventKind.PARTY, f"添加当事人：{party.name}")
        record("party.create", actor=actor, obj=party, detail={"case": case.code})
    return party


def update_party(actor, party: Party, data: dict) -> Party:
    from .services import _require_write, log_event

    with transaction.atomic():
        case = _require_write(actor, party.case_id)
        party = Party.objects.select_for_update().get(pk=party.pk, case=case)
        merged = {k: getattr(party, k) for k in FIELDS} | data
        if data.get("id_number") and data["id_number"] != party.id_number and "birth_date" not in data:
            merged["birth_date"] = None  # derived again from the new number
        fields = clean_party(merged, allowed_roles=case.type.party_roles or None)
        changed = [k for k, v in fields.items() if getattr(party, k) != v]
        for k, v in (fields | _derived(fields)).items():
            setattr(party, k, v)
        party.save()
        labels = [Party._meta.get_field(k).verbose_name for k in changed]
        log_event(case, actor, EventKind.PARTY, f"修改当事人：{party.name}", data={"fields": [str(x) for x in labels]})
        record("party.update", actor=actor, obj=party, detail={"case": case.code, "fields": changed})
    return party


def remove_party(actor, party: Party, reason: str) -> None:
    from .services import _require_write, log_event

    if not (reason or "").strip():
        raise DomainError("删除当事人须填写原因。", field="reason")
    with transaction.atomic():
        case = _require_write(actor, party.case_id)
        name = party.name
        Party.objects.filter(pk=party.pk, case=case).delete()
        log_event(case, actor, EventKind.PARTY, f"删除当事人：{name}", reason=reason)
        record("party.delete", actor=actor, object_type="cases.party", object_id=str(party.pk), object_repr=name, detail={"case": case.code, "reason": reason})


def masked(party: Party) -> dict:
    return identity.mask_party(party)


def reveal(actor, party: Party, field: str) -> str:
    """The unmasked value, for roles that may reveal. Each reveal is audited."""
    from .selectors import access_case

    # Access first: another office's party answers 404 whatever the field asked for.
    case = access_case(actor, party.case_id)
    if field not in REVEALABLE:
        raise DomainError("该字段不可查看。", field="field")
    if not has_cap(actor, REVEAL):
        from sifa.audit.services import refused

        refused("party.reveal", actor=actor, obj=party, reason="角色无权查看", detail={"field": field})
        raise PermissionRefused("您的角色无权查看完整的个人信息。")
    record("party.reveal", actor=actor, obj=party, detail={"case": case.code, "field": field})
    return getattr(party, field)
