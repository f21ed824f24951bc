"""Derived aggregate tables that keep the statistics fast on a million records.

PatentFact holds one row per patent (area, type, applicant type, application / grant / end-of-right dates);
YearBucket and MonthBucket hold counts per year and per month. A count over any date range is answered from
whole years, whole months and, for the partial months at either end, the per-patent facts: exact to the day.
The tables follow the patent store through `patents_changed` (incremental) or `rebuild()` (full)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from ipplatform.core import cache
from ipplatform.core.regions import city_code_of, province_code_of
from ipplatform.patents import bulk
from ipplatform.patents.enums import TERMINATING_EVENTS, PatentType
from ipplatform.patents.legalstate import term_end
from ipplatform.patents.models import LegalEvent, Patent

from .enums import AREA_NONE, AREA_OUTSIDE, AREA_PROVINCE_ONLY, Measure
from .models import MonthBucket, PatentFact, YearBucket

PROVINCE_PREFIX = "37"
EPOCH = dt.date(1900, 1, 1)
DATE_FIELD = {Measure.APPLICATION: "app_date", Measure.GRANT: "grant_date", Measure.END: "end_date"}
INCREMENTAL_LIMIT = 20000  # larger changes rebuild everything
CHUNK = 5000


def area_of(*, province_code: str, city_code: str, region_code: str) -> str:
    """Area bucket of a patent: its 2015-era city code, 370000 (Shandong, city unknown), 'out' or 'none'."""
    city = city_code or city_code_of(region_code)
    if city.startswith(PROVINCE_PREFIX):
        return city
    province = province_code or province_code_of(region_code)
    if province.startswith(PROVINCE_PREFIX):
        return AREA_PROVINCE_ONLY
    if province or city or region_code:
        return AREA_OUTSIDE
    return AREA_NONE


def fact_from(row: dict, first_termination: dt.date | None) -> SimpleNamespace:
    """The statistics fact of one patent (a dict of Patent values) given its first terminating event date.

    A plain namespace with PatentFact's attributes: bulk.insert writes it, and building a million model instances
    would cost more than the facts themselves."""
    grant = row["grant_date"]
    if grant is None and row["patent_type"] in (PatentType.UTILITY, PatentType.DESIGN):
        grant = row["publication_date"]  # utility models and designs: publication (授权公告) is the grant
    end = None
    if grant is not None:
        term = term_end(
            application_date=row["application_date"],
            patent_type=row["patent_type"],
            compensation_days=row.get("term_compensation_days") or 0,
        )
        candidates = [d for d in (term, first_termination) if d is not None]
        end = max(min(candidates), grant) if candidates else None
    return SimpleNamespace(
        patent_id=row["id"],
        area=area_of(province_code=row["province_code"], city_code=row["city_code"], region_code=row["region_code"]),
        patent_type=row["patent_type"],
        applicant_type=row["applicant_type"] or "unknown",
        is_synthetic=row["is_synthetic"],
        app_date=row["application_date"],
        grant_date=grant,
        end_date=end,
    )


FACT_FIELDS = (
    "patent_id",
    "area",
    "patent_type",
    "applicant_type",
    "is_synthetic",
    "app_date",
    "grant_date",
    "end_date",
)
PATENT_FIELDS = (
    "id",
    "patent_type",
    "applicant_type",
    "is_synthetic",
    "application_date",
    "grant_date",
    "publication_date",
    "province_code",
    "city_code",
    "region_code",
    "term_compensation_days",
)


def _facts_for(ids: list[str]) -> list[SimpleNamespace]:
    rows = bulk.plain_values(Patent.objects.filter(bulk.among("pk", ids)).order_by(), PATENT_FIELDS)
    ends = dict(
        LegalEvent.objects.filter(bulk.among("patent_id", ids), code__in=list(TERMINATING_EVENTS))
        .values("patent_id")
        .annotate(first=Min("date"))
        .values_list("patent_id", "first")
    )
    return [fact_from(r, ends.get(r["id"])) for r in rows]


def _iter_id_chunks(size: int = CHUNK) -> Iterable[list[str]]:
    last = None
    while True:
        qs = Patent.objects.order_by("pk")
        if last is not None:
            qs = qs.filter(pk__gt=last)
        ids = list(qs.values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def _bucket_rows(model, measure: str, period_expr, period_field: str, base_qs) -> list:
    field = DATE_FIELD[measure]
    qs = (
        base_qs.filter(**{f"{field}__isnull": False})
        .annotate(period=period_expr(field))
        .values("area", "patent_type", "applicant_type", "is_synthetic", "period")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return [
        model(
            measure=measure,
            area=r["area"],
            patent_type=r["patent_type"],
            applicant_type=r["applicant_type"],
            is_synthetic=r["is_synthetic"],
            n=r["total"],
            **{period_field: int(r["period"])},
        )
        for r in qs
    ]


def _year_expr(field):
    return ExtractYear(field)


def _month_expr(field):
    return ExtractYear(field) * 100 + ExtractMonth(field)


def rebuild_buckets() -> int:
    """Recompute the year and month tables from PatentFact with GROUP BY; returns the number of bucket rows."""
    with transaction.atomic():
        YearBucket.objects.all().delete()
        MonthBucket.objects.all().delete()
        total = 0
        for measure in (Measure.APPLICATION, Measure.GRANT, Measure.END):
            years = _bucket_rows(YearBucket, measure, _year_expr, "year", PatentFact.objects.all())
            months = _bucket_rows(MonthBucket, measure, _month_expr, "month", PatentFact.objects.all())
            YearBucket.objects.bulk_create(years, batch_size=2000)
            MonthBucket.objects.bulk_create(months, batch_size=2000)
            total += len(years) + len(months)
    return total


def rebuild(*, progress=None) -> dict:
    """Rebuild every derived table from the patent store."""
    total = Patent.objects.count()
    done = 0
    with transaction.atomic():
        PatentFact.objects.all().delete()
        for ids in _iter_id_chunks():
            bulk.insert(PatentFact, _facts_for(ids))
            done += len(ids)
            if progress:
                progress(done, total, f"已处理 {done}/{total} 件")
    buckets = rebuild_buckets()
    cache.invalidate("stats")  # once, now and at commit: the cached figures were computed from the old tables
    return {"facts": done, "buckets": buckets}


def _deltas(facts: Iterable[PatentFact], sign: int, years: dict, months: dict) -> None:
    for f in facts:
        for measure, field in DATE_FIELD.items():
            day = getattr(f, field)
            if day is None:
                continue
            key = (measure, f.area, f.patent_type, f.applicant_type, f.is_synthetic)
            years[key + (day.year,)] += sign
            months[key + (day.year * 100 + day.month,)] += sign


def _apply(model, period_field: str, deltas: dict) -> None:
    """Add the count deltas with one upsert per table (`n = n + excluded.n`) instead of one UPDATE per key."""
    rows = [(*key, delta) for key, delta in deltas.items() if delta]
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    key_cols = ["measure", "area", "patent_type", "applicant_type", "is_synthetic", period_field]
    types = [model._meta.get_field(c).db_type(connection) for c in [*key_cols, "n"]]
    bulk.write_rows(
        model._meta.db_table,
        [*key_cols, "n"],
        types,
        rows,
        suffix=f"ON CONFLICT ({', '.join(ops.quote_name(c) for c in key_cols)}) DO UPDATE SET n = {table}.n + excluded.n",
    )
    if any(delta < 0 for *_, delta in rows):
        model.objects.filter(n__lte=0).delete()


def refresh(*, ids: list[str] = (), deleted: list[str] = ()) -> dict:
    """Bring the derived tables up to date after records changed (incremental; large changes rebuild)."""
    ids, deleted = list(ids or []), list(deleted or [])
    if len(ids) + len(deleted) > INCREMENTAL_LIMIT:
        return rebuild()
    years: dict = defaultdict(int)
    months: dict = defaultdict(int)
    with transaction.atomic():
        touched = ids + deleted
        for i in range(0, len(touched), CHUNK):
            part = touched[i : i + CHUNK]
            old = [
                SimpleNamespace(**row) for row in PatentFact.objects.filter(bulk.among("pk", part)).values(*FACT_FIELDS)
            ]
            if old:
                _deltas(old, -1, years, months)
                PatentFact.objects.filter(bulk.among("pk", [f.patent_id for f in old])).delete()
        for i in range(0, len(ids), CHUNK):
            new = _facts_for(ids[i : i + CHUNK])
            _deltas(new, +1, years, months)
            bulk.insert(PatentFact, new)
        _apply(YearBucket, "year", years)
        _apply(MonthBucket, "month", months)
    return {"changed": len(ids), "deleted": len(deleted)}


def on_patents_changed(sender=None, *, ids=(), deleted=(), **kwargs) -> None:
    """Receiver of patents.signals.patents_changed."""
    refresh(ids=ids, deleted=deleted)


# ---------------------------------------------------------------- counting over any date range


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def pieces(start: dt.date, end: dt.date) -> tuple[list[int], list[int], list[tuple[dt.date, dt.date]]]:
    """Split [start, end] into whole years, whole months (YYYYMM) and day ranges inside a month."""
    years, months, days = [], [], []
    cur = start
    while cur <= end:
        if cur.month == 1 and cur.day == 1 and dt.date(cur.year, 12, 31) <= end:
            years.append(cur.year)
            cur = dt.date(cur.year + 1, 1, 1)
        elif cur.day == 1 and month_end(cur) <= end:
            months.append(cur.year * 100 + cur.month)
            cur = month_end(cur) + dt.timedelta(days=1)
        else:
            stop = min(month_end(cur), end)
            days.append((cur, stop))
            cur = stop + dt.timedelta(days=1)
        if cur.year > 9998:
            break
    return years, months, days


def count(
    measure: str,
    start: dt.date | None,
    end: dt.date,
    *,
    areas: list[str] | None,
    include_synthetic: bool,
    group: tuple[str, ...] = (),
    patent_type: str | None = None,
) -> dict[tuple, int]:
    """Counts of `measure` events dated in [start, end] (start None = since records began), grouped by `group`."""
    years, months, days = pieces(start or EPOCH, end)
    out: dict[tuple, int] = defaultdict(int)

    def common(qs):
        if areas is not None:
            qs = qs.filter(area__in=areas)
        if not include_synthetic:
            qs = qs.filter(is_synthetic=False)
        if patent_type:
            qs = qs.filter(patent_type=patent_type)
        return qs

    def collect(qs, field):
        if group:
            for row in qs.values(*group).annotate(total=Sum(field) if field else Count("pk")).order_by():
                out[tuple(row[g] for g in group)] += int(row["total"] or 0)  # PostgreSQL sums bigint as numeric
        else:
            out[()] += int(qs.aggregate(total=Sum(field) if field else Count("pk"))["total"] or 0)

    if years:
        collect(common(YearBucket.objects.filter(measure=measure, year__gte=years[0], year__lte=years[-1])), "n")
    if months:
        collect(common(MonthBucket.objects.filter(measure=measure, month__in=months)), "n")
    if days:
        field = DATE_FIELD[measure]
        q = Q()
        for a, b in days:
            q |= Q(**{f"{field}__gte": a, f"{field}__lte": b})
        collect(common(PatentFact.objects.filter(q)), None)
    return dict(out)


def yearly(*, areas: list[str] | None, include_synthetic: bool) -> dict[tuple[str, str, int], int]:
    """(measure, patent_type, year) -> count over all years, for trend charts and cumulative validity."""
    qs = YearBucket.objects.all()
    if areas is not None:
        qs = qs.filter(area__in=areas)
    if not include_synthetic:
        qs = qs.filter(is_synthetic=False)
    rows = qs.values("measure", "patent_type", "year").annotate(total=Sum("n")).order_by()
    return {(r["measure"], r["patent_type"], int(r["year"])): int(r["total"]) for r in rows}


def latest_year(*, include_synthetic: bool) -> int | None:
    qs = YearBucket.objects.filter(measure=Measure.APPLICATION)
    if not include_synthetic:
        qs = qs.filter(is_synthetic=False)
    return qs.order_by("-year").values_list("year", flat=True).first()
