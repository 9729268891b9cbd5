"""Demo data of 法律援助 (the ``demo`` of ``line.py``): the bureau's legal-aid
centre and its staff login, a few providers (one with its own lawyer login),
applications at each stage, a notified defence, consultations and duty
lawyers' helps. Idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sifa.cases.models import Case

from .choices import CASE_TYPE, CENTER, Category, Channel, HelpKind, Kind, MeansBasis, NotifyingOrgan, Outcome, Stage, Station
from .models import Provider
from .registers import CONSULTATIONS, DUTY_HELPS
from .services import register

PROVIDERS = (
    ("陈律", "明理律师事务所", date(2012, 5, 1), "刑事辩护、死刑复核", True),
    ("林律", "明理律师事务所", date(2019, 9, 1), "劳动争议、婚姻家庭", False),
    ("黄法务", "东湖法律服务所", date(2016, 3, 1), "民间借贷、侵权", False),
)


def seed(ctx) -> int:
    before = ctx.created
    bureau = ctx.orgs["bureau"]
    center = ctx.org("legal_aid_center", f"{bureau.name}法律援助中心", "演法援", CENTER, bureau)
    staff = ctx.user("aid_staff", "郑援助", "aid_staff", center)
    lawyer_user = ctx.user("lawyer", "陈律", "lawyer", center)
    providers = []
    for name, firm, since, spec, login in PROVIDERS:
        p = Provider.objects.filter(name=name, center=center).first()
        if p is None:
            p = Provider.objects.create(
                center=center, org_path=center.path, name=name, firm=firm, practice_since=since, specialities=spec, user=lawyer_user if login else None
            )
            ctx.created += 1
        providers.append(p)
    if Case.all_objects.filter(case_type=CASE_TYPE).exists():
        return ctx.created - before
    _cases(ctx, staff, center, providers)
    _entries(ctx, staff, center)
    return ctx.created - before


def _cases(ctx, staff, center, providers) -> None:
    office = ctx.users["office_a"]
    # Received at an office for the centre (通办): waits in the centre's intake list.
    register(
        office,
        owner_org=center,
        title="王某追索劳动报酬",
        category=Category.LABOUR_ARBITRATION,
        parties=[ctx.person("applicant")],
        opened_on=ctx.workday(1),
        groups=["migrant_worker"],
    )
    ctx.created += 1
    register(
        staff,
        owner_org=center,
        title="李某离婚纠纷代理",
        category=Category.CIVIL,
        parties=[ctx.person("applicant")],
        opened_on=ctx.workday(3),
        groups=["woman"],
    )
    ctx.created += 1
    granted = register(
        staff, owner_org=center, title="赵某交通事故人身损害赔偿", category=Category.CIVIL, parties=[ctx.person("applicant")], opened_on=ctx.workday(9)
    )
    ctx.step(staff, granted, "grant", ctx.workday(6), means_basis=MeansBasis.PLEDGE)
    notified = register(
        staff,
        owner_org=center,
        title="刘某涉嫌故意伤害案",
        kind=Kind.NOTIFY,
        category=Category.CRIMINAL,
        stage=Stage.TRIAL,
        notifying_organ=NotifyingOrgan.COURT,
        notifying_name="演示区人民法院",
        notice_number="（2026）演刑通字第12号",
        parties=[ctx.person("applicant")],
        opened_on=ctx.workday(2),
        groups=["minor"],
    )
    # Assigned to 陈律, whose own login (lawyer) sees this case and no other.
    ctx.step(staff, notified, "assign", ctx.workday(1), provider=str(providers[0].pk), assign_mode="rotation")
    ctx.step(providers[0].user, notified, "progress", ctx.workday(0), note="已会见被告人，阅卷。")
    ctx.created += 2
    done = register(
        staff,
        owner_org=center,
        title="孙某讨要工资",
        category=Category.LABOUR_ARBITRATION,
        parties=[ctx.person("applicant")],
        opened_on=ctx.workday(60),
        groups=["migrant_worker"],
    )
    ctx.step(staff, done, "grant", ctx.workday(57), means_basis=MeansBasis.EXEMPT, exemption="migrant_worker")
    ctx.step(staff, done, "assign", ctx.workday(56), provider=str(providers[1].pk), assign_mode="rotation")
    ctx.step(staff, done, "end", ctx.workday(20), outcome=Outcome.MEDIATED, fees_waived=Decimal("3000"), losses_recovered=Decimal("42000"))
    ctx.step(staff, done, "submit_closing", ctx.workday(15), report="经仲裁调解，用人单位支付拖欠工资42000元。")
    ctx.step(
        staff,
        done,
        "close",
        ctx.workday(10),
        checklist=["application", "identity", "means", "decision", "agreement", "documents", "report"],
        grade="excellent",
        satisfaction="satisfied",
    )
    ctx.created += 1


def _entries(ctx, staff, center) -> None:
    from sifa.registers.services import create_entry

    topics = (
        ("咨询拖欠工资如何维权", Channel.PHONE, Category.LABOUR_ARBITRATION),
        ("咨询离婚财产分割", Channel.VISIT, Category.CIVIL),
        ("咨询交通事故赔偿标准", Channel.ONLINE, Category.CIVIL),
    )
    for i, (summary, channel, category) in enumerate(topics):
        person = ctx.person("applicant", with_id=False)
        values = {
            "on": ctx.workday(i * 2),
            "owner_org": center,
            "person_name": person["name"],
            "person_phone": person.get("phone", ""),
            "person_id_number": "",
            "summary": summary,
        }
        create_entry(staff, CONSULTATIONS, values | {"result": "已当场解答", "channel": channel, "category": category})
        ctx.created += 1
    for i, kind in enumerate((HelpKind.PLEA, HelpKind.ADVICE)):
        values = {
            "on": ctx.workday(i + 1),
            "owner_org": center,
            "person_name": ctx.person("applicant", with_id=False)["name"],
            "person_phone": "",
            "person_id_number": "",
            "summary": "值班律师提供法律帮助",
        }
        extra = {
            "result": "",
            "station": Station.PROCURATORATE,
            "station_name": "演示区人民检察院值班律师工作站",
            "help_kind": kind,
            "plea_witnessed": kind == HelpKind.PLEA,
        }
        create_entry(staff, DUTY_HELPS, values | extra)
        ctx.created += 1
