"""Building reconsideration and litigation cases for tests, through the services."""

from __future__ import annotations

from datetime import date, timedelta

from sifa.cases import services as case_services
from sifa.cases.models import Case
from sifa.reconsideration.services import register_application, register_suit

ID_A, PHONE_A = "11010519491231002X", "13812345678"
ID_B, PHONE_B = "110105194912310038", "13900001111"


def applicant(name="张三", id_number=ID_A, phone=PHONE_A, **kw) -> dict:
    return {"role": "applicant", "name": name, "id_number": id_number, "phone": phone, "address": "测试区东湖街道幸福路88号", **kw}


def make_application(actor, *, received_on: date | None = None, parties=None, org=None, **kw) -> Case:
    fields = {
        "respondent_agency": "market",
        "category": "penalty_fine",
        "contested_act": "区市场监督管理局罚款决定",
        "request": "请求撤销该罚款决定。",
        "reasons": "事实不清。",
        "channel": "post",
    } | kw
    return register_application(
        actor,
        received_on=received_on,
        parties=parties if parties is not None else [applicant()],
        owner_org=org,
        **fields,
    )


def make_suit(actor, *, served_on: date | None = None, parties=None, **kw) -> Case:
    fields = {
        "defendant_agency": "public_security",
        "court": "测试区人民法院",
        "court_case_number": "（2026）测0101行初1号",
        "cause": "行政处罚",
        "contested_act": "行政拘留决定",
    } | kw
    return register_suit(
        actor, served_on=served_on, parties=parties if parties is not None else [{"role": "plaintiff", "name": "王五", "phone": PHONE_B}], **fields
    )


def step(actor, case, name, on: date | None = None, reason: str = "", **data):
    return case_services.transition(actor, case, name, data=data, reason=reason, on=on)


def fresh(case) -> Case:
    return Case.all_objects.get(pk=case.pk)


def accepted(users, received_on: date, *, on: date | None = None, procedure="ordinary", ground="", **kw) -> Case:
    """An application accepted (on the next day unless ``on``)."""
    case = make_application(users.staff, received_on=received_on, **kw)
    data = {"procedure": procedure} | ({"simplified_ground": ground} if ground else {})
    step(users.staff, case, "accept", on or received_on + timedelta(days=1), **data)
    return fresh(case)


def heard(users, case, on: date):
    step(users.staff, case, "hear", on, method="phone", participants="申请人", summary="申请人坚持请求。")
