"""Demo data: reconsideration cases across every stage (one received just before
the Spring Festival, one suspended, one extended, one deemed accepted, several
concluded with different decisions) and administrative suits with hearings,
over this year and last. Dates are relative to today, so the demo tells the
same story whenever it is loaded. Idempotent: a bureau that has any FY case is
left alone. Everything goes through the line's services and the workflow."""

from __future__ import annotations

from datetime import date, timedelta

from sifa.cases.models import Case
from sifa.cases.settle import settle
from sifa.common import dictionaries
from sifa.deadlines import calendar
from sifa.deadlines.models import Holiday

from .choices import FY_KEY, YS_KEY
from .choices import seed as seed_code_lists
from .services import register_application, register_suit


class Story:
    """The demo's bureau, its two users and the kernel's demo helpers (``DemoContext``)."""

    def __init__(self, ctx):
        self.ctx, self.staff, self.leader, self.org = ctx, ctx.users["staff"], ctx.users["leader"], ctx.orgs["bureau"]
        self.today, self.workday, self.after = ctx.today, ctx.workday, ctx.after

    def step(self, case, name, on, actor=None, reason="", **data):
        return self.ctx.step(actor or self.staff, case, name, on, reason, **data)

    def apply(self, received: date, respondent: str, category: str, act: str, *, amount=None, channel="post", agent=False):
        parties = [self.ctx.person("applicant")]
        if agent:
            parties.append({"role": "agent", "name": "周律师", "phone": "13900001234"})
        return register_application(
            self.staff,
            owner_org=self.org,
            received_on=received,
            channel=channel,
            parties=parties,
            respondent_agency=respondent,
            category=category,
            contested_act=act,
            act_date=received - timedelta(days=20),
            known_on=received - timedelta(days=15),
            amount=amount,
            request=f"请求撤销{act}。",
            reasons="被申请人认定事实不清，适用依据错误，程序违法。",
        )

    def accepted(self, case, received, *, simplified=False, ground="small_amount"):
        on = self.after(received, 2)
        data = {"procedure": "simplified", "simplified_ground": ground} if simplified else {"procedure": "ordinary"}
        self.step(case, "accept", on, **data)
        self.step(case, "send_copy", self.after(on, 3))
        self.step(case, "record_reply", self.after(on, 10), summary="被申请人提交了书面答复及证据目录。")
        return on

    def heard(self, case, on):
        self.step(case, "hear", on, method="in_person", participants="申请人、被申请人代理人", summary="双方陈述了意见。")


def _spring_festival_eve(today: date) -> date | None:
    """The last working day before the most recent Spring Festival at least 120 days ago."""
    days = list(Holiday.objects.filter(name="春节", date__lte=today - timedelta(days=120)).order_by("-date").values_list("date", flat=True)[:20])
    if not days:
        return None
    start = days[0]
    while (start - timedelta(days=1)) in days:
        start -= timedelta(days=1)
    d = start - timedelta(days=1)
    while not calendar.is_workday(d):
        d -= timedelta(days=1)
    return d


