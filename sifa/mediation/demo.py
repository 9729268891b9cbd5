"""Demo data of people's mediation (the ``demo`` of ``line.py``): a township
committee under each demo office and its mediator login ``mediator_a``,
committee profiles, 4–6 mediators per demo committee (南桥 deliberately short
of members, to show the roster warnings), a professional committee and a
gold-medal studio, and a few dozen disputes over this year and last year in
every state — sessions, agreements, follow-ups, a risk flag, a judicial
confirmation. Idempotent: a second run changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from sifa.common import dictionaries

from .choices import COMMITTEE, DISPUTE_TYPE_SET, DISPUTE_TYPES, FIELD_SET, FIELDS, MEDIATOR, CommitteeType, Gender, MediatorKind, Position, Source
from .models import Committee, Dispute, Mediator
from .services import register_dispute
from .services import roster as reg

# One township committee under each demo office (sifa.demo.seed.OFFICES), in order.
COMMITTEES = [("东湖街道人民调解委员会", "东湖调委会"), ("西山镇人民调解委员会", "西山调委会"), ("南桥镇人民调解委员会", "南桥调委会")]

# committee key -> (profile type, established, term start, mediators: (name, gender, position, kind, level))
ROSTERS = {
    "committee_0": [
        ("周淑芬", Gender.FEMALE, Position.DIRECTOR, MediatorKind.FULL_TIME, "2"),
        ("吴国强", Gender.MALE, Position.DEPUTY, MediatorKind.FULL_TIME, "3"),
        ("郑晓燕", Gender.FEMALE, Position.MEMBER, MediatorKind.PART_TIME, "4"),
        ("何建平", Gender.MALE, Position.MEMBER, MediatorKind.PART_TIME, ""),
        ("黄立新", Gender.MALE, Position.MEDIATOR, MediatorKind.PART_TIME, "4"),
    ],
    "committee_1": [
        ("陈德明", Gender.MALE, Position.DIRECTOR, MediatorKind.FULL_TIME, "3"),
        ("刘美华", Gender.FEMALE, Position.MEMBER, MediatorKind.PART_TIME, "4"),
        ("杨志刚", Gender.MALE, Position.MEMBER, MediatorKind.PART_TIME, ""),
        ("赵秀兰", Gender.FEMALE, Position.MEMBER, MediatorKind.PART_TIME, "4"),
    ],
    # Short of members and without a woman: the roster shows the warnings.
    "committee_2": [
        ("孙长林", Gender.MALE, Position.DIRECTOR, MediatorKind.FULL_TIME, "3"),
        ("钱永福", Gender.MALE, Position.MEMBER, MediatorKind.PART_TIME, ""),
        ("许文斌", Gender.MALE, Position.MEDIATOR, MediatorKind.PART_TIME, "4"),
        ("冯海涛", Gender.MALE, Position.MEDIATOR, MediatorKind.PART_TIME, ""),
    ],
}
MEDICAL = ("演示区医疗纠纷人民调解委员会", "医调委")
MEDICAL_ROSTER = [
    ("林振华", Gender.MALE, Position.DIRECTOR, MediatorKind.FULL_TIME, "1"),
    ("蔡丽君", Gender.FEMALE, Position.DEPUTY, MediatorKind.FULL_TIME, "2"),
    ("高明远", Gender.MALE, Position.MEMBER, MediatorKind.PART_TIME, "3"),
    ("罗玉珍", Gender.FEMALE, Position.MEMBER, MediatorKind.PART_TIME, "3"),
]
STUDIO = ("东湖“老周”金牌调解工作室", "老周工作室")

PLACES = ["东湖街道幸福社区", "西山镇上林村", "南桥镇南桥社区", "东湖街道湖滨小区", "西山镇集贸市场", "演示区人民医院", "南桥镇工业园区"]
SUMMARIES = {
    "01": "双方因赡养老人费用分担产生矛盾，多次争吵。",
    "02": "楼上住户装修导致楼下渗水，双方就维修和赔偿发生争执。",
    "03": "两户因宅基地界址及围墙位置发生争议。",
    "04": "双方因装修合同尾款支付发生纠纷。",
    "06": "电动车碰撞致一方受伤，就医疗费赔偿未达成一致。",
    "10": "务工人员被拖欠三个月工资，与包工头发生争执。",
    "12": "患者家属对手术结果不满，要求医院赔偿。",
    "13": "两车追尾，双方就车辆维修费用分担发生争议。",
    "14": "业主以服务质量差为由拒交物业费，物业公司催缴未果。",
}


def _roster(ctx, org, roster, link_user=None) -> list[Mediator]:
    staff = ctx.users["staff"]
    out = []
    for name, gender, position, kind, level in roster:
        m = Mediator.objects.filter(org=org, name=name).first()
        if m is None:
            m = reg.create_mediator(staff, committee=org, position=position, since=date(2024, 3, 1), name=name, gender=gender, kind=kind, level=level)
            ctx.created += 1
        out.append(m)
    if link_user is not None and not Mediator.objects.filter(user=link_user).exists():
        out.append(
            reg.create_mediator(
                staff,
                committee=org,
                position=Position.MEMBER,
                since=date(2024, 3, 1),
                name=link_user.display_name,
                gender=Gender.MALE,
                kind=MediatorKind.FULL_TIME,
                level="3",
                user=link_user,
            )
        )
        ctx.created += 1
    elif link_user is not None:
        out.append(Mediator.objects.get(user=link_user))
    return out


def _profiles(ctx) -> dict:
    staff = ctx.users["staff"]
    committees = {}
    for key, established in (("committee_0", date(2011, 5, 1)), ("committee_1", date(2012, 3, 1)), ("committee_2", date(2010, 9, 1))):
        org = ctx.orgs[key]
        if not Committee.objects.filter(org=org).exists():
            reg.save_profile(
                staff,
                org,
                name=org.name,
                short_name=org.short_name,
                committee_type=CommitteeType.TOWNSHIP,
                established_on=established,
                term_start=date(2024, 3, 1),
                term_years=3,
            )
            ctx.created += 1
        committees[key] = org
    medical = Committee.objects.filter(org__name=MEDICAL[0]).select_related("org").first()
    if medical is None:
        medical = reg.create_committee(
            staff,
            parent=ctx.orgs["bureau"],
            name=MEDICAL[0],
            short_name=MEDICAL[1],
            committee_type=CommitteeType.PROFESSIONAL,
            field_code="medical",
            established_on=date(2014, 6, 1),
            term_start=date(2024, 6, 1),
        )
        ctx.created += 1
    committees["medical"] = medical.org
    studio = Committee.objects.filter(org__name=STUDIO[0]).select_related("org").first()
    if studio is None:
        studio = reg.create_committee(
            staff,
            parent=ctx.orgs["committee_0"],
            name=STUDIO[0],
            short_name=STUDIO[1],
            committee_type=CommitteeType.STUDIO_GOLD,
            established_on=date(2021, 1, 1),
        )
        ctx.created += 1
    committees["studio"] = studio.org
    return committees


def _steps(ctx, actor, case):
    return lambda name, on, data=None, reason="": ctx.step(actor, case, name, on, reason, **(data or {}))


def _play(ctx, actor, case, plan: str, start: date, mediators: list[Mediator]) -> None:
    """Drive one dispute through the steps of ``plan``."""
    rng, step = ctx.rng, _steps(ctx, actor, case)
    on = start
    if plan == "not_accepted":
        step("not_accept", on, {"not_accepted_reason": "party_refuses"}, reason="被申请人明确表示拒绝调解。")
        return
    step("accept", on)
    if plan == "accepted":
        return
    on += timedelta(days=1)
    chosen = mediators[:2]
    step("assign_mediators", on, {"mediators": [m.pk for m in chosen], "lead": chosen[0].pk, "mediator_choice": "designated"})
    on += timedelta(days=2)
    step("record_session", on, {"kind": "investigation", "session_on": on, "place": "当事人住所", "record": "走访双方当事人及邻居，了解纠纷经过。"})
    if plan == "mediating":
        step("schedule_session", on, {"kind": "mediation", "session_on": timezone.localdate() + timedelta(days=3), "place": "调委会调解室"})
        return
    on += timedelta(days=3)
    step(
        "record_session",
        on,
        {"kind": "mediation", "session_on": on, "place": "调委会调解室", "participants": "双方当事人", "record": "讲解相关法律规定，双方各自陈述意见后协商。"},
    )
    if plan in ("terminated", "failed"):
        step("terminate", on, {"termination_reason": "no_agreement", "routes_told": True})
        if plan == "failed":
            step("archive", on + timedelta(days=1))
        return
    written = plan != "oral"
    amount = rng.choice([None, 2000, 5000, 8800, 12000, 30000])
    on_spot = plan == "oral"
    step(
        "succeed",
        on,
        {
            "agreement_form": "written" if written else "oral",
            "facts": "双方因琐事发生争执，经调查查明事实，双方均有一定责任。",
            "agreement_content": "一、被申请人向申请人赔偿损失。\n二、双方今后和睦相处，不再就此事发生争执。",
            "performance_manner": "现金支付" if written else "",
            "performance_deadline": on + timedelta(days=15) if written else None,
            "agreement_amount": amount,
            "agreed_on": on,
            "effective_on": on,
            "performed_on_spot": on_spot,
        },
    )
    if plan == "confirmation":
        step("apply_confirmation", on + timedelta(days=5), {"court": "演示区人民法院", "applied_on": on + timedelta(days=5)})
        step(
            "court_accept",
            on + timedelta(days=6),
            {"decision": "accepted", "court_on": on + timedelta(days=6), "court_case_number": f"（{on.year}）演0101民特{rng.randint(10, 99)}号"},
        )
        step("court_decide", on + timedelta(days=15), {"decision": "confirmed", "court_on": on + timedelta(days=15)})
    if plan == "agreed":
        return
    visit_on = on + timedelta(days=20)
    if not on_spot:
        step(
            "record_visit",
            visit_on,
            {"visit_on": visit_on, "method": "phone", "visited": "双方当事人", "performance": "performed", "satisfaction": "satisfied"},
        )
    step("archive", visit_on + timedelta(days=1))


PLANS_OLD = ["success", "success", "oral", "success", "failed", "success", "oral", "success", "not_accepted", "success", "confirmation", "success"]
PLANS_NEW = ["success", "oral", "success", "failed", "success", "success", "oral", "agreed", "agreed", "terminated", "success", "confirmation"]
PLANS_RECENT = ["mediating", "mediating", "accepted", "registered", "mediating", "risk_defused", "risk_open", "registered"]


def seed(ctx) -> int:
    before = ctx.created
    dictionaries.ensure(DISPUTE_TYPE_SET, DISPUTE_TYPES, source="practice")
    dictionaries.ensure(FIELD_SET, FIELDS, source="practice")
    for i, (name, short) in enumerate(COMMITTEES):
        ctx.org(f"committee_{i}", name, short, COMMITTEE, ctx.orgs[f"office_{i}"])
    mediator_user = ctx.user("mediator_a", "张调解", MEDIATOR, ctx.orgs["committee_0"])
    committees = _profiles(ctx)
    teams = {
        "committee_0": _roster(ctx, committees["committee_0"], ROSTERS["committee_0"], link_user=mediator_user),
        "committee_1": _roster(ctx, committees["committee_1"], ROSTERS["committee_1"]),
        "committee_2": _roster(ctx, committees["committee_2"], ROSTERS["committee_2"]),
        "medical": _roster(ctx, committees["medical"], MEDICAL_ROSTER),
    }
    # The studio's head also sits in 东湖 (one person, two committees).
    head = teams["committee_0"][0]
    if not head.memberships.filter(committee=committees["studio"]).exists():
        reg.add_membership(ctx.users["staff"], head, committee=committees["studio"], position=Position.DIRECTOR, since=date(2021, 1, 1))
        ctx.created += 1
    if Dispute.objects.filter(case__owner_org__in=list(committees.values())).exists():
        return ctx.created - before
    _disputes(ctx, committees, teams, mediator_user)
    return ctx.created - before


def _disputes(ctx, committees, teams, mediator_user) -> None:
    today = timezone.localdate()
    actors = {"committee_0": ctx.users["office_a"], "committee_1": ctx.users["office_b"], "committee_2": ctx.users["staff"], "medical": ctx.users["staff"]}
    keys = ["committee_0", "committee_1", "committee_2", "medical"]
    types = ["01", "02", "03", "04", "06", "10", "13", "14", "02", "01"]
    sources = [Source.APPLICATION, Source.APPLICATION, Source.INITIATIVE, Source.COURT, Source.POLICE, Source.APPLICATION, Source.PETITION]
    batches = [(today.year - 1, PLANS_OLD), (today.year, PLANS_NEW)]
    n = 0
    for year, plans in batches:
        for i, plan in enumerate(plans):
            month = 1 + (i * 11 // len(plans)) if year < today.year else 1 + (i * max(today.month - 2, 1) // len(plans))
            # Leave room for the whole plan (about 40 days of steps) before today.
            opened = min(date(year, month, ctx.rng.randint(1, 25)), today - timedelta(days=45))
            n += _one(ctx, keys[n % 4], plan, opened, committees, teams, actors, types[n % len(types)], sources[n % len(sources)], mediator_user)
    for i, plan in enumerate(PLANS_RECENT):
        opened = today - timedelta(days=12 - i)
        n += _one(
            ctx, "committee_0" if i % 2 == 0 else keys[i % 4], plan, opened, committees, teams, actors, types[i], sources[i % len(sources)], mediator_user
        )


def _one(ctx, key, plan, opened, committees, teams, actors, dtype, source, mediator_user) -> int:
    rng, org, mediators = ctx.rng, committees[key], teams[key]
    # mediator_a registers and works half of 东湖's disputes on their own.
    actor = mediator_user if key == "committee_0" and rng.random() < 0.5 else actors[key]
    if key == "medical":
        dtype = "12"
    if actor == mediator_user:
        mediators = [m for m in mediators if m.user_id == mediator_user.pk] + [m for m in mediators if m.user_id != mediator_user.pk]
    elif key == "committee_0" and rng.random() < 0.5:
        mediators = [m for m in mediators if m.user_id == mediator_user.pk] + mediators[:1]
    parties = [ctx.person("applicant", with_id=rng.random() < 0.6), ctx.person("respondent", with_id=rng.random() < 0.4)]
    if rng.random() < 0.2:
        parties.append(ctx.person("respondent", with_id=False))
    case = register_dispute(
        actor,
        owner_org=org,
        source=source,
        dispute_type=dtype,
        parties=parties,
        summary=SUMMARIES.get(dtype, "双方因琐事发生矛盾，申请调解。"),
        place=rng.choice(PLACES),
        amount_in_dispute=rng.choice([None, 3000, 8000, 20000, 50000]),
        referred_by={"court": "演示区人民法院", "police": "东湖派出所", "petition": "演示区信访局"}.get(source, ""),
        opened_on=opened,
        confirm_duplicate=True,
    )
    ctx.created += 1
    if plan == "registered":
        return 1
    if plan.startswith("risk"):
        _play(ctx, actor, case, "mediating", opened, mediators)
        flag_on, step = opened + timedelta(days=4), _steps(ctx, actor, case)
        step("flag_risk", flag_on, {"risk_kind": "criminal", "risk_level": "serious", "risk_persons": 5, "risk_note": "一方扬言报复，情绪激动。"})
        step("report_risk", flag_on, {"reported_to": "东湖派出所", "contact": "值班民警", "measures": "安排专人稳控，约谈双方。"})
        if plan == "risk_defused":
            step("resolve_risk", flag_on + timedelta(days=2), {"risk_status": "defused", "note": "经疏导双方情绪平稳。"})
        return 1
    _play(ctx, actor, case, plan, opened, mediators)
    return 1
