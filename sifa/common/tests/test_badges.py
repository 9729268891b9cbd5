"""The menu's numbers are a copy kept a minute per user (issue 19 item 6) and right at once
after a change the user makes: 待分配案件 recounted when a case is registered or taken."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sifa.cases import selectors
from sifa.common import badges
from sifa.kit import menu

pytestmark = pytest.mark.django_db


def _intake_badge(user) -> int:
    entry = next(e for g in menu._groups.values() for e in g.entries if e.url_name == "cases:intake")
    return entry.badge(user)


def test_a_badge_is_counted_once_and_kept(orgs, users):
    calls = []
    badge = badges.cached_badge("test_counter", lambda u: calls.append(u.pk) or 7, apps=("cases",))
    assert badge(users.staff) == 7
    with CaptureQueriesContext(connection) as ctx:
        assert badge(users.staff) == 7
    assert len(ctx) == 0 and calls == [users.staff.pk]
    assert badge(users.office_a) == 7  # each user their own copy
    assert calls == [users.staff.pk, users.office_a.pk]
    badges.forget("test_counter")
    badge(users.staff)
    assert calls[-1] == users.staff.pk and len(calls) == 3


def test_the_intake_badge_is_right_at_once_after_a_registration_and_a_take(orgs, users, client_for):
    from sifa.cases.services import assign
    from sifa.kit import registry

    user = users.staff
    if not selectors.may_take(user):
        pytest.skip("section staff take no cases here")
    before = _intake_badge(user)
    assert before == selectors.intake(user).count()
    org = selectors.creatable_orgs(user, "mediation").order_by("depth", "id").first()
    case = registry.case_type("mediation").sample(user, org)
    fresh = selectors.intake(user).count()
    assert _intake_badge(user) == fresh  # no minute's wait: a case saved starts a new generation
    if case.handler_id is None and fresh:
        assign(user, case, user, make_handler=True)
        assert _intake_badge(user) == selectors.intake(user).count() == fresh - 1


def test_the_menu_shows_the_kept_count(orgs, users, client_for):
    c = client_for(users.staff)
    url = reverse("cases:list")
    c.get(url)
    with CaptureQueriesContext(connection) as ctx:
        c.get(url)
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)") and '"cases_case"' in q["sql"]]
    assert len(counts) == 1  # the list's own count (up to 10,000 rows, ADR 0023); the menu's 待分配 is the kept copy
