"""Building blocks for mediation tests: disputes through the real services,
committee profiles and mediators, and helpers to drive a dispute to a state."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from sifa.cases import services as case_services
from sifa.mediation.choices import CommitteeType, Gender, Position
from sifa.mediation.models import Committee, Mediator, Membership
from sifa.mediation.services import register_dispute

APPLICANT = {"role": "applicant", "name": "张三", "id_number": "11010519491231002X", "phone": "13812345678", "address": "演示区东湖街道幸福路1号"}
RESPONDENT = {"role": "respondent", "name": "李四", "phone": "13900001111"}


def make_dispute(actor, org, *, parties=None, source="application", dispute_type="02", opened_on=None, **kw):
    return register_dispute(
        actor,
        owner_org=org,
        source=source,
        dispute_type=dispute_type,
        parties=parties if parties is not None else [dict(APPLICANT), dict(RESPONDENT)],
        summary=kw.pop("summary", "楼上漏水，双方就维修和赔偿发生争执。"),
        opened_on=opened_on,
        confirm_duplicate=kw.pop("confirm_duplicate", True),
        **kw,
    )


def profile(org, committee_type=CommitteeType.TOWNSHIP, **kw) -> Committee:
    return Committee.objects.create(org=org, committee_type=committee_type, **kw)


def mediator(org, name="周调解", *, gender=Gender.FEMALE, position=Position.MEMBER, user=None, **kw) -> Mediator:
    m = Mediator.objects.create(org=org, name=name, gender=gender, user=user, **kw)
    Membership.objects.create(committee=org, mediator=m, position=position)
    return m


def step(actor, case, name, data=None, on=None, reason=""):
    event = case_services.transition(actor, case, name, data=data or {}, on=on, reason=reason)
    if hasattr(case, "refresh_from_db"):
        case.refresh_from_db()  # as the next page would load it
    return event


def today() -> date:
    return timezone.localdate()


def session_data(kind="mediation", on=None, **kw) -> dict:
    return {"kind": kind, "session_on": on or today(), "place": "调委会调解室", "participants": "张三、李四", "record": "双方陈述，调解员释法说理。"} | kw


def agreement_data(form="written", on=None, **kw) -> dict:
    on = on or today()
    return {
        "agreement_form": form,
        "facts": "李四家卫生间漏水致张三家天花板受损，李四负主要责任。",
        "agreement_content": "一、李四于十五日内修复漏水并赔偿张三损失三千元。\n二、双方和睦相处。",
        "performance_manner": "银行转账",
        "performance_deadline": on + timedelta(days=15),
        "agreement_amount": "3000.00",
        "agreed_on": on,
        "effective_on": on,
    } | kw


def to_mediating(actor, case, mediators, on=None):
    step(actor, case, "accept", on=on)
    step(actor, case, "assign_mediators", {"mediators": [m.pk for m in mediators], "mediator_choice": "designated"}, on=on)
    return case


def to_agreed(actor, case, mediators, on=None, **agreement):
    to_mediating(actor, case, mediators, on=on)
    step(actor, case, "record_session", session_data(on=on), on=on)
    step(actor, case, "succeed", agreement_data(on=on, **agreement), on=on)
    return case
