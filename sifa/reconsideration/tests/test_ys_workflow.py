"""Every step of the administrative-suit workflow, and refusals that change nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sifa.cases.models import CaseEvent
from sifa.common.errors import DomainError
from sifa.deadlines.models import Deadline
from sifa.reconsideration.choices import YsStatus
from sifa.reconsideration.models import Suit, SuitHearing, SuitJudgment

from .factories import fresh, make_suit, step

pytestmark = pytest.mark.django_db
SERVED = date(2026, 6, 1)


def snapshot(case):
    case = fresh(case)
    suit = Suit.objects.get(case=case)
    return (
        case.status,
        case.version,
        case.outcome,
        CaseEvent.objects.filter(case=case).count(),
        {k: v for k, v in suit.__dict__.items() if not k.startswith("_")},
        SuitHearing.objects.filter(case=case).count(),
        SuitJudgment.objects.filter(case=case).count(),
        list(Deadline.objects.filter(case=case).values_list("key", "due_date", "completed_on")),
    )


def refused(actor, case, name, on=None, match="", **data):
    before = snapshot(case)
    with pytest.raises(DomainError) as exc:
        step(actor, case, name, on, **data)
    assert snapshot(case) == before
    assert match in exc.value.message, exc.value.message


def test_registration(users):
    case = make_suit(users.staff, served_on=SERVED, filed_on=date(2026, 5, 28), related_code="")
    assert case.code[6:8] == "YS" and case.status == YsStatus.REGISTERED and case.title == "王五诉区公安分局行政处罚"
    assert case.owner_org == users.staff.org and case.suit.instance == "first"
    with pytest.raises(DomainError, match="关联复议案件编码"):
        make_suit(users.staff, served_on=SERVED, related_code="359901FY20260000019")
    with pytest.raises(DomainError, match="原告"):
        make_suit(users.staff, served_on=SERVED, parties=[{"role": "third_party", "name": "赵六"}])
    with pytest.raises(DomainError, match="法院立案日期"):
        make_suit(users.staff, served_on=SERVED, filed_on=date(2026, 6, 5))


def test_full_first_and_second_instance(users):
    case = make_suit(users.staff, served_on=SERVED)
    step(users.staff, case, "file_defence", date(2026, 6, 10), summary="答辩")
    assert fresh(case).status == YsStatus.IN_TRIAL and fresh(case).suit.defence_filed_on == date(2026, 6, 10)
    refused(users.staff, case, "schedule_hearing", date(2026, 6, 12), "开庭日期", hearing_date=date(2026, 6, 11), place="第一法庭")
    step(users.staff, case, "schedule_hearing", date(2026, 6, 12), hearing_date=date(2026, 6, 30), place="第一法庭", head_notified=True)
    assert fresh(case).suit.next_hearing_on == date(2026, 6, 30)
    # Head absent: someone entrusted, and a reason under SPC 2020 §8.
    refused(users.staff, case, "record_hearing", date(2026, 6, 30), "委托出庭的工作人员", held_on=date(2026, 6, 30), head_attended=False)
    refused(users.staff, case, "record_hearing", date(2026, 6, 30), "不能出庭的理由", held_on=date(2026, 6, 30), entrusted_name="法制科长")
    refused(users.staff, case, "record_hearing", date(2026, 6, 30), "出庭负责人姓名", held_on=date(2026, 6, 30), head_attended=True)
    step(
        users.staff,
        case,
        "record_hearing",
        date(2026, 6, 30),
        held_on=date(2026, 6, 30),
        entrusted_name="法制科长",
        absence_reason="duties",
        absence_note="出席全市会议",
    )
    step(users.staff, case, "record_hearing", date(2026, 7, 15), held_on=date(2026, 7, 15), head_attended=True, head_name="张副局长", head_title="副局长")
    hearings = list(SuitHearing.objects.filter(case=case).order_by("held_on"))
    assert [h.head_attended for h in hearings] == [False, True] and hearings[0].court_notified_head
    assert fresh(case).suit.next_hearing_on is None
    refused(users.staff, case, "record_judgment", date(2026, 8, 3), "送达日期", kind="revoke", judged_on=date(2026, 8, 3), served_on=date(2026, 8, 1))
    refused(
        users.staff, case, "record_judgment", date(2026, 8, 3), "只适用于二审", kind="dismiss_appeal", judged_on=date(2026, 8, 1), served_on=date(2026, 8, 3)
    )
    step(users.staff, case, "record_judgment", date(2026, 8, 3), kind="revoke", judged_on=date(2026, 8, 1), served_on=date(2026, 8, 3))
    j = SuitJudgment.objects.get(case=case)
    assert j.is_loss and j.instance == "first" and fresh(case).status == YsStatus.JUDGED
    step(
        users.staff,
        case,
        "appeal",
        date(2026, 8, 10),
        instance="second",
        appellant="agency",
        court="测试市中级人民法院",
        court_case_number="（2026）测01行终3号",
    )
    case = fresh(case)
    assert (case.status, case.suit.instance, case.suit.court) == (YsStatus.IN_TRIAL, "second", "测试市中级人民法院")
    assert Deadline.objects.get(case=case, key="appeal").completed_on == date(2026, 8, 10)
    step(users.staff, case, "record_hearing", date(2026, 9, 10), held_on=date(2026, 9, 10), head_attended=True, head_name="局长")
    step(users.staff, case, "record_judgment", date(2026, 10, 9), kind="amend_win", judged_on=date(2026, 10, 9), served_on=date(2026, 10, 9))
    assert not Deadline.objects.filter(case=case, key="appeal", completed_on__isnull=True).exists()
    step(users.staff, case, "close", date(2026, 10, 12))
    case = fresh(case)
    assert (case.status, case.outcome, case.closed_on) == (YsStatus.CLOSED, "amend_win", date(2026, 10, 12))
    assert SuitHearing.objects.filter(case=case, instance="second").count() == 1


def test_close_waits_for_the_appeal_window(users):
    today = timezone.localdate()
    case = make_suit(users.staff, served_on=today - timedelta(days=40))
    step(users.staff, case, "file_defence", today - timedelta(days=30))
    refused(users.staff, case, "close", today, "不能执行“裁判生效结案”")
    step(users.staff, case, "record_judgment", today, kind="dismiss_claim", judged_on=today - timedelta(days=2), served_on=today)
    refused(users.staff, case, "close", today, "上诉期至")
    assert fresh(case).status == YsStatus.JUDGED


def test_withdrawal_before_defence(users):
    case = make_suit(users.staff, served_on=SERVED)
    step(users.staff, case, "record_judgment", date(2026, 6, 8), kind="withdrawn", judged_on=date(2026, 6, 8), served_on=date(2026, 6, 8))
    assert Deadline.objects.get(case=case, key="defence").cancelled
    step(users.staff, case, "close", date(2026, 6, 9))
    assert fresh(case).outcome == "withdrawn"


def test_defence_only_once_and_read_only_roles(users):
    case = make_suit(users.staff, served_on=SERVED)
    from sifa.common.errors import PermissionRefused

    with pytest.raises(PermissionRefused):
        step(users.leader, case, "file_defence", date(2026, 6, 5))
    step(users.staff, case, "file_defence", date(2026, 6, 5))
    refused(users.staff, case, "schedule_hearing", date(2026, 6, 5), "开庭地点", hearing_date=date(2026, 6, 20))
