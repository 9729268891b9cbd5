"""Reads of the hand-filled indicators: who may manage, fill and review which
(another bureau's indicator and another office's filing answer like missing
ones), and the figures the dashboard and the work report print (``figures``,
``for_kpi``): sums of locked filings only, aggregated in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.http import Http404

from sifa.accounts.roles import HANDLE, MANAGE_STATS, has_cap
from sifa.kit import registry
from sifa.kit.kpis import THEMES
from sifa.orgs.choices import OrgKind
from sifa.orgs.models import Org
from sifa.orgs.selectors import bureau_of
from sifa.stats.periods import Period

from . import spans
from .choices import Level, Status
from .models import Filing, Indicator, Round

# Where filings are kept: a judicial office or a bureau (not a committee or a centre).
FILLER_KINDS = frozenset({OrgKind.OFFICE, OrgKind.BUREAU, OrgKind.CITY_BUREAU})


# --- who may do what -----------------------------------------------------------------------------------


def may_manage(user) -> bool:
    return has_cap(user, MANAGE_STATS) and getattr(user, "org_id", None) is not None


def managed_bureau(user) -> Org | None:
    """The bureau whose indicators the statistics administrator manages (their own)."""
    return bureau_of(user.org) if may_manage(user) else None


def may_fill(user) -> bool:
    """Staff who handle matters at an office or a bureau fill that organisation's figures
    (a mediator at a committee or a centre's staff have none)."""
    return has_cap(user, HANDLE) and getattr(user, "org_id", None) is not None and user.org.kind in FILLER_KINDS


def _refuse_access(user, model, pk) -> None:
    """An object outside the user's scope answers 404 like a missing one; when it
    exists elsewhere the attempt is audited."""
    try:
        exists = model.objects.filter(pk=pk).exists()
    except (ValueError, TypeError):
        exists = False
    if exists:
        from sifa.audit.services import refused

        refused("filings.access", actor=user, object_type=model._meta.label_lower, object_id=str(pk), reason="不在访问范围内")
    raise Http404("未找到该填报记录。")


# --- indicators and rounds (the statistics administrator) ----------------------------------------------


def managed_indicators(user) -> QuerySet[Indicator]:
    bureau = managed_bureau(user)
    return Indicator.objects.none() if bureau is None else Indicator.objects.filter(bureau=bureau)


def access_indicator(user, pk, *, for_update: bool = False) -> Indicator:
    qs = managed_indicators(user).select_related("bureau")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=pk)
    except (Indicator.DoesNotExist, ValueError, TypeError):
        _refuse_access(user, Indicator, pk)


def indicator_rows(user) -> list[Indicator]:
    """The bureau's indicators with their rounds and filings awaiting review counted."""
    return list(
        managed_indicators(user)
        .annotate(
            round_count=Count("rounds", distinct=True),
            waiting=Count("rounds__filings", filter=Q(rounds__filings__status=Status.SUBMITTED)),
        )
        .order_by("-is_active", "id")
    )


def target_orgs(indicator: Indicator) -> QuerySet[Org]:
    """The organisations that fill ``indicator``: its bureau itself (a city bureau's
    indicator: every district bureau under it), or every judicial office under it."""
    bureau = indicator.bureau
    qs = Org.objects.filter(path__startswith=bureau.path, is_active=True)
    if indicator.level == Level.OFFICE:
        return qs.filter(kind=OrgKind.OFFICE)
    if bureau.kind == OrgKind.CITY_BUREAU:
        return qs.filter(kind=OrgKind.BUREAU)
    return qs.filter(pk=bureau.pk)


def rounds_of(indicator: Indicator) -> list[Round]:
    """Its rounds, newest first, each with its filings counted by status (and overdue)."""
    from django.utils import timezone

    today = timezone.localdate()
    open_states = [Status.PENDING, Status.RETURNED]
    counts = {f"n_{s}": Count("filings", filter=Q(filings__status=s)) for s in Status.values}
    return list(
        indicator.rounds.annotate(
            **counts,
            n_all=Count("filings"),
            n_overdue=Count("filings", filter=Q(filings__status__in=open_states, filings__due_on__lt=today)),
        ).order_by("-start")
    )


