"""Writes of 法律援助. Registration creates the case (code, parties, timeline,
clocks) and the line's record in one transaction through the kernel's
``create_case``; an application received at an office for a centre (通办)
waits in the centre's intake list and stays visible, read-only, to the office
that received it. The steps' writes are in ``steps.py``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from sifa.audit.services import record
from sifa.cases import movement
from sifa.cases import selectors as case_selectors
from sifa.cases import services as case_services
from sifa.cases.choices import Channel
from sifa.common.errors import DomainError, PermissionRefused
from sifa.orgs.selectors import subtree

from ..choices import CASE_TYPE, CENTER, GROUPS, Category, Kind, Status
from ..models import LegalAid, Provider


def _clean(kind: str, category: str, stage: str, capital: bool, notifying_name: str) -> None:
    if kind not in Kind.values:
        raise DomainError("来源无效。", field="kind")
    if category not in Category.values:
        raise DomainError("请选择案件类别。", field="category")
    if category == Category.CRIMINAL and not stage:
        raise DomainError("刑事案件请选择诉讼阶段。", field="stage")
    if category != Category.CRIMINAL and (stage or capital):
        raise DomainError("只有刑事案件填写诉讼阶段和是否可能判处无期徒刑、死刑。", field="stage")
    if kind == Kind.NOTIFY and not (notifying_name or "").strip():
        raise DomainError("通知辩护/代理请填写通知机关。", field="notifying_name")


def register(
    actor,
    *,
    owner_org,
    title: str,
    category: str,
    parties: list[dict],
    kind: str = Kind.APPLY,
    stage: str = "",
    ground: str = "",
    capital: bool = False,
    notifying_organ: str = "",
    notifying_name: str = "",
    notice_number: str = "",
    income: Decimal | None = None,
    economy: str = "",
    groups: list | tuple = (),
    summary: str = "",
    opened_on: date | None = None,
    submitted_on: date | None = None,
    channel: str = Channel.IN_PERSON,
    public: bool = False,
    intake: bool = False,
):
    """An application (or a notice, or an application forwarded from detention) for
    the centre ``owner_org``. ``public``: from the portal (no actor)."""
    _clean(kind, category, stage, capital, notifying_name)
    if kind == Kind.FORWARDED and submitted_on is None:
        raise DomainError("羁押人员申请请填写其向看守所等提出申请的日期。", field="submitted_on")
    if submitted_on is not None and opened_on is not None and submitted_on > opened_on:
        raise DomainError("提出申请日期不能晚于收到申请日期。", field="submitted_on")
    if owner_org is None or owner_org.kind != CENTER:
        raise DomainError("请选择法律援助机构。", field="owner_org")
    if not any((p.get("name") or "").strip() for p in parties):
        raise DomainError("请至少填写一位申请人。", field="parties")
    groups = [g for g in groups or () if g in GROUPS]
    received_by = None
    if not public and not intake:
        if not case_selectors.creatable_orgs(actor, CASE_TYPE).filter(pk=owner_org.pk).exists():
            raise PermissionRefused(f"您无权为“{owner_org.name}”登记法律援助案件。")
        received_by = actor.org
    # Received elsewhere than the centre (an office, 通办): the centre takes it from its intake list.
    elsewhere = received_by is not None and not (received_by.path.startswith(owner_org.path) or owner_org.path.startswith(received_by.path))
    status = Status.NOTIFIED if kind == Kind.NOTIFY else Status.RECEIVED

    def write(case):
        return LegalAid.objects.create(
            case=case,
            kind=kind,
            category=category,
            stage=stage or "",
            ground=ground or "",
            capital=bool(capital),
            received_by=received_by,
            notifying_organ=notifying_organ or "",
            notifying_name=(notifying_name or "")[:100],
            notice_number=(notice_number or "")[:60],
            submitted_on=submitted_on if kind == Kind.FORWARDED else None,
            income="" if income is None else str(income),
            economy=(economy or "")[:1000],
            **dict.fromkeys(groups, True),
        )

    with transaction.atomic():
        case = case_services.create_case(
            actor if not public else None,
            case_type=CASE_TYPE,
            owner_org=owner_org,
            title=title,
            opened_on=opened_on,
            parties=parties,
            summary=summary,
            channel=channel,
            status=status,
            on_created=write,
            check_access=False,  # checked above: the centres the actor may register for
            unassigned=elsewhere or public or intake,
            event_label="收到通知" if kind == Kind.NOTIFY else ("收到转交申请" if kind == Kind.FORWARDED else "收到申请"),
        )
        if elsewhere:
            movement.share(actor, case, received_by, reason="受理地（通办）：申请在本机构受理，由法律援助机构审查", checked=True)
    return case


def sample(actor, org):
    """A minimal case, for the kit's contract tests (``CaseType.sample``)."""
    return register(
        actor, owner_org=org, title="样例法律援助申请", category=Category.CIVIL, parties=[{"role": "applicant", "name": "样例甲", "phone": "13800000001"}]
    )


