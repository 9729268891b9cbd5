"""The online application of the public portal (registered as its PublicForm)."""

from __future__ import annotations

from sifa.cases.choices import Channel, PartyKind

from .registration import register_application


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
        org=org,
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
