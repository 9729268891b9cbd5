"""Every clock of both lines, computed by the statute across holidays and make-up
working days (行政复议法 §88: 3/5/7/10 days are working days; 15/30/60 days follow
民事诉讼法 §85). Dates checked by hand against the 2025/2026 State Council holiday
arrangements (2026: 春节 2-15…2-23 with make-up Saturdays 2-14 and 2-28;
劳动节 5-1…5-5 with make-up Saturday 5-9; 端午 6-19…6-21; 国庆 10-1…10-7 with make-up 10-10)."""

from __future__ import annotations

from datetime import date

import pytest

from sifa.deadlines.models import Deadline

from .factories import accepted, make_application, make_suit, step

pytestmark = pytest.mark.django_db


def due(case, key):
    return Deadline.objects.get(case=case, key=key).due_date


def test_review_across_the_spring_festival_2026(users):
    # Thu 2-12 received: Fri 2-13 (1), Sat 2-14 make-up (2), 2-15…2-23 holiday, 2-24 (3), 2-25 (4), 2-26 (5).
    case = make_application(users.staff, received_on=date(2026, 2, 12))
    assert due(case, "review") == date(2026, 2, 26)


def test_review_across_the_spring_festival_2025(users):
    # Fri 1-24 received: Sun 1-26 make-up (1), Mon 1-27 (2), 1-28…2-4 holiday, 2-5 (3), 2-6 (4), 2-7 (5).
    case = make_application(users.staff, received_on=date(2025, 1, 24))
    assert due(case, "review") == date(2025, 2, 7)


def test_accepted_before_the_festival_copy_and_decision(users):
    case = make_application(users.staff, received_on=date(2026, 2, 12))
    step(users.staff, case, "accept", date(2026, 2, 25), procedure="ordinary")
    # 7 working days: 2-26, 2-27, 2-28 (make-up Saturday), 3-2, 3-3, 3-4, 3-5.
    assert due(case, "copy") == date(2026, 3, 5)
    # 60 days: 2-25 + 60 = 4-26, a Sunday → Monday 4-27.
    dl = Deadline.objects.get(case=case, key="decision")
    assert dl.due_date == date(2026, 4, 27) and "顺延至2026-04-27" in dl.rule_text


def test_sixtieth_day_on_a_plain_saturday_and_on_a_holiday(users):
    a = accepted(users, date(2026, 8, 31), on=date(2026, 9, 1))
    assert due(a, "decision") == date(2026, 11, 2)  # 9-1 + 60 = 10-31 (Saturday) → 11-2
    b = accepted(users, date(2026, 3, 2), on=date(2026, 3, 4))
    assert due(b, "decision") == date(2026, 5, 6)  # 3-4 + 60 = 5-3 (劳动节) → 5-6


def test_reply_ten_working_days_from_service_across_national_day(users):
    case = accepted(users, date(2026, 9, 21), on=date(2026, 9, 22))
    step(users.staff, case, "send_copy", date(2026, 9, 23), served_on=date(2026, 9, 24))
    # 9-25…9-27 and 10-1…10-7 are holidays; 9-28, 9-29, 9-30, 10-8, 10-9, 10-10 (make-up), 10-12, 10-13, 10-14, 10-15.
    assert due(case, "reply") == date(2026, 10, 15)


def test_simplified_procedure_clocks(users):
    case = accepted(users, date(2026, 6, 15), on=date(2026, 6, 16), procedure="simplified", ground="warning")
    assert due(case, "copy") == date(2026, 6, 22)  # 3 working days: 6-17, 6-18, (6-19…21 端午) 6-22
    assert due(case, "decision") == date(2026, 7, 16)  # 30 days
    step(users.staff, case, "send_copy", date(2026, 6, 17))
    assert due(case, "reply") == date(2026, 6, 25)  # 5 working days: 6-18, 6-22, 6-23, 6-24, 6-25


def test_extension_and_suspension_together(users):
    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    step(users.staff, case, "suspend", date(2026, 3, 10), ground="other_case")
    step(users.staff, case, "resume", date(2026, 3, 30))
    step(users.staff, case, "request_extension", date(2026, 4, 20), days=30, grounds="复杂")
    step(users.leader, case, "approve_extension", date(2026, 4, 21))
    dl = Deadline.objects.get(case=case, key="decision")
    # 3-3 + 60 + 30 (extension) + 20 (suspended 3-10…3-30) = 6-21 (端午, Sunday) → 6-22.
    assert (dl.amount, dl.extended, dl.paused_days, dl.due_date) == (60, 30, 20, date(2026, 6, 22))


def test_suspension_limit_on_a_make_up_saturday(users):
    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    step(users.staff, case, "suspend", date(2026, 3, 10), ground="death")
    assert due(case, "suspension_limit") == date(2026, 5, 9)  # 3-10 + 60 = 5-9, a make-up working Saturday


def test_correction_period_and_its_extension(users):
    case = make_application(users.staff, received_on=date(2026, 9, 24))
    step(users.staff, case, "request_correction", date(2026, 9, 25), items="补充证据", served_on=date(2026, 9, 28))
    # From 9-28: 9-29, 9-30, 10-8, 10-9, 10-10 (make-up), 10-12, 10-13, 10-14, 10-15, 10-16.
    assert due(case, "correction") == date(2026, 10, 16)
    step(users.staff, case, "extend_correction", date(2026, 10, 12), days=2, grounds="邮寄在途")
    assert due(case, "correction") == date(2026, 10, 20)


def test_opinion_feedback_sixty_days(users):
    case = accepted(users, date(2026, 3, 2), on=date(2026, 3, 3))
    step(users.staff, case, "issue_opinion", date(2026, 3, 5), kind="suggestion", addressee="market", content="建议", served_on=date(2026, 3, 6))
    assert due(case, "opinion_feedback") == date(2026, 5, 6)  # 3-6 + 60 = 5-5 (劳动节) → 5-6


def test_litigation_defence_and_appeal(users):
    case = make_suit(users.staff, served_on=date(2026, 9, 17))
    assert due(case, "defence") == date(2026, 10, 8)  # 9-17 + 15 = 10-2 (国庆) → 10-8
    step(users.staff, case, "file_defence", date(2026, 9, 30))
    assert Deadline.objects.get(case=case, key="defence").completed_on == date(2026, 9, 30)
    step(users.staff, case, "record_judgment", date(2026, 11, 2), kind="revoke", judged_on=date(2026, 10, 28), served_on=date(2026, 11, 2))
    assert due(case, "appeal") == date(2026, 11, 17)  # judgment: 15 days from service


def test_ruling_appeal_is_ten_days_and_mediation_has_none(users):
    a = make_suit(users.staff, served_on=date(2026, 9, 1))
    step(users.staff, a, "record_judgment", date(2026, 11, 2), kind="dismiss_suit", judged_on=date(2026, 10, 30), served_on=date(2026, 11, 2))
    assert due(a, "appeal") == date(2026, 11, 12)
    b = make_suit(users.staff, served_on=date(2026, 9, 1))
    step(users.staff, b, "record_judgment", date(2026, 11, 2), kind="withdrawn", judged_on=date(2026, 10, 30), served_on=date(2026, 11, 2))
    assert not Deadline.objects.filter(case=b, key="appeal").exists()