def access_round(user, pk) -> Round:
    try:
        return Round.objects.select_related("indicator", "indicator__bureau").get(pk=pk, indicator__in=managed_indicators(user))
    except (Round.DoesNotExist, ValueError, TypeError):
        _refuse_access(user, Round, pk)


def round_filings(rnd: Round) -> list[Filing]:
    return list(rnd.filings.select_related("org", "filled_by", "reviewed_by").order_by("org__path"))


def access_review_filing(user, pk, *, for_update: bool = False) -> Filing:
    """A filing of an indicator the user manages, or 404."""
    qs = Filing.objects.filter(round__indicator__in=managed_indicators(user))
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.select_related("round", "round__indicator", "org").get(pk=pk)
    except (Filing.DoesNotExist, ValueError, TypeError):
        _refuse_access(user, Filing, pk)


# --- filling (an office's or a bureau's staff) -----------------------------------------------------------


def my_filings(user) -> QuerySet[Filing]:
    """The filings of the user's own organisation: open ones first, earliest due first."""
    if not may_fill(user):
        return Filing.objects.none()
    return (
        Filing.objects.filter(org_id=user.org_id)
        .select_related("round", "round__indicator", "org")
        .annotate(done=Case(When(status__in=[Status.SUBMITTED, Status.LOCKED], then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("done", "due_on", "round__indicator__name")
    )


def open_count(user) -> int:
    """The menu badge: filings of the user's organisation still to fill."""
    if not may_fill(user):
        return 0
    return Filing.objects.filter(org_id=user.org_id, status__in=[Status.PENDING, Status.RETURNED]).count()


def access_own_filing(user, pk, *, for_update: bool = False) -> Filing:
    qs = Filing.objects.filter(org_id=user.org_id) if may_fill(user) else Filing.objects.none()
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.select_related("round", "round__indicator", "org").get(pk=pk)
    except (Filing.DoesNotExist, ValueError, TypeError):
        _refuse_access(user, Filing, pk)


# --- figures for the dashboard and the report ------------------------------------------------------------


@dataclass(frozen=True)
class FilledFigure:
    key: str  # indicator key (slug)
    label: str  # 名称
    unit: str
    theme: str  # a key of kit.kpis.THEMES
    value: Decimal | None  # sum of the locked filings in the subtree and period; None: none locked
    display: str  # "1,234件" or "—"
    definition: str  # the indicator's 口径 + "（填报数据）"
    filled: int  # filings counted (locked)
    expected: int  # filings the period needs (organisations × sub-periods)
    note: str  # "填报" or "填报，3/4个单位已审核"


def display(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    text = f"{int(value):,}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{text}{unit}"


def _visible(org: Org) -> QuerySet[Indicator]:
    """Indicators of the org's bureau or of any bureau above it: the org's path holds
    the ids of itself and every ancestor, and only bureaus own indicators."""
    return Indicator.objects.filter(bureau_id__in=org.ancestor_ids).select_related("bureau")


def _locked_sums(indicator_ids: list[int], org: Org, period: Period) -> dict[int, tuple[Decimal, int]]:
    """One query: per indicator, the sum and number of locked filings of orgs in the
    subtree whose round lies within ``period``."""
    if not indicator_ids:
        return {}
    rows = (
        Filing.objects.filter(
            round__indicator_id__in=indicator_ids,
            round__start__gte=period.start,
            round__end__lte=period.end,
            status=Status.LOCKED,
            org__path__startswith=org.path,
        )
        .values("round__indicator_id")
        .annotate(total=Sum("value"), n=Count("id"))
    )
    return {r["round__indicator_id"]: (r["total"], r["n"]) for r in rows}


def _org_counts(org: Org) -> dict[str, int]:
    """One query: the active offices and district bureaus in the subtree."""
    rows = Org.objects.filter(path__startswith=org.path, is_active=True, kind__in=[OrgKind.OFFICE, OrgKind.BUREAU]).values("kind").annotate(n=Count("id"))
    return {r["kind"]: r["n"] for r in rows}


def _orgs_expected(ind: Indicator, org: Org, counts: dict[str, int]) -> int:
    """How many of ``target_orgs(ind)`` lie in the subtree of ``org`` (``org`` is at or
    below the indicator's bureau, so the subtree's own counts answer it)."""
    if ind.level == Level.OFFICE:
        return counts.get(OrgKind.OFFICE, 0)
    if ind.bureau.kind == OrgKind.CITY_BUREAU:
        return counts.get(OrgKind.BUREAU, 0)
    return int(ind.bureau.path.startswith(org.path))


def _platform_computes(ind: Indicator, period: Period) -> bool:
    """From the day its line went live, a tied indicator's figure comes from the platform."""
    return ind.tied and registry.find_kpi(ind.kpi_key) is not None and period.start >= ind.live_from


def figures(org: Org, period: Period, *, theme: str | None = None) -> list[FilledFigure]:
    """The hand-filled figures of ``org`` (its subtree) for ``period``, in the report's
    chapter order. An indicator none of whose periods fits in ``period`` (an annual one
    asked for a quarter) is left out, as is an inactive one with nothing counted."""
    qs = _visible(org)
    if theme is not None:
        qs = qs.filter(theme=theme)
    candidates = []
    for ind in qs:
        subs = spans.within(ind.period_kind, period)
        if subs and not _platform_computes(ind, period):
            candidates.append((ind, len(subs)))
    if not candidates:
        return []
    sums = _locked_sums([ind.pk for ind, _ in candidates], org, period)
    counts = _org_counts(org)
    rank = {key: n for n, (key, _label) in enumerate(THEMES)}
    out = []
    for ind, n_subs in sorted(candidates, key=lambda c: (rank.get(c[0].theme, len(rank)), c[0].bureau.depth, c[0].pk)):
        total, filled = sums.get(ind.pk, (None, 0))
        orgs = _orgs_expected(ind, org, counts)
        expected = orgs * n_subs
        if filled == 0 and (expected == 0 or not ind.is_active):
            continue
        value = total if filled else None
        if filled >= expected:
            note = "填报"
        else:
            note = f"填报，{filled}/{expected}{'个单位' if n_subs == 1 else '份'}已审核"
        out.append(
            FilledFigure(
                key=ind.key,
                label=ind.name,
                unit=ind.unit,
                theme=ind.theme,
                value=value,
                display=display(value, ind.unit),
                definition=f"{ind.definition}（填报数据）",
                filled=filled,
                expected=expected,
                note=note,
            )
        )
    return out


def tied_keys(org: Org) -> set[str]:
    """Keys of the KPIs an indicator visible at ``org`` stands in for before its line went
    live (one query; the engine asks ``for_kpi`` only about these)."""
    return set(_visible(org).filter(live_from__isnull=False).exclude(kpi_key="").values_list("kpi_key", flat=True))


def for_kpi(kpi_key: str, org: Org, period: Period) -> Decimal | None:
    """The filled, locked figure standing in for a line's KPI in a period that ended
    before the line went live on the platform (the nearest bureau's indicator tied
    to it); None when there is none, or the platform computes the period."""
    ind = _visible(org).filter(kpi_key=kpi_key, live_from__isnull=False).order_by("-bureau__depth", "id").first()
    if ind is None or period.end >= ind.live_from or not spans.within(ind.period_kind, period):
        return None
    total, filled = _locked_sums([ind.pk], org, period).get(ind.pk, (None, 0))
    return total if filled else None
