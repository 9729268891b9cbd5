"""归档: an archived case is read-only until it is reopened with a reason.

The test line has no archive step of its own, so its 已结案 state is declared
archived here (``Workflow.archived_states``, what a line names in its workflow)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sifa.attachments import services as attachments
from sifa.audit.models import AuditEntry
from sifa.cases import archive, parties, services
from sifa.cases.models import Case, CaseEvent, Party
from sifa.cases.tests.factories import make_case
from sifa.cases.tests.testline import KEY
from sifa.common.errors import DomainError, PermissionRefused, Refused
from sifa.kit import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(orgs, users, monkeypatch):
    monkeypatch.setattr(registry.case_type(KEY).workflow, "archived_states", frozenset({"closed"}))
    case = make_case(users.office_a, orgs.office_a, title="归档测试")
    services.transition(users.office_a, case, "accept")
    services.transition(users.office_a, case, "close", data={"agreement": "和解"})
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_on and archive.is_archived(case)
    return case


def _snapshot(case):
    case = Case.all_objects.get(pk=case.pk)
    return (
        case.status,
        case.version,
        case.title,
        case.closed_on,
        case.handler_id,
        case.is_deleted,
        CaseEvent.objects.filter(case=case).count(),
        Party.objects.filter(case=case).count(),
        case.attachments.count(),
    )


def test_only_the_declared_state_is_archived_and_lines_default_to_the_state_named_archived(orgs, users):
    assert registry.case_type(KEY).workflow.archived_states == frozenset()  # the test line has no "archived"
    assert registry.case_type("mediation").workflow.archived_states == frozenset({"archived"})
    case = make_case(users.office_a, orgs.office_a)
    assert not archive.is_archived(case)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda u, c: services.transition(u, c, "note"), id="step"),
        pytest.param(lambda u, c: services.update_case(u, c, expected_version=None, title="改了"), id="edit"),
        pytest.param(lambda u, c: parties.add_party(u, c, {"name": "李四", "role": "respondent"}), id="party-add"),
        pytest.param(lambda u, c: parties.update_party(u, c.parties.first(), {"name": "王五", "role": "applicant"}), id="party-edit"),
        pytest.param(lambda u, c: parties.remove_party(u, c.parties.first(), "多余"), id="party-remove"),
        pytest.param(lambda u, c: services.soft_delete(u, c, reason="不要了"), id="delete"),
        pytest.param(lambda u, c: attachments.upload(u, c.pk, SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")), id="attachment"),
    ],
)
def test_every_write_to_an_archived_case_is_refused_in_chinese_and_changes_nothing(archived, users, write):
    before = _snapshot(archived)
    with pytest.raises(DomainError) as exc:
        write(users.office_a, Case.objects.get(pk=archived.pk))
    assert exc.value.message == archive.READ_ONLY
    assert _snapshot(archived) == before


def test_a_refused_step_is_audited(archived, users):
    before = AuditEntry.objects.filter(action="case.transition", result="refused").count()
    with pytest.raises(Refused):
        services.transition(users.office_a, archived, "note")
    assert AuditEntry.objects.filter(action="case.transition", result="refused").count() == before + 1


def test_a_refused_edit_through_the_page_is_audited_and_nothing_changes(archived, users, client_for):
    before = _snapshot(archived)
    refusals = AuditEntry.objects.filter(action="case.write", result="refused", object_id=str(archived.pk)).count()
    client = client_for(users.office_a)
    data = {"title": "改了", "summary": "", "channel": "in_person", "opened_on": archived.opened_on.isoformat(), "version": archived.version}
    client.post(reverse("cases:edit", args=[archived.pk]), data)
    assert _snapshot(archived) == before
    # Recorded once the page has answered, outside the service's rolled-back transaction.
    assert AuditEntry.objects.filter(action="case.write", result="refused", object_id=str(archived.pk)).count() == refusals + 1


def test_the_page_offers_no_write_and_says_why(archived, users, client_for):
    html = client_for(users.office_a).get(reverse("cases:detail", args=[archived.pk])).content.decode()
    assert 'data-testid="archived-note"' in html
    for url in (reverse("cases:edit", args=[archived.pk]), reverse("cases:party_add", args=[archived.pk]), reverse("cases:delete", args=[archived.pk])):
        assert url not in html
    assert reverse("cases:reopen", args=[archived.pk]) not in html  # an office may not reopen
    assert services.allowed_steps(users.office_a, archived) == []
    staff = client_for(users.staff).get(reverse("cases:detail", args=[archived.pk])).content.decode()
    assert reverse("cases:reopen", args=[archived.pk]) in staff


def test_reopen_needs_a_reason_and_the_right_role(archived, users):
    before = _snapshot(archived)
    with pytest.raises(Refused) as exc:
        archive.reopen(users.staff, archived.pk, reason="  ")
    assert exc.value.field == "reason" and "理由" in exc.value.message
    with pytest.raises(PermissionRefused):
        archive.reopen(users.office_a, archived.pk, reason="补正材料")
    assert not archive.may_reopen(users.staff_other_line, archived) and not archive.may_reopen(users.stat_admin, archived)
    assert _snapshot(archived) == before
    assert AuditEntry.objects.filter(action="case.reopen", result="refused", object_id=str(archived.pk)).count() >= 2


@pytest.mark.parametrize("who", ["staff", "leader"])
def test_section_staff_or_a_leader_reopens_with_a_reason_on_the_record(archived, users, who):
    actor = getattr(users, who)
    case = archive.reopen(actor, archived.pk, reason="当事人补交履行证明")
    assert case.status == "accepted" and case.closed_on is None and not archive.is_archived(case)
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.transition, event.from_status, event.to_status, event.reason) == ("reopen", "closed", "accepted", "当事人补交履行证明")
    entry = AuditEntry.objects.filter(action="case.reopen", result="ok").latest("id")
    assert entry.object_id == str(case.pk) and entry.detail["reason"] == "当事人补交履行证明"
    # Open again: the handler may write and the line's own step archives it again.
    services.update_case(users.office_a, case.pk, expected_version=None, summary="补正")
    services.transition(users.office_a, case.pk, "close", data={"agreement": "和解"})
    assert archive.is_archived(Case.objects.get(pk=case.pk))


def test_reopen_through_the_page(archived, users, client_for):
    client = client_for(users.staff)
    url = reverse("cases:reopen", args=[archived.pk])
    assert client_for(users.office_a).get(url).status_code == 403
    assert client.get(url).status_code == 200
    resp = client.post(url, {"reason": "", "version": archived.version})
    assert resp.status_code == 400
    assert Case.objects.get(pk=archived.pk).status == "closed"
    resp = client.post(url, {"reason": "补正", "version": archived.version})
    assert resp.status_code == 302 and Case.objects.get(pk=archived.pk).status == "accepted"


def test_reopen_label_is_named_for_the_auditor():
    from sifa.audit.labels import action_label

    assert action_label("case.reopen") == "重新开启已归档案件"


# Who may open the reopen page and send it, on office A's archived case: a role that
# cannot see it gets 404 (as a missing case), one that sees but may not reopen 403.
REOPEN_MATRIX = {
    "staff": 200,
    "leader": 200,
    "office_a": 403,
    "stat_admin": 403,
    "office_b": 404,
    "other_office": 404,
    "other_leader": 404,
    "staff_other_line": 404,
    "mediator_a": 404,
    "lawyer": 404,
    "sysadmin": 404,
    "secadmin": 404,
    "auditor": 404,
}


@pytest.mark.parametrize("who, expected", sorted(REOPEN_MATRIX.items()))
def test_reopen_route_for_every_role(archived, users, who, expected):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = getattr(users, who)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=user, name="测试", confirmed=True).persistent_id
    session.save()
    url = reverse("cases:reopen", args=[archived.pk])
    assert client.get(url).status_code == expected
    before = _snapshot(archived)
    resp = client.post(url, {"reason": "补正", "version": archived.version})
    if expected == 200:
        assert resp.status_code == 302 and Case.objects.get(pk=archived.pk).status == "accepted"
    else:
        assert resp.status_code == expected and _snapshot(archived) == before
