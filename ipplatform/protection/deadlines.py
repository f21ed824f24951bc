"""Due dates of statutory time limits: working days on the official calendar or calendar days, suspensions excluded.

Counting rules (hand-checkable):
- working days ("wd"): the start day is not counted; each later official working day that is not suspended counts one.
- calendar days ("cd"): the start day is not counted; each later day that is not suspended counts one; a period that ends
  on a holiday or rest day ends on the next working day (期间届满的最后一日是节假日的，以节假日后的第一日为期间届满的日期).
- months ("month"): the same day of the month `n` months later (clamped to the month's end), moved on by the days
  suspended in between, then rolled to a working day like calendar days.
- hours ("hour"): anchor time plus `n` hours.
A suspension [begin, end) stops counting from its first day up to the day before resumption; an open suspension
(no end) stops the clock, so no due date can be fixed and `due_date` returns None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ipplatform.lib.workdays import is_workday
from ipplatform.patents.legalstate import add_months  # noqa: F401 - months as 细则 art 5; re-exported

Periods = Iterable[tuple[dt.date, dt.date | None]]


def _suspended(day: dt.date, periods: list[tuple[dt.date, dt.date | None]]) -> bool:
    return any(begin <= day and (end is None or day < end) for begin, end in periods)


def _roll(day: dt.date) -> dt.date:
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def due_date(start: dt.date, amount: int, unit: str, suspensions: Periods = ()) -> dt.date | None:
    """The last day of a period of `amount` units counted from `start`, skipping suspended days."""
    periods = sorted((b, e) for b, e in suspensions if e is None or e > start)
    if any(e is None for _, e in periods):
        return None
    if unit == "hour":
        return (
            start + dt.timedelta(hours=amount)
            if isinstance(start, dt.datetime)
            else start + dt.timedelta(days=(amount + 23) // 24)
        )
    if unit == "month":
        end = add_months(start, amount)
        counted = start
        while True:  # each suspended day in (start, end] pushes the end one day further
            extra = sum(
                1 for i in range((end - counted).days) if _suspended(counted + dt.timedelta(days=i + 1), periods)
            )
            if not extra:
                break
            counted, end = end, end + dt.timedelta(days=extra)
        return _roll(end)
    day, remaining = start, amount
    while remaining > 0:
        day += dt.timedelta(days=1)
        if _suspended(day, periods):
            continue
        if unit == "wd" and not is_workday(day):
            continue
        remaining -= 1
    return _roll(day) if unit == "cd" else day


def earliest_after_notice(notice: dt.date, working_days: int) -> dt.date:
    """The earliest date an event may be held when it must be noticed `working_days` working days before."""
    return due_date(notice, working_days, "wd")
