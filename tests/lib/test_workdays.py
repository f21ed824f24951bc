import datetime as dt

from ipplatform.lib import workdays

D = dt.date


def test_spring_festival_2025():
    # Holiday 28 Jan – 4 Feb 2025; Sunday 26 Jan is an adjusted working day.
    assert workdays.add_working_days(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert workdays.add_working_days(D(2025, 1, 24), 2) == D(2025, 1, 27)
    assert workdays.add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)
    assert workdays.add_working_days(D(2025, 1, 24), 5) == D(2025, 2, 7)


def test_national_day_2025():
    # Holiday 1–8 Oct 2025; Saturday 11 Oct is an adjusted working day.
    assert workdays.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert workdays.add_working_days(D(2025, 9, 30), 3) == D(2025, 10, 11)


def test_calendar_days_roll_over_holidays():
    assert workdays.add_calendar_days(D(2025, 9, 16), 15) == D(2025, 10, 9)  # 1 Oct falls in the holiday
    assert workdays.add_calendar_days(D(2025, 9, 16), 15, roll_to_workday=False) == D(2025, 10, 1)


def test_working_days_between_and_suspensions():
    assert workdays.working_days_between(D(2025, 1, 24), D(2025, 2, 5)) == 3
    deadline = workdays.shift_for_suspensions(
        D(2025, 3, 1), [(D(2025, 1, 10), D(2025, 1, 20)), (D(2025, 2, 1), None)], today=D(2025, 2, 4)
    )
    assert deadline == D(2025, 3, 14)


def test_a_year_without_the_official_arrangement_is_flagged():
    """The calendar package covers years up to the one whose arrangement it shipped with: dates after it are counted
    Monday–Friday and say so; dates before it say nothing."""
    from ipplatform.lib.workdays import calendar_covers, last_covered_year, uncovered_note

    last = last_covered_year()
    assert last >= 2026
    assert calendar_covers(dt.date(last, 12, 31)) and uncovered_note(dt.date(last, 12, 31)) == ""
    first_gap = dt.date(last + 1, 1, 4)
    assert not calendar_covers(first_gap)
    note = uncovered_note(first_gap)
    assert f"{last + 1}年法定节假日" in note and f"收录至{last}年" in note and "周一至周五" in note
    assert uncovered_note(None) == ""


def test_a_year_without_the_arrangement_still_rests_on_the_holidays_fixed_by_date():
    """《全国年节及纪念日放假办法》第二条 fixes 元旦 (1 January), 劳动节 (1–2 May) and 国庆节 (1–3 October) by date: they
    are rest days even before the year's arrangement is loaded; other weekdays count."""
    from ipplatform.lib.workdays import last_covered_year

    year = last_covered_year() + 1
    for month, day in [(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)]:
        assert not workdays.is_workday(dt.date(year, month, day))
    weekday_after = next(d for d in (dt.date(year, 1, 2) + dt.timedelta(days=i) for i in range(7)) if d.weekday() < 5)
    assert workdays.is_workday(weekday_after)
    # the last working day of the covered years plus one working day skips 1 January
    last_covered_workday = max(
        d for d in (dt.date(year - 1, 12, 31) - dt.timedelta(days=i) for i in range(10)) if workdays.is_workday(d)
    )
    assert workdays.add_working_days(last_covered_workday, 1) == weekday_after
