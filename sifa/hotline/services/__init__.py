"""Writes of the hotline. Registration creates the order (code, caller,
timeline, clocks) and its ``WorkOrder`` in one transaction through the
kernel's ``create_case``; an answer given on the call closes it at once
through the one door. Orders from the portal and from a transferring
platform (12345/110) wait in the intake list; a platform's re-send of the same
reference finds its order (and, marked 重办, reopens it) instead of creating
another. The steps' writes are in ``steps.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction

from sifa.cases import selectors as case_selectors
from sifa.cases import services as case_services
from sifa.cases.choices import Channel as CaseChannel
from sifa.cases.models import Case
from sifa.common.errors import Conflict, DomainError, PermissionRefused
from sifa.orgs.selectors import subtree

from ..choices import CASE_TYPE, OWNER_KINDS, PLATFORMS, PLS_CENTER, Appointment, Category, Channel, Kind, Satisfaction, Status
from ..models import WorkOrder

# How the kernel's case channel reads each order channel (the case list's 来源 column).
CASE_CHANNEL = {
    Channel.HOTLINE: CaseChannel.PHONE,
    Channel.TRANSFER_12345: CaseChannel.REFERRAL,
    Channel.LINKAGE_110: CaseChannel.REFERRAL,
    Channel.ONLINE: CaseChannel.ONLINE,
    Channel.WINDOW: CaseChannel.IN_PERSON,
    Channel.LETTER: CaseChannel.POST,
}


def _choice(value, choices, field: str, what: str, *, blank: bool = False) -> str:
    value = (value or "").strip()
    if blank and not value:
        return ""
    if value not in choices.values:
        raise DomainError(f"{what}无效。", field=field)
    return value


def title_for(parties: list[dict], kind: str, category: str) -> str:
    caller = next((p.get("name") for p in parties if (p.get("role") or "caller") == "caller" and p.get("name")), "") or "来电人"
    return f"{caller}{Kind(kind).label}（{Category(category).label}）"[:200]


def register(
    actor,
    *,
    owner_org,
    parties: list[dict],
    summary: str,
    channel: str = Channel.HOTLINE,
    kind: str = Kind.CONSULT,
    category: str = Category.OTHER,
    appointment: str = "",
    urgent: bool = False,
    external_ref: str = "",
    external_due: date | None = None,
    answer: str = "",
    satisfaction: str = "",
    title: str = "",
    opened_on: date | None = None,
    public: bool = False,
    intake: bool = False,
):
    """An order received by ``owner_org`` (the bureau, its centre or a station). By an
    operator it is accepted at once, and closed at once when ``answer`` is given;
    from the portal (``public``) or a platform (``intake``) it waits, unassigned, to be accepted."""
    channel = _choice(channel, Channel, "channel", "受理渠道")
    kind = _choice(kind, Kind, "kind", "工单类型")
    category = _choice(category or Category.OTHER, Category, "category", "法律类别")
    appointment = _choice(appointment, Appointment, "appointment", "预约事项", blank=True)
    satisfaction = _choice(satisfaction, Satisfaction, "satisfaction", "来电人评价", blank=True)
    if kind == Kind.APPOINTMENT and not appointment:
        raise DomainError("预约工单请选择预约事项。", field="appointment")
    summary = (summary or "").strip()
    if not summary:
        raise DomainError("请填写诉求内容。", field="summary")
    external_ref = (external_ref or "").strip()[:64]
    if channel in PLATFORMS and not external_ref:
        raise DomainError("12345、110转来的工单请填写转办平台工单编号。", field="external_ref")
    if not any((p.get("name") or "").strip() for p in parties):
        raise DomainError("请填写诉求人姓名。", field="caller_name")
    if owner_org is None or owner_org.kind not in OWNER_KINDS:
        raise DomainError("请选择受理单位（司法局、公共法律服务中心或司法所）。", field="owner_org")
    answer = (answer or "").strip()
    if satisfaction and not answer:
        raise DomainError("即时解答办结的工单才登记来电人评价。", field="satisfaction")
    if not public and not intake and not case_selectors.creatable_orgs(actor, CASE_TYPE).filter(pk=owner_org.pk).exists():
        raise PermissionRefused(f"您无权为“{owner_org.name}”登记工单。")
    if external_ref and not intake and WorkOrder.objects.filter(channel=channel, external_ref=external_ref).exists():
        # (A platform's push is idempotent instead: ``receive_transfer`` finds the order.)
        raise Conflict(f"转办平台工单编号 {external_ref} 已登记过，请在工单列表中按编号查找。", field="external_ref")

    def write(case):
        return WorkOrder.objects.create(
            case=case,
            channel=channel,
            kind=kind,
            category=category,
            appointment=appointment,
            urgent=bool(urgent),
            external_ref=external_ref,
            external_due=external_due,
        )

    waiting = public or intake
    with transaction.atomic():
        case = case_services.create_case(
            None if public else actor,
            case_type=CASE_TYPE,
            owner_org=owner_org,
            title=(title or "").strip() or title_for(parties, kind, category),
            opened_on=opened_on,
            parties=parties,
            summary=summary,
            channel=CASE_CHANNEL[channel],
            status=Status.REGISTERED if waiting else Status.ACCEPTED,
            on_created=write,
            check_access=False,  # checked above (or the portal / a platform's service account)
            unassigned=waiting,
            event_label=f"受理工单（{Channel(channel).label}）" if not waiting else f"收到工单（{Channel(channel).label}）",
        )
        if answer:
            case_services.transition(actor, case, "answer", data={"answer": answer, "satisfaction": satisfaction}, on=case.opened_on)
            case.refresh_from_db()  # closed by the answer: the caller sees it so
    return case


def register_from_form(actor, d: dict, parties: list[dict]):
    d = dict(d)
    for name in ("caller_name", "caller_phone", "respondent_name"):
        d.pop(name, None)
    return register(actor, parties=parties, **d)


def register_from_api(actor, data: dict):
    """``POST /api/v1/hotline/`` (the create serializer's validated data; the kernel
    has resolved ``owner_org`` among the orgs the actor may register under)."""
    return register(actor, **data)


def sample(actor, org):
    """A minimal order, for the kit's contract tests (``CaseType.sample``)."""
    return register(actor, owner_org=org, parties=[{"role": "caller", "name": "样例甲", "phone": "13800000001"}], summary="咨询劳动合同解除的补偿。")


