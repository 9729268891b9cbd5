"""Writes of people's mediation. Registration lives here; the roster of
committees and mediators in ``services.roster``; the workflow steps' writes
in ``steps`` (they run inside the engine's transition)."""

from __future__ import annotations

from datetime import date

from sifa.cases import services as case_services
from sifa.cases.choices import Channel
from sifa.cases.selectors import prime
from sifa.common import dictionaries
from sifa.common.errors import DomainError
from sifa.common.text import parse_amount

from ..choices import CASE_TYPE, DISPUTE_TYPE_SET, MEDIATION_ORG_KINDS, MEDIATOR, REFERRAL_SOURCES, SOURCE_GROUP, MediatorChoice, PartyRole, Source
from ..models import Dispute, DisputeMediator, Mediator

CHANNEL = {Source.APPLICATION: Channel.IN_PERSON, Source.INITIATIVE: Channel.INITIATIVE}


def _top_type(code: str) -> str:
    return dictionaries.parent(DISPUTE_TYPE_SET, code) or code


def register_dispute(
    actor,
    *,
    owner_org,
    source: str,
    dispute_type: str,
    parties: list[dict],
    summary: str,
    title: str = "",
    place: str = "",
    amount_in_dispute=None,
    referred_by: str = "",
    opened_on: date | None = None,
    confirm_duplicate: bool = False,
    intake: bool = False,
    channel: str | None = None,
):
    """Register a dispute from any source: the case (code, parties, timeline,
    deadlines) and its mediation record in one transaction. A mediator who
    registers is assigned to it (and becomes its lead mediator if they have a
    profile in the registry)."""
    if owner_org is None or owner_org.kind not in MEDIATION_ORG_KINDS:
        raise DomainError("请选择调解组织（人民调解委员会或调解工作室）。", field="owner_org")
    if source not in Source.values:
        raise DomainError("请选择案件来源。", field="source")
    dictionaries.validate(DISPUTE_TYPE_SET, dispute_type or "", field="dispute_type", what="纠纷类型")
    summary = (summary or "").strip()
    if not summary:
        raise DomainError("请填写纠纷简要情况。", field="summary")
    amount = parse_amount(amount_in_dispute, field="amount_in_dispute", label="争议金额")
    roles = [p.get("role") or PartyRole.APPLICANT for p in parties]
    if PartyRole.APPLICANT not in roles or PartyRole.RESPONDENT not in roles:
        raise DomainError("请至少登记一名申请人和一名被申请人（纠纷双方各一方）。", field="parties")
    if not confirm_duplicate:
        case_services.refuse_duplicates(actor, CASE_TYPE, parties, noun="纠纷")
    if not title:
        first = {r: next((p["name"] for p in parties if (p.get("role") or PartyRole.APPLICANT) == r), "") for r in (PartyRole.APPLICANT, PartyRole.RESPONDENT)}
        type_label = dictionaries.label(DISPUTE_TYPE_SET, dispute_type).split(" / ")[-1]
        title = f"{first[PartyRole.APPLICANT]}与{first[PartyRole.RESPONDENT]}{type_label}"[:200]

    def write_dispute(case):
        d = Dispute.objects.create(
            case=case,
            source=source,
            source_group=SOURCE_GROUP[source],
            referred_by=(referred_by or "").strip()[:100],
            dispute_type=dispute_type,
            dispute_type_top=_top_type(dispute_type),
            place=(place or "").strip()[:200],
            amount_in_dispute=amount,
        )
        profile = Mediator.objects.filter(user=actor, is_active=True).first() if getattr(actor, "role", None) == MEDIATOR else None
        links = []
        if profile is not None:
            links.append(DisputeMediator.objects.create(dispute=d, mediator=profile, is_lead=True, assigned_on=case.opened_on))
            d.mediator_choice = MediatorChoice.DESIGNATED
            d.save(update_fields=["mediator_choice"])
        # What a dispute just written has: at most its registering mediator, no session,
        # visit, risk report or court confirmation. Its answer (the API's 201) reads
        # them from here, not back (issue 19).
        prime(d, "mediator_links", links)
        for related in ("sessions", "visits", "risk_reports"):
            prime(d, related, [])
        Dispute._meta.get_field("confirmation").set_cached_value(d, None)
        return d

    return case_services.create_case(
        actor,
        case_type=CASE_TYPE,
        owner_org=owner_org,
        title=title,
        opened_on=opened_on,
        parties=parties,
        summary=summary,
        channel=channel or (Channel.REFERRAL if source in REFERRAL_SOURCES else CHANNEL[source]),
        on_created=write_dispute,
        extra={"source": source, "dispute_type": dispute_type},
        event_label=f"登记纠纷（{Source(source).label}）",
        # Handed over by a front desk (``HandOver.intake``): the committee takes it from its intake list.
        check_access=not intake,
        unassigned=intake,
    )


