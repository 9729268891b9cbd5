"""Reads of 安置帮教, always through the kernel's scoping (``visible_q`` /
``access_case``; the line is ``restricted``: only its own roles see it): the
list, the 未衔接 list (the line's standing warning) and the file's facts."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sifa.cases import selectors as case_selectors
from sifa.deadlines.models import Deadline

from . import conf
from .choices import CASE_TYPE, Status, Verification
from .models import Releasee
from .services import release_day, report_due


def cases(user):
    """The cases of this line the user may see."""
    return case_selectors.line_cases(user, CASE_TYPE)


def _lapsed_report(today: date):
    """The person's report (衔接) clock ran out unfulfilled: the day after its last day."""
    return Deadline.objects.filter(case=OuterRef("case"), key="report", completed_on__isnull=True, cancelled=False, due_date__lt=today)


def unlinked(user, today: date | None = None, *, q: str = ""):
    """未衔接: everyone registered 未衔接 (being searched for), and everyone still 待释放
    whose report period lapsed without a hand-over (from the next day on). The files
    shared with the user's office (双列管, 协查) are in it too."""
    today = today or timezone.localdate()
    cond = case_selectors.visible_q(user, "case__", shared=True)
    if cond is None or not case_selectors.uses(user, CASE_TYPE):
        return Releasee.objects.none()
    qs = (
        Releasee.objects.filter(cond, case__is_deleted=False, case__status__in=(Status.PENDING, Status.UNLINKED))
        .annotate(lapsed=Exists(_lapsed_report(today)))
        .filter(Q(case__status=Status.UNLINKED) | Q(lapsed=True) | Q(verification=Verification.NOT_FOUND))
        .select_related("case", "case__owner_org")
    )
    if q.strip():
        qs = qs.filter(case__in=case_selectors.search(user, q.strip()))
    return qs.order_by("unlinked_since", "released_on", "case_id")


def badge_count(user) -> int:
    """The menu's number: for those who act on it (the officers and the section), so a
    leader's every page does not pay for it."""
    if not case_selectors.may_register(user, CASE_TYPE):
        return 0
    return unlinked(user).count()


def alert_count(user) -> int:
    """The desk's and the 指挥中心's number (``Line.alerts``): everyone who sees the line."""
    if not case_selectors.uses(user, CASE_TYPE):
        return 0
    return unlinked(user).count()


def why_unlinked(rec: Releasee, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if rec.case.status == Status.UNLINKED:
        return f"已登记未衔接（{rec.unlinked_since:%Y-%m-%d}起），正在查找" if rec.unlinked_since else "已登记未衔接，正在查找"
    if rec.verification == Verification.NOT_FOUND:
        return "摸排查无此人/下落不明"
    release = release_day(rec)
    if release is None:
        return "未衔接"
    return f"释放后逾期未报到（报到期限{report_due(release):%Y-%m-%d}）"


def file_facts(case, rec: Releasee) -> dict:
    """What the file page shows beyond the record: the report's last day and whether it
    lapsed, the grade's label and contact interval, the rows of the file."""
    today = timezone.localdate()
    release = release_day(rec)
    due = report_due(release) if release else None
    grade = conf.grades().get(rec.grade)
    return {
        "release": release,
        "report_due": due,
        "report_lapsed": case.status == Status.PENDING and due is not None and today > due,
        "handover_days": (rec.handed_over_on - rec.released_on).days if rec.handed_over_on and rec.released_on else None,
        "grade_label": grade[0] if grade else "",
        "grade_colour": grade[1] if grade else "secondary",
        "contact_months": grade[2] if grade else None,
        "factor_labels": conf.factors(),
        "assessments": [
            (a, [conf.factors().get(x, x) for x in a.factors], conf.grades().get(a.grade, (a.grade,))[0]) for a in case.resettlement_assessments.all()
        ],
        "helpers": list(case.resettlement_helpers.all()),
        "contacts": list(case.resettlement_contacts.all()[:10]),
        "assistance": list(case.resettlement_assistance.all()),
        # On the case page read once, for this and the 回复协查 step's condition (``steps.answer_pre``).
        "searches": case_selectors.case_rows(case, "resettlement_searches"),
    }


def decorate(rows: list) -> None:
    """The list's rows: the grade's label (grades are configurable, not a choices field)."""
    grades = conf.grades()
    for c in rows:
        rec = getattr(c, "releasee", None)
        c.grade_label = grades.get(rec.grade, ("",))[0] if rec is not None and rec.grade else ""


# --- the provincial returns (半年报, 年报): deadlines on the office -------------------------------


def return_due(today: date | None = None) -> dict | None:
    """The return whose deadline is nearest ahead (today included) and within the notice
    window: {label, due, kind, year, part}. The period it reports is the last one ended
    before its deadline (半年报 by 2 July: the first half of the year; 年报 by 2 February:
    last year)."""
    today = today or timezone.localdate()
    found = []
    for label, kind, month, day in conf.returns():
        for year in (today.year, today.year + 1):
            due = date(year, month, day)
            if today <= due <= today + timedelta(days=conf.return_notice_days()):
                if kind == "half":
                    period = {"kind": "half", "year": year if month > 6 else year - 1, "part": 1 if month > 6 else 2}
                else:
                    period = {"kind": "year", "year": year - 1, "part": ""}
                found.append({"label": label, "due": due, **period})
    return min(found, key=lambda r: r["due"]) if found else None


def return_alert_count(user) -> int:
    """1 while a return is due soon, for those who compile it (the officers and the section)."""
    if not case_selectors.may_register(user, CASE_TYPE):
        return 0
    return 1 if return_due() else 0
