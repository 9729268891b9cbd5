"""A restricted line's export (社区矫正) needs a second person's approval: the
request writes no file, its requester cannot approve it, another exporter of the
same bureau can; offices' roles cannot export it at all; every other export
leaves restricted cases out. Requests and decisions are audited."""

import pytest
from django.apps import apps
from django.urls import reverse

from sifa.accounts.roles import Role
from sifa.accounts.tests.factories import UserFactory
from sifa.audit.models import AuditEntry
from sifa.kit import registry

from .conftest import receive

pytestmark = pytest.mark.django_db

# The kernel's export jobs, read by name (a line imports no ledgers module).
ExportJob = apps.get_model("ledgers", "ExportJob")
AWAITING, DONE, FAILED = "awaiting", "done", "failed"


@pytest.fixture
def world(orgs, users):
    officer = UserFactory(username="officer_x", role="correction_officer", org=orgs.office_a)
    person = receive(officer, orgs.office_a)
    second = UserFactory(username="staff_2", role=Role.SECTION, org=orgs.bureau, lines=[ct.key for ct in registry.case_types()])
    return officer, person, second


def test_a_restricted_export_waits_for_a_second_person(world, users, client_for):
    officer, person, second = world
    c = client_for(users.staff)
    url = reverse("ledgers:export") + "?source=correction"
    page = c.get(url)
    assert page.status_code == 200 and "提交导出申请" in page.content.decode()
    r = c.post(url, {})
    job = ExportJob.objects.get(user=users.staff)
    assert r.status_code == 302 and job.status == AWAITING and not job.file
    assert c.get(reverse("ledgers:export_download", args=[job.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="ledger.export_request", user=users.staff).exists()
    # Not the requester, not another bureau, not a role without the line.
    for who in (users.staff, users.other_leader):
        assert client_for(who).post(reverse("ledgers:export_approvals"), {"job": job.pk, "decision": "approve"}).status_code in (400, 404)
    assert ExportJob.objects.get(pk=job.pk).status == AWAITING
    listing = client_for(second).get(reverse("ledgers:export_approvals")).content.decode()
    assert job.label in listing
    assert client_for(second).post(reverse("ledgers:export_approvals"), {"job": job.pk, "decision": "approve"}).status_code == 302
    job.refresh_from_db()
    assert job.status == DONE and job.row_count == 1 and job.params["approved_by"].startswith(second.display_name)
    assert AuditEntry.objects.filter(action="ledger.export_approve", user=second).exists()
    assert c.get(reverse("ledgers:export_download", args=[job.pk])).status_code == 200


def test_a_refusal_needs_a_reason_and_ends_the_request(world, users, client_for):
    _, _, second = world
    client_for(users.staff).post(reverse("ledgers:export") + "?source=correction", {})
    job = ExportJob.objects.get(user=users.staff)
    r = client_for(second).post(reverse("ledgers:export_approvals"), {"job": job.pk, "decision": "refuse"})
    assert r.status_code == 400 and "理由" in r.content.decode()
    assert ExportJob.objects.get(pk=job.pk).status == AWAITING
    client_for(second).post(reverse("ledgers:export_approvals"), {"job": job.pk, "decision": "refuse", "reason": "超出工作需要"})
    job.refresh_from_db()
    assert job.status == FAILED and "未获批准" in job.message and not job.file


def test_offices_cannot_export_and_other_exports_leave_the_line_out(world, users, client_for):
    officer, person, _ = world
    for who in (officer, users.office_a):
        assert client_for(who).get(reverse("ledgers:export") + "?source=correction").status_code == 404
    # The leader's export of all cases runs at once and holds no correction case.
    r = client_for(users.leader).post(reverse("ledgers:export") + "?source=list", {})
    job = ExportJob.objects.get(user=users.leader)
    assert r.status_code == 302 and job.status == DONE
    from openpyxl import load_workbook

    wb = load_workbook(job.file.open("rb"))
    assert person.code not in str([c.value for row in wb.worksheets[0].iter_rows() for c in row])


def test_the_jobs_page_and_the_approvals_page_by_role(world, users, client_for):
    _, _, second = world
    for who, code in ((users.leader, 200), (second, 200), (users.office_a, 200), (users.mediator_a, 404), (users.sysadmin, 404)):
        assert client_for(who).get(reverse("ledgers:export_approvals")).status_code == code, who.username
