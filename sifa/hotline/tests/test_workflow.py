"""A work order from the call to its close: answered on the call, or dispatched,
signed for, replied to and called back; its time limit by type on the
working-day calendar (real holidays and make-up days); extension before
expiry; 催办 once overdue and 通报 after a further period; 退回 and 重办; every
不满意 called back and reviewed. Every refusal changes nothing."""

from datetime import date

import pytest

from sifa.cases import selectors as case_selectors
from sifa.cases.models import Case, CaseShare
from sifa.cases.services import transition
from sifa.cases.settle import settle
from sifa.common.errors import DomainError, PermissionRefused
from sifa.deadlines import selectors as dl
from sifa.deadlines.models import Deadline

from ..choices import CallbackWay, Category, Kind, Satisfaction, Status, Target
from ..selectors import todo
from ..services import register

pytestmark = pytest.mark.django_db

CALLER = {"role": "caller", "name": "张三", "phone": "13800000001"}


def _order(operator, center, **kw):
    fields = {"owner_org": center, "parties": [CALLER], "summary": "单位拖欠三个月工资，怎么办？", "category": Category.LABOUR, "opened_on": date(2026, 9, 30)}
    return register(operator, **(fields | kw))


def _clock(case, key="handle"):
    return Deadline.objects.filter(case=case, key=key).order_by("-id").first()


def _state(case):
    case = Case.all_objects.get(pk=case.pk)
    rec = case.record
    fields = [f.name for f in rec._meta.fields]
    return (
        case.status,
        case.version,
        case.closed_on,
        case.events.count(),
        tuple(getattr(rec, f) for f in fields),
        tuple(Deadline.objects.filter(case=case).values_list("key", "due_date", "completed_on", "extended", "cancelled")),
        tuple(CaseShare.objects.filter(case=case).values_list("org_id", "active", "can_write")),
    )


def test_a_call_answered_on_the_spot_is_closed_at_once(operator, center):
    case = _order(operator, center, answer="可向劳动保障监察机构投诉，或申请劳动仲裁。", satisfaction=Satisfaction.SATISFIED, opened_on=None)
    case.refresh_from_db()
    rec = case.record
    assert case.status == Status.CLOSED and case.closed_on == case.opened_on and case.outcome == "answered"
    assert rec.answered_on_spot and rec.satisfaction == Satisfaction.SATISFIED and rec.answer.startswith("可向")
    assert _clock(case).completed_on == case.opened_on  # answered within the limit
    assert case.handler == operator and case.parties.get().role == "caller"


def test_time_limits_by_type_over_national_day_and_its_make_up_day(operator, center):
    # 2026-09-30 (Wed); 10-01..10-07 off; 10-10 (Sat) a make-up working day.
    consult = _order(operator, center)
    complaint = _order(operator, center, kind=Kind.COMPLAINT)
    urgent = _order(operator, center, kind=Kind.HELP, urgent=True)
    assert consult.status == Status.ACCEPTED
    assert _clock(consult).due_date == date(2026, 10, 10)  # 3 working days: 10-08, 10-09, 10-10
    assert _clock(complaint).due_date == date(2026, 10, 23)  # 13 working days
    assert _clock(urgent).due_date == date(2026, 9, 30)  # the same day
    # Overdue: on the organ's overdue list and the dashboard's, not the handling unit's figures.
    assert consult.pk in {d.case_id for d in dl.overdue(operator)}
    from sifa.stats.selectors import deadlines

    assert consult.code in {d.case.code for d in deadlines(operator, center, limit=50)["overdue"]}


def test_dispatch_sign_reply_callback_close(operator, center, users, orgs):
    case = _order(operator, center, parties=[CALLER, {"role": "respondent", "name": "某公司"}])
    office = users.office_a
    assert not case_selectors.visible_to(office).filter(pk=case.pk).exists()
    transition(operator, case, "dispatch", data={"target": Target.OFFICE, "org": orgs.office_a.pk, "instructions": "请联系诉求人"}, on=date(2026, 9, 30))
    rec = Case.objects.get(pk=case.pk).record
    assert (rec.dispatched_to, rec.target, rec.dispatched_on) == (orgs.office_a, Target.OFFICE, date(2026, 9, 30))
    # The office sees it as its to-do, may work on it, but it stays the front desk's order.
    assert list(todo(office)) == [case] and case_selectors.works_on(office, Case.objects.get(pk=case.pk))
    assert not case_selectors.visible_to(users.office_b).filter(pk=case.pk).exists()
    transition(office, case, "sign", on=date(2026, 10, 8))
    transition(office, case, "reply", data={"answer": "已联系，协助申请劳动仲裁。", "contacted": True}, on=date(2026, 10, 9))
    case.refresh_from_db()
    assert case.status == Status.REPLIED and _clock(case).completed_on == date(2026, 10, 9)
    assert _clock(case, "callback").due_date == date(2026, 10, 10)  # the next working day (a make-up Saturday)
    assert list(todo(office)) == []
    # The office cannot call back and close: the callback is the front desk's.
    transition(operator, case, "callback", data={"way": CallbackWay.PHONE, "satisfaction": Satisfaction.BASIC, "note": "基本满意"}, on=date(2026, 10, 10))
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closed_on == date(2026, 10, 10) and case.record.satisfaction == Satisfaction.BASIC
    assert _clock(case, "callback").completed_on == date(2026, 10, 10)


