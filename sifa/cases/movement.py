"""A case changing hands, and its reach beyond its owner:

* ``take``: someone takes an unhandled case from the intake list (待分配 → 认领);
* ``share`` / ``end_share``: a second organisation sees the case (read-only unless
  granted); owner, code and history stay;
* ``transfer``: the case moves to another office or bureau with its whole history
  (code, timeline, clocks, documents); it lands in the receiver's intake list,
  and the sender keeps sight of it unless told otherwise;
* ``hand_over``: a record of one line becomes a case of another (``kit.casework.HandOver``),
  parties and content carried over, both linked.

Each is one transaction with its timeline entry and audit entry; a refusal
changes nothing and says why.
"""

from __future__ import annotations

from django.db import transaction

from sifa.accounts.roles import HANDLE, has_cap
from sifa.audit.services import record
from sifa.common.errors import Conflict, DomainError, PermissionRefused, Refused
from sifa.kit import registry
from sifa.kit.casetype import BUREAU
from sifa.orgs.choices import OrgKind
from sifa.orgs.models import Org

from . import selectors
from .choices import EventKind
from .models import Case, CaseAssignment, CaseLink, CaseShare
from .services import _require_write, handler_assignment, log_event


def _bump_shares() -> None:
    selectors.SHARES_VERSION[0] += 1


# --- the intake list -------------------------------------------------------------------------------


def take(actor, case_or_pk) -> Case:
    """认领: the actor becomes the handler of an open case nobody handles."""
    pk = getattr(case_or_pk, "pk", case_or_pk)
    with transaction.atomic():
        case = _require_write(actor, pk)
        if selectors._spec(actor).assignment_scoped:
            raise PermissionRefused("您的角色由指派确定承办案件，不能认领。")
        if case.handler_id is not None:
            raise Conflict(f"本案已由{case.handler.display_name}承办。")
        if case.closed_on is not None:
            raise Refused("本案已结案，不能认领。")
        case.handler = actor
        case.version += 1
        case.save(update_fields=["handler", "version", "updated_at"])
        if assignment := handler_assignment(actor):
            CaseAssignment.objects.update_or_create(case=case, user=actor, role=assignment, defaults={"active": True})
        log_event(case, actor, EventKind.ASSIGNMENT, f"认领：{actor.display_name}")
        record("case.take", actor=actor, obj=case)
    return case


# --- shares and transfers ----------------------------------------------------------------------------


def owner_kinds(case_type: str) -> tuple[str, ...]:
    """The org kinds that may own a case of this type (its line's ``owner_kinds``,
    else offices and bureaus; bureaus only for a bureau-level line)."""
    ct = registry.case_type(case_type)
    if ct.level == BUREAU:
        return (OrgKind.BUREAU,)
    return tuple(ct.owner_kinds) or (OrgKind.OFFICE, OrgKind.BUREAU)


def share(actor, case_or_pk, org: Org, *, reason: str, can_write: bool = False, checked: bool = False) -> CaseShare:
    """Let ``org`` see the case (and work on it when ``can_write``). ``checked``: a
    line's registration service shares the case it is creating with the office that
    received the application (通办), inside its transaction, having checked the actor."""
    pk = getattr(case_or_pk, "pk", case_or_pk)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写共享理由。", field="reason")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=pk) if checked else _require_write(actor, pk)
        if org is None or not org.is_active:
            raise DomainError("请选择共享的机构。", field="org")
        if org.path.startswith(case.org_path) or case.org_path.startswith(org.path):
            raise DomainError(f"“{org.name}”已能看到本案，无需共享。", field="org")
        s, _ = CaseShare.objects.update_or_create(
            case=case, org=org, defaults={"org_path": org.path, "can_write": can_write, "reason": reason[:200], "active": True, "created_by": actor}
        )
        what = "可办理" if can_write else "只读"
        log_event(case, actor, EventKind.SHARE, f"共享给{org.name}（{what}）", reason=reason)
        record("case.share", actor=actor, obj=case, detail={"org": org.name, "can_write": can_write})
        _bump_shares()
    return s


