"""The working-day calendar and the period rules, against the statutes:

* 行政复议法 §88: "三日、五日、七日、十日" are working days (no official holidays);
* 民事诉讼法 §85: the start day is not counted; a period whose last day is an
  official rest day ends on the first day after it.

The holiday table is the one the migration seeds from ``chinese-calendar``
(2026: 春节 2026-02-15..23 off, 2026-02-14 and 2026-02-28 make-up working days;
国庆 2026-10-01..07 off; 劳动节 2026-05-01..05 off).
"""

from datetime import date

import pytest

from sifa.deadlines import calendar
from sifa.deadlines.calendar import add_months, add_workdays, compute_due, is_workday, subtract_workdays, workdays_between

pytestmark = pytest.mark.django_db

D = date


@pytest.mark.parametrize(
    "day,expected",
    [
        (D(2026, 2, 13), True),  # Friday before Spring Festival
        (D(2026, 2, 14), True),  # Saturday, make-up working day (调休上班)
        (D(2026, 2, 15), False),  # Sunday, first day of the holiday
        (D(2026, 2, 16), False),  # Monday inside the holiday
        (D(2026, 2, 21), False),  # Saturday inside the holiday
        (D(2026, 2, 23), False),  # last day of the holiday (Monday)
        (D(2026, 2, 24), True),  # back to work
        (D(2026, 2, 28), True),  # Saturday, make-up working day
        (D(2026, 3, 1), False),  # ordinary Sunday
        (D(2026, 3, 7), False),  # ordinary Saturday
        (D(2026, 10, 1), False),  # National Day
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # Saturday make-up working day after National Day
    ],
)
def test_is_workday(day, expected):
    assert is_workday(day) is expected


@pytest.mark.smoke
@pytest.mark.parametrize(
    "received,n,due",
    [
        # An application received the Friday before Spring Festival: the make-up
        # Saturday counts, the nine holiday days do not.
        (D(2026, 2, 13), 3, D(2026, 2, 25)),  # 14 → 24 → 25
        (D(2026, 2, 13), 5, D(2026, 2, 27)),  # 14, 24, 25, 26, 27 (受理审查 §30)
        (D(2026, 2, 12), 5, D(2026, 2, 26)),  # 13, 14, 24, 25, 26
        (D(2026, 2, 13), 7, D(2026, 3, 2)),  # … 27, 28 (make-up Saturday), 3-2
        (D(2026, 2, 13), 10, D(2026, 3, 5)),
        # The start day is never counted, even when it is itself a working day.
        (D(2026, 3, 2), 1, D(2026, 3, 3)),
        # Received on a Saturday: counting starts on Monday.
        (D(2026, 3, 7), 1, D(2026, 3, 9)),
        # Received during National Day: the first working day after the holiday is day 1.
        (D(2026, 10, 3), 1, D(2026, 10, 8)),
        # 10-8 (Thu) 1, 10-9 (Fri) 2, 10-10 (make-up Saturday) 3, 10-12 (Mon) 4, 10-13 (Tue) 5
        (D(2026, 9, 30), 5, D(2026, 10, 13)),
        (D(2026, 11, 20), 0, D(2026, 11, 20)),
    ],
)
def test_add_workdays(received, n, due):
    assert add_workdays(received, n) == due


def test_workday_helpers_are_consistent():
    start = D(2026, 2, 10)
    for n in range(0, 25):
        end = add_workdays(start, n)
        assert workdays_between(start, end) == n
        assert is_workday(end) or n == 0
    assert workdays_between(D(2026, 2, 27), D(2026, 2, 13)) == -5
    assert subtract_workdays(D(2026, 2, 24), 1) == D(2026, 2, 14)
    assert subtract_workdays(D(2026, 2, 24), 2) == D(2026, 2, 13)