def test_refused_dispatches_change_nothing(operator, center, orgs):
    case = _order(operator, center)
    before = _state(case)
    for data, field in (
        ({"target": Target.OFFICE, "org": orgs.committee_a.pk}, "人民调解委员会"),
        ({"target": Target.LAW_FIRM, "firm": " "}, "律师事务所名称"),
        ({"target": Target.OFFICE}, "司法所"),
        ({"target": Target.OFFICE, "org": orgs.other_office.pk}, "承办单位"),  # another bureau's office is not offered
    ):
        with pytest.raises(DomainError) as exc:
            transition(operator, case, "dispatch", data=data, on=date(2026, 9, 30))
        assert exc.value.message, field
        assert _state(case) == before
    # A law firm (not in the tree): its name is kept, nothing is shared.
    transition(operator, case, "dispatch", data={"target": Target.LAW_FIRM, "firm": "某某律师事务所"}, on=date(2026, 9, 30))
    assert Case.objects.get(pk=case.pk).record.dispatched_to_name == "某某律师事务所" and not CaseShare.objects.filter(case=case).exists()


def test_a_returned_order_goes_back_to_the_front_desk(operator, center, users, orgs):
    case = _order(operator, center)
    transition(operator, case, "dispatch", data={"target": Target.OFFICE, "org": orgs.office_a.pk}, on=date(2026, 9, 30))
    before = _state(case)
    with pytest.raises(DomainError, match="退回理由"):
        transition(users.office_a, case, "return_order", on=date(2026, 10, 8))
    assert _state(case) == before
    transition(users.office_a, case, "return_order", reason="不属于本所辖区", on=date(2026, 10, 8))
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.record.returns == 1 and case.record.dispatched_to is None
    # The office keeps a read-only view of what it returned.
    assert case_selectors.visible_to(users.office_a).filter(pk=case.pk).exists()
    assert not case_selectors.works_on(users.office_a, case)


def test_extension_before_expiry_approved_by_the_front_desk(operator, center, users, orgs):
    case = _order(operator, center)
    transition(operator, case, "dispatch", data={"target": Target.OFFICE, "org": orgs.office_a.pk}, on=date(2026, 9, 30))
    transition(users.office_a, case, "sign", on=date(2026, 10, 8))
    before = _state(case)
    with pytest.raises(DomainError, match="不能超过"):
        transition(users.office_a, case, "request_extension", data={"days": 30, "extension_reason": "需调取材料"}, on=date(2026, 10, 9))
    assert _state(case) == before
    transition(users.office_a, case, "request_extension", data={"days": 5, "extension_reason": "需现场核实"}, on=date(2026, 10, 9))
    before = _state(case)
    with pytest.raises(DomainError, match="派单单位"):
        transition(users.office_a, case, "approve_extension", data={"days": 5}, on=date(2026, 10, 9))
    with pytest.raises(DomainError, match="不能多于"):
        transition(operator, case, "approve_extension", data={"days": 6}, on=date(2026, 10, 9))
    assert _state(case) == before
    transition(operator, case, "approve_extension", data={"days": 3}, on=date(2026, 10, 9))
    clock = _clock(case)
    assert clock.extended == 3 and clock.due_date == date(2026, 10, 14)  # 10-10 + 3 working days: 10-12, 10-13, 10-14
    assert Case.objects.get(pk=case.pk).record.extended_days == 3


def test_extension_requested_after_expiry_is_refused(operator, center, users, orgs):
    case = _order(operator, center)
    transition(operator, case, "dispatch", data={"target": Target.OFFICE, "org": orgs.office_a.pk}, on=date(2026, 9, 30))
    transition(users.office_a, case, "sign", on=date(2026, 10, 8))
    before = _state(case)
    with pytest.raises(DomainError, match="届满前申请"):
        transition(users.office_a, case, "request_extension", data={"days": 2, "extension_reason": "晚了"}, on=date(2026, 10, 12))
    assert _state(case) == before