def read_only(case: Case, org_id: int) -> bool:
    """Inside a line's step (its transaction, its checks): the org the case was
    shared with for work keeps only a read-only view (a dispatched order returned
    or redone: the handling unit still sees what it did)."""
    changed = CaseShare.objects.filter(case=case, org_id=org_id, active=True, can_write=True).update(can_write=False) > 0
    if changed:
        _bump_shares()
    return changed


def end_share(actor, share_or_pk) -> CaseShare:
    pk = getattr(share_or_pk, "pk", share_or_pk)
    with transaction.atomic():
        s = CaseShare.objects.select_related("org").filter(pk=pk, active=True).first()
        if s is None:
            raise Refused("该共享不存在或已结束。")
        case = _require_write(actor, s.case_id)
        s.active = False
        s.save(update_fields=["active"])
        log_event(case, actor, EventKind.SHARE, f"结束共享：{s.org.name}")
        record("case.unshare", actor=actor, obj=case, detail={"org": s.org.name})
        _bump_shares()
    return s


def transfer_targets(user, case: Case):
    """Where a case may be moved: active orgs of a kind that may own it, in the
    organisation tree the case is in, other than its owner."""
    top = case.owner_org
    while top.parent_id is not None:
        top = top.parent
    return Org.objects.filter(path__startswith=top.path, is_active=True, kind__in=owner_kinds(case.case_type)).exclude(pk=case.owner_org_id).order_by("path")


def transfer(actor, case_or_pk, org: Org, *, reason: str, keep_sight: bool = True, expected_version: int | None = None) -> Case:
    """移送: the case moves to ``org`` with its whole history; the receiver finds it
    in its intake list (no handler yet); the sender keeps a read-only view
    (``keep_sight``). The code, the timeline, the clocks and the documents stay."""
    pk = getattr(case_or_pk, "pk", case_or_pk)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写移送理由。", field="reason")
    with transaction.atomic():
        case = _require_write(actor, pk)
        if expected_version is not None and int(expected_version) != case.version:
            raise Conflict()
        if case.closed_on is not None:
            raise Refused("本案已结案，不能移送。")
        if org is None or not transfer_targets(actor, case).filter(pk=org.pk).exists():
            raise DomainError("请选择可以承办本案的机构。", field="org")
        old = case.owner_org
        case.owner_org, case.org_path, case.handler = org, org.path, None
        case.version += 1
        case.save(update_fields=["owner_org", "org_path", "handler", "version", "updated_at"])
        CaseAssignment.objects.filter(case=case, active=True).update(active=False)
        CaseShare.objects.filter(case=case, org=org).update(active=False)
        if keep_sight:
            CaseShare.objects.update_or_create(
                case=case, org=old, defaults={"org_path": old.path, "can_write": False, "reason": f"移送前承办（{reason}）"[:200], "active": True}
            )
        log_event(case, actor, EventKind.TRANSFER, f"移送：{old.name} → {org.name}", reason=reason, data={"from": old.pk, "to": org.pk})
        record("case.transfer", actor=actor, obj=case, detail={"from": old.name, "to": org.name})
        _bump_shares()
    return case


# --- hand-over between lines --------------------------------------------------------------------------


def _carried_parties(source: Case, h) -> list[dict]:
    roles = registry.case_type(h.target).party_roles
    out = []
    for p in source.parties.all():
        if h.party_roles.get(p.role) == "":
            continue  # the receiving line has no such party
        role = h.party_roles.get(p.role) or (p.role if not roles or p.role in roles else "applicant")
        fields = ("kind", "name", "id_number", "phone", "address", "gender", "birth_date", "ethnicity", "legal_rep")
        out.append({"role": role} | {f: getattr(p, f) for f in fields if getattr(p, f) not in (None, "")})
    return out


def handover_orgs(user, h):
    """Where ``user`` may hand a record over with ``h``: the orgs they may register the
    receiving line's cases under; for a front-desk hand-over (``HandOver.intake``) by
    someone who registers none, the receiving line's orgs in their own bureau."""
    own = selectors.creatable_orgs(user, h.target)
    if not h.intake or own.exists() or not has_cap(user, HANDLE) or getattr(user, "org", None) is None:
        return own
    from sifa.orgs.selectors import bureau_of

    top = bureau_of(user.org)
    return Org.objects.filter(path__startswith=top.path, is_active=True, kind__in=owner_kinds(h.target))


