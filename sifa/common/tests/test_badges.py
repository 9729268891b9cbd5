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


def _counting_badge(name: str, apps=("cases",)):
    counted: list[int] = []
    badge = badges.cached_badge(name, lambda u: counted.append(u.pk) or 0, apps=apps)
    return badge, counted


def _recounted(badge, counted, *people) -> set[str]:
    """Which of ``people`` (name -> user) had their copy counted afresh on their next page."""
    before = len(counted)
    for user in people:
        badge(user)
    again = set(counted[before:])
    return {u.username for u in people if u.pk in again}


def test_a_change_recounts_the_copies_of_those_whose_scope_holds_it_and_keeps_the_others(orgs, users):
    """A case registered under office A: office A, its bureau's leader and staff count
    afresh at once; office B and the neighbouring district keep their copies (issue 19:
    before, every save anywhere made every user's page count again)."""
    from sifa.cases.tests.factories import make_case

    badge, counted = _counting_badge("test_scoped")
    people = (users.office_a, users.office_b, users.leader, users.staff, users.other_office, users.other_leader)
    assert _recounted(badge, counted, *people) == {u.username for u in people}  # first copies
    assert _recounted(badge, counted, *people) == set()  # kept
    make_case(users.office_a, orgs.committee_a)
    assert _recounted(badge, counted, *people) == {"office_a", "leader", "staff"}
    assert _recounted(badge, counted, *people) == set()


def test_a_row_that_points_to_a_case_is_placed_under_that_case(orgs, users):
    """A party saved with only its case's id (the case not loaded): one read of the case's
    path, and only the users over that case count again."""
    from sifa.cases.models import Party
    from sifa.cases.tests.factories import make_case

    case = make_case(users.office_b, orgs.committee_b)
    badge, counted = _counting_badge("test_pointed")
    people = (users.office_a, users.office_b, users.other_office)
    _recounted(badge, counted, *people)
    party = Party.objects.filter(case=case).first()
    party = Party.objects.get(pk=party.pk)  # its case not loaded
    with CaptureQueriesContext(connection) as ctx:
        party.save()
    assert sum('"org_path"' in q["sql"] and q["sql"].startswith("SELECT") for q in ctx.captured_queries) == 1
    assert _recounted(badge, counted, *people) == {"office_b"}


def test_a_row_that_names_a_user_recounts_that_user_wherever_they_work(orgs, users):
    """A case in office A handed to a user of the neighbouring district: that user's copy
    is counted again at once, though the case is outside their subtree."""
    from sifa.cases.tests.factories import make_case

    case = make_case(users.office_a, orgs.committee_a)
    badge, counted = _counting_badge("test_named")
    people = (users.office_b, users.other_office, users.other_leader)
    _recounted(badge, counted, *people)
    case.handler = users.other_office
    case.save(update_fields=["handler"])
    assert _recounted(badge, counted, *people) == {"other_office"}


def test_what_cannot_be_placed_recounts_everyone(orgs, users):
    """An organisation renamed or moved, or forget() without places: every copy is counted again."""
    badge, counted = _counting_badge("test_everyone", apps=("orgs",))
    people = (users.office_a, users.other_office, users.leader)
    _recounted(badge, counted, *people)
    orgs.office_c.name = "丙司法所"
    orgs.office_c.save()
    assert _recounted(badge, counted, *people) == {u.username for u in people}
    badges.forget("test_everyone")
    assert _recounted(badge, counted, *people) == {u.username for u in people}


def test_a_change_seen_only_at_commit_is_counted_again_after_it(orgs, users, django_capture_on_commit_callbacks):
    """A page that counted between the save and the commit saw the old rows: the commit
    starts another generation for the same places, so that copy is not kept."""
    from sifa.cases.tests.factories import make_case

    badge, counted = _counting_badge("test_commit")
    _recounted(badge, counted, users.office_a, users.office_b)
    with django_capture_on_commit_callbacks(execute=True):
        make_case(users.office_a, orgs.committee_a)
        assert _recounted(badge, counted, users.office_a, users.office_b) == {"office_a"}  # inside: the old rows
    assert _recounted(badge, counted, users.office_a, users.office_b) == {"office_a"}


def test_a_transactions_changes_start_their_generations_again_in_one_write_at_commit(orgs, users, django_capture_on_commit_callbacks, monkeypatch):
    """Two registrations in one transaction (each a case, its timeline entry and its
    record): at commit the places of all of them get their new generations in one write
    per set of badges, not one per row saved (issue 19), and both offices count again."""
    from sifa.cases.tests.factories import make_case

    badge, counted = _counting_badge("test_once")
    people = (users.office_a, users.office_b, users.other_office)
    _recounted(badge, counted, *people)
    with django_capture_on_commit_callbacks() as callbacks:
        make_case(users.office_a, orgs.committee_a)
        make_case(users.office_b, orgs.committee_b)
    assert _recounted(badge, counted, *people) == {"office_a", "office_b"}  # at once, as before
    assert _recounted(badge, counted, *people) == set()
    writes, forget = [], badges.forget
    monkeypatch.setattr(badges, "forget", lambda *names, **places: writes.append((frozenset(names), places)) or forget(*names, **places))
    for callback in callbacks:
        callback()  # the commit
    assert len(callbacks) >= 6  # each registration saved its case, its timeline entry, its clock
    assert len({names for names, _places in writes}) == len(writes)  # one write per set of badges
    ours = [places for names, places in writes if "test_once" in names]
    assert len(ours) == 1 and {orgs.office_a.pk, orgs.office_b.pk} <= ours[0]["orgs"]
    assert _recounted(badge, counted, *people) == {"office_a", "office_b"}


def test_a_change_after_a_rolled_back_savepoint_is_started_again_at_commit(orgs, users, django_capture_on_commit_callbacks):
    """The first change of a transaction inside a savepoint that rolls back takes its
    callback with it; the next change gathers anew, and the commit starts its places."""
    from django.db import transaction

    from sifa.cases.tests.factories import make_case

    badge, counted = _counting_badge("test_savepoint")
    people = (users.office_a, users.office_b)
    _recounted(badge, counted, *people)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                make_case(users.office_a, orgs.committee_a)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        make_case(users.office_b, orgs.committee_b)
        assert _recounted(badge, counted, *people) == {"office_a", "office_b"}  # at once, as before
    assert callbacks  # the captured ones: those of the change after the savepoint
    # Counted again after the commit. Office A may be too: a gathering the savepoint did not
    # own keeps the rolled-back change's places (an extra count, never a kept copy).
    assert "office_b" in _recounted(badge, counted, *people)