# --- orders from a transferring platform (12345 / 110) ------------------------------------------


@dataclass
class Received:
    case: Case
    action: str  # "created" | "existing" | "reopened"


def receive_transfer(
    account,
    *,
    platform: str,
    reference: str,
    caller_name: str,
    summary: str,
    caller_phone: str = "",
    kind: str = Kind.CONSULT,
    category: str = Category.OTHER,
    urgent: bool = False,
    due: date | None = None,
    redo: bool = False,
    redo_reason: str = "",
    received_on: date | None = None,
) -> Received:
    """An order pushed by 12345/110 through the platform's service account, idempotent on
    the platform's reference: the first push creates the order (in the intake list of the
    account's bureau), a re-send finds it, and a re-send marked ``redo`` (重办) reopens a
    replied or closed order."""
    platform = _choice(platform, Channel, "platform", "转办平台")
    if platform not in PLATFORMS:
        raise DomainError("转办平台应为 12345 或 110。", field="platform")
    reference = (reference or "").strip()
    if not reference:
        raise DomainError("请提供转办平台工单编号。", field="reference")
    owner = account.org
    if owner is None or owner.kind not in OWNER_KINDS:
        raise PermissionRefused("该对接账号未设在司法局或公共法律服务中心。")
    for attempt in range(2):
        try:
            with transaction.atomic():
                existing = WorkOrder.objects.select_for_update().filter(channel=platform, external_ref=reference).select_related("case").first()
                if existing is None:
                    parties = [{"role": "caller", "name": caller_name, "phone": caller_phone or ""}]
                    case = register(
                        account,
                        owner_org=owner,
                        parties=parties,
                        summary=summary,
                        channel=platform,
                        kind=kind,
                        category=category,
                        urgent=urgent,
                        external_ref=reference,
                        external_due=due,
                        opened_on=received_on,
                        intake=True,
                    )
                    return Received(case, "created")
                case = existing.case
                if not case.org_path.startswith(owner.path):
                    # Another bureau's order with the same reference: never reveal or touch it.
                    raise Conflict(f"转办平台工单编号 {reference} 不属于本单位。", field="reference")
                if redo and case.status in (Status.REPLIED, Status.CLOSED):
                    # The platform is no person who handles cases: the 重办 is recorded as the system's,
                    # on the platform's word (its account and the push are on the audit trail).
                    reason = f"{Channel(platform).label}平台要求重办" + (f"：{redo_reason.strip()}" if (redo_reason or "").strip() else "")
                    case_services.transition(None, case, "redo", reason=reason[:500], system=True)
                    case.refresh_from_db()
                    return Received(case, "reopened")
                return Received(case, "existing")
        except IntegrityError:
            # Two pushes of a new reference at once: the other one created it; read it now.
            if attempt:
                raise
    raise AssertionError("unreachable")


def submit_online(cleaned: dict, org):
    """The portal's question or appointment: to the bureau's public legal service
    centre (or the bureau), into its intake list."""
    owner = subtree(org).filter(kind=PLS_CENTER, is_active=True).order_by("depth", "id").first() or org
    parties = [{"role": "caller", "name": cleaned["name"], "phone": cleaned["phone"]}]
    kind = Kind.APPOINTMENT if cleaned.get("appointment") else Kind.CONSULT
    return register(
        None,
        owner_org=owner,
        parties=parties,
        summary=cleaned["summary"],
        channel=Channel.ONLINE,
        kind=kind,
        appointment=cleaned.get("appointment") or "",
        category=cleaned.get("category") or Category.OTHER,
        public=True,
    )
