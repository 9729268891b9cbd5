"""Demo data of 社区矫正 (the ``demo`` of ``line.py``): a correction officer in
the first office (login ``jiaozheng``), persons in every stage — waiting to
report (one past the 10-day window), reported, under 严管 with a team, a plan,
reports and hours, one with two uncorrected 训诫 (the ladder proposes 警告),
one lost contact, one back late from a leave, one released — and two 调查评估
entrustments. All fictional. Idempotent."""

from datetime import timedelta

from sifa.cases.models import Case, Procedure

from .choices import CASE_TYPE, OFFICER_ROLE, Category
from .services import register, register_inquiry

CATEGORIES = (Category.PROBATION, Category.PROBATION, Category.PAROLE, Category.CONTROL, Category.MEDICAL)
CRIMES = ("危险驾驶罪", "盗窃罪", "故意伤害罪", "诈骗罪", "寻衅滋事罪", "交通肇事罪", "非法吸收公众存款罪")


def seed(ctx) -> int:
    if Case.all_objects.filter(case_type=CASE_TYPE).exists():
        return 0
    from sifa.cases import procedures

    offices = sorted(k for k in ctx.orgs if k.startswith("office_"))
    if not offices:
        return 0
    office = ctx.orgs[offices[0]]
    officer = ctx.user("jiaozheng", "吴矫正", OFFICER_ROLE, office)
    staff = ctx.users.get("staff") or officer
    made = 0

    def receive(n, days_ago, term_days=365):
        person = ctx.person("subject")
        eff = ctx.workday(days_ago)
        return register(
            officer,
            owner_org=office,
            parties=[person],
            category=CATEGORIES[n % len(CATEGORIES)],
            decision_org_name="演示区人民法院",
            judgment_no=f"（{eff.year}）演刑初字第{100 + n}号",
            effective_on=eff,
            notified_on=eff + timedelta(days=2),
            crime=CRIMES[n % len(CRIMES)],
            sentence="有期徒刑一年，缓刑二年" if n % 5 < 2 else "依法判处",
            term_start=eff,
            term_end=eff + timedelta(days=term_days),
            opened_on=min(eff + timedelta(days=3), ctx.today),
        )

    def supervise(case, on):
        ctx.step(officer, case, "report", on, way="transfer" if case.record.category == Category.MEDICAL else "self", identity_checked=True)
        ctx.step(officer, case, "declare", on, place="司法所宣告室", attendees="司法所、村（居）委会、家属")
        return case

    # Waiting to report: one within its 10 days, one past them (待处理 on the desk).
    receive(0, 3)
    receive(1, 20)
    made += 2
    # Under supervision, with a team, a plan and this week's report.
    for n, days_ago in enumerate((50, 120, 200, 300), start=2):
        case = supervise(receive(n, days_ago + 5), ctx.workday(days_ago))
        ctx.step(
            officer,
            case,
            "set_team",
            ctx.workday(days_ago),
            members="吴矫正，司法所工作人员，男\n陈红，村（居）民委员会人员，女，幸福村\n家属，家庭成员/监护人，男",
        )
        ctx.step(
            officer,
            case,
            "set_plan",
            ctx.workday(days_ago),
            supervision="每周到司法所报到并书面汇报；每月实地查访",
            education="每月参加法治教育12小时",
            assistance="协助联系就业",
        )
        ctx.step(officer, case, "record", ctx.workday(1), kind="report", way="in_person", note="按时报到，汇报近况")
        ctx.step(officer, case, "record", ctx.workday(2), kind="study", hours="6", note="集中法治教育")
        made += 1
        if n == 3:
            ctx.step(officer, case, "regrade", ctx.workday(30), grade="normal", basis="入矫满2个月，考核合格")
        if n == 4:
            # Two uncorrected 训诫: the ladder proposes a 警告.
            ctx.step(officer, case, "sanction", ctx.workday(40), kind="admonish", facts="未按规定时间报到")
            ctx.step(officer, case, "sanction", ctx.workday(10), kind="admonish", facts="未经批准外出")
    # Lost contact.
    lost = supervise(receive(6, 90), ctx.workday(85))
    ctx.step(officer, lost, "lose_contact", ctx.workday(4), circumstances="电话关机，住所无人", notified="已通报派出所")
    # Back late from a 3-day leave the office approved.
    late = supervise(receive(7, 100), ctx.workday(95))
    start = ctx.workday(8)
    ctx.step(officer, late, "apply", start, kind="leave", start=start, end=start + timedelta(days=2), destination="福州市", purpose="探望住院的母亲")
    proc = Procedure.objects.get(case=late, key="leave")
    procedures.take_step(officer, proc, "approve_office", data={"opinion": "情况属实，同意"}, on=start)
    # Released at the end of the term.
    done = supervise(receive(8, 400, term_days=380), ctx.workday(395))
    end = ctx.workday(12)
    ctx.step(
        officer,
        done,
        "summarize",
        end - timedelta(days=20),
        personal_summary="遵守规定，认罪悔罪",
        appraisal="矫正期间表现良好",
        resettlement_advice="建议纳入就业帮扶",
    )
    ctx.step(officer, done, "release", end, kind="expiry", notified_court=True, notified_procuratorate=True, notified_police=True)
    made += 3
    # 调查评估: one running, one issued.
    for n, (entruster, name) in enumerate((("court", "演示区人民法院"), ("procuratorate", "演示区人民检察院"))):
        inquiry = register_inquiry(
            staff if staff.role == "section" else officer,
            owner_org=office,
            parties=[ctx.person("assessed")],
            entruster=entruster,
            entruster_name=name,
            letter_no=f"演法委评〔{ctx.today.year}〕{n + 1}号",
            crime=CRIMES[n],
            proposed_category=Category.PROBATION,
            opened_on=ctx.workday(12 - n * 6),
        )
        if n == 0:
            ctx.step(
                inquiry.handler or officer,
                inquiry,
                "issue",
                ctx.workday(3),
                opinion="suitable",
                opinion_text="经走访村委会、家属，被告人居所固定，家庭有监管条件，社会危险性较小，适宜社区矫正。",
            )
        made += 1
    # The office kept up with the past: the duties of earlier weeks were fulfilled on time
    # (only the last days' are open or missed, as on a real desk).
    from django.db.models import F

    from sifa.deadlines.models import Deadline

    Deadline.objects.filter(case__case_type=CASE_TYPE, completed_on__isnull=True, cancelled=False, due_date__lt=ctx.today - timedelta(days=6)).exclude(
        duty=""
    ).update(completed_on=F("due_date"))
    return made
