"""The legal state of a patent, in one place: statutory term, open legal events, annual fees and their grace period.

Every rule here is data in `RULES` with its article, shown to users on the rules page; the functions apply them.
Everything above `patents` (finance, market, analytics, navigation, protection) imports this module; it imports
nothing above `patents`, so the legal state never needs a finance or market model.

Public API (keyword-only, stable — other branches build on it):

- `RULES` — `{code: Rule(code, label, article, text)}`; `rules_table()` — the rows of the rules page.
- `add_months(day, months)` / `add_years(day, years)` — period arithmetic of 专利法实施细则 art 5: the matching day
  of the last month, or that month's last day when it has none (2023-08-31 + 6 months = 2024-02-29).
- `term_end(*, application_date, patent_type, compensation_days=0)` — the day the term ends (the patent is no longer
  in force from that day on): 20/10/15 years from filing by type (designs filed before 2021-06-01: 10), plus the
  term-compensation days CNIPA registered (专利法 art 42(2)(3)).
- `term_end_of(*, patent)` — the same for a Patent (reads `patent.term_compensation_days`).
- `grant_date_of(*, patent)` — grant date; for utility models and designs the grant publication.
- `open_events(*, events, start_codes, end_codes, on=None)` — start events not closed by an end event by `on`
  (paired by `reference` where both carry one, else first opened first closed).
- `pledge_event(*, patent, on)`, `licence_events(*, patent, on)`, `exclusive_licence_event(*, patent, on, include_sole=True)`,
  `preservation_event(*, patent, on)`, `suspension_event(*, patent, on)` — the open event of each kind, or None / [].
- `anniversary(*, application_date, year)` — the filing anniversary in a calendar year (29 Feb → 28 Feb in
  non-leap years).
- `fee_due_dates(*, application_date, grant_date, until, term_end=None)` — annual-fee due dates (each filing
  anniversary after the grant, 细则 art 115(1)) up to `until` inclusive.
- `grace_end(*, due)` — last day of the six-month grace period (细则 art 115 with art 5; a last day on a rest day
  or holiday moves to the next working day).
- `surcharge_percent(*, due, paid_on)` — 滞纳金 as a percentage of that year's full annual fee: 5 % for each whole
  month by which payment exceeds the due date (0 within the first month, 25 % in the sixth).
- `fee_status(*, patent, on)` — `FeeStatus` on a day: state `no_records` / `paid` / `in_grace` / `lapsed` /
  `not_granted`, with the due date, grace end, surcharge and the day the right lapsed (the due date, 细则 art 115).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ipplatform.lib.workdays import is_workday

from .enums import LegalEventCode, PatentType


@dataclass(frozen=True)
class Rule:
    """A statutory rule as data, shown to users with its article (also used by protection.law)."""

    code: str
    label: str
    article: str
    text: str
    enforced: bool | str = True  # True: checked when a step is taken; "document": written into a document; False: shown


_RULES = [
    Rule(
        "term",
        "专利权期限",
        "专利法第四十二条第一款",
        "发明专利权二十年，实用新型专利权十年，外观设计专利权十五年，均自申请日起计算",
    ),
    Rule(
        "term_design_2021",
        "外观设计十五年期限的适用",
        "专利法（2020年修正）施行日2021年6月1日；专利法实施细则（2023年修订）过渡办法",
        "2021年6月1日（含）以后申请的外观设计专利权期限为十五年，此前申请的为十年",
    ),
    Rule(
        "term_compensation",
        "专利权期限补偿",
        "专利法第四十二条第二款、第三款；专利法实施细则第七十七条至第八十四条",
        "国务院专利行政部门登记的补偿天数计入专利权期限（授权审查不合理延迟、新药上市审评审批占用的时间）",
    ),
    Rule(
        "period_months",
        "以月、年计算的期限",
        "专利法实施细则第五条",
        "期限第一日不计算在内；以月或年计算的，以最后一月的相应日为届满日，该月无相应日的以该月最后一日为届满日；"
        "届满日是法定休假日的，以休假日后的第一个工作日为届满日",
    ),
    Rule(
        "fee_due",
        "年费缴纳期限",
        "专利法第四十三条；专利法实施细则第一百一十五条第一款",
        "授予专利权当年以后的年费应当在上一年度期满前缴纳，即申请日在该年的相应日（2月29日申请的，平年为2月28日）",
    ),
    Rule(
        "fee_grace",
        "年费滞纳期（六个月）",
        "专利法实施细则第一百一十五条第二款、第五条",
        "未缴或未缴足的，可自应当缴纳年费期满之日起六个月内补缴（如2023-03-01到期的，滞纳期至2023-09-01）",
    ),
    Rule(
        "fee_surcharge",
        "年费滞纳金",
        "专利法实施细则第一百一十五条第二款",
        "每超过规定的缴费时间一个月，加收当年全年年费的5%：超过不足一个月（含一个整月）的不收，超过五个月至六个月的收25%",
    ),
    Rule(
        "fee_lapse",
        "未缴年费的专利权终止",
        "专利法第四十四条第一款第（一）项；专利法实施细则第一百一十五条第二款",
        "滞纳期满仍未缴纳的，专利权自应当缴纳年费期满之日起终止",
    ),
    Rule(
        "pledge_effect",
        "专利权质押",
        "民法典第四百四十四条；专利权质押登记办法（2021）",
        "质权自国家知识产权局办理出质登记时设立；出质后未经质权人同意不得转让或许可他人使用",
    ),
    Rule(
        "preservation",
        "专利权保全",
        "民事诉讼法第一百零三条；专利法实施细则第一百零四条",
        "人民法院对专利权采取保全措施期间，专利权的转让、许可、质押等手续中止",
    ),
    Rule(
        "ownership_suspension",
        "权属纠纷中止",
        "专利法实施细则第一百零三条",
        "专利申请权或专利权权属纠纷请求中止的，中止期间暂停有关手续",
    ),
]
RULES: dict[str, Rule] = {r.code: r for r in _RULES}

DESIGN_15_YEAR_FROM = dt.date(2021, 6, 1)
GRACE_MONTHS = 6
SURCHARGE_PERCENT_PER_MONTH = 5


def rules_table() -> list[dict]:
    """Rows of the rules page: label, article, text."""
    return [{"label": r.label, "article": r.article, "text": r.text} for r in _RULES]


# ---------------------------------------------------------------- period arithmetic (细则 art 5)


def add_months(day: dt.date, months: int) -> dt.date:
    """The matching day `months` later, or that month's last day when it has none."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    """The matching day `years` later (29 February → 28 February in a non-leap year)."""
    return add_months(day, 12 * years)