def sample(actor, org):
    """A minimal dispute, for the kit's contract tests (``CaseType.sample``)."""
    parties = [{"role": PartyRole.APPLICANT, "name": "样例甲", "phone": "13800000001"}, {"role": PartyRole.RESPONDENT, "name": "样例乙"}]
    return register_dispute(actor, owner_org=org, source=Source.APPLICATION, dispute_type="02", parties=parties, summary="样例纠纷。", confirm_duplicate=True)


def submit_online(cleaned: dict, org):
    """The portal's application for mediation (人民调解法 §17: a party may apply to a
    committee): to the committee the applicant chose under the receiving bureau,
    into its intake list (待受理), through the same service as staff registration.
    Possible duplicates are for the committee to see when it accepts: the public
    may not be shown another matter."""
    from sifa.orgs.selectors import subtree

    committee = cleaned.get("committee")
    if committee is None or not subtree(org).filter(pk=committee.pk, kind__in=MEDIATION_ORG_KINDS, is_active=True).exists():
        raise DomainError("请选择本区的人民调解委员会或调解工作室。", field="committee")
    applicant = {"role": PartyRole.APPLICANT, "name": cleaned["applicant_name"], "phone": cleaned["applicant_phone"]}
    if cleaned.get("applicant_id_number"):
        applicant["id_number"] = cleaned["applicant_id_number"]
    if cleaned.get("applicant_address"):
        applicant["address"] = cleaned["applicant_address"]
    respondent = {"role": PartyRole.RESPONDENT, "name": cleaned["respondent_name"]}
    if cleaned.get("respondent_phone"):
        respondent["phone"] = cleaned["respondent_phone"]
    return register_dispute(
        None,
        owner_org=committee,
        source=Source.APPLICATION,
        dispute_type=cleaned["dispute_type"],
        parties=[applicant, respondent],
        summary=cleaned["summary"],
        place=cleaned.get("place", ""),
        confirm_duplicate=True,
        intake=True,
        channel=Channel.ONLINE,
    )


def register_from_handover(actor, *, owner_org, title, parties, summary="", dispute_type, respondent_name="", intake=False):
    """A 12348 order or a centre's visit turned into a dispute (``HandOver`` "mediate"):
    the caller applies; the other side is the source's 对方当事人 or the name given."""
    parties = list(parties)
    if respondent_name.strip() and not any(p.get("role") == PartyRole.RESPONDENT for p in parties):
        parties.append({"role": PartyRole.RESPONDENT, "name": respondent_name.strip()})
    if not any(p.get("role") == PartyRole.RESPONDENT for p in parties):
        raise DomainError("请填写被申请人（纠纷另一方）。", field="respondent_name")
    return register_dispute(
        actor,
        owner_org=owner_org,
        source=Source.APPLICATION,
        dispute_type=dispute_type,
        parties=parties,
        summary=summary or title,
        confirm_duplicate=True,  # the source record is the one matter; its parties were checked there
        intake=intake,
    )