@pytest.mark.smoke
@pytest.mark.parametrize(
    "start,amount,unit,due,nominal",
    [
        # 民事诉讼法 §85: 60 days from 2026-09-02 is Sunday 11-01 → Monday 11-02.
        (D(2026, 9, 2), 60, "day", D(2026, 11, 2), D(2026, 11, 1)),
        # A last day inside a holiday period moves past the whole holiday.
        (D(2026, 9, 1), 30, "day", D(2026, 10, 8), D(2026, 10, 1)),
        (D(2026, 9, 22), 15, "day", D(2026, 10, 8), D(2026, 10, 7)),
        (D(2026, 3, 2), 60, "day", D(2026, 5, 6), D(2026, 5, 1)),  # 劳动节 5-1..5
        # A last day on a make-up working day is a working day: it stays.
        (D(2026, 2, 13), 15, "day", D(2026, 2, 28), D(2026, 2, 28)),
        # An ordinary Saturday moves to Monday.
        (D(2026, 3, 6), 15, "day", D(2026, 3, 23), D(2026, 3, 21)),
        # The start day is not counted.
        (D(2026, 3, 2), 1, "day", D(2026, 3, 3), D(2026, 3, 3)),
        # Months: the same day-number, or the month's last day when it does not exist.
        (D(2026, 1, 31), 1, "month", D(2026, 2, 28), D(2026, 2, 28)),  # 2-28 is a make-up Saturday
        (D(2024, 1, 31), 1, "month", D(2024, 2, 29), D(2024, 2, 29)),  # leap year
        (D(2023, 12, 31), 2, "month", D(2024, 2, 29), D(2024, 2, 29)),
        (D(2026, 7, 31), 1, "month", D(2026, 8, 31), D(2026, 8, 31)),
        (D(2026, 3, 31), 1, "month", D(2026, 4, 30), D(2026, 4, 30)),
        (D(2026, 5, 31), 1, "month", D(2026, 6, 30), D(2026, 6, 30)),
        (D(2026, 9, 1), 1, "month", D(2026, 10, 8), D(2026, 10, 1)),  # ends on National Day
        (D(2025, 11, 15), 3, "month", D(2026, 2, 24), D(2026, 2, 15)),  # ends inside Spring Festival
        (D(2026, 2, 13), 5, "workday", D(2026, 2, 27), D(2026, 2, 27)),
    ],
)
def test_compute_due(start, amount, unit, due, nominal):
    res = compute_due(start, amount, unit)
    assert (res.due, res.nominal) == (due, nominal)
    assert res.provisional is False
    assert res.rule
    if due != nominal:
        assert "顺延" in res.rule


def test_rule_text_explains_itself():
    assert "第八十五条" in compute_due(D(2026, 9, 2), 60, "day").rule
    assert "开始之日不计入" in compute_due(D(2026, 9, 2), 60, "day").rule
    assert "工作日" in compute_due(D(2026, 2, 13), 5, "workday").rule
    assert "调休" in compute_due(D(2026, 2, 13), 5, "workday").rule


def test_add_months_end_of_month_rules():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2026, 1, 31), 3) == D(2026, 4, 30)
    assert add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)
    assert add_months(D(2026, 2, 28), 12) == D(2027, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


def test_pause_is_added_before_the_rest_day_rule():
    # 60 days from 3-2 is 5-1 (holiday); a 10-day pause makes it 5-11 (a Monday).
    assert compute_due(D(2026, 3, 2), 60, "day", paused_days=10).due == D(2026, 5, 11)
    # 8 days of pause: nominal 5-9 is a make-up Saturday → stays.
    assert compute_due(D(2026, 3, 2), 60, "day", paused_days=8).due == D(2026, 5, 9)
    # Working days: the pause is in working days.
    assert compute_due(D(2026, 2, 12), 10, "workday", paused_days=3).due == D(2026, 3, 9)
    assert "中止" in compute_due(D(2026, 2, 12), 10, "workday", paused_days=3).rule


def test_a_year_the_package_does_not_know_is_provisional():
    assert calendar.is_known_year(2026)
    assert not calendar.is_known_year(2027)
    res = compute_due(D(2026, 11, 20), 60, "day")
    assert res.due.year == 2027 and res.provisional is True
    assert compute_due(D(2026, 11, 2), 5, "workday").provisional is False


def test_bad_arguments():
    with pytest.raises(ValueError):
        compute_due(D(2026, 1, 1), -1, "day")
    with pytest.raises(ValueError):
        compute_due(D(2026, 1, 1), 1, "week")


def test_edited_table_is_seen_after_invalidate():
    from sifa.deadlines.models import Holiday

    assert is_workday(D(2026, 12, 1))
    Holiday.objects.create(date=D(2026, 12, 1), kind="holiday", name="测试")
    calendar.invalidate()
    assert not is_workday(D(2026, 12, 1))