def roll_to_workday(day: dt.date) -> dt.date:
    """A last day on a rest day or holiday moves to the next working day (细则 art 5)."""
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


# ---------------------------------------------------------------- term


def term_years(*, application_date: dt.date, patent_type: str) -> int:
    """Years of term by type and filing date (专利法 art 42(1))."""
    if patent_type == PatentType.INVENTION:
        return 20
    if patent_type == PatentType.DESIGN and application_date >= DESIGN_15_YEAR_FROM:
        return 15
    return 10


def term_end(*, application_date: dt.date | None, patent_type: str, compensation_days: int = 0) -> dt.date | None:
    """The day the term ends (not in force from it): years by type from filing plus registered compensation days."""
    if not application_date:
        return None
    return add_years(
        application_date, term_years(application_date=application_date, patent_type=patent_type)
    ) + dt.timedelta(days=int(compensation_days or 0))


def term_end_of(*, patent) -> dt.date | None:
    """term_end for a Patent."""
    return term_end(
        application_date=patent.application_date,
        patent_type=patent.patent_type,
        compensation_days=getattr(patent, "term_compensation_days", 0) or 0,
    )


def grant_date_of(*, patent) -> dt.date | None:
    """Grant date; for utility models and designs the grant publication (授权公告); else a GRANT event."""
    if patent.grant_date:
        return patent.grant_date
    if patent.patent_type in (PatentType.UTILITY, PatentType.DESIGN) and patent.publication_date:
        return patent.publication_date
    grants = [e.date for e in patent.legal_events.all() if e.code == LegalEventCode.GRANT]
    return min(grants) if grants else None


