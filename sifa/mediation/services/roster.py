"""Writes of the roster (名册) of mediation organisations and people (人民调解法
第十条: the county bureau keeps statistics of committees and mediators).

A committee or studio is an ``orgs.Org`` (created and changed only through
``orgs.services``) plus its ``Committee`` profile. Statutory composition
rules (3–9 members, one 主任, a woman) are warnings shown by the selectors, not
blockers: members are entered one at a time.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from sifa.audit.services import record
from sifa.common import dictionaries, identity
from sifa.common.errors import DomainError, PermissionRefused
from sifa.orgs import services as org_services
from sifa.orgs.choices import OrgKind
from sifa.orgs.models import Org

from .. import selectors
from ..choices import COMMITTEE, FIELD_SET, MEDIATION_ORG_KINDS, MEDIATOR, STUDIO, STUDIO_TYPES, CommitteeType, Gender, MediatorKind, MediatorLevel, Position
from ..models import Committee, Mediator, Membership, Training

ORG_FIELD_LABELS = {"name": "名称", "short_name": "简称", "parent": "所属司法所/上级组织", "address": "地址", "phone": "联系电话"}


def _require_manage(actor, org: Org) -> None:
    """The actor keeps the registry and ``org`` lies in their scope."""
    root = selectors.scope_root(actor)
    if root is None or not org.is_within(root):
        raise DomainError("该机构不在您的管理范围内。", field="parent")
    if not selectors.may_manage_roster(actor):
        raise PermissionRefused("您的角色不能修改调解组织和调解员档案。")


def _org_error(exc: ValidationError) -> DomainError:
    for name, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
        label = ORG_FIELD_LABELS.get(name, "")
        text = messages[0] if messages else "数据无效"
        return DomainError(f"{label}：{text}" if label else text, field=name if name in ORG_FIELD_LABELS else None)
    return DomainError("数据无效。")


def _profile_fields(data: dict) -> dict:
    ctype = data.get("committee_type") or ""
    if ctype not in CommitteeType.values:
        raise DomainError("请选择组织类型。", field="committee_type")
    field_code = data.get("field_code") or ""
    if field_code:
        dictionaries.validate(FIELD_SET, field_code, field="field_code", what="行业/专业领域")
    term_years = int(data.get("term_years") or 3)
    if not 1 <= term_years <= 10:
        raise DomainError("每届任期应为1至10年。", field="term_years")
    return {
        "committee_type": ctype,
        "field_code": field_code,
        "established_on": data.get("established_on"),
        "term_start": data.get("term_start"),
        "term_years": term_years,
        "filed_on": data.get("filed_on"),
        "note": (data.get("note") or "").strip()[:300],
    }


def _phone(value: str, field: str = "phone") -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return identity.normalize_phone(value)
    except DomainError as exc:
        raise DomainError(exc.message, field=field) from None


def create_committee(actor, *, parent: Org, name: str, short_name: str, address: str = "", phone: str = "", **profile) -> Committee:
    """Set up a committee or studio under an office (or the bureau / a committee for studios)."""
    _require_manage(actor, parent)
    fields = _profile_fields(profile)
    kind = STUDIO if fields["committee_type"] in STUDIO_TYPES else COMMITTEE
    if kind == COMMITTEE and parent.kind not in (OrgKind.OFFICE, OrgKind.BUREAU):
        raise DomainError("人民调解委员会应设在司法所（或司法局）之下。", field="parent")
    with transaction.atomic():
        try:
            org = org_services.create_org(
                actor=actor,
                name=(name or "").strip(),
                short_name=(short_name or "").strip(),
                kind=kind,
                region_code=parent.region_code,
                parent=parent,
                address=(address or "").strip()[:200],
                phone=_phone(phone),
            )
        except ValidationError as exc:
            raise _org_error(exc) from None
        committee = Committee.objects.create(org=org, **fields)
        record("mediation.committee.create", actor=actor, obj=committee, detail={"name": org.name, "type": fields["committee_type"]})
    return committee


def save_profile(actor, org: Org, *, name: str, short_name: str, address: str = "", phone: str = "", **profile) -> Committee:
    """Edit a committee or studio (and create its profile when an existing org has none)."""
    _require_manage(actor, org)
    fields = _profile_fields(profile)
    with transaction.atomic():
        try:
            org_services.update_org(
                org, actor=actor, name=(name or "").strip(), short_name=(short_name or "").strip(), address=(address or "").strip()[:200], phone=_phone(phone)
            )
        except ValidationError as exc:
            raise _org_error(exc) from None
        committee, created = Committee.objects.update_or_create(org=org, defaults=fields)
        record("mediation.committee.create" if created else "mediation.committee.update", actor=actor, obj=committee, detail={"name": org.name})
    return committee


# --- mediators ------------------------------------------------------------------------------------


def _mediator_fields(data: dict, committee_org: Org, current: Mediator | None = None) -> dict:
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError("请填写调解员姓名。", field="name")
    if len(name) > 50:
        raise DomainError("姓名过长（最多50字）。", field="name")
    if data.get("gender") not in Gender.values:
        raise DomainError("请选择性别。", field="gender")
    kind = data.get("kind") or MediatorKind.PART_TIME
    if kind not in MediatorKind.values:
        raise DomainError("专兼职无效。", field="kind")
    level = data.get("level") or ""
    if level not in MediatorLevel.values:
        raise DomainError("等级应为一级至四级或未评定。", field="level")
    return {
        "name": name,
        "gender": data["gender"],
        "kind": kind,
        "level": level,
        # Editing without a "phone" key keeps the stored number (it is never sent back to the page).
        "phone": _phone(data.get("phone") or "") if "phone" in data or current is None else current.phone,
        "is_active": bool(data.get("is_active", True)),
        "note": (data.get("note") or "").strip()[:300],
        "user": _linkable_user(data.get("user"), committee_org),
    }


def _linkable_user(user, committee_org: Org):
    """A sign-in account of role 人民调解员 inside the committee."""
    if user in (None, ""):
        return None
    from sifa.accounts.models import User

    if not isinstance(user, User):
        user = User.objects.filter(pk=user).first() if str(user).isdigit() else None
    if user is None or user.role != MEDIATOR or not user.org.is_within(committee_org):
        raise DomainError("登录账号须为本调解组织的“人民调解员”角色账号。", field="user")
    return user


def _check_position(position: str) -> str:
    if position not in Position.values:
        raise DomainError("请选择职务。", field="position")
    return position


def create_mediator(actor, *, committee: Org, position: str = Position.MEDIATOR, since: date | None = None, **data) -> Mediator:
    if committee.kind not in MEDIATION_ORG_KINDS:
        raise DomainError("请选择调解组织。", field="committee")
    _require_manage(actor, committee)
    _check_position(position)
    fields = _mediator_fields(data, committee)
    with transaction.atomic():
        if fields["user"] is not None and Mediator.objects.filter(user=fields["user"]).exists():
            raise DomainError("该登录账号已关联其他调解员。", field="user")
        m = Mediator.objects.create(org=committee, **fields)
        Membership.objects.create(committee=committee, mediator=m, position=position, since=since)
        record("mediation.mediator.create", actor=actor, obj=m, detail={"committee": committee.name, "position": position})
    return m


def update_mediator(actor, mediator: Mediator, **data) -> Mediator:
    _require_manage(actor, mediator.org)
    with transaction.atomic():
        m = Mediator.objects.select_for_update().get(pk=mediator.pk)
        fields = _mediator_fields(data, m.org, current=m)
        if fields["user"] is not None and Mediator.objects.filter(user=fields["user"]).exclude(pk=m.pk).exists():
            raise DomainError("该登录账号已关联其他调解员。", field="user")
        changed = [k for k, v in fields.items() if getattr(m, k) != v]
        for k, v in fields.items():
            setattr(m, k, v)
        m.save()
        record("mediation.mediator.update", actor=actor, obj=m, detail={"fields": changed})
    return m


def add_membership(actor, mediator: Mediator, *, committee: Org, position: str, since: date | None = None) -> Membership:
    """A position in a (further) committee, or a new position in the same one."""
    if committee.kind not in MEDIATION_ORG_KINDS:
        raise DomainError("请选择调解组织。", field="committee")
    _require_manage(actor, committee)
    _check_position(position)
    with transaction.atomic():
        ms, _ = Membership.objects.update_or_create(committee=committee, mediator=mediator, defaults={"position": position, "since": since, "active": True})
        record("mediation.membership.save", actor=actor, obj=mediator, detail={"committee": committee.name, "position": position})
    return ms


def end_membership(actor, membership: Membership) -> Membership:
    _require_manage(actor, membership.committee)
    with transaction.atomic():
        membership.active = False
        membership.save(update_fields=["active"])
        record("mediation.membership.end", actor=actor, obj=membership.mediator, detail={"committee": membership.committee.name})
    return membership


def add_training(actor, mediator: Mediator, *, on: date, title: str, organizer: str = "", hours=None) -> Training:
    _require_manage(actor, mediator.org)
    title = (title or "").strip()
    if not title:
        raise DomainError("请填写培训内容。", field="title")
    if on is None:
        raise DomainError("请填写培训日期。", field="on")
    if hours is not None and (Decimal(hours) < 0 or Decimal(hours) > 1000):
        raise DomainError("学时应在0至1000之间。", field="hours")
    with transaction.atomic():
        t = Training.objects.create(mediator=mediator, on=on, title=title[:200], organizer=(organizer or "").strip()[:100], hours=hours)
        record("mediation.training.create", actor=actor, obj=mediator, detail={"title": t.title, "on": on.isoformat()})
    return t
