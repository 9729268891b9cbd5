"""Procedures inside a case (kit.casework.SubProcedure), on the test line's 审批:
the office reviews (所内审查, 3 working days from opening), forwards it with its
opinion, the bureau decides (局审批, 5 working days). Its clocks run on the
working-day calendar; its buttons are the API's catalogue; a refusal changes
nothing; another office's answers like a missing one."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sifa.cases import procedures, services
from sifa.cases.models import CaseEvent, Procedure
from sifa.common.docgen import read_text
from sifa.common.errors import DomainError, PermissionRefused
from sifa.deadlines.models import Deadline

from .factories import make_case
from .matrix import assert_like_missing, snapshot

pytestmark = pytest.mark.django_db
D = date
_BUTTON = r'href="/cases/{pk}/procedures/{proc}/do/([\w-]+)/"'


def _accepted(users, orgs, on=D(2026, 2, 10)):
    case = make_case(users.office_a, orgs.office_a, opened_on=on)
    services.transition(users.office_a, case, "accept", on=on)
    return case


def _state(proc):
    p = Procedure.objects.get(pk=proc.pk)
    clocks = list(Deadline.objects.filter(procedure=p).order_by("key").values_list("key", "due_date", "completed_on"))
    return p.status, p.version, p.data, clocks, CaseEvent.objects.filter(case=p.case).count()


def test_an_approval_runs_its_own_clocks_on_the_working_day_calendar(users, orgs, client_for):
    case = _accepted(users, orgs)
    a = client_for(users.office_a)
    assert 'data-testid="procedure-open"' in a.get(reverse("cases:detail", args=[case.pk])).content.decode()
    proc = procedures.open_procedure(users.office_a, case, "approval", on=D(2026, 2, 12))
    review = Deadline.objects.get(procedure=proc)
    # Opened on Thursday 12 Feb 2026: Friday 13th, Saturday 14th (调休上班), then the Spring
    # Festival holiday (15–23 Feb) is skipped: the third working day is Tuesday 24th.
    assert (review.label, review.due_date) == ("审批：所内审查", D(2026, 2, 24))
    procedures.take_step(users.office_a, proc, "forward", data={"opinion": "符合条件"}, on=D(2026, 2, 24))
    proc.refresh_from_db()
    decision = Deadline.objects.get(procedure=proc, key__endswith=":decision")
    # 5 working days from 24 Feb: 25, 26, 27, Saturday 28th (调休上班), Monday 2 March.
    assert proc.status == "decision" and proc.data == {"opinion": "符合条件"} and decision.due_date == D(2026, 3, 2)
    assert Deadline.objects.get(pk=review.pk).completed_on == D(2026, 2, 24)
    # The office may not decide; the leader may, and the clock completes.
    before = _state(proc)
    with pytest.raises(PermissionRefused):
        procedures.take_step(users.office_a, proc, "approve")
    with pytest.raises(DomainError, match="理由"):
        procedures.take_step(users.leader, proc, "reject")
    assert _state(proc) == before
    procedures.take_step(users.leader, proc, "approve", on=D(2026, 2, 27))
    proc.refresh_from_db()
    assert (proc.status, proc.closed_on, proc.outcome) == ("approved", D(2026, 2, 27), "approved")
    assert CaseEvent.objects.filter(case=case, label="审批：批准").exists()
    doc = a.get(reverse("cases:procedure_document", args=[case.pk, proc.pk, "approval"]))
    assert doc.status_code == 200 and "符合条件" in read_text(doc.content)
    # Closed: no more steps; it may be opened again.
    case.refresh_from_db()  # ``_accepted``'s object predates the step
    assert procedures.allowed(users.leader, proc) == [] and [s.key for s in procedures.openable(users.office_a, case)] == ["approval"]


def test_buttons_are_the_catalogue_and_refusals_change_nothing(users, orgs, client_for):
    import re

    case = _accepted(users, orgs, on=D(2026, 3, 2))
    proc = procedures.open_procedure(users.office_a, case, "approval")
    for user, expected in ((users.office_a, {"forward"}), (users.leader, set()), (users.staff, {"forward"})):
        c = client_for(user)
        page = c.get(reverse("cases:detail", args=[case.pk])).content.decode()
        buttons = set(re.findall(_BUTTON.format(pk=case.pk, proc=proc.pk), page))
        api = c.get(reverse("api:cases-procedures", args=[case.pk])).json()["procedures"]
        assert buttons == {s["name"] for s in api[0]["steps"]} == expected, user.username
    before, case_before = _state(proc), snapshot(case)
    r = client_for(users.office_a).post(reverse("api:cases-procedure-step", args=[case.pk, proc.pk, "forward"]), {"data": {}}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "opinion"
    page_post = {"on": "2026-03-03", "version": proc.version}
    r = client_for(users.office_a).post(reverse("cases:procedure_step", args=[case.pk, proc.pk, "approve"]), page_post)
    assert r.status_code == 400 and "不能执行“批准”" in r.content.decode()  # not in this state
    r = client_for(users.leader).post(reverse("cases:procedure_step", args=[case.pk, proc.pk, "forward"]), page_post | {"opinion": "同意"})
    assert r.status_code == 403 and "您的角色不能执行" in r.content.decode()  # not this role's step
    with pytest.raises(DomainError):
        procedures.open_procedure(users.office_a, case, "approval")  # one at a time
    assert _state(proc) == before and snapshot(case) == case_before


def test_another_offices_procedure_answers_like_a_missing_one(users, orgs, client_for):
    case = _accepted(users, orgs, on=D(2026, 3, 2))
    proc = procedures.open_procedure(users.office_a, case, "approval")
    b = client_for(users.office_b)
    before = _state(proc)
    pairs = [
        ("GET", reverse("cases:procedure_step", args=[case.pk, proc.pk, "forward"]), reverse("cases:procedure_step", args=[987654321, 987654321, "forward"])),
        ("GET", reverse("cases:procedure_document", args=[case.pk, proc.pk, "approval"]), reverse("cases:procedure_document", args=[987654321, 1, "approval"])),
        ("GET", reverse("api:cases-procedures", args=[case.pk]), reverse("api:cases-procedures", args=[987654321])),
        ("POST", reverse("api:cases-procedures", args=[case.pk]), reverse("api:cases-procedures", args=[987654321])),
        ("POST", reverse("api:cases-procedure-step", args=[case.pk, proc.pk, "forward"]), reverse("api:cases-procedure-step", args=[987654321, 1, "forward"])),
        ("POST", reverse("cases:procedure_open", args=[case.pk, "approval"]), reverse("cases:procedure_open", args=[987654321, "approval"])),
    ]
    for method, theirs, missing in pairs:
        call = b.get if method == "GET" else (lambda url: b.post(url, {"key": "approval", "data": {"opinion": "x"}}, content_type="application/json"))
        assert_like_missing(call(theirs), call(missing))
    assert _state(proc) == before