# ---------------------------------------------------------------- open legal events


def open_events(
    *, events: Iterable, start_codes: Iterable[str], end_codes: Iterable[str], on: dt.date | None = None
) -> list:
    """Start events not closed by an end event by `on`, oldest first (paired by reference, else first in first out)."""
    starts, ends = set(start_codes), set(end_codes)
    opened: list = []
    for e in sorted(events, key=lambda e: (e.date, e.pk or 0)):
        if on is not None and e.date > on:
            break
        if e.code in starts:
            opened.append(e)
        elif e.code in ends and opened:
            match = next((o for o in opened if e.reference and o.reference == e.reference), None)
            opened.remove(match or opened[0])
    return opened


def _last_open(patent, start: str, end: str, on: dt.date):
    found = open_events(events=patent.legal_events.all(), start_codes=[start], end_codes=[end], on=on)
    return found[-1] if found else None


def pledge_event(*, patent, on: dt.date):
    """The registered pledge (PLEDGE event) open on `on`, or None."""
    return _last_open(patent, LegalEventCode.PLEDGE, LegalEventCode.PLEDGE_RELEASE, on)


def licence_events(*, patent, on: dt.date) -> list:
    """Recorded licences (LICENSE events) open on `on`."""
    return open_events(
        events=patent.legal_events.all(),
        start_codes=[LegalEventCode.LICENSE],
        end_codes=[LegalEventCode.LICENSE_END],
        on=on,
    )


EXCLUSIVE_WORDS = ("独占",)
SOLE_WORDS = ("排他",)


def exclusive_licence_event(*, patent, on: dt.date, include_sole: bool = True, skip_references: Iterable[str] = ()):
    """An open licence event whose text says exclusive (and, by default, sole), or None."""
    words = EXCLUSIVE_WORDS + (SOLE_WORDS if include_sole else ())
    skip = set(skip_references)
    for e in licence_events(patent=patent, on=on):
        if e.reference in skip:
            continue
        if any(w in (e.description or "") for w in words):
            return e
    return None


def preservation_event(*, patent, on: dt.date):
    """The preservation measure (PRESERVATION event) in force on `on`, or None."""
    return _last_open(patent, LegalEventCode.PRESERVATION, LegalEventCode.PRESERVATION_END, on)


SUSPENSION_WORDS = ("中止",)
SUSPENSION_END_WORDS = ("中止结束", "恢复")


def suspension_event(*, patent, on: dt.date):
    """The ownership-dispute suspension (SUSPENSION event, or an event text saying 中止) in force on `on`, or None."""
    current = None
    for e in sorted(patent.legal_events.all(), key=lambda e: (e.date, e.pk or 0)):
        if e.date > on:
            break
        text = e.description or ""
        ended = e.code == LegalEventCode.SUSPENSION_END or any(w in text for w in SUSPENSION_END_WORDS)
        if ended:
            current = None
        elif e.code == LegalEventCode.SUSPENSION or (
            e.code not in (LegalEventCode.PRESERVATION, LegalEventCode.PRESERVATION_END)
            and any(w in text for w in SUSPENSION_WORDS)
        ):
            current = e
    return current


# ---------------------------------------------------------------- annual fees (专利法 art 43, 44; 细则 art 115)


def anniversary(*, application_date: dt.date, year: int) -> dt.date:
    """The filing anniversary in `year` (a 29 February filing: 28 February in non-leap years)."""
    return add_years(application_date, year - application_date.year)


def fee_due_dates(
    *, application_date: dt.date, grant_date: dt.date, until: dt.date, term_end: dt.date | None = None
) -> list[dt.date]:
    """Annual-fee due dates: each filing anniversary after the grant (the grant year's fee is paid on registration)."""
    out = []
    year = max(grant_date.year, application_date.year + 1)
    while True:
        day = anniversary(application_date=application_date, year=year)
        if day > until or (term_end is not None and day >= term_end):
            return out
        if day > grant_date:
            out.append(day)
        year += 1


