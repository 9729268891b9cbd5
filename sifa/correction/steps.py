"""What each step of ``workflow.py`` requires and writes: ``*_pre(case, rec, on)``
decides from the case alone whether the step is offered; ``*_check(case, rec, v)``
needs the step's input; ``*_write(case, rec, v, actor)`` writes and returns what
the timeline shows. They run inside the engine's one transaction: a refusal
changes nothing."""

from __future__ import annotations

from datetime import timedelta

from . import conf
from .choices import REVOCATION, REVOCATIONS, ActivityKind, Category, Grade, Reward, Sanction, TerminationKind
from .models import Activity, Discipline, LostContact, MonthlyAssessment, TeamMember
from .services import fulfil_duties, note_contact, report_late_days

# --- 报到, 宣告 ------------------------------------------------------------------------------------


def report_check(case, rec, v):
    if v["way"] == "transfer" and rec.category != Category.MEDICAL:
        return "移送接收只适用于暂予监外执行；管制、缓刑、假释的对象应本人报到。"
    if v["on"] < rec.effective_on:
        return "报到日期不能早于判决/裁定/决定生效日期。"
    return None


def report_write(case, rec, v, actor):
    late = report_late_days(rec.effective_on, v["on"])
    rec.put(reported_on=v["on"], report_way=v["way"], identity_checked=True, report_late_days=late)
    note_contact(rec, v["on"])
    way = "移送接收" if v["way"] == "transfer" else "本人报到"
    return {"label": f"{way}，登记接收并建档" + (f"（逾期{late}日）" if late > 0 else ""), "event_data": {"late_days": late, "note": v.get("note", "")}}


def declare_write(case, rec, v, actor):
    grade = conf.get("INITIAL_GRADE")
    rec.put(declared_on=v["on"], grade=grade, grade_since=v["on"])
    note_contact(rec, v["on"])
    return {"label": f"入矫宣告（{v['place']}），列为{Grade(grade).label}", "event_data": {"place": v["place"], "attendees": v["attendees"]}}


# --- 矫正小组, 矫正方案, 等级 -------------------------------------------------------------------------


def team_check(case, rec, v):
    if rec.gender == "F" and not any(m["gender"] == "F" for m in v["members"]):
        return "矫正小组成员：社区矫正对象为女性的，矫正小组中应有女性成员（《社区矫正法》第二十五条）。"
    return None


def team_write(case, rec, v, actor):
    TeamMember.objects.filter(case=case).delete()
    TeamMember.objects.bulk_create([TeamMember(case=case, sort_order=n, **m) for n, m in enumerate(v["members"])])
    return {"label": f"矫正小组：{'、'.join(m['name'] for m in v['members'])}"}


def plan_pre(case, rec, on):
    if not TeamMember.objects.filter(case=case).exists():
        return "请先组建矫正小组，再制定矫正方案。"
    return None


def plan_write(case, rec, v, actor):
    first = rec.plan_on is None
    rec.put(
        plan_on=v["on"],
        plan_supervision=v["supervision"],
        plan_education=v["education"],
        plan_assistance=v.get("assistance", ""),
        plan_other=v.get("other", ""),
    )
    return {"label": "制定矫正方案" if first else "调整矫正方案"}


def grade_check(case, rec, v):
    if v["grade"] == rec.grade:
        return f"管理等级：该对象已是{Grade(v['grade']).label}。"
    return None


def grade_write(case, rec, v, actor):
    before = Grade(rec.grade).label if rec.grade else "未定级"
    rec.put(grade=v["grade"], grade_since=v["on"])
    return {"label": f"管理等级由{before}调整为{Grade(v['grade']).label}", "event_data": {"basis": v["basis"]}}


# --- 日常监管 -------------------------------------------------------------------------------------------


def activity_check(case, rec, v):
    if rec.declared_on and v["on"] < rec.declared_on:
        return "日期不能早于入矫宣告日期。"
    return None


def activity_write(case, rec, v, actor):
    kind = v["kind"]
    Activity.objects.create(case=case, kind=kind, way=v.get("way") or "", on=v["on"], hours=v.get("hours") or 0, note=v["note"], officer=actor)
    if kind in ("report", "talk", "visit", "check"):
        note_contact(rec, v["on"])
    done = fulfil_duties(case, rec, kind, v["on"])
    label = ActivityKind(kind).label
    if v.get("way"):
        label += f"（{dict(Activity._meta.get_field('way').choices)[v['way']]}）"
    if v.get("hours"):
        label += f" {v['hours']}小时"
    return {"label": label + ("；完成：" + "、".join(done) if done else ""), "event_data": {"note": v["note"][:200]}}


# --- 考核奖惩 ------------------------------------------------------------------------------------------


def month_check(case, rec, v):
    if MonthlyAssessment.objects.filter(case=case, month=v["month"]).exists():
        return f"考核月份：{v['month']:%Y年%m月}已考核。"
    if rec.declared_on and v["month"] < rec.declared_on.replace(day=1):
        return "考核月份不能早于入矫宣告的月份。"
    return None


def month_write(case, rec, v, actor):
    MonthlyAssessment.objects.create(case=case, month=v["month"], result=v["result"], note=v.get("note", ""), officer=actor)
    label = dict(MonthlyAssessment._meta.get_field("result").choices)[v["result"]]
    return {"label": f"{v['month']:%Y年%m月}考核：{label}"}


def reward_write(case, rec, v, actor):
    Discipline.objects.create(case=case, kind=v["kind"], on=v["on"], reason=v["facts"], doc_no=v.get("doc_no", ""), officer=actor)
    return {"label": Reward(v["kind"]).label, "event_data": {"kind": v["kind"]}}


