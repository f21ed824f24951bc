"""Reporting periods of a plan year: months ('2015-03') or quarters ('2015-Q1')."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .enums import Frequency

KEY_RE = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$")


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: dt.date
    end: dt.date


def _month(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(f"{year}-{month:02d}", f"{year}年{month}月", dt.date(year, month, 1), dt.date(year, month, last))


def _quarter(year: int, q: int) -> Period:
    start = dt.date(year, 3 * q - 2, 1)
    end_month = 3 * q
    return Period(
        f"{year}-Q{q}", f"{year}年第{q}季度", start, dt.date(year, end_month, calendar.monthrange(year, end_month)[1])
    )


def periods_of(year: int, frequency: str) -> list[Period]:
    """All reporting periods of a year, in order."""
    if frequency == Frequency.QUARTERLY:
        return [_quarter(year, q) for q in range(1, 5)]
    return [_month(year, m) for m in range(1, 13)]


def period_of(day: dt.date, frequency: str) -> Period:
    """The period containing a day."""
    if frequency == Frequency.QUARTERLY:
        return _quarter(day.year, (day.month - 1) // 3 + 1)
    return _month(day.year, day.month)


def parse_key(key: str) -> Period | None:
    """'2015-03' or '2015-Q1' -> Period; None when malformed."""
    m = KEY_RE.match((key or "").strip())
    if not m:
        return None
    year = int(m.group(1))
    return _month(year, int(m.group(2))) if m.group(2) else _quarter(year, int(m.group(3)))


def due_period(year: int, frequency: str, as_of: dt.date) -> Period | None:
    """The latest period of the year that has ended by `as_of` (its report is due); None before the first ends."""
    ended = [p for p in periods_of(year, frequency) if p.end <= as_of]
    return ended[-1] if ended else None


def year_fraction(year: int, as_of: dt.date) -> float:
    """Share of the plan year elapsed at `as_of` (0 before it starts, 1 after it ends)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if as_of < start:
        return 0.0
    if as_of >= end:
        return 1.0
    return ((as_of - start).days + 1) / ((end - start).days + 1)