def grace_end(*, due: dt.date) -> dt.date:
    """Last day of the six-month grace period after a due date (细则 art 115, months and holidays as art 5)."""
    return roll_to_workday(add_months(due, GRACE_MONTHS))


def surcharge_percent(*, due: dt.date, paid_on: dt.date) -> int:
    """滞纳金 in percent of that year's full fee: 5 per whole month by which `paid_on` exceeds `due` (0 on time)."""
    months = 0
    while months < GRACE_MONTHS and paid_on > add_months(due, months + 1):
        months += 1
    return SURCHARGE_PERCENT_PER_MONTH * months


@dataclass(frozen=True)
class FeeStatus:
    state: str  # no_records / paid / in_grace / lapsed / not_granted
    due: dt.date | None = None  # the due date this status is about (unpaid one, or the latest paid)
    grace_end: dt.date | None = None
    surcharge_percent: int = 0  # owed if paid on the day asked about
    lapsed_on: dt.date | None = None
    next_due: dt.date | None = None

    LABELS = {
        "no_records": "无缴费记录（推定已缴）",
        "paid": "已缴",
        "in_grace": "滞纳期内未缴",
        "lapsed": "未缴年费终止",
        "not_granted": "未授权",
    }

    @property
    def label(self) -> str:
        return self.LABELS[self.state]

    @property
    def text(self) -> str:
        """A sentence for users, with the articles."""
        if self.state == "in_grace":
            return (
                f"{self.due}到期的年费未缴纳，可在滞纳期内（至{self.grace_end}）补缴，"
                f"今日补缴须加收当年全年年费{self.surcharge_percent}%的滞纳金（专利法实施细则第一百一十五条）"
            )
        if self.state == "lapsed":
            return (
                f"{self.due}到期的年费至滞纳期满（{self.grace_end}）未缴纳，专利权自{self.lapsed_on}起终止"
                f"（专利法第四十四条、专利法实施细则第一百一十五条）"
            )
        if self.state == "paid":
            return f"年费已缴至{self.due}到期的年度" + (f"，下次缴费期限{self.next_due}" if self.next_due else "")
        if self.state == "no_records":
            return "无年费缴纳记录，按已缴推定（记录不能说明是否欠费）"
        return "尚未授权，不需缴纳年费"


def fee_status(*, patent, on: dt.date) -> FeeStatus:
    """Annual-fee status on `on` from the FEE_PAID events (no such events at all: presumed paid, state no_records)."""
    grant = grant_date_of(patent=patent)
    if grant is None or grant > on or not patent.application_date:
        return FeeStatus("not_granted")
    end = term_end_of(patent=patent)
    paid = sorted(e.date for e in patent.legal_events.all() if e.code == LegalEventCode.FEE_PAID and e.date <= on)
    dues = fee_due_dates(application_date=patent.application_date, grant_date=grant, until=on, term_end=end)
    upcoming = fee_due_dates(
        application_date=patent.application_date, grant_date=grant, until=add_years(on, 1), term_end=end
    )
    next_due = next((d for d in upcoming if d > on), None)
    if not paid:
        return FeeStatus("no_records", next_due=next_due)
    # Records cover the years whose grace period had not ended before the first recorded payment.
    dues = [d for d in dues if grace_end(due=d) >= paid[0]]
    unused = list(paid)
    last_paid = None
    for due in dues:
        limit = grace_end(due=due)
        payment = next((p for p in unused if p <= limit), None)
        if payment is not None:
            unused.remove(payment)
            last_paid = due
            continue
        if on <= limit:
            return FeeStatus(
                "in_grace",
                due=due,
                grace_end=limit,
                surcharge_percent=surcharge_percent(due=due, paid_on=on),
                next_due=next_due,
            )
        return FeeStatus("lapsed", due=due, grace_end=limit, lapsed_on=due)
    return FeeStatus("paid", due=last_paid, next_due=next_due)
