"""The access matrix of every mediation route (pages and API): for each route,
what each role gets. ``test_access.py`` runs it; ``COVERED_ROUTES`` tells the
project-wide route-coverage test which routes it exercises.

Roles: leader (read-only, bureau), staff (section, the mediation line),
office_a (owns committee A), office_b (another office), mediator_a (assigned
to ``world.assigned``), mediator_a2 (same committee, not assigned), lawyer and
the three administrators (no mediation at all). Another office's record
answers 404 exactly like a missing one.
"""

from __future__ import annotations

from itertools import count

from django.urls import reverse

LINE = ("leader", "staff", "office_a", "office_b", "mediator_a", "mediator_a2")
OUTSIDE = ("lawyer", "sysadmin", "secadmin", "auditor")
ROLES = LINE + OUTSIDE


def expect(ok=(), forbidden=(), ok_status=200) -> dict[str, int]:
    """role -> status; everybody not listed gets 404."""
    return {r: ok_status if r in ok else 403 if r in forbidden else 404 for r in ROLES}


PAGE = expect(ok=LINE)
REGISTER = expect(ok=("staff", "office_a", "office_b", "mediator_a", "mediator_a2"), forbidden=("leader",))
A_RECORD = expect(ok=("leader", "staff", "office_a", "mediator_a", "mediator_a2"))
A_DISPUTE = expect(ok=("leader", "staff", "office_a", "mediator_a"))
A_REGISTRY_WRITE = expect(ok=("staff", "office_a"), forbidden=("leader", "mediator_a", "mediator_a2"))
REGISTRY_CREATE = expect(ok=("staff", "office_a", "office_b"), forbidden=("leader", "mediator_a", "mediator_a2"))
A_STEP = expect(ok=("staff", "office_a", "mediator_a"), forbidden=("leader",))
NOT_KEEPERS = ("leader", "mediator_a", "mediator_a2")
# Creating in committee A's office: office_b may create, but not there (the
# choice is outside its scope: 400, like the page's form).
API_CREATE_IN_A = expect(ok=("staff", "office_a"), forbidden=NOT_KEEPERS, ok_status=201) | {"office_b": 400}
API_A_WRITE = expect(ok=("staff", "office_a"), forbidden=NOT_KEEPERS)
API_A_ADD = expect(ok=("staff", "office_a"), forbidden=NOT_KEEPERS, ok_status=201)

SCHEDULE = {"data": {"kind": "mediation", "session_on": "2099-01-01", "place": "村委会"}}


def _r(name, *args):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args])


A_COMMITTEE = lambda w: w.assigned.owner_org_id  # noqa: E731
A_MEDIATOR = lambda w: w.med_a2.pk  # noqa: E731
A_CASE = lambda w: w.assigned.pk  # noqa: E731
_seq = count(1)

# Payloads may be callables of the world (ids), called once per request.
NEW_COMMITTEE = lambda w: {  # noqa: E731
    "name": f"矩阵村人民调解委员会{next(_seq)}",  # each successful role creates its own
    "short_name": "矩阵调委会",
    "parent": w.assigned.owner_org.parent_id,
    "committee_type": "village",
}
NEW_MEDIATOR = lambda w: {"name": "矩阵调解员", "gender": "F", "committee": w.assigned.owner_org_id, "position": "member"}  # noqa: E731
NEW_POSITION = lambda w: {"committee": w.assigned.owner_org_id, "position": "deputy", "since": "2025-01-01"}  # noqa: E731

