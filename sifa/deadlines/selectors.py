"""Reads of deadlines: the light of each (正常/临期/超期/已完成), and the lists
on the home page and the bureau-wide page. Always scoped through the case
registry's ``visible_to``."""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from sifa.common import badges
from sifa.common.badges import cached_badge
from sifa.common.lights import DONE, DUE_SOON, LAPSED, LIGHTS, NORMAL, OVERDUE, PAUSED, RIGHT, TODO, WAITING  # noqa: F401 (re-exported)

from . import calendar
from .models import Deadline, DeadlineSetting, Kind


def may_calculate(user) -> bool:
    """The calculator (page and API): case roles, and the system administrator who keeps the calendar."""
    from sifa.accounts.roles import MANAGE_SETTINGS, SEE_CASES, has_cap

    return has_cap(user, SEE_CASES) or has_cap(user, MANAGE_SETTINGS)


# The bureau's warning setting (one row), kept per process: every list page and the
# bell read it, twice a request before (issue 19). Cleared in this process whenever
# the row is saved or deleted (the signals below); other processes see a change
# within this many seconds, as they see an edited holiday table (calendar.CACHE_SECONDS).
SETTING_MAX_AGE = 60.0  # seconds
_setting: tuple[float, int] | None = None


def forget_setting(**kwargs) -> None:
    global _setting
    _setting = None
    forget_bells()  # the bell counts what is 临期 by this setting


def due_soon_workdays(*, fresh: bool = False) -> int:
    """Working days before the due date a deadline turns 临期: the stored setting,
    else SIFA_DUE_SOON_WORKDAYS. ``fresh`` reads the row now (a service about to
    change it); otherwise the process's copy, at most SETTING_MAX_AGE old."""
    global _setting
    kept = _setting
    if fresh or kept is None or time.monotonic() - kept[0] > SETTING_MAX_AGE:
        row = DeadlineSetting.objects.filter(pk=1).first()
        kept = (time.monotonic(), row.due_soon_workdays if row else settings.SIFA_DUE_SOON_WORKDAYS)
        _setting = kept
    return kept[1]


post_save.connect(forget_setting, sender=DeadlineSetting, dispatch_uid="sifa.deadlines.forget_setting.save")
post_delete.connect(forget_setting, sender=DeadlineSetting, dispatch_uid="sifa.deadlines.forget_setting.delete")


def soon_threshold(today: date | None = None, warn: int | None = None) -> date:
    """Deadlines due on or before this date are 临期 (if not already overdue)."""
    today = today or timezone.localdate()
    return calendar.add_workdays(today, due_soon_workdays() if warn is None else warn)


def light(dl: Deadline, today: date | None = None, threshold: date | None = None) -> str:
    today = today or timezone.localdate()
    if dl.completed_on or dl.cancelled:
        return DONE
    if dl.paused_since:
        return PAUSED
    if dl.kind == Kind.RIGHT:
        return RIGHT if dl.due_date >= today else LAPSED
    if dl.kind == Kind.DUTY:
        return WAITING if dl.due_date >= today else TODO
    if dl.due_date < today:
        return OVERDUE
    limit = soon_threshold(today, dl.warn_workdays) if dl.warn_workdays is not None else (threshold or soon_threshold(today))
    return DUE_SOON if dl.due_date <= limit else NORMAL


def light_for_date(due: date | None, today: date | None = None, threshold: date | None = None) -> str:
    """Light of a case's denormalised next deadline (lists)."""
    if due is None:
        return ""
    today = today or timezone.localdate()
    if due < today:
        return OVERDUE
    return DUE_SOON if due <= (threshold or soon_threshold(today)) else NORMAL


def with_lights(cases, today: date | None = None) -> list[tuple]:
    """(case, light of its next deadline) for each case of a list page."""
    today = today or timezone.localdate()
    threshold = soon_threshold(today)
    return [(c, light_for_date(c.next_due, today, threshold)) for c in cases]


def running(kind: str | tuple = Kind.ORGAN) -> QuerySet[Deadline]:
    """Open, running deadlines of live cases, whoever looks (no scope): the organ's own
    clocks unless ``kind`` says otherwise (a party's period is never 临期 or 超期 for
    the organ). ``open_for`` scopes them; the dashboard's deadline facts count them
    (``stats.deadlinefacts``), so both count the same deadlines."""
    return Deadline.objects.filter(
        # A recurring duty missed on a case since closed is history, not a to-do.
        Q(duty="") | Q(case__closed_on__isnull=True),
        **({"kind__in": kind} if isinstance(kind, tuple) else {"kind": kind}),
        case__is_deleted=False,
        completed_on__isnull=True,
        cancelled=False,
        paused_since__isnull=True,
    )


def open_for(user, *, within=None, kind: str | tuple = Kind.ORGAN) -> QuerySet[Deadline]:
    """``running`` deadlines of the cases ``user`` may see (under ``within`` when
    given). The scope is applied to the joined case as plain conditions."""
    from sifa.cases.selectors import visible_q

    cond = visible_q(user, "case__", within=within)
    if cond is None:
        return Deadline.objects.none()
    return running(kind).filter(cond).select_related("case", "case__owner_org", "case__handler").order_by("due_date", "id")


def _overdue_q(today: date) -> Q:
    return Q(due_date__lt=today)


def _due_soon_q(today: date) -> Q:
    return Q(due_date__gte=today, due_date__lte=soon_threshold(today))


def overdue(user, today: date | None = None, *, within=None) -> QuerySet[Deadline]:
    return open_for(user, within=within).filter(_overdue_q(today or timezone.localdate()))


def due_soon(user, today: date | None = None, *, within=None) -> QuerySet[Deadline]:
    return open_for(user, within=within).filter(_due_soon_q(today or timezone.localdate()))


