"""The line's lists read a page in a fixed number of queries, however many rows
it shows (no N+1): cases, registers, providers, subsidies, roster, quality sample."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sifa.registers.services import create_entry

from ..registers import CONSULTATIONS
from ..services import roster
from .test_legal_aid import aid_staff, apply, assign, grant, provider, step

pytestmark = pytest.mark.django_db
CHECKLIST = ["application", "identity", "means", "decision", "agreement", "documents", "report"]
PAGES = ("legal_aid:list", "legal_aid:providers", "legal_aid:subsidies", "legal_aid:roster", "legal_aid:quality")


def _rows(staff, orgs, n, start):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for i in range(start, start + n):
        p = provider(orgs, name=f"律师{i}", since=date(2010, 1, 1))
        case = apply(staff, orgs, title=f"案件{i}", on=today - timedelta(days=3))
        grant(staff, case, today - timedelta(days=3))
        assign(staff, case, p, today - timedelta(days=2))
        step(staff, case, "end", today - timedelta(days=2), outcome="judgment")
        step(staff, case, "submit_closing", today - timedelta(days=1), report="结案")
        step(staff, case, "close", today, checklist=CHECKLIST)
        values = {"on": today, "owner_org": orgs.legal_aid, "person_name": f"咨询人{i}", "person_phone": "", "person_id_number": "", "summary": "咨询"}
        create_entry(staff, CONSULTATIONS, values | {"result": "", "channel": "visit", "category": "civil"})
        roster.add_shift(staff, orgs.legal_aid, station="court", station_name=f"法院工作站{i}", on=monday + timedelta(days=i % 7), provider=p)


def _counts(c) -> list[int]:
    out = []
    for name in PAGES:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse(name)).status_code == 200, name
        out.append(len(ctx))
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(reverse("registers:list", args=[CONSULTATIONS.slug])).status_code == 200
    return [*out, len(ctx)]


def test_list_pages_do_not_grow_with_their_rows(users, orgs, client_for, settings):
    settings.SIFA_LEGAL_AID_QUALITY_SAMPLE = 100
    staff = aid_staff(orgs)
    _rows(staff, orgs, 2, 0)
    c = client_for(staff)
    c.get(reverse("home"))  # warm the calendar cache
    few = _counts(c)
    _rows(staff, orgs, 6, 2)
    c.get(reverse("home"))  # the new rows' clocks start a new count of the bell (deadlines.selectors.frame_bell_count)
    assert _counts(c) == few, dict(zip([*PAGES, "consultations"], few, strict=True))