def hand_over(actor, source, key: str, *, owner_org: Org, **fields) -> Case:
    """A record of one line becomes a case of another: ``source`` is a case (or a
    register entry, ``registers``), ``key`` the receiving line's ``HandOver``.
    The new case is registered by the receiving line's own service under
    ``owner_org``; both are linked and each timeline says so."""
    h = registry.handover(key)
    is_case = isinstance(source, Case)
    source_kind = source.case_type if is_case else source.register_key
    if source_kind not in h.sources:
        raise Refused(f"该记录不能{h.label}。")
    if not has_cap(actor, HANDLE):
        raise PermissionRefused("您的角色只能查看，不能移交。")
    with transaction.atomic():
        if is_case:
            source = selectors.access_case(actor, source.pk, for_update=True)
            if CaseLink.objects.filter(source=source, kind=key).exists():
                raise Conflict(f"本案已{h.label}。")
            carried = {"title": source.title, "summary": source.summary, "parties": _carried_parties(source, h)}
        else:
            # The caller found the entry in the user's reach; lock it so that it is handed over once.
            source = type(source).objects.select_for_update().get(pk=source.pk)
            if source.handed_to_id:
                raise Conflict(f"该记录已{h.label}。")
            carried = {"title": source.title_for_handover(), "summary": source.summary, "parties": source.parties_for_handover()}
        if h.ready is not None and (why := h.ready(source)):
            raise Refused(why)
        if h.carry is not None:
            carried = h.carry(source, actor)
        if not selectors.creatable_orgs(actor, h.target).filter(pk=owner_org.pk).exists():
            # A front-desk hand-over: the receiving org takes the case from its intake list.
            if not handover_orgs(actor, h).filter(pk=owner_org.pk).exists():
                raise PermissionRefused(f"您不能向“{owner_org.name}”{h.label}。")
            fields = fields | {"intake": True}
        target = h.register(actor, owner_org=owner_org, **(carried | fields))
        target_label = registry.case_type(target.case_type).label
        if is_case:
            link = CaseLink.objects.create(target=target, source=source, kind=key, label=h.label, created_by=actor)
            log_event(source, actor, EventKind.HANDOVER, f"{h.label}：{target_label} {target.code}", data={"to": target.pk})
            origin = f"{registry.case_type(source.case_type).label} {source.code}"
        else:
            link = CaseLink.objects.create(target=target, source_ref=source.ref, kind=key, label=h.label, created_by=actor)
            type(source).objects.filter(pk=source.pk).update(handed_to=target)
            origin = f"{registry.register(source.register_key).label} {source.number}"
        log_event(target, actor, EventKind.HANDOVER, f"由{origin}移交（{h.label}）", data={"link": link.pk})
        record("case.handover", actor=actor, obj=target, detail={"kind": key, "from": origin})
    return target


def links_of(user, case: Case) -> list[dict]:
    """Both directions of the case's hand-overs, each with the other side's code and
    status (readable by whoever sees this case) and a link only where the user
    may open it."""
    from django.db.models import Q

    # Both directions in one query, then which of the other sides the user may open in one more.
    links = list(CaseLink.objects.filter(Q(source=case) | Q(target=case)).select_related("target__owner_org", "source__owner_org").order_by("id"))
    if not links:
        return []
    others = [link.target_id if link.source_id == case.pk else link.source_id for link in links]
    visible = set(selectors.visible_to(user).filter(pk__in=[pk for pk in others if pk]).values_list("pk", flat=True))
    out = []
    for link in links:
        if link.source_id == case.pk:
            out.append(_side(link.target, "移交至", link, visible))
    for link in links:
        if link.source_id == case.pk:
            continue
        if link.source is not None:
            out.append(_side(link.source, "来源", link, visible))
        else:
            out.append({"direction": "来源", "label": link.label, "ref": link.source_ref, "code": link.source_ref, "type": "", "status": "", "url": ""})
    return out


def _side(other: Case, direction: str, link: CaseLink, visible: set) -> dict:
    from django.urls import reverse

    ct = registry.case_type(other.case_type)
    return {
        "direction": direction,
        "label": link.label,
        "code": other.code,
        "type": ct.label,
        "status": ct.status_label(other.status),
        "owner": other.owner_org.name,
        "url": reverse("cases:detail", args=[other.pk]) if other.pk in visible else "",
    }