def sanction_check(case, rec, v):
    kind = v["kind"]
    if kind in REVOCATIONS and REVOCATION.get(rec.category) != kind:
        fits = REVOCATION.get(rec.category)
        return f"惩处/提请：{Category(rec.category).label}的对象" + (f"应{Sanction(fits).label}。" if fits else "不适用撤销缓刑、假释或收监执行。")
    return None


def sanction_write(case, rec, v, actor):
    Discipline.objects.create(
        case=case, kind=v["kind"], on=v["on"], reason=v["facts"], doc_no=v.get("doc_no", ""), proposed=bool(v.get("proposed")), officer=actor
    )
    return {"label": Sanction(v["kind"]).label, "event_data": {"kind": v["kind"]}}


def correct_pre(case, rec, on):
    if not Discipline.objects.filter(case=case, kind__in=(Sanction.ADMONISH, Sanction.WARN), corrected_on__isnull=True).exists():
        return "没有尚未认定改正的训诫或警告。"
    return None


def correct_check(case, rec, v):
    row = Discipline.objects.filter(case=case, pk=v["discipline"], corrected_on__isnull=True).first()
    if row is None:
        return "认定已改正的惩处：请选择本对象尚未认定改正的训诫或警告。"
    if v["on"] < row.on:
        return "认定日期不能早于惩处日期。"
    return None


def correct_write(case, rec, v, actor):
    row = Discipline.objects.get(case=case, pk=v["discipline"])
    row.corrected_on, row.corrected_by, row.corrected_note = v["on"], actor, v["note"]
    row.save(update_fields=["corrected_on", "corrected_by", "corrected_note"])
    return {"label": f"认定{row}已改正", "event_data": {"discipline": row.pk}}


# --- 脱管 ----------------------------------------------------------------------------------------------


def lost_write(case, rec, v, actor):
    LostContact.objects.create(case=case, lost_on=v["on"], circumstances=v["circumstances"], notified=v.get("notified", ""))
    rec.put(lost_since=v["on"])
    return {"label": "登记脱管，立即组织查找", "event_data": {"notified": v.get("notified", "")}}


def found_write(case, rec, v, actor):
    episode = LostContact.objects.filter(case=case, found_on__isnull=True).order_by("-lost_on").first()
    days = (v["on"] - rec.lost_since).days if rec.lost_since else 0
    if episode is not None:
        episode.found_on, episode.search = v["on"], v["search"]
        episode.save(update_fields=["found_on", "search"])
    rec.put(lost_since=None)
    note_contact(rec, v["on"])
    return {"label": f"查找到案（脱管{days}日）", "event_data": {"days": days}}


# --- 解除, 终止 -------------------------------------------------------------------------------------------


def summary_pre(case, rec, on):
    opens = rec.term_end - timedelta(days=int(conf.get("RELEASE_NOTICE_DAYS")))
    if on < opens:
        return f"期满鉴定在矫正期满前{conf.get('RELEASE_NOTICE_DAYS')}日内进行（{opens:%Y-%m-%d}起，期满日{rec.term_end:%Y-%m-%d}）。"
    return None


def summary_write(case, rec, v, actor):
    rec.put(summary_on=v["on"], personal_summary=v["personal_summary"], appraisal=v["appraisal"], resettlement_advice=v.get("resettlement_advice", ""))
    return {"label": "个人总结、司法所书面鉴定" + ("及安置帮教建议" if v.get("resettlement_advice") else "")}


def release_check(case, rec, v):
    if v["kind"] == "expiry":
        if v["on"] < rec.term_end:
            return f"矫正期满日为{rec.term_end:%Y-%m-%d}，期满前不能以期满解除。"
        if rec.summary_on is None:
            return "期满解除前，请先完成期满鉴定（个人总结和司法所书面鉴定）。"
    return None


def release_write(case, rec, v, actor):
    rec.put(ended_on=v["on"], release_kind=v["kind"], end_doc_no=v.get("doc_no", ""), notified_organs="决定机关、人民检察院、公安机关")
    kind = dict(rec._meta.get_field("release_kind").choices)[v["kind"]]
    return {"label": f"解矫宣告，{kind}解除社区矫正，已通知决定机关、检察院、公安机关", "outcome": "released"}


_TERMINATE_FITS = {
    TerminationKind.REVOKE_PROBATION: Category.PROBATION,
    TerminationKind.REVOKE_PAROLE: Category.PAROLE,
    TerminationKind.IMPRISON: Category.MEDICAL,
}


def terminate_check(case, rec, v):
    fits = _TERMINATE_FITS.get(v["kind"])
    if fits and rec.category != fits:
        return f"终止类型：{TerminationKind(v['kind']).label}只适用于{Category(fits).label}的对象。"
    return None


def terminate_write(case, rec, v, actor):
    rec.put(ended_on=v["on"], termination_kind=v["kind"], end_doc_no=v.get("doc_no", ""), reoffended=bool(v.get("reoffended")), lost_since=None)
    return {"label": f"终止矫正：{TerminationKind(v['kind']).label}" + ("（重新犯罪）" if v.get("reoffended") else ""), "outcome": "terminated"}


# --- 调查评估 ----------------------------------------------------------------------------------------------


def investigate_write(case, rec, v, actor):
    return {"label": f"调查情况：{v['note'][:60]}", "event_data": {"note": v["note"]}}


def issue_write(case, rec, v, actor):
    rec.put(opinion=v["opinion"], opinion_text=v["opinion_text"], issued_on=v["on"])
    label = dict(rec._meta.get_field("opinion").choices)[v["opinion"]]
    return {"label": f"出具调查评估意见书：{label}", "outcome": "issued"}
