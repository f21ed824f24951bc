"""Due dates checked against hand-computed dates across the Spring Festival and National Day holidays.

chinese-calendar 1.11 covers 2004–2026 (the official 2027 arrangement is not published yet); for uncovered years
lib.workdays falls back to Monday–Friday less the holidays fixed by date (tests/lib/test_workdays.py), so the
hand-computed cases below use 2025 and 2026.
Holidays used: 2025 春节 1/28–2/4 (调休上班 1/26 周日、2/8 周六); 2025 国庆中秋 10/1–10/8 (上班 9/28 周日、10/11 周六);
2026 春节 2/15–2/23 (上班 2/14 周六、2/28 周六); 2026 国庆 10/1–10/7 (上班 9/20 周日、10/10 周六).
"""

import datetime as dt

import chinese_calendar
import pytest

from ipplatform.protection.deadlines import add_months, due_date, earliest_after_notice

D = dt.date


def test_calendar_covers_the_years_used():
    assert chinese_calendar.is_holiday(D(2026, 2, 17)) and chinese_calendar.is_workday(D(2026, 2, 14))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 2, 8))


@pytest.mark.parametrize(
    "start,amount,unit,expected,why",
    [
        # 5 working days over 2026 春节: 2/13(1) 2/14 Sat 调休(2) [2/15–2/23 off] 2/24(3) 2/25(4) 2/26(5)
        (D(2026, 2, 12), 5, "wd", D(2026, 2, 26), "受理审查 over 2026 Spring Festival"),
        # 5 working days over 2025 国庆: 9/28 Sun 调休(1) 9/29(2) 9/30(3) [10/1–10/8 off] 10/9(4) 10/10(5)
        (D(2025, 9, 26), 5, "wd", D(2025, 10, 10), "送达 over 2025 National Day"),
        # 5 working days over 2026 国庆: 9/29(1) 9/30(2) [10/1–10/7] 10/8(3) 10/9(4) 10/10 Sat 调休(5)
        (D(2026, 9, 28), 5, "wd", D(2026, 10, 10), "over 2026 National Day"),
        # 15 calendar days from 9/20/2025 end on 10/5 (holiday) → next working day 10/9
        (D(2025, 9, 20), 15, "cd", D(2025, 10, 9), "答辩期 ending in National Day"),
        # 15 working days over 2025 春节: 1/21–1/24(4) 1/26 Sun(5) 1/27(6) [1/28–2/4] 2/5–2/7(9) 2/8 Sat(10) 2/10–2/14(15)
        (D(2025, 1, 20), 15, "wd", D(2025, 2, 14), "假冒立案审查 over 2025 Spring Festival"),
        # the same plus the 15-working-day extension: 2/17–2/21(20) 2/24–2/28(25) 3/3–3/7(30)
        (D(2025, 1, 20), 30, "wd", D(2025, 3, 7), "立案审查 extended"),
        # 90 calendar days from 7/4/2025 = 10/2 (holiday) → 10/9
        (D(2025, 7, 4), 90, "cd", D(2025, 10, 9), "假冒处理决定 ending in National Day"),
        # 3 months from 7/8/2025 = 10/8 (holiday) → 10/9
        (D(2025, 7, 8), 3, "month", D(2025, 10, 9), "结案期限 3 months"),
        # 2 working days from Friday 2026-02-13: 2/14 Sat 调休(1) 2/24(2)
        (D(2026, 2, 13), 2, "wd", D(2026, 2, 24), "平台判定请求 over Spring Festival"),
        # 3 calendar days from 2026-02-13 = 2/16 (holiday) → 2/24
        (D(2026, 2, 13), 3, "cd", D(2026, 2, 24), "负责人审批 3 days"),
    ],
)
def test_due_dates_hand_computed(start, amount, unit, expected, why):
    assert due_date(start, amount, unit) == expected, why


def test_suspension_excluded_from_working_days():
    # suspended 9/29–10/8 (resumed 10/9): 10/9(1) 10/10 Sat 调休(2) 10/12(3) 10/13(4) 10/14(5)
    assert due_date(D(2026, 9, 28), 5, "wd", [(D(2026, 9, 29), D(2026, 10, 9))]) == D(2026, 10, 14)


def test_suspension_extends_months_and_rolls_past_weekend():
    # 3 months from 7/8/2025 = 10/8; 10 suspended days (8/1–8/10) → 10/18 Saturday → Monday 10/20
    assert due_date(D(2025, 7, 8), 3, "month", [(D(2025, 8, 1), D(2025, 8, 11))]) == D(2025, 10, 20)


def test_open_suspension_stops_the_clock_and_earlier_ones_do_not_count():
    assert due_date(D(2026, 3, 2), 5, "wd", [(D(2026, 3, 3), None)]) is None
    assert due_date(D(2026, 3, 2), 5, "wd", [(D(2026, 1, 5), D(2026, 1, 20))]) == D(2026, 3, 9)


def test_hearing_notice_three_working_days():
    # noticed on 2/12/2026: 2/13(1) 2/14 Sat 调休(2) 2/24(3) → the hearing may be held on 2/24 at the earliest
    assert earliest_after_notice(D(2026, 2, 12), 3) == D(2026, 2, 24)


def test_add_months_clamps_to_month_end():
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)


@pytest.mark.parametrize(
    "days,text", [(3, "剩余3天"), (1, "剩余1天"), (0, "今天到期"), (-1, "已过1天"), (-3, "已过3天")]
)
def test_days_left_read_as_words_never_as_a_negative_remainder(days, text):
    from ipplatform.protection.services import days_left_text

    assert days_left_text(days) == text
