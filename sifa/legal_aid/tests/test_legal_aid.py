"""Registration of 法律援助 (an application, a notice, a forwarded application):
what is written, and that a refusal writes nothing. The helpers here are shared
by the line's other test modules."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sifa.accounts.tests.factories import UserFactory
from sifa.cases.models import Case
from sifa.cases.services import transition
from sifa.common.errors import DomainError, PermissionRefused
from sifa.deadlines.models import Deadline

from ..choices import CASE_TYPE, Status
from ..models import LegalAid, Provider
from ..services import register

pytestmark = pytest.mark.django_db

ID_A = "11010519491231002X"
PARTY = {"role": "applicant", "name": "张三", "phone": "13800000001"}


# --- shared helpers ------------------------------------------------------------------------------


def aid_staff(orgs, username="aid_staff"):
    """A worker of the district's legal-aid centre."""
    return UserFactory(username=username, role="aid_staff", org=orgs.legal_aid)


def apply(actor, orgs, *, on=date(2026, 3, 2), title="张三追索劳动报酬", category="civil", **kw):
    """An application received for the district's centre."""
    kw.setdefault("parties", [PARTY])
    return register(actor, owner_org=kw.pop("owner_org", orgs.legal_aid), title=title, category=category, opened_on=on, **kw)


def notice(actor, orgs, *, on=date(2026, 3, 2), **kw):
    """A court's notice of 通知辩护 (registers straight into 待指派)."""
    kw.setdefault("parties", [{"role": "applicant", "name": "李四"}])
    kw.setdefault("stage", "trial")
    return apply(
        actor,
        orgs,
        on=on,
        title=kw.pop("title", "李四涉嫌盗窃案"),
        category="criminal",
        kind="notify",
        notifying_organ="court",
        notifying_name="测试区人民法院",
        notice_number="（2026）测刑援通1号",
        ground="s25",
        **kw,
    )


def provider(orgs, name="王律师", since=date(2015, 1, 1), user=None, kind="lawyer"):
    return Provider.objects.create(
        center=orgs.legal_aid, org_path=orgs.legal_aid.path, name=name, firm="测试律师事务所", practice_since=since, user=user, kind=kind
    )


def step(actor, case, name, on, reason="", **data):
    return transition(actor, case, name, data=data, on=on, reason=reason)


def grant(actor, case, on, **data):
    return step(actor, case, "grant", on, **({"means_basis": "pledge"} | data))


def assign(actor, case, p, on, **data):
    return step(actor, case, "assign", on, **({"provider": p.pk, "assign_mode": "rotation"} | data))


def clock(case, key) -> Deadline:
    return Deadline.objects.get(case=case, key=key)


def fresh(case) -> Case:
    return Case.all_objects.get(pk=case.pk)


# --- registration ----------------------------------------------------------------------------------


def test_an_application_writes_the_case_and_its_record(users, orgs):
    staff = aid_staff(orgs)
    case = apply(staff, orgs, income="800.00", economy="家庭困难", groups=["migrant_worker", "bogus"], parties=[PARTY | {"id_number": ID_A}])
    case = fresh(case)
    rec = LegalAid.objects.get(case=case)
    assert (case.case_type, case.status, case.owner_org, case.opened_on, case.handler) == (CASE_TYPE, Status.RECEIVED, orgs.legal_aid, date(2026, 3, 2), staff)
    assert case.code.startswith("359901YZ2026")
    assert (rec.kind, rec.category, rec.received_by, rec.income, rec.groups) == ("apply", "civil", orgs.legal_aid, "800.00", ["migrant_worker"])
    assert [p.name for p in case.parties.all()] == ["张三"]
    assert case.events.get().label == "收到申请"


def test_a_notice_is_waiting_for_assignment(users, orgs):
    case = notice(aid_staff(orgs), orgs)
    rec = LegalAid.objects.get(case=case)
    assert fresh(case).status == Status.NOTIFIED and (rec.kind, rec.notifying_organ, rec.ground) == ("notify", "court", "s25")
    assert case.events.get().label == "收到通知"


@pytest.mark.parametrize(
    "kw,message",
    [
        ({"category": "criminal"}, "诉讼阶段"),
        ({"category": "civil", "stage": "trial"}, "只有刑事案件"),
        ({"category": "civil", "capital": True}, "只有刑事案件"),
        ({"category": "bogus"}, "案件类别"),
        ({"kind": "notify", "category": "criminal", "stage": "trial"}, "通知机关"),
        ({"owner_org": "office_a"}, "法律援助机构"),
        ({"parties": [{"role": "applicant", "name": " "}]}, "申请人"),
    ],
)
def test_a_refused_registration_writes_nothing(users, orgs, kw, message):
    staff = aid_staff(orgs)
    if kw.get("owner_org"):
        kw["owner_org"] = getattr(orgs, kw["owner_org"])
    before = (Case.all_objects.count(), LegalAid.objects.count(), Deadline.objects.count())
    with pytest.raises(DomainError, match=message):
        apply(staff, orgs, **kw)
    assert (Case.all_objects.count(), LegalAid.objects.count(), Deadline.objects.count()) == before


def test_nobody_registers_for_another_districts_centre(users, orgs):
    before = Case.all_objects.count()
    for actor in (aid_staff(orgs), users.office_a, users.lawyer):
        with pytest.raises(PermissionRefused):
            apply(actor, orgs, owner_org=orgs.other_legal_aid)
    assert Case.all_objects.count() == before


def test_a_grant_numbers_the_decision(users, orgs):
    staff = aid_staff(orgs)
    case = apply(staff, orgs)
    grant(staff, case, date(2026, 3, 3), means_basis="exempt", exemption="migrant_worker", first_provided="on")
    rec = LegalAid.objects.get(case=case)
    assert fresh(case).status == Status.GRANTED and rec.decided_on == date(2026, 3, 3)
    assert rec.decision_number == fresh(case).doc_number == "测援援决字〔2026〕第1号"
    assert (rec.means_basis, rec.exemption, rec.first_provided) == ("exempt", "migrant_worker", True)


def test_a_detainees_application_records_when_it_was_made(users, orgs, client_for):
    staff = aid_staff(orgs)
    before = Case.all_objects.count()
    with pytest.raises(DomainError, match="提出申请的日期"):
        apply(staff, orgs, kind="forwarded", category="criminal", stage="investigation")
    with pytest.raises(DomainError, match="不能晚于"):
        apply(staff, orgs, kind="forwarded", category="criminal", stage="investigation", on=date(2026, 3, 2), submitted_on=date(2026, 3, 3))
    assert Case.all_objects.count() == before
    late = apply(staff, orgs, kind="forwarded", category="criminal", stage="investigation", on=date(2026, 3, 5), submitted_on=date(2026, 3, 2))
    timely = apply(
        staff, orgs, kind="forwarded", category="criminal", stage="investigation", on=date(2026, 3, 3), submitted_on=date(2026, 3, 2), title="及时转交"
    )
    assert fresh(late).legalaid.forwarded_late and not fresh(timely).legalaid.forwarded_late
    page = client_for(staff).get(reverse("cases:detail", args=[late.pk])).content.decode()
    assert "转交超过24小时" in page and "转交超过24小时" not in client_for(staff).get(reverse("cases:detail", args=[timely.pk])).content.decode()
