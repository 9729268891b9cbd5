"""Writes of the line besides the steps (``steps/``): registering a
reconsideration application or an administrative suit. Staff pages, the API
and the public portal (``submit_online``) all come through here, so the same
checks apply however the matter arrived."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from sifa.cases import codes
from sifa.cases.choices import Channel, EventKind, PartyKind
from sifa.cases.services import create_case, today
from sifa.common import dictionaries
from sifa.common.errors import DomainError
from sifa.common.text import parse_amount
from sifa.orgs.selectors import bureau_of

from .choices import FY_CATEGORY, FY_CHANNELS, FY_KEY, INACTION_CATEGORIES, RESPONDENT_AGENCY, YS_KEY, Instance
from .models import Application, Suit


def _text(value, field: str, label: str, *, required: bool = True, limit: int = 300) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not value:
        raise DomainError(f"请填写{label}。", field=field)
    if len(value) > limit:
        raise DomainError(f"{label}过长（最多{limit}字）。", field=field)
    return value


def _not_after(d: date | None, limit: date, field: str, label: str, limit_label: str) -> None:
    if d is not None and d > limit:
        raise DomainError(f"{label}不能晚于{limit_label}。", field=field)


def _who(parties: list[dict], role: str) -> str:
    names = [(p.get("name") or "").strip() for p in parties if p.get("role") == role and (p.get("name") or "").strip()]
    if not names:
        return ""
    return names[0] if len(names) == 1 else f"{names[0]}等{len(names)}人"


def fy_title(parties: list[dict], agency: str, category: str) -> str:
    """A reconsideration case's title: who contests which agency's act of what kind."""
    return f"{_who(parties, 'applicant') or '申请人'}不服{agency}{category}"[:200]


def ys_title(parties: list[dict], agency: str, cause: str) -> str:
    return f"{_who(parties, 'plaintiff')}诉{agency}{cause}"[:200]


def _attach(actor, case, files) -> None:
    if not files:
        return
    # Checked (type by content, size) and stored on the registration's timeline entry;
    # a refused file refuses the whole registration.
    from sifa.attachments.services import attach_to_event

    event = case.events.filter(kind=EventKind.CREATED).order_by("id").first()
    attach_to_event(actor, case, event, list(files))


def register_application(
    actor,
    *,
    received_on: date | None = None,
    channel: str = Channel.IN_PERSON,
    parties: list[dict],
    respondent_agency: str,
    category: str,
    contested_act: str,
    request: str,
    reasons: str = "",
    act_number: str = "",
    act_date: date | None = None,
    known_on: date | None = None,
    amount=None,
    is_inaction: bool | None = None,
    compensation_claim: bool = False,
    hearing_requested: bool = False,
    summary: str = "",
    files=(),
    owner_org=None,
    check_access: bool = True,
    unassigned: bool = False,
):
    """A 行政复议申请 received by post, in person, online or orally. The case is
    owned by the bureau (the county government's 行政复议机构 sits there)."""
    received_on = received_on or today()
    if channel not in FY_CHANNELS:
        raise DomainError("收件方式应为邮寄、当面、互联网或口头申请。", field="channel")
    if not any(p.get("role", "applicant") == "applicant" and (p.get("name") or "").strip() for p in parties):
        raise DomainError("请至少填写一位申请人。", field="parties")
    respondent_agency = dictionaries.validate(RESPONDENT_AGENCY, (respondent_agency or "").strip(), "respondent_agency", "被申请人")
    category = dictionaries.validate(FY_CATEGORY, (category or "").strip(), "category", "复议事项类别")
    fields = {
        "respondent_agency": respondent_agency,
        "category": category,
        "contested_act": _text(contested_act, "contested_act", "被申请复议的行政行为"),
        "act_number": _text(act_number, "act_number", "行政行为文书编号", required=False, limit=100),
        "request": _text(request, "request", "行政复议请求", limit=4000),
        "reasons": _text(reasons, "reasons", "事实和理由", required=False, limit=8000),
        "act_date": act_date,
        "known_on": known_on,
        "amount": parse_amount(amount, field="amount", label="涉及款额"),
        "is_inaction": category in INACTION_CATEGORIES if is_inaction is None else bool(is_inaction),
        "compensation_claim": bool(compensation_claim),
        "hearing_requested": bool(hearing_requested),
    }
    _not_after(act_date, received_on, "act_date", "行政行为作出日期", "收到申请日期")
    _not_after(known_on, received_on, "known_on", "知道该行政行为之日", "收到申请日期")
    if act_date and known_on and known_on < act_date:
        raise DomainError("知道该行政行为之日不能早于行政行为作出日期。", field="known_on")
    org = owner_org or bureau_of(actor.org)
    agency = dictionaries.label(RESPONDENT_AGENCY, respondent_agency)
    title = fy_title(parties, agency, dictionaries.label(FY_CATEGORY, category))

    def write(case):
        return Application.objects.create(case=case, **fields)

    with transaction.atomic():
        case = create_case(
            actor,
            case_type=FY_KEY,
            owner_org=org,
            title=title,
            opened_on=received_on,
            parties=parties,
            summary=summary,
            channel=channel,
            on_created=write,
            event_label=f"收到行政复议申请（{FY_CHANNELS[channel]}）",
            check_access=check_access,
            unassigned=unassigned,
        )
        _attach(actor, case, files)
    return case


def register_from_handover(actor, *, owner_org, title, parties, summary="", respondent_agency, category, contested_act, request="", intake=False):
    """A 12348 order or a centre's visitor turned into an application (``HandOver``
    "reconsider"): recorded as an oral application (行政复议法第二十二条) whose
    request is the caller's words unless the staff member states it."""
    return register_application(
        actor,
        channel=Channel.ORAL,
        parties=parties,
        respondent_agency=respondent_agency,
        category=category,
        contested_act=contested_act,
        request=(request or "").strip() or summary or title,
        summary=summary,
        owner_org=owner_org,
        # Handed over by a front desk (``HandOver.intake``): the bureau's section takes it from its intake list.
        check_access=not intake,
        unassigned=intake,
    )


def register_suit(
    actor,
    *,
    served_on: date | None = None,
    parties: list[dict],
    defendant_agency: str,
    court: str,
    cause: str,
    contested_act: str,
    court_case_number: str = "",
    instance: str = Instance.FIRST,
    filed_on: date | None = None,
    related_code: str = "",
    reconsideration_co_defendant: bool = False,
    head_notified: bool = False,
    summary: str = "",
    files=(),
    owner_org=None,
):
    """An administrative suit against the government or one of its agencies; the
    case opens on the day the complaint was served (the defence clock starts)."""
    served_on = served_on or today()
    if not any(p.get("role") == "plaintiff" and (p.get("name") or "").strip() for p in parties):
        raise DomainError("请至少填写一位原告。", field="parties")
    defendant_agency = dictionaries.validate(RESPONDENT_AGENCY, (defendant_agency or "").strip(), "defendant_agency", "被告行政机关")
    if instance not in Instance.values:
        raise DomainError("审级应为一审、二审或再审。", field="instance")
    related_code = codes.normalize(related_code or "")
    if related_code and not codes.is_valid(related_code):
        raise DomainError("关联复议案件编码格式或校验位不正确。", field="related_code")
    _not_after(filed_on, served_on, "filed_on", "法院立案日期", "收到起诉状副本日期")
    fields = {
        "defendant_agency": defendant_agency,
        "court": _text(court, "court", "受理法院", limit=100),
        "cause": _text(cause, "cause", "案由", limit=100),
        "contested_act": _text(contested_act, "contested_act", "被诉行政行为"),
        "court_case_number": _text(court_case_number, "court_case_number", "案号", required=False, limit=60),
        "instance": instance,
        "filed_on": filed_on,
        "related_code": related_code,
        "reconsideration_co_defendant": bool(reconsideration_co_defendant),
        "head_notified": bool(head_notified),
    }
    org = owner_org or bureau_of(actor.org)
    title = ys_title(parties, dictionaries.label(RESPONDENT_AGENCY, defendant_agency), fields["cause"])

    def write(case):
        return Suit.objects.create(case=case, **fields)

    with transaction.atomic():
        case = create_case(
            actor,
            case_type=YS_KEY,
            owner_org=org,
            title=title,
            opened_on=served_on,
            parties=parties,
            summary=summary,
            channel=Channel.REFERRAL,
            on_created=write,
            event_label="收到起诉状副本（应诉登记）",
        )
        _attach(actor, case, files)
    return case


def submit_online(cleaned: dict, org):
    """Create the case from the portal's validated form, into the bureau's queue
    (待审查), through the same service as staff registration."""
    applicant = {
        "role": "applicant",
        "kind": cleaned.get("applicant_kind") or PartyKind.NATURAL,
        "name": cleaned["applicant_name"],
        "id_number": cleaned["applicant_id_number"],
        "phone": cleaned["applicant_phone"],
        "address": cleaned.get("applicant_address", ""),
        "legal_rep": cleaned.get("legal_rep", ""),
    }
    return register_application(
        None,
        owner_org=org,
        channel=Channel.ONLINE,
        parties=[applicant],
        respondent_agency=cleaned["respondent_agency"],
        category=cleaned["category"],
        contested_act=cleaned["contested_act"],
        act_number=cleaned.get("act_number", ""),
        act_date=cleaned.get("act_date"),
        known_on=cleaned.get("known_on"),
        amount=cleaned.get("amount"),
        request=cleaned["request"],
        reasons=cleaned.get("reasons", ""),
        compensation_claim=cleaned.get("compensation_claim", False),
        hearing_requested=cleaned.get("hearing_requested", False),
        files=cleaned.get("attachments") or (),
        check_access=False,
    )


def sample_application(actor, org):
    """A minimal application, for the kit's contract tests (``CaseType.sample``)."""
    parties = [{"role": "applicant", "name": "样例甲", "phone": "13800000001"}]
    return register_application(
        actor, owner_org=org, parties=parties, respondent_agency="market", category="penalty_fine", contested_act="罚款决定", request="撤销"
    )


def sample_suit(actor, org):
    """A minimal suit, for the kit's contract tests (``CaseType.sample``)."""
    parties = [{"role": "plaintiff", "name": "样例甲"}]
    return register_suit(actor, owner_org=org, parties=parties, defendant_agency="market", court="演示区人民法院", cause="行政处罚", contested_act="罚款决定")