def tally(qs, today: date, total=None) -> dict[str, int]:
    """{"overdue": n, "due_soon": n} of the deadlines in ``qs`` (or of rows with a
    ``due_date`` that stand for them: ``total`` is then their aggregate, e.g.
    ``lambda f: Sum("count", filter=f)``), in one pass."""
    over, soon = _overdue_q(today), _due_soon_q(today)
    total = total or (lambda f: Count("pk", filter=f))
    got = qs.filter(over | soon).order_by().aggregate(overdue=total(over), due_soon=total(soon))
    return {k: v or 0 for k, v in got.items()}


def counts(user, today: date | None = None, *, within=None) -> dict[str, int]:
    """{"overdue": n, "due_soon": n}: ``overdue(…).count()`` and ``due_soon(…).count()``
    in one pass over the deadline–case join (two passes were 74 ms of a bureau
    dashboard's SQL at 1M cases, issue 19)."""
    return tally(open_for(user, within=within), today or timezone.localdate())


def mine(user, today: date | None = None) -> QuerySet[Deadline]:
    """Open deadlines that are due soon or overdue on cases this user handles
    (or is assigned to). Driven from the user's own cases: one index lookup
    each for handled and assigned cases, then their deadlines."""
    from sifa.cases.selectors import handled_ids

    today = today or timezone.localdate()
    return open_for(user).filter(case__in=handled_ids(user), due_date__lte=soon_threshold(today))


def todos(user, today: date | None = None, *, within=None) -> QuerySet[Deadline]:
    """Parties' duties that lapsed unfulfilled on cases the user handles (or is
    assigned to), or under ``within``: each is a to-do for the organ (待处理)."""
    from sifa.cases.selectors import handled_ids

    qs = open_for(user, within=within, kind=Kind.DUTY).filter(due_date__lt=today or timezone.localdate())
    return qs if within is not None else qs.filter(case__in=handled_ids(user))


def bell_count(user) -> int:
    """The number on the top bar's bell: my deadlines due soon or overdue, my to-dos,
    and the cases waiting in my intake list (待认领: an online application, a hand-over)
    for those who take cases from it, so a new application is not left unseen."""
    from sifa.accounts.roles import SEE_CASES, has_cap

    if not has_cap(user, SEE_CASES):
        return 0
    from django.db.models import Q

    from sifa.cases.selectors import handled_ids, intake, may_take

    today = timezone.localdate()
    mine_ = open_for(user, kind=(Kind.ORGAN, Kind.DUTY)).filter(case__in=handled_ids(user))
    due = mine_.filter(Q(kind=Kind.ORGAN, due_date__lte=soon_threshold(today)) | Q(kind=Kind.DUTY, due_date__lt=today)).count()
    return due + (intake(user).count() if may_take(user) else 0)


# The top bar's bell is on every page, and its count was about half a list page's SQL
# (issue 19), so the frame shows a copy kept in Django's cache for BELL_MAX_AGE
# seconds per user, the same way as the menu's numbers (common.badges): a deadline
# or a case saved or deleted through the ORM starts a new generation of the copies
# of those it concerns (the users whose scope holds it, the users it names) at once,
# so the user's own steps and a new application show on the next page. What no signal
# announces (a day passing, a bulk update) may lag by at most BELL_MAX_AGE. The
# deadline pages and bell_count itself are exact.
BELL_MAX_AGE = 60  # seconds
_bell = cached_badge("bell", bell_count, apps=("deadlines", "cases"), max_age=BELL_MAX_AGE)


def forget_bells() -> None:
    """Start a new generation: every user's bell is counted afresh on the next page."""
    badges.forget("bell")


def frame_bell_count(user) -> int:
    """bell_count for the page frame, from the cache when counted in the last BELL_MAX_AGE seconds."""
    return _bell(user)


def lit(deadlines, today: date | None = None) -> list[tuple[Deadline, str]]:
    """(deadline, its light) for each deadline given."""
    today = today or timezone.localdate()
    threshold = soon_threshold(today)
    return [(dl, light(dl, today, threshold)) for dl in deadlines]


def _page_clocks(case) -> list[Deadline] | None:
    """On the case page (``cases.selectors.for_page``), all the case's clocks read once: its
    header, its steps' conditions and its line's panel each asked for one (行政复议: six)."""
    from sifa.cases.selectors import page_memo

    memo = page_memo(case)
    if memo is None:
        return None
    if "clocks" not in memo:
        memo["clocks"] = list(case.deadlines.order_by("due_date", "id"))
    return memo["clocks"]


def for_case(case) -> list[tuple[Deadline, str]]:
    rows = _page_clocks(case)
    return lit(rows if rows is not None else case.deadlines.order_by("due_date", "id"))


def clock(case, key: str, *, running: bool = False) -> Deadline | None:
    """The case's clock ``key`` (one per case and key), or None; ``running``: only
    while it is neither completed nor cancelled."""
    rows = _page_clocks(case)
    if rows is not None:
        found = [d for d in rows if d.key == key and not (running and (d.completed_on is not None or d.cancelled))]
        return min(found, key=lambda d: d.pk) if found else None
    qs = Deadline.objects.filter(case=case, key=key)
    if running:
        qs = qs.filter(completed_on__isnull=True, cancelled=False)
    return qs.first()


def met(case, key: str, on: date) -> bool | None:
    """Was the case's clock ``key`` kept by something done on ``on`` (按期)? None
    when the case has no such clock. Done while the clock stood still (中止),
    the days it stood still do not count."""
    dl = clock(case, key)
    if dl is None:
        return None
    due = dl.due_date + ((on - dl.paused_since) if dl.paused_since is not None else timedelta(0))
    return on <= due
