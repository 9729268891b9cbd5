"""The number of queries a page costs does not grow with the data, and stays under
a stated ceiling (issue 19, "per-request cost"): the home page, the case list,
every line's case page (the kit registry's case types, each through its own
``sample``), the dashboard and the API's list and one case; with one case of each
type and again with twenty.

Counts are of a page in the steady state (the process's caches warm: the holiday
calendar, the role and deadline settings, the frame's bell), as a user clicking
through meets them (``queries``). A ceiling is the count measured when it was set plus
a little room; a change that adds a query to every page fails here first.

Also the frame's own parts: the bell kept for a minute and recounted after a
deadline changes, the warning setting read once per process, the menu's
台账导入 decided in one query that agrees with the ledgers the user may import.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sifa.cases import selectors
from sifa.kit import registry

pytestmark = pytest.mark.django_db

TYPES = [ct.key for ct in registry.case_types() if ct.sample is not None]
MORE = 19  # one case, then twenty

# Measured when set (PostgreSQL, section staff who see every line), plus room for one or two.
CEILINGS = {"home": 26, "desk": 26, "list": 14, "api list": 8, "api detail": 15, "dashboard": 34}
# A case page against its line's list page (the same user, twenty cases of the line). The
# list page (8 when set: session, user, scope, shared cases, count, page, the rows' clocks,
# the menu's 台账导入; the menu's numbers kept a minute, ``common.badges``; one fewer since the
# user's organisation comes with the user, ``accounts.backends``) cannot be matched:
# a case page reads the case (its line's record and whether it has links, shares,
# procedures, attachments joined in: ``access_case(page=True)``), its parties, its timeline
# and its clocks where the list reads shared cases, a count, a page and their clocks, and
# it writes the audit entry of the read (查阅留痕, not to be cached away): one more than the
# list before any line's own rows. What a line adds beyond that is its panel's own tables,
# one query each, whatever their number of rows (measured when set, issue 19 item 6; a case
# with attachments or procedures reads them too, one query each, none when it has none):
CASE_PAGE_OVER_LIST = {
    "testline": 2,  # the kernel's one (the audit entry) + whether one may hand it over
    "testline_b": 1,  # the kernel's one
    "mediation": 6,  # + sessions, confirmation, mediators, visits, risk reports (code-list labels: kept per process)
    "reconsideration": 4,  # + activities, suspensions, opinions, norm reviews
    "litigation": 3,  # + hearings, judgments
    "hotline": 2,  # + whether one may hand the order over (one query for its three hand-overs)
    "legal_aid": 2,  # + the receiving centre
    "correction": 5,  # + disciplines, team, monthly assessments, activities
    "correction_assessment": 1,  # the kernel's one
    "resettlement": 6,  # + searches, assessments, helpers, contacts, assistance
}


def _owner(user, key):
    return selectors.creatable_orgs(user, key).order_by("depth", "id").first()


def _sample(users, key):
    """A minimal case of ``key``, registered by whoever may (section staff, else office staff)."""
    for user in (users.staff, users.office_a):
        org = _owner(user, key)
        if org is not None:
            return registry.case_type(key).sample(user, org)
    raise AssertionError(f"nobody in the test world may register {key}")


@contextmanager
def answer_only():
    """The queries made before the answer goes out: the audit entries a request
    recorded are sealed after it has been sent (``request_finished``, ADR 0017), which
    the test client runs inside ``get()``."""
    from django.core.signals import request_finished

    from sifa.audit.services import seal_when_finished

    uid = "sifa.audit.seal_when_finished"
    request_finished.disconnect(dispatch_uid=uid)
    try:
        yield
    finally:
        request_finished.connect(seal_when_finished, dispatch_uid=uid)


def queries(client, url) -> int:
    """Queries of the page at ``url`` in the steady state: asked once to warm the caches,
    then the fewer of two more. Work done once a minute (the session's idle clock, the
    bell's copy running out) lands on at most one of two requests in a row."""
    assert client.get(url).status_code == 200, url
    counts = []
    for _ in range(2):
        with answer_only(), CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(ctx))
    return min(counts)


def _pages(first_case) -> dict[str, str]:
    pages = {
        "home": reverse("home"),
        "desk": reverse("cases:home"),
        "list": reverse("cases:list"),
        "api list": reverse("api:cases-list"),
        "api detail": reverse("api:cases-detail", args=[first_case.pk]),
    }
    # One line's cases on the list: twenty rows of one kind (a clock behind each row's status badge).
    return pages | {f"list:{key}": f"{reverse('cases:list')}?case_type={key}" for key in TYPES}


