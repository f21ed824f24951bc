"""The legal-state rules on worked dates: term by type and compensation, 细则 art 5 months, grace period, surcharge, fees."""

import datetime as dt
from types import SimpleNamespace

import pytest

from ipplatform.patents import legalstate as ls

D = dt.date


class _Events(list):
    def all(self):
        return self


def fake(
    *, patent_type="invention", app=D(2016, 5, 4), grant=D(2017, 1, 10), events=(), compensation=0, publication=None
):
    evs = _Events(
        SimpleNamespace(
            pk=i + 1,
            date=d,
            code=c,
            description=(rest[0] if rest else ""),
            reference=(rest[1] if len(rest) > 1 else ""),
        )
        for i, (d, c, *rest) in enumerate(events)
    )
    return SimpleNamespace(
        patent_type=patent_type,
        application_date=app,
        grant_date=grant,
        publication_date=publication,
        term_compensation_days=compensation,
        legal_events=evs,
    )


# ---------------------------------------------------------------- term (专利法 art 42)


@pytest.mark.parametrize(
    "ptype,app,end",
    [
        ("invention", D(2015, 3, 1), D(2035, 3, 1)),
        ("utility", D(2015, 3, 1), D(2025, 3, 1)),
        ("design", D(2021, 5, 31), D(2031, 5, 31)),  # filed before the 2020 amendment took effect: 10 years
        ("design", D(2021, 6, 1), D(2036, 6, 1)),  # from 2021-06-01: 15 years
        ("invention", D(2020, 2, 29), D(2040, 2, 29)),  # leap year to leap year
        ("utility", D(2016, 2, 29), D(2026, 2, 28)),  # 29 Feb into a non-leap year: 28 Feb (细则 art 5)
    ],
)
def test_term_end_by_type(ptype, app, end):
    assert ls.term_end(application_date=app, patent_type=ptype) == end


def test_term_compensation_days_extend_the_term():
    p = fake(app=D(2015, 3, 1), compensation=100)
    assert ls.term_end_of(patent=p) == D(2035, 6, 9)
    assert ls.term_end(application_date=None, patent_type="invention") is None


@pytest.mark.django_db
def test_patent_valid_at_counts_compensation():
    from ipplatform.patents.models import Patent

    p = Patent.objects.create(
        id="2015100000011",
        patent_type="invention",
        title="t",
        application_date=D(2005, 3, 1),
        grant_date=D(2008, 1, 1),
        source="manual",
    )
    assert not p.valid_at(D(2025, 3, 1))
    p.term_compensation_days = 30
    assert p.term_end == D(2025, 3, 31) and p.valid_at(D(2025, 3, 30)) and not p.valid_at(D(2025, 3, 31))


# ---------------------------------------------------------------- months (细则 art 5) and the grace period (art 115)


