"""The figures of 法律援助 made from imported ledgers (the way the seeds and a
centre's historical data come in): each count chosen here is reproduced exactly
by the statistics engine; a refused application, a deleted case, a deleted
entry and a refused import are not counted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from sifa.cases import services as case_services
from sifa.kit import registry
from sifa.ledgers import imports
from sifa.ledgers.models import JobStatus
from sifa.registers.services import create_entry, delete_entry
from sifa.stats import engine
from sifa.stats.periods import Period

from ..ledger import LEDGER
from ..models import Consultation, DutyHelp, LegalAid
from ..registers import CONSULTATIONS, DUTY_HELPS
from ..services import register
from .test_legal_aid import aid_staff, apply, provider, step

pytestmark = pytest.mark.django_db
D = date
YEAR = Period.year(2026)


def _xlsx(ledger, rows: list[dict]) -> SimpleUploadedFile:
    cols = ledger.import_columns()
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in cols])
    for r in rows:
        ws.append([r.get(c.header) for c in cols])
    buf = BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("台账.xlsx", buf.getvalue())


def _import(user, key, ledger, rows):
    job = imports.start_import(user, key, _xlsx(ledger, rows))
    assert job.status == JobStatus.VALIDATED, (job.message, job.errors)
    job = imports.commit(user, job.pk)
    assert job.status == JobStatus.DONE and job.created_count == len(rows), (job.message, job.errors)
    return job


def _case_rows(orgs) -> list[dict]:
    """12 assigned cases (9 criminal, of them 4 notified; 3 civil), 5 of them ended
    with 3000 yuan waived each; plus 2 applications not yet decided."""
    rows = []
    for i in range(14):
        criminal, notified = i < 9, i < 4
        r = {
            "案由": f"台账案件{i + 1}",
            "收到申请日期": "2026-03-02",
            "法律援助机构": orgs.legal_aid.name,
            "受援人姓名": f"受援人{i + 1}",
            "来源": "通知辩护/代理" if notified else "申请",
            "案件类别": "刑事" if criminal else "民事",
            "刑事诉讼阶段": "审判" if criminal else None,
        }
        if i < 12:
            r |= {"决定给予日期": None if notified else "2026-03-03", "指派日期": "2026-03-04", "承办人员": "王律师"}
        if 7 <= i < 12:  # 5 ended: 2 criminal, 3 civil
            r |= {"办理结果": "判决" if criminal else "调解/和解", "办结日期": "2026-04-01", "免收律师费（元）": "3000"}
        if i in (12, 13):
            r["案件类别"], r["刑事诉讼阶段"], r["来源"] = "民事", None, "申请"
        rows.append(r)
    return rows


def _figure(key, org):
    return engine.compute(registry.kpi(key), org, YEAR)


def test_the_figures_reproduce_the_imported_ledgers(users, orgs):
    provider(orgs, "王律师")
    _import(users.staff, LEDGER.case_type, LEDGER, _case_rows(orgs))
    imported = list(LegalAid.objects.select_related("case").order_by("case__title"))
    assert len(imported) == 14 and {r.case.owner_org for r in imported} == {orgs.legal_aid}
    consult = [
        {"登记日期": f"2026-03-{d:02d}", "登记机构": orgs.legal_aid.name, "咨询人姓名": f"咨询人{d}", "咨询内容": "追索劳动报酬", "咨询方式": "来访"}
        for d in range(2, 9)
    ]
    _import(users.staff, CONSULTATIONS.key, CONSULTATIONS.ledger, consult)
    helps = [
        {
            "登记日期": "2026-03-10",
            "登记机构": orgs.legal_aid.name,
            "帮助事项": f"值班帮助{i}",
            "工作站": "人民检察院",
            "帮助内容": "法律咨询" if i != 3 else "认罪认罚具结书签署在场",
            "认罪认罚具结见证": "是" if i < 3 else "否",
        }
        for i in range(5)
    ]
    _import(users.staff, DUTY_HELPS.key, DUTY_HELPS.ledger, helps)
    assert (Consultation.objects.count(), DutyHelp.objects.count()) == (7, 5)

    for org in (orgs.legal_aid, orgs.bureau):
        assert _figure("legal_aid.cases", org).value == 12 and _figure("legal_aid.aided", org).value == 12
        assert _figure("legal_aid.received", org).value == 14
        assert _figure("legal_aid.criminal", org).value == 9
        share = _figure("legal_aid.notified_share", org)
        assert (share.numerator, share.denominator, share.value) == (4, 12, Decimal("33.33"))
        assert _figure("legal_aid.fees_waived", org).value == Decimal("15000")
        assert _figure("legal_aid.consultations", org).value == 7
        assert _figure("legal_aid.duty_helps", org).value == 5
        assert _figure("legal_aid.pleas", org).value == 4  # 3 witnessed + 1 recorded as 具结见证 help
    # Nothing of it in the neighbouring district.
    assert _figure("legal_aid.cases", orgs.other_bureau).value == 0
    assert _figure("legal_aid.consultations", orgs.other_bureau).value == 0
    by_category = {
        r["key"]: r["numerator"] for r in engine.breakdown(registry.kpi("legal_aid.cases"), orgs.bureau, YEAR, registry.kpi("legal_aid.cases").dimensions[0])
    }
    assert by_category.get("criminal") == 9 and by_category.get("civil") == 3

    # A refused application counts as received, never as a case.
    staff = aid_staff(orgs)
    refused = apply(staff, orgs, on=D(2026, 5, 6), title="不予援助的申请")
    step(staff, refused, "refuse", D(2026, 5, 7), reason="不符合经济困难条件")
    assert _figure("legal_aid.cases", orgs.bureau).value == 12 and _figure("legal_aid.received", orgs.bureau).value == 15
    refused_rate = _figure("legal_aid.refused_rate", orgs.bureau)
    assert refused_rate.numerator == 1
    # A deleted case and a deleted entry are not counted.
    gone = next(r.case for r in imported if r.case.title == "台账案件1")  # criminal, notified, open
    case_services.soft_delete(users.staff, gone, reason="重复录入")
    assert _figure("legal_aid.cases", orgs.bureau).value == 11
    assert _figure("legal_aid.criminal", orgs.bureau).value == 8
    share = _figure("legal_aid.notified_share", orgs.bureau)
    assert (share.numerator, share.denominator) == (3, 11)
    delete_entry(users.staff, CONSULTATIONS, Consultation.objects.order_by("id").first().pk, reason="重复登记")
    assert _figure("legal_aid.consultations", orgs.bureau).value == 6
    plea = DutyHelp.objects.filter(plea_witnessed=True).order_by("id").first()
    delete_entry(users.staff, DUTY_HELPS, plea.pk, reason="重复登记")
    assert _figure("legal_aid.pleas", orgs.bureau).value == 3


def test_a_refused_import_counts_nothing(users, orgs):
    provider(orgs, "王律师")
    rows = _case_rows(orgs)[:3]
    rows[2] |= {"案件类别": "民事", "刑事诉讼阶段": None, "可能判处无期徒刑、死刑": "是"}  # capital on a civil case
    job = imports.start_import(users.staff, LEDGER.case_type, _xlsx(LEDGER, rows))
    assert job.status == JobStatus.INVALID and any("无期徒刑" in str(e) for e in job.errors), job.errors
    rows = _case_rows(orgs)[:3]
    rows[1]["承办人员"] = "不在库的律师"
    job = imports.start_import(users.staff, LEDGER.case_type, _xlsx(LEDGER, rows))
    assert job.status == JobStatus.INVALID and any("人员库" in str(e) for e in job.errors), job.errors
    assert LegalAid.objects.count() == 0 and _figure("legal_aid.cases", orgs.bureau).value == 0


def test_duty_lawyers_helps_count_in_the_pleas(users, orgs):
    values = {
        "owner_org": orgs.legal_aid,
        "person_name": "周九",
        "person_phone": "",
        "person_id_number": "",
        "result": "",
        "station_name": "测试区人民检察院值班律师工作站",
    }
    create_entry(
        users.staff,
        DUTY_HELPS,
        values | {"on": D(2026, 6, 1), "summary": "具结书签署在场", "station": "procuratorate", "help_kind": "plea", "plea_witnessed": True},
    )
    create_entry(
        users.staff, DUTY_HELPS, values | {"on": D(2026, 6, 2), "summary": "程序选择", "station": "court", "help_kind": "procedure", "plea_witnessed": False}
    )
    create_entry(
        users.staff, DUTY_HELPS, values | {"on": D(2025, 6, 2), "summary": "上年的见证", "station": "court", "help_kind": "plea", "plea_witnessed": True}
    )
    assert _figure("legal_aid.pleas", orgs.bureau).value == 1
    assert _figure("legal_aid.duty_helps", orgs.bureau).value == 2
    assert engine.compute(registry.kpi("legal_aid.pleas"), orgs.bureau, Period.year(2025)).value == 1


# The seeds' own figures, made of imported rows. Seed 000 (a district): "法律援助案件336件，
# 免收法律服务费用168万元，挽回经济损失138万元"; seed 004: "提供法律帮助和认罪认罚见证1325次".
SEED_TABLE = (
    # (figure, what the rows are made of, expected)
    ("legal_aid.cases", "336 cases assigned and ended in 2026", Decimal(336)),
    ("legal_aid.aided", "one applicant each", Decimal(336)),
    ("legal_aid.fees_waived", "336 × 5,000 元 waived", Decimal(1_680_000)),
    ("legal_aid.losses_recovered", "276 × 5,000 元 recovered", Decimal(1_380_000)),
    ("legal_aid.duty_helps", "1,325 duty-lawyer helps", Decimal(1325)),
)


def test_the_seeds_figures_reproduce_from_imported_ledgers(users, orgs):
    staff = aid_staff(orgs)
    provider(orgs)
    cases = [
        {
            "案由": f"援助案件{i + 1}",
            "收到申请日期": "2026-02-02",
            "法律援助机构": orgs.legal_aid.name,
            "受援人姓名": f"受援人{i + 1}",
            "来源": "申请",
            "案件类别": "民事",
            "决定给予日期": "2026-02-03",
            "指派日期": "2026-02-04",
            "承办人员": "王律师",
            "办理结果": "调解/和解",
            "办结日期": "2026-06-30",
            "免收律师费（元）": "5000",
            "挽回经济损失（元）": "5000" if i < 276 else None,
        }
        for i in range(336)
    ]
    _import(staff, "legal_aid", LEDGER, cases)
    helps = [
        {
            "登记日期": "2026-05-06",
            "登记机构": orgs.legal_aid.name,
            "受帮助人姓名": f"当事人{i}",
            "帮助事项": "认罪认罚具结",
            "工作站": "人民检察院",
            "帮助内容": "认罪认罚具结书签署在场",
            "认罪认罚具结见证": "是",
        }
        for i in range(1325)
    ]
    _import(staff, DUTY_HELPS.key, DUTY_HELPS.ledger, helps)
    for key, _made_of, expected in SEED_TABLE:
        assert _figure(key, orgs.bureau).numerator == expected, key


def test_a_breakdown_cell_without_a_value_opens_and_drills_down(users, orgs, client_for):
    """Applications not yet assigned have no provider: their cell in 按承办人员 links to its cases."""
    import re

    from django.urls import reverse
    from django.utils import timezone

    register(users.staff, owner_org=orgs.legal_aid, title="待审查申请", category="civil", parties=[{"role": "applicant", "name": "张三"}])
    year = timezone.localdate().year
    c = client_for(users.leader)
    page = c.get(reverse("stats:return", args=["legal_aid.return"]), {"org": orgs.bureau.pk, "kind": "year", "year": year, "by": "provider"})
    assert page.status_code == 200
    link = next(u for u in re.findall(r'href="([^"]*key=None[^"]*)"', page.content.decode()) if "legal_aid.received" in u)
    assert "待审查申请" in c.get(link.replace("&amp;", "&")).content.decode()
