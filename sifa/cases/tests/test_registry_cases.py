"""Case creation, the workflow door, timeline, versions, soft delete."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sifa.audit.models import AuditEntry
from sifa.cases import codes, services
from sifa.cases.models import Case, CaseEvent, Party
from sifa.common.errors import Conflict, DomainError, PermissionRefused, Refused
from sifa.deadlines.models import Deadline

from .factories import make_case

pytestmark = pytest.mark.django_db


def snapshot(case):
    case = Case.all_objects.get(pk=case.pk)
    return (
        case.status,
        case.version,
        case.closed_on,
        case.outcome,
        CaseEvent.objects.filter(case=case).count(),
        list(Deadline.objects.filter(case=case).values_list("key", "due_date", "completed_on", "extended", "paused_since")),
    )


def test_create_assigns_code_sequence_and_first_event(orgs, users):
    c1 = make_case(users.office_a, orgs.office_a)
    c2 = make_case(users.office_a, orgs.office_a)
    assert codes.is_valid(c1.code) and c1.code.startswith(f"359901ZZ{c1.opened_on.year}000001")
    assert c2.seq == 2
    assert c1.bureau == orgs.bureau and c1.org_path == orgs.office_a.path
    ev = c1.events.get()
    assert ev.kind == "created" and ev.to_status == "registered" and ev.actor == users.office_a
    assert AuditEntry.objects.filter(action="case.create", object_id=str(c1.pk)).exists()
    # The review deadline started: 5 working days from the opening date.
    assert c1.deadlines.get(key="review").unit == "workday"
    assert Case.objects.get(pk=c1.pk).next_due is not None


def test_other_bureau_has_its_own_sequence(orgs, users):
    a = make_case(users.office_a, orgs.office_a)
    b = make_case(users.other_office, orgs.other_office)
    assert a.seq == 1 and b.seq == 1
    assert b.code.startswith("359902ZZ")


def test_office_user_cannot_create_in_another_office_and_nothing_is_written(orgs, users):
    before = (Case.all_objects.count(), Party.objects.count())
    with pytest.raises(PermissionRefused):
        make_case(users.office_a, orgs.office_b)
    with pytest.raises(PermissionRefused):
        make_case(users.leader, orgs.office_a)
    assert (Case.all_objects.count(), Party.objects.count()) == before
    assert AuditEntry.objects.filter(action="case.create", result="refused").count() == 2


def test_bad_party_refuses_the_whole_creation(orgs, users):
    before = (Case.all_objects.count(), Party.objects.count(), CaseEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        make_case(users.office_a, orgs.office_a, parties=[{"name": "张三"}, {"name": "李四", "id_number": "110105194912310021"}])
    assert "第2位当事人" in exc.value.message and "校验位" in exc.value.message
    assert (Case.all_objects.count(), Party.objects.count(), CaseEvent.objects.count()) == before


def test_future_opening_date_refused(orgs, users):
    with pytest.raises(DomainError):
        make_case(users.office_a, orgs.office_a, opened_on=timezone.localdate() + timedelta(days=1))


def test_transition_changes_status_logs_and_recomputes(orgs, users):
    case = make_case(users.office_a, orgs.office_a, opened_on=date(2026, 9, 1))
    services.transition(users.office_a, case, "accept", on=date(2026, 9, 2))
    case.refresh_from_db()
    assert case.status == "accepted" and case.version == 2
    ev = case.events.order_by("-id").first()
    assert (ev.from_status, ev.to_status, ev.transition) == ("registered", "accepted", "accept")
    review = case.deadlines.get(key="review")
    assert review.completed_on == date(2026, 9, 2)
    decide = case.deadlines.get(key="decide")
    # 60 days from 2026-09-02 is 2026-11-01, a Sunday → next working day 2026-11-02.
    assert decide.due_date == date(2026, 11, 2)
    assert AuditEntry.objects.filter(action="case.transition", object_id=str(case.pk), result="ok").exists()


@pytest.mark.parametrize(
    "who,name,kwargs,error",
    [
        ("office_a", "close", {}, Refused),  # guard: no agreement
        ("office_a", "resume", {}, Refused),  # wrong state
        ("office_a", "suspend", {}, Refused),  # reason required
        ("office_a", "extend", {}, PermissionRefused),  # approval needs the leader
        ("leader", "note", {}, PermissionRefused),  # leaders read
        ("office_a", "nope", {}, Refused),  # unknown step
    ],
)
def test_refused_transition_changes_nothing(orgs, users, who, name, kwargs, error):
    case = make_case(users.office_a, orgs.office_a)
    services.transition(users.office_a, case, "accept")
    before = snapshot(case)
    with pytest.raises(error) as exc:
        services.transition(getattr(users, who), case, name, **kwargs)
    assert exc.value.message  # a Chinese sentence
    assert snapshot(case) == before
    assert AuditEntry.objects.filter(action="case.transition", result="refused").exists()


def test_guard_message_is_the_lines_own(orgs, users):
    case = make_case(users.office_a, orgs.office_a)
    services.transition(users.office_a, case, "accept")
    with pytest.raises(Refused, match="没有协议"):
        services.transition(users.office_a, case, "close")
    services.transition(users.office_a, case, "close", data={"agreement": "双方和解"})
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome == "success" and case.closed_on == timezone.localdate()
    assert case.deadlines.get(key="decide").completed_on is not None


def test_other_office_transition_is_404_and_changes_nothing(orgs, users):
    from django.http import Http404

    case = make_case(users.office_a, orgs.office_a)
    before = snapshot(case)
    with pytest.raises(Http404):
        services.transition(users.office_b, case, "accept")
    assert snapshot(case) == before


def test_version_conflict(orgs, users):
    case = make_case(users.office_a, orgs.office_a)
    services.update_case(users.office_a, case, expected_version=1, title="新标题")
    before = snapshot(case)
    with pytest.raises(Conflict):
        services.update_case(users.office_a, case, expected_version=1, title="另一个标题")
    with pytest.raises(Conflict):
        services.transition(users.office_a, case, "accept", expected_version=1)
    assert snapshot(case) == before
    assert Case.objects.get(pk=case.pk).title == "新标题"


def test_soft_delete_and_restore(orgs, users):
    case = make_case(users.office_a, orgs.office_a)
    with pytest.raises(DomainError):
        services.soft_delete(users.office_a, case, reason="")
    services.soft_delete(users.office_a, case, reason="重复登记")
    assert not Case.objects.filter(pk=case.pk).exists()
    row = Case.all_objects.get(pk=case.pk)
    assert row.is_deleted and row.deleted_by == users.office_a and row.deleted_reason == "重复登记"
    services.restore(users.office_a, case.pk)
    assert Case.objects.filter(pk=case.pk).exists()
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[-2:] == ["deleted", "restored"]


def test_legal_hold_blocks_delete(orgs, users):
    case = make_case(users.office_a, orgs.office_a)
    Case.objects.filter(pk=case.pk).update(legal_hold=True)
    with pytest.raises(Refused):
        services.soft_delete(users.office_a, case, reason="x")
    assert Case.objects.filter(pk=case.pk).exists()


def test_doc_number_is_assigned_once_from_its_own_counter(orgs, users):
    from django.db import transaction

    case = make_case(users.office_a, orgs.office_a)
    with transaction.atomic():
        first = services.assign_doc_number(case, year=2026)
        again = services.assign_doc_number(case, year=2026)
    assert first == again == "测司测字〔2026〕第1号"


def test_imported_doc_numbers_advance_the_counter_never_back(orgs, users):
    from django.db import transaction

    first, second = make_case(users.office_a, orgs.office_a), make_case(users.office_a, orgs.office_a)
    with transaction.atomic():
        services.advance_doc_counter(first.case_type, orgs.bureau, 2026, 7)
        services.advance_doc_counter(first.case_type, orgs.bureau, 2026, 3)  # an older number: no effect
        assert services.assign_doc_number(first, year=2026) == "测司测字〔2026〕第8号"
        services.advance_doc_counter(first.case_type, orgs.bureau, 2025, 40)  # another year's counter
        assert services.assign_doc_number(second, year=2026) == "测司测字〔2026〕第9号"
