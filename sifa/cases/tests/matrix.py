"""The access matrix shared by the core apps' access tests (cases, deadlines,
attachments): every role × its own office's record and another office's record.

``world`` builds three cases, each with a party and an attachment:

* ``a``  — a case of 司法所 A's committee, handled by office_a, with mediator_a and the lawyer assigned;
* ``b``  — 司法所 B's case, handled by office_b;
* ``x``  — a case of the neighbouring bureau.

For each role, ``own`` is a case the role's office owns (or is assigned to) and
``other`` one it must not see. Another office's record must answer exactly like
a missing one (same status, same body) on every path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sifa.cases import services
from sifa.cases.models import Case, CaseEvent, Party

from .factories import make_case

ROLES = ("leader", "staff", "office_a", "office_b", "mediator_a", "lawyer", "sysadmin", "secadmin", "auditor")
WRITERS = frozenset({"staff", "office_a", "office_b", "mediator_a"})  # HANDLE
READERS = frozenset({"leader", "lawyer"})  # see, may not change
REVEALERS = frozenset({"staff", "office_a", "office_b", "mediator_a", "lawyer"})
ADMINS = frozenset({"sysadmin", "secadmin", "auditor"})  # no case data at all
CASE_ROLES = WRITERS | READERS

ID_A, PHONE_A, ADDRESS_A = "11010519491231002X", "13812345678", "测试市测试区东湖街道幸福路88号3栋201"
ID_B, PHONE_B = "110105194912310038", "13900001111"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MISSING_PK = 987654321


@dataclass
class World:
    users: object
    orgs: object
    a: Case
    b: Case
    x: Case
    own: dict = field(default_factory=dict)
    other: dict = field(default_factory=dict)

    def user(self, role):
        return getattr(self.users, role)

    def party(self, case) -> Party:
        return case.parties.order_by("id").first()

    def attachment(self, case):
        return case.attachments.order_by("id").first()


def build_world(orgs, users) -> World:
    # Owned by A's mediation committee (under 司法所 A), so the assigned mediator sees it too.
    a = make_case(
        users.office_a,
        orgs.committee_a,
        title="A所相邻通行纠纷",
        parties=[{"name": "张三", "role": "applicant", "id_number": ID_A, "phone": PHONE_A, "address": ADDRESS_A}],
    )
    services.assign(users.office_a, a, users.mediator_a, role="mediator")
    services.assign(users.office_a, a, users.lawyer, role="lawyer")
    b = make_case(users.office_b, orgs.office_b, title="B所宅基地纠纷", parties=[{"name": "李四", "id_number": ID_B, "phone": PHONE_B}])
    x = make_case(users.other_office, orgs.other_office, title="邻区案件", parties=[{"name": "王五"}])
    from sifa.attachments import services as attachments

    for case, actor in ((a, users.office_a), (b, users.office_b), (x, users.other_office)):
        attachments.upload(actor, case.pk, SimpleUploadedFile("证据.pdf", PDF))
    w = World(users=users, orgs=orgs, a=a, b=b, x=x)
    for role in ROLES:
        w.own[role] = b if role == "office_b" else a
        w.other[role] = {"office_a": b, "mediator_a": b, "lawyer": b, "office_b": a}.get(role, x)
    return w


@pytest.fixture
def world(orgs, users):
    return build_world(orgs, users)


def snapshot(case) -> tuple:
    """Everything a refused request must leave as it was."""
    c = Case.all_objects.get(pk=case.pk)
    from sifa.attachments.models import Attachment
    from sifa.deadlines.models import Deadline

    return (
        c.status,
        c.version,
        c.title,
        c.summary,
        c.is_deleted,
        c.handler_id,
        c.next_due,
        CaseEvent.objects.filter(case=c).count(),
        sorted((p.pk, p.name, p.id_number, p.phone, p.address, p.role) for p in Party.objects.filter(case=c)),
        Attachment.objects.filter(case=c).count(),
        c.assignments.count(),
        list(Deadline.objects.filter(case=c).values_list("key", "due_date", "completed_on", "paused_since", "extended")),
    )


# Per request: the CSRF token (in forms, htmx headers and the idle warning) and the
# seconds left on the idle clock.
_VOLATILE = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|data-csrf="|data-remaining=")[^"]+|X-Request-ID: \w+')


def body(resp) -> str:
    """A response body without the per-request CSRF token, for comparisons."""
    if resp.get("Content-Type", "").startswith("application/json"):
        return resp.content.decode()
    return _VOLATILE.sub(r"\1", resp.content.decode(errors="replace"))


def assert_like_missing(resp_other, resp_missing):
    """Another office's record answers exactly like a missing one."""
    assert resp_other.status_code == resp_missing.status_code == 404, (resp_other.status_code, resp_missing.status_code)
    assert body(resp_other) == body(resp_missing)


def own_status(role: str, *, read: int = 200, write: int | None = None) -> int:
    """Expected status on the role's own record: admins see no case data (404);
    readers get ``read`` for a read and 403 for a write; writers ``write``."""
    if role in ADMINS:
        return 404
    if write is None:
        return read
    return write if role in WRITERS else 403


# --- the step buttons of a case page and the API's step catalogue ---------------------------------

BUTTON = re.compile(r'href="/cases/\d+/do/([\w-]+)/"')


def assert_buttons_are_the_catalogue(client, user, case) -> set[str]:
    """The case page's step buttons are exactly the API's step catalogue and the
    engine's allowed steps for ``user``; every step of the state that is not
    offered says why in Chinese, and every offered one has nothing against it.
    Returns the offered step names."""
    from django.urls import reverse

    from sifa.kit import registry

    case = Case.all_objects.get(pk=case.pk)
    ct = registry.case_type(case.case_type)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    buttons = set(BUTTON.findall(page))
    catalogue = {s["name"] for s in client.get(reverse(f"api:{ct.api_root}-steps", args=[case.pk])).json()}
    allowed = {t.name for t in services.allowed_steps(user, case)}
    assert buttons == catalogue == allowed, (case.status, buttons, catalogue, allowed)
    for t in ct.workflow.available_from(case.status):
        why = services.why_not(user, case, t)
        assert (why == "") == (t.name in allowed), (case.status, t.name, why)
        assert t.name in allowed or re.search(r"[\u4e00-\u9fff]", why), (case.status, t.name, why)
    return buttons
