"""办案补贴 (法律援助法 §52): computed from the configurable standard table when a case
is closed, adjusted, approved by a leader, paid in batches and exported for finance;
every write audited, every refusal changing nothing; every role on the pages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sifa.accounts.tests.factories import UserFactory
from sifa.audit.models import AuditEntry
from sifa.common.errors import DomainError, PermissionRefused, Refused
from sifa.ledgers.xlsx import formula_cells

from ..forms import CHECKLIST
from ..models import LegalAid, Subsidy, SubsidyBatch
from ..services import subsidies
from .test_legal_aid import aid_staff, apply, assign, fresh, grant, notice, provider, step

pytestmark = pytest.mark.django_db
D = date
ON = D(2026, 3, 2)


def closed(staff, orgs, p, *, criminal=False, grade="", **kw):
    """A case through to 结案审查通过, then the closing hook (idempotent once steps.close_write calls it)."""
    if criminal:
        case = notice(staff, orgs, on=ON, **kw)
    else:
        case = apply(staff, orgs, on=ON, **kw)
        grant(staff, case, ON)
    assign(staff, case, p, ON)
    step(staff, case, "end", ON, outcome="judgment")
    step(staff, case, "submit_closing", ON, report="已办结")
    step(staff, case, "close", ON, checklist=[k for k, _ in CHECKLIST], grade=grade)
    subsidies.on_closed(fresh(case))
    return fresh(case)


def state():
    return (
        list(Subsidy.objects.order_by("pk").values_list("pk", "status", "total", "adjustments", "batch_id")),
        list(SubsidyBatch.objects.order_by("pk").values_list("pk", "paid_on", "total", "count")),
    )


def audited(action) -> int:
    return AuditEntry.objects.filter(action=action).count()


def test_the_standard_table_by_category_and_stage_with_its_adjustments(users, orgs, settings):
    staff, p = aid_staff(orgs), provider(orgs)
    civil = Subsidy.objects.get(case=closed(staff, orgs, p))
    assert (civil.standard, civil.adjustments, civil.total, civil.status, civil.provider) == (Decimal("2000.00"), [], Decimal("2000.00"), "computed", p)
    assert civil.basis == "民事 2000.00元" and audited("legal_aid.subsidy_compute") == 1
    # A capital trial (§26): the trial standard, raised by the configured percent.
    capital = Subsidy.objects.get(case=closed(staff, orgs, p, criminal=True, capital=True, title="王五涉嫌故意杀人案"))
    assert (capital.category, capital.stage, capital.standard, capital.total) == ("criminal", "trial", Decimal("2500.00"), Decimal("3750.00"))
    assert capital.adjustments == [{"reason": "可能判处无期徒刑、死刑的案件（上浮50%）", "amount": "1250.00", "rule": "capital"}]
    # The province's own table replaces the example.
    settings.SIFA_LEGAL_AID_SUBSIDY_STANDARD = {"criminal": {"trial": 3200}, "civil": 1800}
    settings.SIFA_LEGAL_AID_SUBSIDY_ADJUSTMENTS = {"capital": 0, "fail": -100}
    assert Subsidy.objects.get(case=closed(staff, orgs, p, title="另一民事案")).total == Decimal("1800.00")
    assert Subsidy.objects.get(case=closed(staff, orgs, p, grade="fail", title="不合格案")).total == Decimal("0.00")
    # A category the table lacks: closing still succeeds, nothing is computed; computing names the
    # missing category (not the setting's name: the clerk reads it, the administrator configures it).
    case = closed(staff, orgs, p, category="labour_arb", title="劳动仲裁案")
    assert fresh(case).status == "closed" and not Subsidy.objects.filter(case=case).exists()
    before = state()
    with pytest.raises(Refused, match="办案补贴标准表中没有“劳动争议仲裁") as exc:
        subsidies.compute(case, staff)
    assert exc.value.field == "category" and state() == before


def test_computing_is_for_closed_cases_once_and_follows_the_case_until_approved(users, orgs):
    staff, p = aid_staff(orgs), provider(orgs)
    open_case = apply(staff, orgs)
    before = state()
    with pytest.raises(Refused, match="结案审查通过"):
        subsidies.compute(open_case, staff)
    with pytest.raises(PermissionRefused):
        subsidies.compute(open_case, users.leader)  # a leader reads; the centre computes
    assert state() == before
    case = closed(staff, orgs, p)
    s = subsidies.compute(case, staff)
    assert subsidies.compute(case, staff).pk == s.pk and subsidies.on_closed(case).pk == s.pk
    assert Subsidy.objects.filter(case=case).count() == 1 and audited("legal_aid.subsidy_compute") == 1
    # A grade given after closing (质量评估) counts while the subsidy waits for approval; manual adjustments stay.
    subsidies.adjust(staff, s, reason="异地办案差旅", amount="300")
    LegalAid.objects.filter(case=case).update(grade="fail")
    s = subsidies.compute(case, staff)
    assert [a["amount"] for a in s.adjustments] == ["-1000.00", "300.00"] and s.total == Decimal("1300.00")
    assert audited("legal_aid.subsidy_compute") == 2
    subsidies.approve(users.leader, s)
    LegalAid.objects.filter(case=case).update(grade="excellent")
    assert subsidies.compute(case, staff).total == Decimal("1300.00") and audited("legal_aid.subsidy_compute") == 2


@pytest.mark.parametrize(
    "kw,field,message",
    [
        ({"reason": " ", "amount": "100"}, "reason", "调整事由"),
        ({"reason": "差旅", "amount": "abc"}, "amount", "数字"),
        ({"reason": "差旅", "amount": "0"}, "amount", "不能为0"),
        ({"reason": "未完成全部阶段", "amount": "-2500"}, "amount", "不能为负数"),
    ],
)
def test_a_refused_adjustment_changes_nothing(users, orgs, kw, field, message):
    staff = aid_staff(orgs)
    s = Subsidy.objects.get(case=closed(staff, orgs, provider(orgs)))
    before = state()
    with pytest.raises(DomainError, match=message) as exc:
        subsidies.adjust(staff, s, **kw)
    assert exc.value.field == field and state() == before and audited("legal_aid.subsidy_adjust") == 0


def test_approve_batch_and_pay(users, orgs):
    staff, p = aid_staff(orgs), provider(orgs)
    a = Subsidy.objects.get(case=closed(staff, orgs, p, title="甲案"))
    b = Subsidy.objects.get(case=closed(staff, orgs, p, criminal=True, title="乙案"))
    before = state()
    for who in (staff, users.staff, users.office_a):
        with pytest.raises(PermissionRefused, match="局领导"):
            subsidies.approve(who, [a])
    with pytest.raises(PermissionRefused, match="范围"):
        subsidies.approve(users.other_leader, [a])
    with pytest.raises(DomainError, match="请选择"):
        subsidies.approve(users.leader, [])
    with pytest.raises(Refused, match="已审批"):  # only computed ones are approved
        subsidies.make_batch(staff, orgs.legal_aid, [a])
    assert state() == before
    subsidies.approve(users.leader, [a, b])
    a.refresh_from_db()
    assert (a.status, a.approved_by, a.approved_at is not None) == ("approved", users.leader, True) and audited("legal_aid.subsidy_approve") == 2
    with pytest.raises(Refused, match="不能重复审批"):
        subsidies.approve(users.leader, [a])
    with pytest.raises(Refused, match="不能再调整"):
        subsidies.adjust(staff, a, reason="差旅", amount="100")
    for who, center in ((users.leader, orgs.legal_aid), (users.office_a, orgs.legal_aid), (staff, orgs.other_legal_aid)):
        with pytest.raises(PermissionRefused):
            subsidies.make_batch(who, center, [a])
    assert subsidies.batches_for(users.lawyer).count() == 0
    batch = subsidies.make_batch(staff, orgs.legal_aid, [a, b])
    year = timezone.localdate().year
    assert (batch.number, batch.count, batch.total, batch.center) == (f"{year}-001", 2, Decimal("4500.00"), orgs.legal_aid)
    assert set(batch.subsidies.all()) == {a, b} and audited("legal_aid.subsidy_batch") == 1
    with pytest.raises(Refused, match="已编入批次"):
        subsidies.make_batch(users.staff, orgs.legal_aid, [a])
    before = state()
    today = timezone.localdate()
    for paid_on, message in ((None, "请填写发放日期"), (today + timedelta(days=1), "晚于今天"), (today - timedelta(days=400), "早于")):
        with pytest.raises(DomainError, match=message) as exc:
            subsidies.mark_paid(staff, batch, paid_on)
        assert exc.value.field == "paid_on"
    with pytest.raises(PermissionRefused):
        subsidies.mark_paid(users.leader, batch, today)
    assert state() == before
    subsidies.mark_paid(staff, batch, today)
    batch.refresh_from_db()
    assert (batch.paid_on, batch.paid_by) == (today, staff) and set(batch.subsidies.values_list("status", flat=True)) == {"paid"}
    with pytest.raises(Refused, match="不能重复登记"):
        subsidies.mark_paid(staff, batch, today)
    assert audited("legal_aid.subsidy_pay") == 1
    # The figure: the sum paid, dated by the batch's payment.
    from sifa.kit import registry
    from sifa.stats import engine
    from sifa.stats.periods import Period

    kpi = next(k for k in registry.kpis() if k.key == "legal_aid.subsidy_paid")
    assert engine.compute(kpi, orgs.bureau, Period.year(today.year)).numerator == Decimal("4500.00")
    assert engine.compute(kpi, orgs.other_bureau, Period.year(today.year)).numerator == 0


def test_the_pages_from_computing_to_the_finance_sheet(users, orgs, client_for):
    staff, p = aid_staff(orgs), provider(orgs, user=UserFactory(username="wang", role="lawyer", org=orgs.legal_aid))
    case = closed(staff, orgs, p, parties=[{"role": "applicant", "name": "=张三"}])
    Subsidy.objects.filter(case=case).delete()  # as if closed before the hook
    c = client_for(staff)
    page = c.get(reverse("legal_aid:subsidies")).content.decode()
    assert "尚未计算补贴" in page and case.code in page
    assert c.post(reverse("legal_aid:subsidy_compute", args=[case.pk])).status_code == 302
    s = Subsidy.objects.get(case=case)
    r = c.post(reverse("legal_aid:subsidy_adjust", args=[s.pk]), {"reason": "", "amount": "100"})
    assert r.status_code == 400 and "调整事由" in r.content.decode()
    r = c.post(reverse("legal_aid:subsidy_adjust", args=[s.pk]), {"reason": "多名受援人", "amount": "500"})
    assert r.status_code == 302 and Subsidy.objects.get(pk=s.pk).total == Decimal("2500.00")
    # The neighbouring bureau's leader cannot reach it: not selected, nothing changes.
    client_for(users.other_leader).post(reverse("legal_aid:subsidy_approve"), {"ids": [s.pk]})
    assert Subsidy.objects.get(pk=s.pk).status == "computed"
    client_for(users.leader).post(reverse("legal_aid:subsidy_approve"), {"ids": [s.pk]})
    assert Subsidy.objects.get(pk=s.pk).status == "approved"
    # The lawyer follows their own subsidy.
    assert "2500.00" in client_for(p.user).get(reverse("legal_aid:subsidies")).content.decode()
    r = c.post(reverse("legal_aid:subsidy_batch_create"), {"ids": [s.pk]})
    batch = SubsidyBatch.objects.get()
    assert r.status_code == 302 and r.url == reverse("legal_aid:subsidy_batch", args=[batch.pk])
    page = c.get(r.url).content.decode()
    assert "=张三" in page and "待发放" in page and "登记发放" in page
    today = timezone.localdate()
    assert c.post(reverse("legal_aid:subsidy_batch_paid", args=[batch.pk]), {"paid_on": today.isoformat()}).status_code == 302
    assert Subsidy.objects.get(pk=s.pk).status == "paid"
    r = c.get(reverse("legal_aid:subsidy_batch_export", args=[batch.pk]))
    assert r["Content-Type"].startswith("application/vnd.openxmlformats") and formula_cells(r.content) == []
    rows = list(load_workbook(BytesIO(r.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "批次号", "案件编码", "受援人") and rows[0][-1] == "补贴金额（元）"
    assert rows[1][1:5] == (batch.number, case.code, "=张三", "王律师") and rows[1][-1] == 2500.0
    assert rows[-1][0] == "合计" and rows[-1][-1] == 2500.0 and audited("legal_aid.subsidy_export") == 1


# username: (list, approve, adjust, compute, batch_create, batch, paid, export)
NOPE = (404,) * 8
EXPECTED = {
    "leader": (200, 302, 403, 403, 403, 200, 403, 200),
    "stat_admin": (200, 403, 403, 403, 403, 404, 404, 404),  # 统计管理员: reads subsidies, approves nothing, no batches
    "staff": (200, 403, 200, 302, 302, 200, 302, 200),
    "aid_staff": (200, 403, 200, 302, 302, 200, 302, 200),
    "staff_x": NOPE,
    "office_a": (200, 403, 404, 404, 403, 404, 404, 404),
    "office_b": (200, 403, 404, 404, 403, 404, 404, 404),
    "mediator_a": NOPE,
    "mediator_a2": NOPE,
    "lawyer": (200, 403, 404, 404, 403, 404, 404, 404),
    "sysadmin": NOPE,
    "secadmin": NOPE,
    "auditor": NOPE,
    "other_office": (200, 403, 404, 404, 403, 404, 404, 404),
    "other_leader": (200, 302, 404, 404, 403, 404, 404, 404),
}


def test_every_role_on_the_subsidy_pages(users, orgs, client_for):
    staff, p = aid_staff(orgs), provider(orgs)
    computed = Subsidy.objects.get(case=closed(staff, orgs, p, title="待审批案"))
    paid = Subsidy.objects.get(case=closed(staff, orgs, p, title="已组批案"))
    subsidies.approve(users.leader, [paid])
    batch = subsidies.make_batch(staff, orgs.legal_aid, [paid])
    pending = closed(staff, orgs, p, title="未计算案")
    Subsidy.objects.filter(case=pending).delete()
    for user in [*vars(users).values(), staff]:
        c = client_for(user)
        got = (
            c.get(reverse("legal_aid:subsidies")).status_code,
            c.post(reverse("legal_aid:subsidy_approve")).status_code,
            c.get(reverse("legal_aid:subsidy_adjust", args=[computed.pk])).status_code,
            c.post(reverse("legal_aid:subsidy_compute", args=[pending.pk])).status_code,
            c.post(reverse("legal_aid:subsidy_batch_create")).status_code,
            c.get(reverse("legal_aid:subsidy_batch", args=[batch.pk])).status_code,
            c.post(reverse("legal_aid:subsidy_batch_paid", args=[batch.pk]), {"paid_on": "bad"}).status_code,
            c.get(reverse("legal_aid:subsidy_batch_export", args=[batch.pk])).status_code,
        )
        assert got == EXPECTED[user.username], user.username
        listing = c.get(reverse("legal_aid:subsidies"))
        if listing.status_code == 200:
            # Another bureau's user and an unassigned lawyer see none of the centre's subsidies.
            sees = computed.case.code in listing.content.decode()
            assert sees == (user.username in ("leader", "stat_admin", "staff", "aid_staff")), user.username
    assert computed.__class__.objects.get(pk=computed.pk).status == "computed" and SubsidyBatch.objects.get().paid_on is None