# --- the providers' registry (法律援助人员库) -------------------------------------------------------


def _may_manage_registry(actor, center_id) -> None:
    if not case_selectors.creatable_orgs(actor, CASE_TYPE).filter(pk=center_id).exists():
        raise PermissionRefused("您不能管理该法律援助机构的人员库。")


def _name(fields: dict) -> str:
    name = (fields.get("name") or "").strip()
    if not name:
        raise DomainError("请填写姓名。", field="name")
    return name[:50]


def add_provider(actor, center, **fields) -> Provider:
    if center is None or center.kind != CENTER:
        raise PermissionRefused("您不能管理该法律援助机构的人员库。")
    _may_manage_registry(actor, center.pk)
    name = _name(fields)
    _check_login(fields.get("user"), None)
    p = Provider.objects.create(center=center, org_path=center.path, **(fields | {"name": name}))
    record("legal_aid.provider", actor=actor, obj=p, detail={"name": p.name, "center": center.name})
    return p


def _check_login(user, provider) -> None:
    if user is None:
        return
    if user.role != "lawyer":
        raise DomainError("只能关联援助律师角色的账号。", field="user")
    if Provider.objects.filter(user=user).exclude(pk=getattr(provider, "pk", None)).exists():
        raise DomainError(f"账号 {user.username} 已关联其他人员。", field="user")


def update_provider(actor, provider: Provider, **fields) -> Provider:
    """Correct a provider, link their login, or take them out of the registry (停用: no
    longer offered for assignment; their cases stay theirs)."""
    with transaction.atomic():
        provider = Provider.objects.select_for_update().get(pk=provider.pk)
        _may_manage_registry(actor, provider.center_id)
        name = _name(fields)
        _check_login(fields.get("user"), provider)
        changed = sorted(k for k, v in fields.items() if getattr(provider, k) != v)
        for k, v in (fields | {"name": name}).items():
            setattr(provider, k, v)
        provider.save()
        record("legal_aid.provider_update", actor=actor, obj=provider, detail={"name": provider.name, "fields": changed})
    return provider


def register_from_api(actor, data: dict):
    """``POST /api/v1/legal-aid/`` (the create serializer's validated data; the kernel
    has resolved ``owner_org`` among the centres the actor may register for)."""
    return register(actor, **data)


def register_from_handover(actor, *, owner_org, title, parties, summary="", intake=False):
    """A consultation, a 12348 order or a centre's visitor turned into an application
    (``HandOver`` "apply"); ``intake``: handed over by a front desk, the centre takes it
    from its intake list."""
    return register(actor, owner_org=owner_org, title=title, category=Category.CIVIL, parties=parties, summary=summary, intake=intake)


def submit_online(cleaned: dict, org):
    """The portal's application: to the first active centre of the receiving bureau,
    into its intake list, through the same service as staff registration."""
    center = subtree(org).filter(kind=CENTER, is_active=True).order_by("depth", "id").first()
    if center is None:
        raise DomainError("本地暂未开通网上法律援助申请，请到法律援助中心或司法所申请。")
    applicant = {"role": "applicant", "name": cleaned["applicant_name"], "id_number": cleaned["applicant_id_number"], "phone": cleaned["applicant_phone"]}
    if cleaned.get("applicant_address"):
        applicant["address"] = cleaned["applicant_address"]
    return register(
        None,
        owner_org=center,
        title=cleaned["title"],
        category=cleaned["category"],
        parties=[applicant],
        income=cleaned.get("income"),
        economy=cleaned.get("economy", ""),
        summary=cleaned.get("summary", ""),
        channel=Channel.ONLINE,
        public=True,
    )
