"""Reads of the line. Case lists start from ``cases.selectors.visible_to``.

The legal consequences of elapsed time (视为受理 §30, 视为放弃申请 §31, 应当终止
§41(5)) are the clocks' ``Lapse`` (``workflow/rules.py``): the kernel's
``cases.settle.stage`` shows them on the case page, the list, the API and the
portal even before the nightly ``manage.py settle`` has recorded them.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from sifa.cases import settle
from sifa.cases.selectors import case_rows
from sifa.common import dictionaries
from sifa.deadlines import calendar
from sifa.deadlines.models import Deadline
from sifa.deadlines.selectors import clock

from .choices import FY_CATEGORY, RESPONDENT_AGENCY, ActivityKind, FyStatus, HearingStatus, Outcome, Procedure
from .models import Activity, Application, NormReview, Opinion, Suspension

APPLICATION_PERIOD_DAYS = 60  # §20


def deadline(case, key: str) -> Deadline | None:
    return clock(case, key)


def open_suspension(case) -> Suspension | None:
    return Suspension.objects.filter(case=case, ended_on__isnull=True).order_by("-started_on", "-id").first()


def scheduled_hearing(case) -> Activity | None:
    return Activity.objects.filter(case=case, kind=ActivityKind.HEARING, status=HearingStatus.SCHEDULED).order_by("-on", "-id").first()


def open_opinion(case) -> Opinion | None:
    return Opinion.objects.filter(case=case, feedback_on__isnull=True).order_by("-issued_on", "-id").first()


def open_norm_review(case) -> NormReview | None:
    return NormReview.objects.filter(case=case, result="").order_by("-started_on", "-id").first()


def opinions_heard(case) -> bool:
    """§49: an ordinary-procedure case hears the parties (or records why it cannot)."""
    heard = Activity.objects.filter(case=case, kind=ActivityKind.HEAR).exists()
    held = Activity.objects.filter(case=case, kind=ActivityKind.HEARING, status=HearingStatus.HELD).exists()
    return heard or held


def application_period(app: Application) -> dict | None:
    """§20: 60 days from knowing the act. Shown to the reviewer; the decision on
    whether a late application has a 正当理由 is theirs."""
    if not app.known_on:
        return None
    res = calendar.compute_due(app.known_on, APPLICATION_PERIOD_DAYS, "day")
    return {"due": res.due, "late": app.case.opened_on > res.due, "rule": res.rule}


def agency_label(code: str) -> str:
    return dictionaries.label(RESPONDENT_AGENCY, code) if code else ""


def category_label(code: str) -> str:
    return dictionaries.label(FY_CATEGORY, code) if code else ""


def detail(case, app) -> dict:
    """What the case page's 基本信息 tab shows for a reconsideration case."""
    from .choices import FY_REFUSAL_REASON

    return {
        "app": app,
        "stage": settle.stage(case),
        "respondent": agency_label(app.respondent_agency),
        "category": category_label(app.category),
        "refusal_reason": dictionaries.label(FY_REFUSAL_REASON, app.refusal_reason) if app.refusal_reason else "",
        "period": application_period(app),
        # In their models' order (on / started_on / issued_on, id); on the case page read
        # once with the documents' availability (``cases.selectors.case_rows``).
        "activities": case_rows(case, "fy_activities"),
        "suspensions": case_rows(case, "fy_suspensions"),
        "opinions": [(o, agency_label(o.addressee)) for o in case_rows(case, "fy_opinions")],
        "norm_reviews": case_rows(case, "fy_norm_reviews"),
    }


def suit_detail(case, s) -> dict:
    return {
        "suit": s,
        "defendant": agency_label(s.defendant_agency),
        "hearings": case_rows(case, "ys_hearings"),
        "judgments": case_rows(case, "ys_judgments"),
    }


def latest_judgment(case):
    return case.ys_judgments.order_by("-judged_on", "-id").first()


# --- the public portal's view of a case (no names, numbers, addresses or staff) ----------------

PUBLIC_STAGE = {
    FyStatus.RECEIVED: "已收到申请，正在审查是否受理",
    FyStatus.CORRECTING: "申请材料需要补正，请按补正通知书的要求在期限内提交",
    FyStatus.REVIEWING: "已受理，正在审理",
    FyStatus.SUSPENDED: "行政复议中止（中止期间不计入审理期限）",
    FyStatus.CLOSED: "已结案",
    FyStatus.NOT_ACCEPTED: "不予受理（请查收不予受理决定书）",
    FyStatus.ABANDONED: "逾期未补正，视为放弃行政复议申请",
}


def _public_next(case, st: settle.Stage, today: date) -> tuple[str, date | None]:
    """The applicant's next date: the decision deadline once accepted (also when
    deemed accepted but not yet recorded), before that the review or correction period."""
    lapsed = settle.lapsed(case, "review", today) if case.status == FyStatus.RECEIVED else None
    if lapsed:
        return "作出行政复议决定", calendar.compute_due(lapsed, 60, "day").due
    if st.key == "deemed_abandoned":
        return "", None
    for key in ("decision", "correction", "review"):
        dl = deadline(case, key)
        if dl is not None and dl.is_open and not dl.paused_since:
            return dl.label, dl.due_date
    return "", None


def public_progress(case):
    """The applicant's view for the portal (registered as the portal's progress hook)."""
    from sifa.kit.portal import PublicProgress

    app = case.record
    today = timezone.localdate()
    st = settle.stage(case, today)
    words = st.public or PUBLIC_STAGE.get(case.status, st.label)
    if not st.public and case.status == FyStatus.REVIEWING and app and app.procedure:
        words = f"已受理，正在审理（{Procedure(app.procedure).label}）"
    result = ""
    if case.status == FyStatus.CLOSED and case.outcome:
        result = Outcome(case.outcome).label if case.outcome in Outcome.values else case.outcome
        words = f"已结案：{result}"
    # The applicant's next date: the decision deadline once accepted, before that the review or correction period.
    next_label, next_due = _public_next(case, st, today)
    milestones = [(case.opened_on, "收到行政复议申请")]
    if app:
        if app.correction_notified_on:
            milestones.append((app.correction_notified_on, "发出补正通知"))
        if app.correction_received_on:
            milestones.append((app.correction_received_on, "收到补正材料"))
        if app.accepted_on:
            milestones.append((app.accepted_on, "视为受理" if app.deemed_accepted else "受理"))
        if app.extension_days:
            milestones.append((app.extension_approved_on, f"经批准延长审理期限{app.extension_days}日"))
        for s in Suspension.objects.filter(case=case).order_by("started_on", "id"):
            milestones.append((s.started_on, "中止审理"))
            if s.ended_on:
                milestones.append((s.ended_on, "恢复审理"))
    if case.closed_on:
        milestones.append((case.closed_on, {FyStatus.NOT_ACCEPTED: "决定不予受理", FyStatus.ABANDONED: "视为放弃申请"}.get(case.status, "结案")))
    milestones.sort(key=lambda m: m[0])
    return PublicProgress(
        stage=words,
        received_on=case.opened_on,
        next_deadline_label=next_label,
        next_deadline_due=next_due,
        decided_on=case.closed_on,
        result=result,
        milestones=tuple(milestones),
    )
