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
        # Years the calendar package does not cover yet: plain Monday–Friday.
        return day.weekday() < 5


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
