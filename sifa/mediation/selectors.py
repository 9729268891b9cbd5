"""Reads of people's mediation. Disputes always come from the case registry's
``visible_to`` / ``access_case``; the roster of committees and mediators is
bounded by the same scope root (an office sees its own committees, the bureau
all, a mediator their own committee)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sifa.cases import selectors as case_selectors
from sifa.cases.models import Case
from sifa.orgs.choices import OrgKind
from sifa.orgs.models import Org

from .choices import (
    CASE_TYPE,
    COMMITTEE,
    CONFIRMATION_PENDING,
    MEDIATION_ORG_KINDS,
    MEDIATOR,
    MEMBER_POSITIONS,
    STUDIO,
    STUDIO_TYPES,
    Gender,
    Position,
    RiskStatus,
)
from .models import Committee, Mediator, Membership, Session

# --- who may do what ---------------------------------------------------------------------------------


def may_manage_roster(user) -> bool:
    """Office and section staff keep the roster; mediators and leaders read it."""
    return case_selectors.may_register(user, CASE_TYPE) and user.role != MEDIATOR


def scope_root(user) -> Org | None:
    return case_selectors.scope_root(user) if case_selectors.uses(user, CASE_TYPE) else None


# --- disputes -------------------------------------------------------------------------------------------


def disputes(user) -> QuerySet[Case]:
    return case_selectors.line_cases(user, CASE_TYPE)


def mine(user) -> QuerySet[Case]:
    """My open disputes (I handle them or am assigned)."""
    return case_selectors.mine(user).filter(case_type=CASE_TYPE, closed_on__isnull=True)


def next_sessions(user, today: date | None = None) -> QuerySet[Session]:
    today = today or timezone.localdate()
    return Session.objects.filter(held=False, on__gte=today, dispute__case__in=mine(user)).select_related("dispute__case").order_by("on", "at_time", "id")


def due_followups(user):
    """Open follow-up deadlines on my disputes, soonest first, with their lights."""
    from sifa.deadlines.models import Deadline
    from sifa.deadlines.selectors import lit

    qs = Deadline.objects.filter(key="followup", completed_on__isnull=True, cancelled=False, case__in=mine(user)).select_related("case")
    return lit(qs.order_by("due_date"))


def risk_list(user, *, include_resolved: bool = False) -> QuerySet[Case]:
    """Open disputes with a risk flag (防止民转刑), bureau-wide within the user's scope."""
    qs = disputes(user).filter(closed_on__isnull=True, dispute__risk_flag=True)
    if not include_resolved:
        qs = qs.filter(dispute__risk_status__in=[RiskStatus.ACTIVE, RiskStatus.REPORTED])
    return qs.select_related("owner_org", "handler", "dispute").order_by("-dispute__risk_flagged_on", "-id")


def detail(case, d=None) -> dict:
    """What the case page's 基本信息 tab shows for a dispute."""
    from sifa.cases.selectors import case_rows
    from sifa.common import dictionaries
    from sifa.deadlines import calendar

    from .choices import DISPUTE_TYPE_SET

    d = d or case.record
    sessions = case_rows(case, "sessions", of=d)  # on the case page, read once with the documents
    c = getattr(d, "confirmation", None)
    # The court's own periods (SPC 2011 §4–5) are shown for information only.
    pending = c is not None and c.status in CONFIRMATION_PENDING
    return {
        "dispute": d,
        "dispute_type_label": dictionaries.label(DISPUTE_TYPE_SET, d.dispute_type),
        "mediators": list(d.mediator_links.select_related("mediator")),
        "sessions": [s for s in sessions if s.held],
        "planned": [s for s in sessions if not s.held],
        "visits": list(d.visits.all()),
        "reports": list(d.risk_reports.all()),
        "confirmation": c,
        "court_accept_due": calendar.compute_due(c.applied_on, 3, "day").due if pending else None,
        "court_decide_due": calendar.compute_due(c.accepted_on, 15, "day").due if pending and c.accepted_on else None,
        "court_decide_due_extended": calendar.compute_due(c.accepted_on, 25, "day").due if pending and c.accepted_on else None,
    }


# --- the roster ------------------------------------------------------------------------------------------


def committee_orgs(user) -> QuerySet[Org]:
    root = scope_root(user)
    if root is None:
        return Org.objects.none()
    return Org.objects.filter(path__startswith=root.path, kind__in=MEDIATION_ORG_KINDS)