def test_remind_when_overdue_then_escalate_after_five_more_working_days(operator, center, orgs):
    case = _order(operator, center)
    transition(operator, case, "dispatch", data={"target": Target.OFFICE, "org": orgs.office_a.pk}, on=date(2026, 9, 30))
    before = _state(case)
    with pytest.raises(DomainError, match="未超过办理时限"):
        transition(operator, case, "remind", on=date(2026, 10, 10))
    with pytest.raises(DomainError, match="催办后"):
        transition(operator, case, "escalate", on=date(2026, 10, 12))
    assert _state(case) == before
    transition(operator, case, "remind", data={"note": "请加快办理"}, on=date(2026, 10, 12))
    assert _clock(case, "escalation").due_date == date(2026, 10, 19)
    with pytest.raises(DomainError, match="尚未届满"):
        transition(operator, case, "escalate", on=date(2026, 10, 19))
    # The nightly settlement records the 通报 as the system the day after.
    settle(date(2026, 10, 21))
    case.refresh_from_db()
    assert case.record.escalated_on == date(2026, 10, 20) and case.record.reminders == 1
    assert case.events.filter(label__startswith="通报").exists()


def test_every_unsatisfied_rating_is_called_back_and_reviewed(operator, center):
    case = _order(operator, center, answer="可以申请劳动仲裁。", satisfaction=Satisfaction.UNSATISFIED)
    names = lambda: {s["name"] for s in _steps(operator, case)}  # noqa: E731
    assert {"revisit", "redo"} <= names() and "uphold" not in names()
    assert _clock(case, "revisit").due_date == date(2026, 10, 8)
    transition(operator, case, "revisit", data={"way": CallbackWay.PHONE, "satisfaction": Satisfaction.UNSATISFIED, "note": "仍不满意"}, on=date(2026, 10, 8))
    assert _clock(case, "review").due_date == date(2026, 10, 12)
    before = _state(case)
    with pytest.raises(DomainError):
        transition(operator, case, "revisit", data={"way": CallbackWay.PHONE, "satisfaction": Satisfaction.SATISFIED}, on=date(2026, 10, 8))
    assert _state(case) == before
    transition(operator, case, "uphold", data={"note": "已依法答复，不满意系诉求超出法律规定"}, on=date(2026, 10, 9))
    case.refresh_from_db()
    assert case.record.reviewed_on == date(2026, 10, 9) and case.status == Status.CLOSED
    assert not {"uphold", "redo", "revisit"} & names()


def test_redo_reopens_the_order_and_its_time_limit(operator, center, users, orgs):
    case = _order(operator, center)
    transition(operator, case, "dispatch", data={"target": Target.OFFICE, "org": orgs.office_a.pk}, on=date(2026, 9, 30))
    transition(users.office_a, case, "sign", on=date(2026, 10, 8))
    transition(users.office_a, case, "reply", data={"answer": "已答复。"}, on=date(2026, 10, 8))
    transition(operator, case, "callback", data={"way": CallbackWay.PHONE, "satisfaction": Satisfaction.UNSATISFIED}, on=date(2026, 10, 9))
    transition(operator, case, "redo", reason="诉求人反映未联系本人，复核属实", on=date(2026, 10, 12))
    case.refresh_from_db()
    rec = case.record
    assert case.status == Status.ACCEPTED and case.closed_on is None and rec.redos == 1 and rec.satisfaction == ""
    assert rec.reviewed_on == date(2026, 10, 12)
    assert _clock(case).due_date == date(2026, 10, 15) and _clock(case).completed_on is None  # 3 working days again
    assert _clock(case, "review").completed_on == date(2026, 10, 12)


def test_a_redo_needs_a_reason_the_steps_allow(operator, center):
    case = _order(operator, center, answer="可以申请劳动仲裁。", satisfaction=Satisfaction.SATISFIED)
    before = _state(case)
    with pytest.raises(DomainError, match="只有不满意"):
        transition(operator, case, "redo", reason="想重办", on=date(2026, 10, 8))
    assert _state(case) == before


def test_reading_roles_cannot_take_steps(operator, center, users):
    case = _order(operator, center)
    before = _state(case)
    with pytest.raises(PermissionRefused):
        transition(users.leader, case, "answer", data={"answer": "领导不答复"}, on=date(2026, 9, 30))
    assert _state(case) == before


def _steps(user, case):
    from sifa.cases.services import allowed_steps

    return [{"name": t.name} for t in allowed_steps(user, Case.objects.get(pk=case.pk))]