def test_home_list_and_api_cost_the_same_with_one_case_or_twenty(orgs, users, client_for):
    # Section staff at the bureau (every line) and an office's staff (the most common user).
    viewers = {who: (getattr(users, who), client_for(getattr(users, who))) for who in ("staff", "office_a")}
    firsts = [_sample(users, key) for key in TYPES]
    one, pages = {}, {}
    for who, (user, c) in viewers.items():
        pages[who] = _pages(next(case for case in firsts if selectors.visible_to(user).filter(pk=case.pk).exists()))
        one[who] = {name: queries(c, url) for name, url in pages[who].items()}
    for key in TYPES:
        for _ in range(MORE):
            _sample(users, key)
    for who, (user, c) in viewers.items():
        assert selectors.visible_to(user).count() >= MORE
        many = {name: queries(c, url) for name, url in pages[who].items()}
        # A page of one line's cases costs exactly the same. A page of mixed lines may cost one
        # query less: the status badges read the clocks of the rows that need one in one query,
        # none when no row on the page does (the twenty newest may hold none of them).
        lists = [n for n in many if n.startswith("list:")]
        assert {n: many[n] for n in lists} == {n: one[who][n] for n in lists}, who
        grew = {name: (one[who][name], n) for name, n in many.items() if n > one[who][name]}
        assert not grew, (who, grew)
        over = {name: n for name, n in many.items() if n > CEILINGS.get(name, CEILINGS["list"])}
        assert not over, (who, over, CEILINGS)


@pytest.mark.parametrize("key", TYPES)
def test_a_case_page_costs_the_same_with_one_case_or_twenty(orgs, users, client_for, key):
    c = client_for(users.staff)
    case = _sample(users, key)
    url = reverse("cases:detail", args=[case.pk])
    one = queries(c, url)
    for _ in range(MORE):
        _sample(users, key)
    assert queries(c, url) == one
    listed = queries(c, f"{reverse('cases:list')}?case_type={key}")
    assert one <= listed + CASE_PAGE_OVER_LIST.get(key, 1), (key, one, listed)


def test_the_dashboard_costs_the_same_with_one_case_or_twenty(orgs, users, client_for):
    c = client_for(users.leader)
    for key in TYPES:
        _sample(users, key)
    url = reverse("stats:dashboard")
    one = queries(c, url)
    for key in TYPES:
        for _ in range(MORE):
            _sample(users, key)
    many = queries(c, url)
    assert many == one and many <= CEILINGS["dashboard"], (one, many)


# --- the frame ---------------------------------------------------------------------------------


def _is_bell(query) -> bool:
    return query["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "deadlines_deadline"')


def test_the_bell_is_counted_once_a_minute_and_again_when_a_deadline_changes(orgs, users, client_for):
    from datetime import date

    from sifa.cases.models import Case
    from sifa.deadlines import selectors as dl
    from sifa.deadlines.models import Deadline

    user = users.staff
    case = _sample(users, "mediation")
    Case.objects.filter(pk=case.pk).update(handler=user)
    c = client_for(user)
    url = reverse("cases:list")
    c.get(url)
    with CaptureQueriesContext(connection) as ctx:
        c.get(url)
    assert not [q for q in ctx.captured_queries if _is_bell(q)]  # the bell's copy
    before = dl.bell_count(user)

    # A clock of the user's case runs out: on the bell at the next page, not a minute later.
    Deadline.objects.create(case=case, key="qc", label="测试期限", start_date=date(2000, 1, 3), amount=1, unit="day", due_date=date(2000, 1, 4))
    assert dl.bell_count(user) == before + 1
    with CaptureQueriesContext(connection) as ctx:
        page = c.get(url).content.decode()
    assert [q for q in ctx.captured_queries if _is_bell(q)], "counted again after the change"
    assert dl.frame_bell_count(user) == before + 1
    assert f">{before + 1}<" in re.search(r'class="sf-bell[^"]*"[^>]*>.*?</a>', page, flags=re.S).group(0)


def test_the_warning_setting_is_read_once_per_process_and_again_after_a_change(orgs, users):
    from sifa.deadlines import selectors as dl
    from sifa.deadlines.services import set_due_soon_workdays

    first = dl.due_soon_workdays()
    dl.soon_threshold()  # the holiday calendar, kept per process too
    with CaptureQueriesContext(connection) as ctx:
        assert dl.due_soon_workdays() == first
        dl.soon_threshold()
    assert len(ctx) == 0
    set_due_soon_workdays(users.sysadmin, first + 2)
    with CaptureQueriesContext(connection) as ctx:
        assert dl.due_soon_workdays() == first + 2  # this process's copy was dropped on save
    assert len(ctx) == 1
    assert dl.due_soon_workdays(fresh=True) == first + 2


def test_the_import_menu_entry_agrees_with_the_ledgers_and_costs_one_query(orgs, users):
    from sifa.ledgers.permissions import importable_ledgers, may_import_some

    seen = set()
    for name, user in vars(users).items():
        with CaptureQueriesContext(connection) as ctx:
            answer = may_import_some(user)
        assert answer == bool(importable_ledgers(user)), name
        # One query; two for an office's staff, whose legal-aid centres (通办) are found
        # from their bureau (legal_aid.selectors.centers_for asks for it).
        assert len(ctx) <= (2 if user.org.kind == "office" else 1), (name, len(ctx))
        seen.add(answer)
    assert seen == {True, False}  # the world has both kinds of user


def test_the_frame_is_worked_out_once_per_request(orgs, users, rf):
    from sifa.cases.context_processors import frame

    request = rf.get(reverse("cases:list"))
    request.user = users.staff
    first = frame(request)
    with CaptureQueriesContext(connection) as ctx:
        assert frame(request) is first
    assert len(ctx) == 0
