"""Statutory deadlines: working days on the official Chinese calendar, or calendar days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import chinese_calendar

# The office's calendar day: the server may run on UTC, and between 16:00 and 24:00 UTC it is already tomorrow in China.
CHINA = ZoneInfo("Asia/Shanghai")


def is_workday(day: dt.date) -> bool:
    """True on official working days (adjusted weekend working days included, holidays excluded)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # A year the calendar package does not cover yet: Monday–Friday, less the holidays the statute fixes by
        # date. The lunar ones (春节, 清明, 端午, 中秋) and the year's exchanged working days come only with the State
        # Council's annual notice, so such dates are flagged for checking (uncovered_note).
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_DATE_HOLIDAYS


# 《全国年节及纪念日放假办法》第二条（2024年11月10日第四次修订）: 元旦 1月1日; 劳动节 5月1日、2日; 国庆节 10月1日至3日.
FIXED_DATE_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


def calendar_covers(day: dt.date) -> bool:
    """True when the official holiday arrangement of `day`'s year is loaded (chinese-calendar has the year)."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def uncovered_note(day: dt.date | None) -> str:
    """What a user must be told about a date counted on a calendar without that year's holidays ("" when covered).
    The State Council publishes each year's arrangement (元旦, 春节 … with the weekend days worked in exchange) late
    in the year before; until the package has it, is_workday counts Monday–Friday less the holidays fixed by date,
    and the lunar holidays and exchanged days are missing."""
    if day is None or calendar_covers(day):
        return ""
    return (
        f"{day.year}年法定节假日和调休安排尚未载入（日历数据收录至{last_covered_year()}年），"
        "此日期按周一至周五推算，除去《全国年节及纪念日放假办法》第二条按日期规定的元旦、劳动节、国庆节，"
        "春节、清明节、端午节、中秋节和调休未计入，请对照国务院办公厅当年节假日安排通知核对"
    )


def last_covered_year() -> int:
    """The last year whose official holiday arrangement the calendar package has (the bound its own date check
    uses: the latest year among its holidays)."""
    return max(chinese_calendar.holidays).year


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def add_calendar_days(start: dt.date, days: int, *, roll_to_workday: bool = True) -> dt.date:
    """`days` calendar days after `start`; a deadline on a holiday rolls to the next working day (民事诉讼法 rule)."""
    end = start + dt.timedelta(days=days)
    while roll_to_workday and not is_workday(end):
        end += dt.timedelta(days=1)
    return end


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]."""
    if end <= start:
        return 0
    return sum(1 for i in range(1, (end - start).days + 1) if is_workday(start + dt.timedelta(days=i)))


def shift_for_suspensions(
    deadline: dt.date, suspensions: Iterable[tuple[dt.date, dt.date | None]], *, today: dt.date | None = None
) -> dt.date:
    """Extend a deadline by the calendar days spent in suspension (an open suspension counts up to today)."""
    today = today or dt.datetime.now(CHINA).date()
    extra = 0
    for begin, end in suspensions:
        extra += ((end or today) - begin).days
    return deadline + dt.timedelta(days=extra)