def committee_org(user, pk) -> Org:
    org = committee_orgs(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if org is None:
        raise Http404("未找到该调解组织。")
    return org


def parent_choices(user) -> QuerySet[Org]:
    """Where a committee or studio may be set up: offices (and the bureau) in scope;
    studios may also sit under a committee."""
    root = scope_root(user)
    if root is None:
        return Org.objects.none()
    kinds = [OrgKind.BUREAU, OrgKind.OFFICE, COMMITTEE]
    return Org.objects.filter(path__startswith=root.path, kind__in=kinds, is_active=True).order_by("path")


def mediators(user) -> QuerySet[Mediator]:
    root = scope_root(user)
    if root is None:
        return Mediator.objects.none()
    return Mediator.objects.filter(org__path__startswith=root.path).select_related("org", "user")


def mediator(user, pk) -> Mediator:
    m = mediators(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if m is None:
        raise Http404("未找到该调解员。")
    return m


def members(org: Org) -> QuerySet[Membership]:
    return Membership.objects.filter(committee=org, active=True, mediator__is_active=True).select_related("mediator").order_by("position", "mediator__name")


def warnings_for(org: Org, profile: Committee | None, *, n_members: int, n_directors: int, n_women: int, today: date | None = None) -> list[str]:
    """Registry-quality warnings from the statute (人民调解法第八、九条). They do
    not block editing: members are entered one at a time."""
    today = today or timezone.localdate()
    out = []
    if profile is None:
        out.append("尚未建立调解组织档案（类型、成立日期、任期）。")
    is_studio = org.kind == STUDIO or (profile is not None and profile.committee_type in STUDIO_TYPES)
    if is_studio:
        return out
    if n_members < 3:
        out.append(f"委员不足3人（现有{n_members}人），人民调解委员会由委员三至九人组成。")
    elif n_members > 9:
        out.append(f"委员超过9人（现有{n_members}人），人民调解委员会由委员三至九人组成。")
    if n_directors == 0:
        out.append("未设主任。")
    elif n_directors > 1:
        out.append(f"主任有{n_directors}人，应设主任一人。")
    if n_members and n_women == 0:
        out.append("委员中没有妇女成员（人民调解法第九条：应当有妇女成员）。")
    if profile is not None and profile.term_start:
        from sifa.deadlines.calendar import add_months

        ends = add_months(profile.term_start, 12 * profile.term_years)
        if ends < today:
            out.append(f"本届任期已于{ends:%Y-%m-%d}届满，应当换届（每届任期三年）。")
    return out


def committee_rows(orgs) -> list[dict]:
    """The roster list: each committee with its counts and statute warnings (three queries)."""
    orgs = list(orgs)
    ids = [o.pk for o in orgs]
    profiles = {c.org_id: c for c in Committee.objects.filter(org_id__in=ids)}
    active = Membership.objects.filter(committee_id__in=ids, active=True, mediator__is_active=True)
    counts = {
        r["committee_id"]: r
        for r in active.values("committee_id").annotate(
            members=Count("pk", filter=Q(position__in=MEMBER_POSITIONS)),
            directors=Count("pk", filter=Q(position=Position.DIRECTOR)),
            women=Count("pk", filter=Q(position__in=MEMBER_POSITIONS, mediator__gender=Gender.FEMALE)),
            total=Count("pk"),
        )
    }
    offices = {o.pk: o for o in Org.objects.filter(kind=OrgKind.OFFICE)}
    rows = []
    for org in orgs:
        c = counts.get(org.pk, {})
        profile = profiles.get(org.pk)
        office = next((offices[i] for i in reversed(org.ancestor_ids) if i in offices), None)
        rows.append(
            {
                "org": org,
                "profile": profile,
                "office": office,
                "members": c.get("members", 0),
                "mediators": c.get("total", 0),
                "warnings": warnings_for(org, profile, n_members=c.get("members", 0), n_directors=c.get("directors", 0), n_women=c.get("women", 0)),
            }
        )
    return rows


def open_dispute_counts(user, orgs) -> dict[int, int]:
    """Open disputes per committee, counting only those the user may see."""
    rows = disputes(user).filter(owner_org__in=orgs, closed_on__isnull=True).order_by().values("owner_org").annotate(n=Count("pk"))
    return {r["owner_org"]: r["n"] for r in rows}