@pytest.mark.parametrize(
    "day,months,end",
    [
        (D(2023, 3, 1), 6, D(2023, 9, 1)),
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # no 31 February: last day of the month, a leap year
        (D(2022, 8, 31), 6, D(2023, 2, 28)),  # non-leap year
        (D(2023, 12, 31), 2, D(2024, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
    ],
)
def test_add_months_art5(day, months, end):
    assert ls.add_months(day, months) == end


@pytest.mark.parametrize(
    "due,end",
    [
        (D(2023, 3, 1), D(2023, 9, 1)),  # the worked date: not 08-31 (183 days)
        (D(2023, 8, 31), D(2024, 2, 29)),  # the worked date
        (D(2024, 4, 1), D(2024, 10, 8)),  # 2024-10-01..07 National Day holiday: next working day
        (D(2024, 3, 7), D(2024, 9, 9)),  # 2024-09-07 is a Saturday
        (D(2021, 2, 28), D(2021, 8, 30)),  # 2021-08-28 Saturday
    ],
)
def test_grace_end(due, end):
    assert ls.grace_end(due=due) == end


@pytest.mark.parametrize(
    "year,day", [(2021, D(2021, 2, 28)), (2023, D(2023, 2, 28)), (2024, D(2024, 2, 29)), (2028, D(2028, 2, 29))]
)
def test_anniversary_of_29_february_filing(year, day):
    assert ls.anniversary(application_date=D(2020, 2, 29), year=year) == day


def test_fee_due_dates_start_after_grant_and_stop_at_term():
    dues = ls.fee_due_dates(
        application_date=D(2016, 5, 4), grant_date=D(2017, 1, 10), until=D(2030, 1, 1), term_end=D(2026, 5, 4)
    )
    assert dues[0] == D(2017, 5, 4) and dues[-1] == D(2025, 5, 4) and len(dues) == 9


@pytest.mark.parametrize(
    "paid_on,percent",
    [
        (D(2023, 3, 1), 0),
        (D(2023, 4, 1), 0),  # within one whole month: none
        (D(2023, 4, 2), 5),
        (D(2023, 5, 1), 5),
        (D(2023, 5, 2), 10),
        (D(2023, 8, 2), 25),
        (D(2023, 9, 1), 25),  # the sixth month: 25 %
    ],
)
def test_surcharge_percent(paid_on, percent):
    assert ls.surcharge_percent(due=D(2023, 3, 1), paid_on=paid_on) == percent


# ---------------------------------------------------------------- fee status on a day


def test_fee_status_states():
    assert ls.fee_status(patent=fake(), on=D(2026, 1, 1)).state == "no_records"
    assert ls.fee_status(patent=fake(grant=None), on=D(2026, 1, 1)).state == "not_granted"
    paid = fake(events=[(D(2024, 4, 20), "fee_paid"), (D(2025, 4, 20), "fee_paid")])
    s = ls.fee_status(patent=paid, on=D(2026, 1, 1))
    assert (s.state, s.due, s.next_due) == ("paid", D(2025, 5, 4), D(2026, 5, 4))
    unpaid = fake(events=[(D(2024, 4, 20), "fee_paid")])
    s = ls.fee_status(patent=unpaid, on=D(2025, 11, 4))  # last day of grace
    assert (s.state, s.due, s.grace_end, s.surcharge_percent) == ("in_grace", D(2025, 5, 4), D(2025, 11, 4), 25)
    s = ls.fee_status(patent=unpaid, on=D(2025, 11, 5))
    assert (s.state, s.lapsed_on) == ("lapsed", D(2025, 5, 4))  # lapsed on the due date (细则 art 115)
    assert "2025-05-04起终止" in s.text
    late = fake(events=[(D(2024, 4, 20), "fee_paid"), (D(2025, 10, 1), "fee_paid")])  # paid late within grace
    assert ls.fee_status(patent=late, on=D(2026, 1, 1)).state == "paid"


# ---------------------------------------------------------------- open events


def test_open_events_pair_by_reference_then_in_order():
    p = fake(
        events=[
            (D(2024, 1, 1), "pledge", "质权人甲银行", "finance.pledge:1"),
            (D(2024, 2, 1), "pledge", "质权人乙银行", "finance.pledge:2"),
            (D(2024, 3, 1), "pledge_release", "", "finance.pledge:2"),
        ]
    )
    assert ls.pledge_event(patent=p, on=D(2024, 4, 1)).reference == "finance.pledge:1"
    assert ls.pledge_event(patent=p, on=D(2023, 12, 31)) is None
    q = fake(events=[(D(2024, 1, 1), "pledge"), (D(2024, 3, 1), "pledge_release")])
    assert (
        ls.pledge_event(patent=q, on=D(2024, 2, 29)) is not None and ls.pledge_event(patent=q, on=D(2024, 3, 1)) is None
    )


def test_preservation_suspension_and_exclusive_licence():
    p = fake(
        events=[
            (D(2024, 1, 1), "preservation"),
            (D(2024, 6, 1), "preservation_end"),
            (D(2024, 7, 1), "suspension", "权属纠纷请求中止"),
            (D(2024, 9, 1), "suspension_end"),
            (D(2024, 3, 1), "license", "独占许可：甲许可乙"),
            (D(2024, 4, 1), "license", "排他许可"),
        ]
    )
    assert ls.preservation_event(patent=p, on=D(2024, 5, 31)) and not ls.preservation_event(patent=p, on=D(2024, 6, 1))
    assert ls.suspension_event(patent=p, on=D(2024, 8, 1)) and not ls.suspension_event(patent=p, on=D(2024, 9, 1))
    assert ls.exclusive_licence_event(patent=p, on=D(2024, 5, 1)).description.startswith("独占")
    assert ls.exclusive_licence_event(patent=p, on=D(2024, 3, 15), include_sole=False) is not None
    assert ls.exclusive_licence_event(patent=p, on=D(2024, 2, 1)) is None


def test_every_rule_carries_an_article():
    assert all(r.article and r.label and r.text for r in ls.RULES.values())
    assert any("第一百一十五条" in row["article"] for row in ls.rules_table())
