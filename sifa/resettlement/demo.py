"""Demo data of 安置帮教 (the ``demo`` of ``line.py``): a resettlement officer in
the first office (login ``bangjiao``, 东湖司法所), and persons in every stage
across the demo offices — 待释放 with release next week (one 必接必送), one
released yesterday and not yet reported, one past the report period (on the
desk and the 未衔接 list), one 未衔接 with a 协查 sent, several 帮教中 with grade,
group, agreement, visits, assistance and placement (one 人户分离, 双列管 with
another office), one whose period ended, one who re-offended — and the
released community-correction subject handed over (转安置帮教) when the
correction demo has one. All fictional. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sifa.cases.models import Case

from .choices import CASE_TYPE, OFFICER_ROLE
from .services import register

CRIMES = ("盗窃罪", "诈骗罪", "故意伤害罪", "寻衅滋事罪", "贩卖毒品罪", "抢劫罪", "开设赌场罪")
PRISONS = ("演示省第一监狱", "演示省女子监狱", "演示市看守所", "演示省第二监狱")


def seed(ctx) -> int:
    if Case.all_objects.filter(case_type=CASE_TYPE).exists():
        return 0
    offices = [ctx.orgs[k] for k in sorted(k for k in ctx.orgs if k.startswith("office_"))]
    if not offices:
        return 0
    officer = ctx.user("bangjiao", "郑帮教", OFFICER_ROLE, offices[0])
    staff = ctx.users.get("staff") or officer
    today = ctx.today
    n = [0]

    def actor_for(office):
        return officer if office == offices[0] else staff

    def notify(office, *, release, released=False, key_person=False, notice_days=30):
        i = n[0]
        n[0] += 1
        person = ctx.person("releasee")
        return register(
            actor_for(office),
            owner_org=office,
            name=person["name"],
            id_number=person["id_number"],
            phone=person["phone"],
            household=person["address"],
            origin="detention" if i % 4 == 2 else "prison",
            institution=PRISONS[i % len(PRISONS)],
            crime=CRIMES[i % len(CRIMES)],
            sentence=f"有期徒刑{2 + i % 5}年",
            sentence_start=release - timedelta(days=365 * (2 + i % 5)),
            sentence_end=release,
            notice_on=min(release - timedelta(days=notice_days), today),
            expected_release_on=release,
            released_on=release if released else None,
            key_person=key_person,
        )

    def verify(case, office, on, *, elsewhere=None):
        actor = actor_for(office)
        if elsewhere is not None:
            ctx.step(actor, case, "verify", on, result="elsewhere", residence="演示区西山镇上林村12号", residence_org=str(elsewhere.pk), note="租住")
        else:
            ctx.step(actor, case, "verify", on, result="local", residence="与户籍地一致", note="与家属同住")

    def assist(office, release_days_ago, *, grade="medium", elsewhere=None, placement="employed", key_person=False):
        release = ctx.workday(release_days_ago)
        case = notify(office, release=release, key_person=key_person)
        actor = actor_for(office)
        verify(case, office, release - timedelta(days=20), elsewhere=elsewhere)
        way = "collected" if key_person else "reported"
        ctx.step(actor, case, "handover", release + timedelta(days=0 if key_person else 3), released_on=release, way=way, note="已建档")
        since = release + timedelta(days=10)
        ctx.step(actor, case, "grade", since, grade=grade, factors=["no_income"] if grade != "low" else [], note="初次风险评估")
        ctx.step(
            actor,
            case,
            "set_group",
            since,
            members="郑帮教，司法所工作人员，13800001111\n刘书记，村（居）干部\n家属，家属",
            agreement_on=since,
        )
        ctx.step(actor, case, "assist", since + timedelta(days=5), kind="employment", note="推荐到工业园区企业面试")
        ctx.step(actor, case, "place", since + timedelta(days=20), placement=placement, note="")
        ctx.step(actor, case, "contact", ctx.workday(3), kind="visit", note="上门走访，工作稳定，家庭和睦")
        return case

    # 待释放: release next week (one 必接必送), in two offices.
    notify(offices[0], release=today + timedelta(days=7), key_person=True)
    notify(offices[-1], release=today + timedelta(days=6))
    # Released yesterday, not yet reported (the report period is running).
    notify(offices[0], release=today - timedelta(days=1), released=True)
    # Past the report period: on the office's desk and the 未衔接 list.
    notify(offices[0], release=ctx.workday(15), released=True)
    # 未衔接, with a 协查 sent to another office.
    lost = notify(offices[0], release=ctx.workday(40), released=True)
    ctx.step(officer, lost, "unlink", ctx.workday(25), circumstances="逾期未报到，电话停机，家属称其外出务工")
    if len(offices) > 1:
        ctx.step(officer, lost, "request_search", ctx.workday(20), org=str(offices[1].pk), request="请协助核查该人员是否在贵辖区居住")
    # 帮教中: graded, with group, agreement, visits, assistance and placement.
    assist(offices[0], 200, grade="high", placement="base", key_person=True)
    assist(offices[0], 120, grade="medium")
    assist(offices[-1], 90, grade="low", placement="family")
    if len(offices) > 1:
        assist(offices[-1], 60, grade="medium", elsewhere=offices[1])
    # Ended: the period over; and one who re-offended.
    old = notify(offices[0], release=today - timedelta(days=365 * 5 + 10), notice_days=30)
    release = old.record.expected_release_on
    verify(old, offices[0], release - timedelta(days=20))
    ctx.step(officer, old, "handover", release + timedelta(days=2), released_on=release, way="family", note="")
    ctx.step(officer, old, "expire", ctx.workday(1))
    again = assist(offices[0], 300, grade="high")
    ctx.step(officer, again, "terminate", ctx.workday(5), kind="reoffended", note="因涉嫌盗窃被公安机关刑事拘留")
    made = n[0]
    made += _from_correction(ctx, staff, offices[0])
    # The office kept up with the past: earlier visits were made on time (only the last
    # weeks' are open or missed, as on a real desk).
    from django.db.models import F

    from sifa.deadlines.models import Deadline

    Deadline.objects.filter(case__case_type=CASE_TYPE, completed_on__isnull=True, cancelled=False, due_date__lt=today - timedelta(days=6)).exclude(
        duty=""
    ).update(completed_on=F("due_date"))
    return made


def _from_correction(ctx, staff, office) -> int:
    """The correction demo's released subject, handed over through the kernel (转安置帮教)."""
    from sifa.cases import movement
    from sifa.cases.models import CaseLink

    source = Case.objects.filter(case_type="correction", status="released").order_by("id").first()
    if source is None or CaseLink.objects.filter(source=source, kind="from_correction").exists():
        return 0
    movement.hand_over(staff, source, "from_correction", owner_org=source.owner_org if source.owner_org.kind == "office" else office)
    return 1