# name (or "name METHOD" for a second method on a route) -> (method, url(world), expected statuses, payload)
ROUTES = {
    # pages
    "mediation:home": ("GET", _r("mediation:home"), PAGE, None),
    "mediation:create": ("GET", _r("mediation:create"), REGISTER, None),
    "mediation:quick": ("GET", _r("mediation:quick"), REGISTER, None),
    "mediation:list": ("GET", _r("mediation:list"), PAGE, None),
    "mediation:risks": ("GET", _r("mediation:risks"), PAGE, None),
    "mediation:committees": ("GET", _r("mediation:committees"), PAGE, None),
    "mediation:committee_create": ("GET", _r("mediation:committee_create"), REGISTRY_CREATE, None),
    "mediation:committee": ("GET", _r("mediation:committee", A_COMMITTEE), A_RECORD, None),
    "mediation:committee_edit": ("GET", _r("mediation:committee_edit", A_COMMITTEE), A_REGISTRY_WRITE, None),
    "mediation:mediators": ("GET", _r("mediation:mediators"), PAGE, None),
    "mediation:mediator_create": ("GET", _r("mediation:mediator_create"), REGISTRY_CREATE, None),
    "mediation:mediator": ("GET", _r("mediation:mediator", A_MEDIATOR), A_RECORD, None),
    "mediation:mediator_edit": ("GET", _r("mediation:mediator_edit", A_MEDIATOR), A_REGISTRY_WRITE, None),
    "mediation:membership_add": ("GET", _r("mediation:membership_add", A_MEDIATOR), A_REGISTRY_WRITE, None),
    "mediation:membership_end": (
        "POST",
        _r("mediation:membership_end", lambda w: w.membership_a.pk),
        expect(ok=("staff", "office_a"), forbidden=("leader", "mediator_a", "mediator_a2"), ok_status=302),
        {},
    ),
    "mediation:training_add": ("GET", _r("mediation:training_add", A_MEDIATOR), A_REGISTRY_WRITE, None),
    # API
    "api:mediation-disputes": ("GET", _r("api:mediation-disputes"), PAGE, None),
    "api:mediation-dispute": ("GET", _r("api:mediation-dispute", A_CASE), A_DISPUTE, None),
    "api:mediation-sessions": ("GET", _r("api:mediation-sessions", A_CASE), A_DISPUTE, None),
    "api:mediation-visits": ("GET", _r("api:mediation-visits", A_CASE), A_DISPUTE, None),
    "api:mediation-step": ("POST", _r("api:mediation-step", A_CASE, "schedule_session"), A_STEP, SCHEDULE),
    "api:mediation-steps": ("GET", _r("api:mediation-steps", A_CASE), A_DISPUTE, None),
    "api:mediation-step-old": ("POST", _r("api:mediation-step-old", A_CASE, "schedule_session"), A_STEP, SCHEDULE),
    "api:mediation-steps-all": ("GET", _r("api:mediation-steps-all"), PAGE, None),
    "api:mediation-mine": ("GET", _r("api:mediation-mine"), PAGE, None),
    "api:mediation-risks": ("GET", _r("api:mediation-risks"), PAGE, None),
    "api:mediation-committees": ("GET", _r("api:mediation-committees"), PAGE, None),
    "api:mediation-committee": ("GET", _r("api:mediation-committee", A_COMMITTEE), A_RECORD, None),
    "api:mediation-mediators": ("GET", _r("api:mediation-mediators"), PAGE, None),
    "api:mediation-mediator": ("GET", _r("api:mediation-mediator", A_MEDIATOR), A_RECORD, None),
    "api:mediation-committees POST": ("POST", _r("api:mediation-committees"), API_CREATE_IN_A, NEW_COMMITTEE),
    "api:mediation-committee PATCH": ("PATCH", _r("api:mediation-committee", A_COMMITTEE), API_A_WRITE, {"note": "矩阵修改", "term_years": 5}),
    "api:mediation-mediators POST": ("POST", _r("api:mediation-mediators"), API_CREATE_IN_A, NEW_MEDIATOR),
    "api:mediation-mediator PATCH": ("PATCH", _r("api:mediation-mediator", A_MEDIATOR), API_A_WRITE, {"level": "3"}),
    "api:mediation-memberships": ("POST", _r("api:mediation-memberships", A_MEDIATOR), API_A_ADD, NEW_POSITION),
    "api:mediation-membership-end": ("POST", _r("api:mediation-membership-end", lambda w: w.membership_a.pk), API_A_WRITE, {}),
    "api:mediation-trainings": ("POST", _r("api:mediation-trainings", A_MEDIATOR), API_A_ADD, {"on": "2026-05-01", "title": "调解技巧", "hours": 3.5}),
}

COVERED_ROUTES = {name.split()[0] for name in ROUTES}
