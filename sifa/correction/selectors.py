"""Reads of 社区矫正, always through the kernel's scoping (``visible_q`` /
``access_case``; the line is ``restricted``: only its own roles see it):
the lists, the lost-contact warnings (脱管预警) and the ladder's proposals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sifa.cases import selectors as case_selectors
from sifa.deadlines.models import Deadline

from . import conf
from .choices import ASSESSMENT, CASE_TYPE, REVOCATION, Grade, Sanction, Status
from .models import Discipline, Subject


def cases(user):
    return case_selectors.line_cases(user, CASE_TYPE)


def inquiries(user):
    return case_selectors.line_cases(user, ASSESSMENT)


def _late_leave(today: date):
    """An approved 外出 whose return report (销假) is overdue."""
    return Deadline.objects.filter(
        case=OuterRef("case"), procedure__key="leave", key__endswith=":return", completed_on__isnull=True, cancelled=False, due_date__lt=today
    )


def warnings(user, today: date | None = None, *, within=None):
    """脱管预警: everyone in supervision not reached (report, talk, visit, check) within
    their grade's interval, back late from an approved 外出, or marked 脱管. One query
    over the subjects in the user's scope, on the indexed ``last_contact_on``."""
    today = today or timezone.localdate()
    cond = case_selectors.visible_q(user, "case__", within=within)
    if cond is None:
        return Subject.objects.none()
    stale = Q()
    for grade in Grade.values:
        limit = today - timedelta(days=conf.contact_days(grade))
        stale |= Q(grade=grade, last_contact_on__lt=limit)
    stale |= Q(last_contact_on__isnull=True, declared_on__lt=today - timedelta(days=conf.contact_days(Grade.STRICT)))
    return (
        Subject.objects.filter(cond, case__is_deleted=False, case__status__in=(Status.SUPERVISING, Status.LOST))
        .annotate(late_leave=Exists(_late_leave(today)))
        .filter(stale | Q(case__status=Status.LOST) | Q(late_leave=True))
        .select_related("case", "case__owner_org")
        .order_by("last_contact_on", "case_id")
    )


def warning_count(user) -> int:
    """The menu's number: for those who act on it (the officers and the section), so a
    leader's every page does not pay for it."""
    if not case_selectors.may_register(user, CASE_TYPE):
        return 0
    return warnings(user).count()


def alert_count(user) -> int:
    """The desk's and the 指挥中心's number (``Line.alerts``): everyone who sees the line."""
    if not case_selectors.uses(user, CASE_TYPE):
        return 0
    return warnings(user).count()