def seed(ctx) -> int:
    bureau = ctx.orgs["bureau"]
    if Case.all_objects.filter(case_type=FY_KEY, bureau=bureau).exists():
        return 0
    made = seed_code_lists(dictionaries.ensure)
    s = Story(ctx)
    before = Case.all_objects.filter(bureau=bureau, case_type__in=(FY_KEY, YS_KEY)).count()

    # Received right before the Spring Festival: the 5-working-day review runs across the holiday.
    eve = _spring_festival_eve(s.today)
    if eve is not None:
        c = s.apply(eve, "market", "penalty_fine", f"区市场监督管理局罚款决定（演市监罚〔{eve.year}〕8号）", amount=50000)
        acc = s.accepted(c, eve)
        s.heard(c, s.after(acc, 15))
        s.step(c, "decide", s.after(acc, 35), kind="revoke", order_redo=True, summary="被申请人认定事实不清、证据不足。")

    # Still in acceptance review; one whose review period has lapsed unrecorded (shows 视为受理).
    s.apply(s.workday(1), "housing", "licensing", "区住房和城乡建设局不予许可决定", channel="in_person")
    # Correction pending, and one whose correction period lapsed (recorded by the nightly job below).
    c = s.apply(s.workday(4), "hrss", "work_injury", "区人社局不予认定工伤决定")
    s.step(c, "request_correction", s.after(c.opened_on, 1), items="1. 补充身份证明复印件；\n2. 提供工伤认定决定书原件照片。")
    c = s.apply(s.workday(60), "civil_affairs", "social_security", "区民政局停发最低生活保障金决定")
    s.step(c, "request_correction", s.after(c.opened_on, 2), items="请明确行政复议请求。")
    # Not accepted.
    c = s.apply(s.workday(150), "urban_management", "complaint", "对举报事项的处理答复")
    s.step(
        c,
        "not_accept",
        s.after(c.opened_on, 3),
        refusal_reason="out_of_time",
        competent_organ="",
        explanation="申请人于知道该行为之日起第九十日提出申请，无正当理由。",
    )
    # Suspended (death of the applicant: 60-day limit running).
    c = s.apply(s.workday(75), "natural_resources", "resource_title", "区自然资源局林地权属确认决定", agent=True)
    acc = s.accepted(c, c.opened_on)
    s.heard(c, s.after(acc, 12))
    s.step(c, "suspend", s.after(acc, 25), ground="death", note="申请人已去世，近亲属尚未确定是否参加行政复议。")
    # 附带审查 of the penalty's basis, handled here: suspended, drafting organ notified, its reply awaited.
    c = s.apply(s.workday(40), "market", "penalty_fine", "区市场监督管理局罚款决定（演市监罚〔2026〕21号）", amount=30000)
    acc = s.accepted(c, c.opened_on)
    s.step(
        c,
        "start_norm_review",
        s.after(acc, 8),
        origin="application",
        document="区市场监督管理局《行政处罚裁量基准》第五条",
        drafting_organ="区市场监督管理局",
        competent="1",
    )
    s.step(c, "suspend", s.after(acc, 9), ground="incidental_review", note="等待附带审查结果。")
    s.step(c, "notify_drafter", s.after(acc, 10))
    # Extended with the leader's approval (request → approve).
    c = s.apply(s.workday(70), "ecology", "penalty_fine", "区生态环境分局罚款决定", amount=200000)
    acc = s.accepted(c, c.opened_on)
    s.heard(c, s.after(acc, 10))
    s.step(c, "request_extension", s.after(acc, 30), days=30, grounds="需要现场勘验并委托鉴定。")
    s.step(c, "approve_extension", s.after(acc, 31), actor=s.leader)
    # A hearing, the committee, a finding of illegality and a 意见书 awaiting feedback.
    c = s.apply(s.workday(120), "transport", "coercion", "区交通运输局扣押车辆决定")
    acc = s.accepted(c, c.opened_on)
    notice = s.after(acc, 12)
    s.step(c, "schedule_hearing", notice, hearing_date=calendar.add_workdays(notice, 6), place="区行政复议听证室", matters="扣押程序是否合法。")
    s.step(
        c,
        "record_hearing",
        calendar.add_workdays(notice, 6),
        held_on=calendar.add_workdays(notice, 6),
        respondent_head_attended=True,
        participants="主持人李科员，听证员二人",
        summary="双方质证。",
    )
    s.step(c, "consult_committee", s.after(acc, 25), participants="行政复议委员会委员五人", summary="多数意见认为扣押程序违法。")
    s.step(c, "decide", s.after(acc, 30), kind="confirm_illegal", summary="扣押未依法告知，程序违法；车辆已返还，不具有可撤销内容。")
    s.step(c, "issue_opinion", s.after(acc, 32), kind="opinion", addressee="transport", content="执法人员实施扣押未当场告知当事人理由和依据，请规范执法程序。")
    # Simplified procedure, upheld; converted to ordinary and still under review.
    c = s.apply(s.workday(100), "urban_management", "penalty_warning", "区城管局警告决定", amount=0)
    acc = s.accepted(c, c.opened_on, simplified=True, ground="warning")
    s.step(c, "decide", s.after(acc, 15), kind="uphold", summary="被申请人认定事实清楚，程序合法，内容适当。")
    c = s.apply(s.workday(20), "market", "penalty_fine", "区市场监督管理局罚款决定", amount=2000)
    acc = s.accepted(c, c.opened_on, simplified=True)
    s.step(c, "convert_to_ordinary", s.after(acc, 8), actor=s.leader, reason="案情复杂，需要听证。")
    # Mediation and a withdrawal after settlement.
    c = s.apply(s.workday(90), "hrss", "social_security", "区人社局养老保险待遇核定")
    acc = s.accepted(c, c.opened_on)
    s.step(c, "mediate", s.after(acc, 12), result="ongoing", summary="组织双方调解。")
    s.step(c, "mediate_close", s.after(acc, 20), agreement="被申请人重新核定待遇并补发差额；申请人放弃其他请求。")
    c = s.apply(s.workday(110), "town_xishan", "expropriation", "西山镇人民政府征收补偿决定")
    acc = s.accepted(c, c.opened_on)
    s.step(c, "mediate", s.after(acc, 10), result="settled", summary="双方达成和解。")
    s.step(c, "terminate", s.after(acc, 14), termination_reason="settled", note="和解后申请人撤回申请")
    # Deemed acceptance already recorded by the nightly job (clocks from the lapse date).
    c = s.apply(s.workday(45), "education", "info_disclosure", "区教育局政府信息公开答复")
    # Last year's and this year's concluded cases for the figures.
    # Mostly upheld or dismissed, as the bureaus report (纠错率 around 15–20 %).
    outcomes = ["uphold", "dismiss_claim", "revoke", "uphold", "uphold", "confirm_illegal", "uphold", "dismiss_application", "uphold", "uphold"]
    outcomes += ["change", "uphold", "dismiss_claim", "uphold", "uphold", "order_perform", "uphold", "partial_revoke", "uphold"]
    agencies = ["market", "public_security", "hrss", "housing", "urban_management", "natural_resources"]
    # Received from early last year to about two months ago (time to conclude), so the
    # figures have a last year to compare with whatever the date the demo is loaded on.
    first = (s.today - date(s.today.year - 1, 1, 10)).days
    span = first - 62
    for i, kind in enumerate(outcomes):
        inaction = kind in ("dismiss_claim", "order_perform")
        c = s.apply(
            s.workday(first - span * i // (len(outcomes) - 1)),
            agencies[i % len(agencies)],
            "inaction" if inaction else ["penalty_fine", "licensing", "coercion", "penalty_confiscation"][i % 4],
            "未履行法定职责" if inaction else f"行政决定（第{i + 1}号）",
            amount=None if inaction else 1000 * (i + 2),
        )
        acc = s.accepted(c, c.opened_on)
        if kind != "dismiss_application":
            s.heard(c, s.after(acc, 10))
        if i % 4 == 1:
            s.step(c, "investigate", s.after(acc, 12), investigators="李科员、王科员", place="被申请人执法现场", summary="核实了执法记录。")
        s.step(c, "decide", s.after(acc, 40 if i % 5 else 45), kind=kind, summary="经审理查明的事实及理由（演示）。")
        s.step(c, "serve_decision", s.after(acc, 46))
    settle(s.today)
    # Lapsed after the nightly job ran: the pages show 视为受理 before it is recorded.
    s.apply(s.workday(12), "public_security", "penalty_detention", "区公安分局行政拘留决定", channel="oral")

    # 行政应诉
    courts = ["演示区人民法院", "演示市中级人民法院"]
    for i, (defendant, cause, plan) in enumerate(
        [
            ("market", "行政处罚", "won"),
            ("public_security", "行政处罚", "lost"),
            ("gov", "政府信息公开", "won_entrusted"),
            ("housing", "行政许可", "appealed"),
            ("natural_resources", "行政确认", "judged"),
            ("hrss", "工伤认定", "trial"),
            ("town_nanqiao", "行政强制", "new"),
        ]
    ):
        served = s.workday({"new": 3, "trial": 40, "judged": 70}.get(plan, 380 - i * 40))
        p = ctx.person("plaintiff")
        c = register_suit(
            s.staff,
            owner_org=s.org,
            served_on=served,
            parties=[p],
            defendant_agency=defendant,
            court=courts[0],
            court_case_number=f"（{served.year}）演0101行初{20 + i}号",
            cause=cause,
            contested_act=f"{cause}决定",
            filed_on=served - timedelta(days=3),
            head_notified=i % 2 == 0,
        )
        if plan == "new":
            continue
        s.step(c, "file_defence", s.after(served, 8), summary="提交答辩状及证据。")
        hearing = s.after(served, 25)
        if plan == "trial":
            s.step(c, "schedule_hearing", s.after(served, 12), hearing_date=s.today + timedelta(days=10), place="第三审判庭", head_notified=True)
            continue
        attended = plan != "won_entrusted"
        head = {"head_name": "区政府副区长" if defendant == "gov" else "分管副局长", "head_title": "副职负责人"}
        s.step(
            c,
            "record_hearing",
            hearing,
            held_on=hearing,
            head_attended=attended,
            **(head if attended else {"entrusted_name": "法制科科长", "entrusted_title": "法制科科长", "absence_reason": "duties"}),
        )
        kind = {"lost": "revoke", "won": "dismiss_claim", "won_entrusted": "dismiss_claim", "appealed": "dismiss_claim", "judged": "confirm_illegal"}[plan]
        judged = s.after(hearing, 20)
        s.step(c, "record_judgment", judged, kind=kind, judged_on=judged, served_on=judged)
        if plan == "appealed":
            s.step(
                c,
                "appeal",
                s.after(judged, 10),
                instance="second",
                appellant="plaintiff",
                court=courts[1],
                court_case_number=f"（{judged.year}）演01行终{5 + i}号",
            )
            h2 = s.after(judged, 40)
            s.step(c, "record_hearing", h2, held_on=h2, head_attended=True, head_name="局长", head_title="正职负责人")
            j2 = s.after(h2, 15)
            s.step(c, "record_judgment", j2, kind="dismiss_appeal", judged_on=j2, served_on=j2)
            s.step(c, "close", j2)
        elif plan != "judged":
            s.step(c, "close", s.after(judged, 25))
    return made + Case.all_objects.filter(bureau=bureau, case_type__in=(FY_KEY, YS_KEY)).count() - before