def why_warned(rec: Subject, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if rec.case.status == Status.LOST:
        return f"已脱管（{rec.lost_since:%Y-%m-%d}起）" if rec.lost_since else "已脱管"
    if getattr(rec, "late_leave", False):
        return "外出逾期未销假"
    if rec.last_contact_on is None:
        return "宣告后尚无报告或联系记录"
    return f"{(today - rec.last_contact_on).days}日未报告或联系（{Grade(rec.grade).label if rec.grade else '未定级'}不超过{conf.contact_days(rec.grade)}日）"


# --- the ladder's proposals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    kind: str  # a Sanction value, or "grade:<grade>"
    label: str
    why: str


def proposals(case, rec: Subject, today: date | None = None) -> list[Proposal]:
    """What the record meets of the ladder's thresholds (DOMAIN §4.2, ``conf.LADDER``), for
    a person to decide. A threshold already acted on (the next rung taken after the facts)
    proposes nothing. "Corrected" is only what someone recorded as corrected."""
    if case.status not in (Status.SUPERVISING, Status.LOST):
        return []
    today = today or timezone.localdate()
    rows = list(Discipline.objects.filter(case=case).order_by("on", "id"))
    out: list[Proposal] = []
    revoke = REVOCATION.get(rec.category, Sanction.PENALTY)

    def taken_since(kinds, since: date | None) -> bool:
        return any(r.kind in kinds and (since is None or r.on >= since) for r in rows)

    # Two 训诫 still uncorrected → a 警告 case.
    admon = [r for r in rows if r.kind == Sanction.ADMONISH and r.corrected_on is None]
    need = conf.ladder("admonish_to_warn")
    if len(admon) >= need and not taken_since((Sanction.WARN, *REVOCATION.values(), Sanction.PENALTY), admon[need - 1].on):
        out.append(Proposal(Sanction.WARN, Sanction.WARN.label, f"受到训诫{len(admon)}次仍未改正（达到{need}次）"))
    # Two 警告 still uncorrected → a revocation (or, for 管制, a 治安管理处罚) case.
    warns = [r for r in rows if r.kind == Sanction.WARN and r.corrected_on is None]
    need = conf.ladder("warn_to_revoke")
    if len(warns) >= need and not taken_since((revoke,), warns[need - 1].on):
        out.append(Proposal(revoke, Sanction(revoke).label, f"受到警告{len(warns)}次仍未改正（达到{need}次）"))
    # Lost contact (or a late report): ≤ 10 days 训诫, > 10 days 警告, > 1 month revocation.
    lost_days, since = 0, None
    if rec.lost_since:
        lost_days, since = (today - rec.lost_since).days, rec.lost_since
    elif rec.report_late_days:
        lost_days, since = rec.report_late_days, rec.reported_on
    if lost_days:
        what = "脱离监管" if rec.lost_since else "报到迟延"
        if lost_days > conf.ladder("lost_revoke_days") and not taken_since((revoke,), since):
            out.append(Proposal(revoke, Sanction(revoke).label, f"{what}{lost_days}日（超过{conf.ladder('lost_revoke_days')}日）"))
        elif lost_days > conf.ladder("lost_warn_days") and not taken_since((Sanction.WARN, revoke), since):
            out.append(Proposal(Sanction.WARN, Sanction.WARN.label, f"{what}{lost_days}日（超过{conf.ladder('lost_warn_days')}日）"))
        elif lost_days <= conf.ladder("lost_warn_days") and not rec.lost_since and not taken_since((Sanction.ADMONISH, Sanction.WARN, revoke), since):
            out.append(Proposal(Sanction.ADMONISH, Sanction.ADMONISH.label, f"{what}{lost_days}日（不超过{conf.ladder('lost_warn_days')}日）"))
    out += _grade_proposals(rec, rows, today)
    return out


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)


def _grade_proposals(rec: Subject, rows: list, today: date) -> list[Proposal]:
    """分类管理 (DOMAIN §4.3; ``conf.GRADE_RULES``): sanctions put a person under 严管; the
    first months are 严管, then 普管 without sanctions; long 普管 without sanctions, or
    repeated 表扬, makes 宽管 possible. Proposals only: the officer decides (调整管理等级)."""
    if not rec.grade or rec.case.status != Status.SUPERVISING:
        return []
    rules = conf.get("GRADE_RULES")
    since = rec.grade_since or rec.declared_on or today
    recent = [r for r in rows if r.on >= since]
    sanctioned = sum(r.kind == Sanction.ADMONISH for r in recent) >= int(rules["strict_admonishments"]) or any(
        r.kind in (Sanction.WARN, Sanction.PENALTY) for r in recent
    )
    if rec.grade != Grade.STRICT:
        if sanctioned:
            return [Proposal("grade:strict", "调整为严管", "等级调整后受到训诫2次以上、警告或治安管理处罚")]
        if rec.grade == Grade.NORMAL:
            months = _months_between(since, today)
            commended = sum(r.kind == "commend" for r in rows)
            if months >= int(rules["lenient_after_months"]) or commended >= int(rules["lenient_commendations"]):
                why = f"连续普管{months}个月无惩处" if months >= int(rules["lenient_after_months"]) else f"受到表扬{commended}次"
                return [Proposal("grade:lenient", "调整为宽管", why)]
        return []
    months = _months_between(rec.declared_on or since, today)
    if not sanctioned and not any(r.kind in Sanction.values for r in recent) and months >= int(rules["strict_first_months"]):
        return [Proposal("grade:normal", "调整为普管", f"入矫已满{months}个月，严管期间无惩处")]
    return []


def file_facts(case, rec: Subject) -> dict:
    """What the file page shows beyond the record: the ladder's proposals and whether the
    decision organ kept §20 (notice within 5 days, documents within 10 days of effect)."""
    notice = (rec.notified_on - rec.effective_on).days if rec.notified_on else None
    documents = (rec.documents_on - rec.effective_on).days if rec.documents_on else None
    return {
        "proposals": proposals(case, rec),
        "notice_days": notice,
        "notice_late": notice is not None and notice > 5,
        "documents_days": documents,
        "documents_late": documents is not None and documents > 10,
    }
