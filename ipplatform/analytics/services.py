"""The statistics service: every figure shown on pages, returned by the API, exported to Excel or written into
the yearly report is computed here, from the derived tables in `aggregates`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ipplatform.core import regions
from ipplatform.core.inputs import InputError, parse_date
from ipplatform.core.population import population_for
from ipplatform.patents.enums import EntityType, PatentType
from ipplatform.patents.legalstate import add_years
from ipplatform.patents.models import VALIDITY_PRESUMPTION

from . import aggregates
from .aggregates import count
from .enums import AREA_NONE, AREA_OUTSIDE, AREA_PROVINCE_ONLY, Divisions, Measure, ReportStatus, TargetStatus
from .models import IndexWeight, StatReport

FIRST_YEAR = 1985  # 专利法 in force from 1 April 1985
LAIWU, JINAN = "371200", "370100"
MERGER_YEAR = 2019
TYPES = [
    (PatentType.INVENTION.value, "发明"),
    (PatentType.UTILITY.value, "实用新型"),
    (PatentType.DESIGN.value, "外观设计"),
]
ORG_TYPES = (EntityType.ENTERPRISE, EntityType.UNIVERSITY, EntityType.INSTITUTE, EntityType.GOVERNMENT)
ENTITY_LABELS = {e.value: e.label for e in EntityType}
TARGETS = {"invention_applications_growth": 15.0, "invention_grants_growth": 15.0, "valid_invention_per_10k": 5.0}
SYNTHETIC_LABEL = "模拟数据"
TARGET_SOURCES = {"official": "官方统计", "records": "平台记录（覆盖率达标）", "none": "数据不足"}

DEFAULT_WEIGHTS = [
    ("invention_applications", "发明专利申请量", Decimal("20")),
    ("invention_grants", "发明专利授权量", Decimal("20")),
    ("invention_applications_growth", "发明专利申请量增长率", Decimal("15")),
    ("valid_invention_per_10k", "万人有效发明专利拥有量", Decimal("25")),
    ("service_share", "职务发明专利申请占比", Decimal("10")),
    ("applications_per_10k", "万人专利申请量", Decimal("10")),
]


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str
    is_year: bool

    @property
    def previous(self) -> Period:
        start, end = _minus_year(self.start), _minus_year(self.end)
        return Period(start, end, f"{start.year}年" if self.is_year else f"{start}至{end}", self.is_year)


def _minus_year(day: dt.date) -> dt.date:
    return add_years(day, -1)


def parse_year(value, *, default: int | None = None) -> int:
    """A statistics year from user input (1985 to this year), with a Chinese error."""
    if value in (None, ""):
        if default is None:
            raise InputError("请选择统计年度", field="year")
        return default
    try:
        year = int(str(value).strip())
    except ValueError:
        raise InputError(f"统计年度“{value}”不是有效年份，应为四位数字（如2015）", field="year")
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise InputError(f"统计年度{year}超出范围：应在{FIRST_YEAR}年至{this_year}年之间", field="year")
    return year


def resolve_period(*, year=None, date_from=None, date_to=None) -> Period:
    """The statistics period: a whole year, or a date range within one year's span or more."""
    start = parse_date(date_from, field="date_from", label="起始日期", required=False)
    end = parse_date(date_to, field="date_to", label="截止日期", required=False)
    if start or end:
        if not (start and end):
            raise InputError(
                "按日期范围统计时，起始日期和截止日期都要填写", field="date_from" if not start else "date_to"
            )
        if start > end:
            raise InputError(f"起始日期{start}晚于截止日期{end}", field="date_from")
        if start.year < FIRST_YEAR:
            raise InputError(f"起始日期{start}早于{FIRST_YEAR}年（专利法施行）", field="date_from")
        return Period(start, end, f"{start}至{end}", False)
    y = parse_year(year, default=default_year())
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y}年", True)


def default_year(*, include_synthetic: bool = False) -> int:
    """The latest year with applications on record (capped at this year)."""
    latest = aggregates.latest_year(include_synthetic=include_synthetic) or aggregates.latest_year(
        include_synthetic=True
    )
    this_year = timezone.localdate().year
    return min(latest or this_year, this_year)


def parse_divisions(value) -> str:
    if value in (None, "", Divisions.Y2015):
        return Divisions.Y2015.value
    if value == Divisions.CURRENT:
        return Divisions.CURRENT.value
    raise InputError(f"区划口径“{value}”无效：应为 2015（2015年区划）或 current（现行区划）", field="divisions")


# ---------------------------------------------------------------- regions under a division mode


def city_list(divisions: str) -> list[tuple[str, str]]:
    """(code, name) of the cities in the chosen divisions: 17 of 2015, or today's 16."""
    cities = regions.cities(regions.REVISION_2015)
    if divisions == Divisions.CURRENT:
        return [(c, n) for c, n in cities if regions.to_current(c) == c]
    return cities


def areas_of(code: str | None, divisions: str) -> list[str]:
    """The area buckets that make up a city (or the province when code is None) under the divisions."""
    all_cities = [c for c, _ in regions.cities(regions.REVISION_2015)]
    if not code:
        return all_cities + [AREA_PROVINCE_ONLY]
    if divisions == Divisions.CURRENT:
        return [c for c in all_cities if regions.to_current(c) == code]
    return [code]


def validate_city(code: str, divisions: str) -> str:
    """A city code valid for the divisions, or a Chinese error saying why not."""
    code = (code or "").strip()
    known = dict(regions.cities(regions.REVISION_2015))
    if code not in known:
        raise InputError(f"地市代码“{code}”不是山东省2015年区划中的地市（应为如370200的6位代码）", field="city")
    if divisions == Divisions.CURRENT and regions.to_current(code) != code:
        target = regions.to_current(code)
        raise InputError(
            f"现行区划下{known[code]}已并入{known.get(target, target)}（国函〔2019〕4号），请查看{known.get(target, target)}或改用2015年区划口径",
            field="city",
        )
    return code


def _current_of(area: str, divisions: str) -> str:
    return regions.to_current(area) if divisions == Divisions.CURRENT else area


# ---------------------------------------------------------------- population


def population(code: str, year: int, divisions: str) -> dict | None:
    """Resident population for a region and year with source and the nearest-census note."""
    fig = population_for(code, year)
    if fig is None:
        return None
    out = {
        "population": fig.population,
        "year": fig.year,
        "source": fig.source,
        "boundary": fig.boundary,
        "note": fig.note,
    }
    if divisions == Divisions.CURRENT and code == JINAN and fig.year < MERGER_YEAR:
        lw = population_for(LAIWU, year)
        if lw is not None:
            out["population"] += lw.population
            extra = f"现行区划：济南市人口加上原莱芜市{lw.year}年常住人口{lw.population:,}人（{lw.source}）"
            out["note"] = "；".join(x for x in (fig.note, lw.note, extra) if x)
    elif divisions == Divisions.Y2015 and code == JINAN and fig.year >= MERGER_YEAR:
        out["note"] = "；".join(x for x in (fig.note, f"该人口数据按{fig.boundary}，含原莱芜市") if x)
    return out


def _per_10k(valid: int, pop: dict | None) -> float | None:
    return round(valid * 10000 / pop["population"], 4) if pop and pop["population"] else None


def _growth(cur: int, prev: int) -> float | None:
    return round((cur - prev) * 100 / prev, 1) if prev else None


# ---------------------------------------------------------------- 口径 (counting rules)


def basis_texts(*, period: Period, valid_date: dt.date, divisions: str, include_synthetic: bool) -> dict[str, str]:
    region = (
        "第一申请人地址所在地，按申请时区划（2015年区划，莱芜市单列）"
        if divisions == Divisions.Y2015
        else "第一申请人地址所在地，按现行区划（原莱芜市记录计入济南市）"
    )
    syn = "含模拟数据（合成记录，已标注）" if include_synthetic else "不含模拟数据"
    return {
        "applications": f"申请量：按申请日统计，{period.label}；{region}；{syn}。",
        "grants": f"授权量：按授权日统计（实用新型、外观设计以授权公告日为授权日），{period.label}；{region}；{syn}。",
        "growth": f"增长率 =（本期 − 上年同期）÷ 上年同期 × 100%，上年同期为{period.previous.label}。",
        "valid": (
            f"有效发明专利：截至{valid_date}仍有效的发明专利（授权日不晚于该日、未届满20年保护期、"
            f"未发生未缴年费终止、无效、放弃、届满等终止事件）；{VALIDITY_PRESUMPTION}；{region}；{syn}。"
        ),
        "service": "职务/非职务：第一申请人为企业、大专院校、科研单位或机关团体的为职务申请，为个人的为非职务申请，类型未识别的单列。",
        "unattributed": "第一申请人地址无法归属到地区的记录不计入任何地区；归属到山东省但无法确定地市的记录计入全省合计，不计入各市。",
    }


def _population_basis(pop: dict | None, year: int) -> str:
    if not pop:
        return f"常住人口：{year}年无可用人口数据，未计算万人指标。"
    text = f"常住人口：{pop['population']:,}人（{pop['year']}年，{pop['boundary']}；来源：{pop['source']}）"
    return text + (f"；{pop['note']}" if pop["note"] else "") + "。"


# ---------------------------------------------------------------- core figures


def _valid_by_area(
    day: dt.date, *, include_synthetic: bool, patent_type: str | None = PatentType.INVENTION
) -> dict[str, int]:
    granted = count(
        Measure.GRANT,
        None,
        day,
        areas=None,
        include_synthetic=include_synthetic,
        group=("area",),
        patent_type=patent_type,
    )
    ended = count(
        Measure.END,
        None,
        day,
        areas=None,
        include_synthetic=include_synthetic,
        group=("area",),
        patent_type=patent_type,
    )
    return {k[0]: v - ended.get(k, 0) for k, v in granted.items()}


def valid_status_basis(*, day: dt.date, areas: list[str], include_synthetic: bool) -> dict[str, dict[str, int]]:
    """Per type: records counted valid at `day` in the areas, and how many of them rest on the presumption (no status data)."""
    from django.db.models import Count, Q

    from ipplatform.patents.enums import NO_STATUS_EVENTS
    from ipplatform.patents.models import LegalEvent

    from .models import PatentFact

    qs = PatentFact.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=day), grant_date__lte=day, area__in=areas)
    if not include_synthetic:
        qs = qs.filter(is_synthetic=False)
    with_status = LegalEvent.objects.exclude(code__in=NO_STATUS_EVENTS).values("patent_id")
    out = {t.value: {"valid": 0, "presumed": 0} for t in PatentType}
    for row in (
        qs.values("patent_type").annotate(n=Count("pk"), k=Count("pk", filter=Q(patent_id__in=with_status))).order_by()
    ):
        if row["patent_type"] in out:
            out[row["patent_type"]] = {"valid": row["n"], "presumed": row["n"] - row["k"]}
    return out


def presumption_text(basis: dict[str, dict[str, int]], *, day: dt.date) -> str:
    """How many of the 有效 figures rest on the presumption, per type."""
    parts = [
        f"{PatentType(t).label}有效{v['valid']:,}件中{v['presumed']:,}件为推定有效（无法律状态数据）"
        f"、{v['valid'] - v['presumed']:,}件有来源法律状态"
        for t, v in basis.items()
    ]
    return f"推定依据（截至{day}，本范围）：" + "；".join(parts) + "。"


def _sum(counts: dict[tuple, int], *, areas: set[str], **match) -> int:
    """Sum grouped counts keyed (area, patent_type[, applicant_type]) over areas and matching parts."""
    total = 0
    for key, n in counts.items():
        if key[0] not in areas:
            continue
        if "patent_type" in match and match["patent_type"] is not None and key[1] != match["patent_type"]:
            continue
        if "applicant_types" in match and key[2] not in match["applicant_types"]:
            continue
        total += n
    return total


@dataclass
class Figures:
    """The raw grouped counts a dashboard and the comparison are built from."""

    period: Period
    valid_date: dt.date
    include_synthetic: bool
    apps: dict = field(default_factory=dict)  # (area, type, applicant_type) -> n
    apps_prev: dict = field(default_factory=dict)  # (area, type) -> n
    grants: dict = field(default_factory=dict)
    grants_prev: dict = field(default_factory=dict)
    valid: dict = field(default_factory=dict)  # area -> valid inventions at valid_date


def figures(*, period: Period, valid_date: dt.date, include_synthetic: bool) -> Figures:
    """Grouped counts over all areas for a period, its previous-year period and validity at a date."""
    kw = {"areas": None, "include_synthetic": include_synthetic}
    prev = period.previous
    return Figures(
        period,
        valid_date,
        include_synthetic,
        apps=count(
            Measure.APPLICATION, period.start, period.end, group=("area", "patent_type", "applicant_type"), **kw
        ),
        apps_prev=count(Measure.APPLICATION, prev.start, prev.end, group=("area", "patent_type"), **kw),
        grants=count(Measure.GRANT, period.start, period.end, group=("area", "patent_type", "applicant_type"), **kw),
        grants_prev=count(Measure.GRANT, prev.start, prev.end, group=("area", "patent_type"), **kw),
        valid=_valid_by_area(valid_date, include_synthetic=include_synthetic),
    )


def _region_row(fig: Figures, areas: set[str], pop: dict | None) -> dict:
    inv = PatentType.INVENTION
    row = {
        "invention_applications": _sum(fig.apps, areas=areas, patent_type=inv),
        "invention_applications_prev": _sum(fig.apps_prev, areas=areas, patent_type=inv),
        "invention_grants": _sum(fig.grants, areas=areas, patent_type=inv),
        "invention_grants_prev": _sum(fig.grants_prev, areas=areas, patent_type=inv),
        "applications": _sum(fig.apps, areas=areas),
        "applications_prev": _sum(fig.apps_prev, areas=areas),
        "grants": _sum(fig.grants, areas=areas),
        "grants_prev": _sum(fig.grants_prev, areas=areas),
        "service_invention_applications": _sum(fig.apps, areas=areas, patent_type=inv, applicant_types=set(ORG_TYPES)),
        "valid_invention": sum(fig.valid.get(a, 0) for a in areas),
        "population": pop["population"] if pop else None,
    }
    row["invention_applications_growth"] = _growth(row["invention_applications"], row["invention_applications_prev"])
    row["invention_grants_growth"] = _growth(row["invention_grants"], row["invention_grants_prev"])
    row["applications_growth"] = _growth(row["applications"], row["applications_prev"])
    row["grants_growth"] = _growth(row["grants"], row["grants_prev"])
    row["valid_invention_per_10k"] = _per_10k(row["valid_invention"], pop)
    row["applications_per_10k"] = _per_10k(row["applications"], pop)
    row["service_share"] = (
        round(row["service_invention_applications"] * 100 / row["invention_applications"], 1)
        if row["invention_applications"]
        else None
    )
    return row


def _rank(rows: list[dict], key: str, *, withheld: str = "") -> None:
    """Competition ranking (1, 2, 2, 4) with ties marked; no rank at all when withheld or every value is zero."""
    values = [r[key] for r in rows if r[key] is not None]
    if not withheld and (not values or not any(values)):
        withheld = "各市数值均为0，不排名"
    for r in rows:
        r[f"rank_{key}"], r[f"tied_{key}"] = None, False
    if withheld:
        for r in rows:
            r[f"rank_note_{key}"] = withheld
        return
    ordered = sorted((r for r in rows if r[key] is not None), key=lambda r: -r[key])
    prev_value, prev_rank = None, 0
    for i, r in enumerate(ordered, start=1):
        if r[key] != prev_value:
            prev_rank, prev_value = i, r[key]
        r[f"rank_{key}"] = prev_rank
    counts: dict[int, int] = {}
    for r in ordered:
        counts[r[f"rank_{key}"]] = counts.get(r[f"rank_{key}"], 0) + 1
    for r in rows:
        r[f"tied_{key}"] = counts.get(r[f"rank_{key}"], 0) > 1
        r[f"rank_note_{key}"] = ""


def rank_label(rank: int | None, tied: bool = False, note: str = "") -> str:
    """'第3位', '并列第3位', or '不排名（原因）'."""
    if rank is None:
        return f"不排名（{note}）" if note else "不排名"
    return f"{'并列' if tied else ''}第{rank}位"


def ranking_support(period: Period, *, include_synthetic: bool) -> tuple[str, dict | None]:
    """('' when city rankings are supported, else the reason) and the provincial coverage they rest on."""
    from . import reconcile

    cov = reconcile.coverage(region_code=None, year=period.end.year, include_synthetic=include_synthetic)
    threshold = reconcile.coverage_threshold()
    if cov is None:
        return f"{period.end.year}年无全省官方发明专利申请量，无法确认平台记录覆盖率，各市不排名", None
    if cov["coverage"] is None or cov["coverage"] < threshold:
        return f"平台记录覆盖率不足（{reconcile.describe(cov)}，阈值{threshold:g}%），各市不排名", cov
    return "", cov


def city_rows(fig: Figures, *, divisions: str) -> list[dict]:
    """One row per city (17 or 16) with its figures and ranks."""
    pop_year = fig.valid_date.year
    rows = []
    for code, name in city_list(divisions):
        pop = population(code, pop_year, divisions)
        row = {"code": code, "name": name, **_region_row(fig, set(areas_of(code, divisions)), pop)}
        row["population_year"] = pop["year"] if pop else None
        row["population_note"] = (
            ""
            if pop and not pop["note"]
            else f"无当年数据，用{pop['year']}年（{pop['boundary']}）"
            if pop
            else f"无{pop_year}年人口数据"
        )
        if pop and divisions == Divisions.CURRENT and code == JINAN and pop["year"] < MERGER_YEAR:
            row["population_note"] = "含原莱芜市人口" + (f"；用{pop['year']}年" if pop["year"] != pop_year else "")
        rows.append(row)
    withheld, _ = ranking_support(fig.period, include_synthetic=fig.include_synthetic)
    for key in (
        "invention_applications",
        "invention_grants",
        "valid_invention_per_10k",
        "applications",
        "invention_applications_growth",
    ):
        _rank(rows, key, withheld=withheld)
        for r in rows:
            r[f"rank_label_{key}"] = rank_label(r[f"rank_{key}"], r[f"tied_{key}"])
    return rows


def _split_rows(fig: Figures, areas: set[str]) -> tuple[list[dict], list[dict]]:
    by_entity = []
    apps_total = _sum(fig.apps, areas=areas) or 0
    for etype in EntityType:
        a = _sum(fig.apps, areas=areas, applicant_types={etype.value})
        g = _sum(fig.grants, areas=areas, applicant_types={etype.value})
        ia = _sum(fig.apps, areas=areas, patent_type=PatentType.INVENTION, applicant_types={etype.value})
        by_entity.append(
            {
                "key": etype.value,
                "label": etype.label,
                "applications": a,
                "invention_applications": ia,
                "grants": g,
                "share": round(a * 100 / apps_total, 1) if apps_total else None,
            }
        )
    groups = [
        ("service", "职务", {e.value for e in ORG_TYPES}),
        ("non_service", "非职务", {EntityType.INDIVIDUAL.value}),
        ("unknown", "未识别", {EntityType.UNKNOWN.value}),
    ]
    service = []
    for key, label, types in groups:
        a = _sum(fig.apps, areas=areas, applicant_types=types)
        service.append(
            {
                "key": key,
                "label": label,
                "applications": a,
                "invention_applications": _sum(
                    fig.apps, areas=areas, patent_type=PatentType.INVENTION, applicant_types=types
                ),
                "grants": _sum(fig.grants, areas=areas, applicant_types=types),
                "share": round(a * 100 / apps_total, 1) if apps_total else None,
            }
        )
    return service, by_entity


def _type_rows(fig: Figures, areas: set[str], valid_all: dict[str, dict[str, int]]) -> list[dict]:
    rows = []
    for ptype, label in TYPES + [(None, "合计")]:
        a, ap = _sum(fig.apps, areas=areas, patent_type=ptype), _sum(fig.apps_prev, areas=areas, patent_type=ptype)
        g, gp = _sum(fig.grants, areas=areas, patent_type=ptype), _sum(fig.grants_prev, areas=areas, patent_type=ptype)
        valid = sum(
            n for t, per_area in valid_all.items() if ptype in (None, t) for a_, n in per_area.items() if a_ in areas
        )
        rows.append(
            {
                "key": ptype or "total",
                "label": label,
                "applications": a,
                "applications_prev": ap,
                "applications_growth": _growth(a, ap),
                "grants": g,
                "grants_prev": gp,
                "grants_growth": _growth(g, gp),
                "valid": valid,
            }
        )
    return rows


def trend(*, areas: list[str], include_synthetic: bool, last_year: int) -> dict:
    """Applications and grants by type per year from 1985, and valid inventions at each year end."""
    data = aggregates.yearly(areas=areas, include_synthetic=include_synthetic)
    years = list(range(FIRST_YEAR, last_year + 1))
    out = {"years": years, "applications": {}, "grants": {}}
    for ptype, label in TYPES:
        out["applications"][ptype] = [data.get((Measure.APPLICATION, ptype, y), 0) for y in years]
        out["grants"][ptype] = [data.get((Measure.GRANT, ptype, y), 0) for y in years]
    inv = PatentType.INVENTION
    before = sum(n for (m, t, y), n in data.items() if t == inv and y < FIRST_YEAR and m == Measure.GRANT) - sum(
        n for (m, t, y), n in data.items() if t == inv and y < FIRST_YEAR and m == Measure.END
    )
    running, valid = before, []
    for y in years:
        running += data.get((Measure.GRANT, inv, y), 0) - data.get((Measure.END, inv, y), 0)
        valid.append(running)
    out["valid_invention"] = valid
    return out


def dashboard(
    *,
    year=None,
    date_from=None,
    date_to=None,
    valid_date=None,
    city_code: str | None = None,
    divisions=None,
    include_synthetic: bool = False,
) -> dict:
    """Every figure of the provincial dashboard (city_code None) or a city sub-platform."""
    period = resolve_period(year=year, date_from=date_from, date_to=date_to)
    if divisions in (None, "") and period.start.year >= MERGER_YEAR and city_code != LAIWU:
        divisions = Divisions.CURRENT.value  # after the 2019 merger the 16 cities of today are the default
    divisions = parse_divisions(divisions)
    if city_code:
        city_code = validate_city(city_code, divisions)
    vdate = parse_date(valid_date, field="valid_date", label="有效专利统计日", required=False) or period.end
    today = timezone.localdate()
    vdate = min(vdate, max(today, period.start))
    fig = figures(period=period, valid_date=vdate, include_synthetic=include_synthetic)
    areas = areas_of(city_code, divisions)
    area_set = set(areas)
    pop = population(city_code or settings.PROVINCE_CODE, vdate.year, divisions)
    region = _region_row(fig, area_set, pop)
    cities = city_rows(fig, divisions=divisions)
    valid_types = {PatentType.INVENTION.value: fig.valid}
    for ptype in (PatentType.UTILITY, PatentType.DESIGN):
        valid_types[ptype.value] = _valid_by_area(vdate, include_synthetic=include_synthetic, patent_type=ptype)
    service, entity = _split_rows(fig, area_set)
    last_year = max(
        period.end.year, min(aggregates.latest_year(include_synthetic=include_synthetic) or period.end.year, today.year)
    )
    basis = basis_texts(period=period, valid_date=vdate, divisions=divisions, include_synthetic=include_synthetic)
    basis["population"] = _population_basis(pop, vdate.year)
    valid_presumed = valid_status_basis(day=vdate, areas=areas, include_synthetic=include_synthetic)
    basis["valid"] += presumption_text(valid_presumed, day=vdate)
    unattributed = {
        "no_region": sum(n for k, n in fig.apps.items() if k[0] == AREA_NONE),
        "outside": sum(n for k, n in fig.apps.items() if k[0] == AREA_OUTSIDE),
        "province_only": sum(n for k, n in fig.apps.items() if k[0] == AREA_PROVINCE_ONLY),
    }
    synthetic_count = 0
    if include_synthetic:
        synthetic_count = sum(
            count(Measure.APPLICATION, period.start, period.end, areas=areas, include_synthetic=True).values()
        ) - sum(count(Measure.APPLICATION, period.start, period.end, areas=areas, include_synthetic=False).values())
    rank = None
    if city_code:
        me = next(r for r in cities if r["code"] == city_code)
        keys = (
            "invention_applications",
            "invention_grants",
            "valid_invention_per_10k",
            "applications",
            "invention_applications_growth",
        )
        rank = {k: me[f"rank_{k}"] for k in keys}
        rank["labels"] = {k: rank_label(me[f"rank_{k}"], me[f"tied_{k}"], me[f"rank_note_{k}"]) for k in keys}
        rank["of"] = len(cities)
    result = {
        "scope": {
            "city_code": city_code or "",
            "name": regions.display_name(city_code, empty="山东省"),
            "divisions": divisions,
            "divisions_label": Divisions(divisions).label,
        },
        "period": {
            "start": period.start,
            "end": period.end,
            "label": period.label,
            "is_year": period.is_year,
            "previous_label": period.previous.label,
        },
        "valid_date": vdate,
        "include_synthetic": include_synthetic,
        "synthetic_count": synthetic_count,
        "summary": region,
        "population": pop,
        "by_type": _type_rows(fig, area_set, valid_types),
        "service_split": service,
        "entity_split": entity,
        "cities": cities,
        "rank": rank,
        "trend": trend(areas=areas, include_synthetic=include_synthetic, last_year=last_year),
        "unattributed": unattributed,
        "basis": basis,
        "valid_presumed": valid_presumed,
    }
    from . import reconcile

    result["provenance"] = reconcile.provenance(include_synthetic=include_synthetic)
    basis["provenance"] = result["provenance"]["text"]
    withheld, cov = ranking_support(period, include_synthetic=include_synthetic)
    result["ranking"] = {"withheld": withheld, "coverage": cov}
    result["official"] = reconcile.official_rows(
        region_code=city_code, year=period.end.year, include_synthetic=include_synthetic
    )
    result["official_note"] = _official_note(city_code, divisions, period.end.year)
    result["targets"] = _targets(
        result, fig=fig, divisions=divisions, include_synthetic=include_synthetic, city_code=city_code
    )
    return result


def _official_note(city_code: str | None, divisions: str, year: int) -> str:
    text = (
        "官方统计：国家知识产权局及山东省知识产权局公布数（见来源），按各自统计期间列出；平台记录数按同一期间统计（申请量按申请日、"
        "授权量按授权日、有效量为期末时点），覆盖率 = 平台记录 ÷ 官方数。官方“国内”口径按申请人所在地统计。"
    )
    if city_code == JINAN and year < MERGER_YEAR:
        text += (
            "济南市官方数为原济南市口径（不含莱芜），平台记录数也不含原莱芜市"
            + ("（本页其余数字按现行区划含莱芜）" if divisions == Divisions.CURRENT else "")
            + "。"
        )
    elif city_code == JINAN:
        text += "2019年起济南市含原莱芜市，平台记录中莱芜市记录计入济南市。"
    return text


# ---------------------------------------------------------------- targets


def _judge(value, target, in_progress: bool) -> str:
    if value >= target:
        return TargetStatus.ON_TRACK if in_progress else TargetStatus.MET
    return TargetStatus.BEHIND


def _target_row(key, label, target, value, unit, status, basis, source) -> dict:
    return {
        "key": key,
        "label": label,
        "target": target,
        "value": value,
        "unit": unit,
        "status": status,
        "status_label": TargetStatus(status).label,
        "basis": basis,
        "source": source,
    }


def _targets(dash: dict, *, fig: Figures, divisions: str, include_synthetic: bool, city_code: str | None) -> list[dict]:
    """Target rows: official figures when a comparable pair exists, else record counts whose coverage reaches the
    office's threshold, else 数据不足 with the reason (never 已完成 or 滞后 without support)."""
    from . import reconcile

    period = fig.period
    today = timezone.localdate()
    in_progress = period.start <= today < period.end
    summary = dash["summary"]
    basis = dash["basis"]
    threshold = reconcile.coverage_threshold()
    year = period.end.year
    rows = []
    if in_progress:
        # Year to date against the same days of the previous year.
        ytd = Period(period.start, today, f"{period.start}至{today}", False)
        fig_ytd = figures(period=ytd, valid_date=today, include_synthetic=include_synthetic)
        cur = _region_row(fig_ytd, set(areas_of(city_code, divisions)), None)
    else:
        cur = summary
    progress_note = "（年度进行中：按年初至今与上年同期比较）" if in_progress else ""
    for key, label, measure, measure_basis in (
        ("invention_applications_growth", "发明专利申请量增长", "申请量", basis["applications"]),
        ("invention_grants_growth", "发明专利授权量增长", "授权量", basis["grants"]),
    ):
        target = TARGETS[key]
        pair = (
            None
            if (in_progress or not period.is_year)
            else reconcile.official_pair(region_code=city_code, year=year, measure=measure)
        )
        if pair:
            a, b = pair
            value = _growth(int(a.value), int(b.value))
            rows.append(
                _target_row(
                    key,
                    label,
                    target,
                    value,
                    "%",
                    _judge(value, target, False),
                    f"按官方统计：{a.year}年发明专利{measure}{int(a.value):,}件（{a.source_title}，{a.scope}），"
                    f"{b.year}年{int(b.value):,}件（{b.source_title}，{b.scope}）。目标：增长{target:g}%以上。",
                    "official",
                )
            )
            continue
        covs = [
            reconcile.coverage(region_code=city_code, year=y, measure=measure, include_synthetic=include_synthetic)
            for y in (year, year - 1)
        ]
        low = [c for c in covs if c is None or c["coverage"] is None or c["coverage"] < threshold]
        value = cur[key]
        if not low and value is not None and period.is_year:
            rows.append(
                _target_row(
                    key,
                    label,
                    target,
                    value,
                    "%",
                    _judge(value, target, in_progress),
                    f"按平台记录（无两年可比的官方全年数）：{measure_basis}{basis['growth']}覆盖率："
                    + "；".join(reconcile.describe(c) for c in covs)
                    + f"。目标：增长{target:g}%以上{progress_note}",
                    "records",
                )
            )
            continue
        reasons = [f"无{year}年与{year - 1}年可比的官方全年{measure}"]
        for y, c in zip((year, year - 1), covs):
            if c is None:
                reasons.append(f"{y}年无官方{measure}可核对平台记录覆盖率")
            elif c["coverage"] is None or c["coverage"] < threshold:
                reasons.append(f"{reconcile.describe(c)}，低于阈值{threshold:g}%")
        if value is None:
            reasons.append("上年同期平台记录为0，无法计算增长率")
        if not period.is_year:
            reasons.append("按日期范围统计时不判定年度目标")
        rows.append(
            _target_row(
                key,
                label,
                target,
                value,
                "%",
                TargetStatus.INSUFFICIENT,
                f"数据不足：{'；'.join(reasons)}。平台记录值仅供参考：{measure_basis}{basis['growth']}{progress_note}",
                "none",
            )
        )
    key = "valid_invention_per_10k"
    target = TARGETS[key]
    official = (
        None if in_progress else reconcile._best(city_code, year, "每万人口发明专利拥有量", "发明", full_year_only=True)
    )
    if official is not None:
        value = float(official.value)
        rows.append(
            _target_row(
                key,
                "万人有效发明专利拥有量",
                target,
                value,
                "件/万人",
                _judge(value, target, False),
                f"按官方统计：{reconcile.period_text(official)}每万人口发明专利拥有量{value:g}件（{official.source_title}）。"
                f"目标：达到{target:g}件。",
                "official",
            )
        )
        return rows
    value = summary[key]
    cov = reconcile.coverage(region_code=city_code, year=year, measure="有效量", include_synthetic=include_synthetic)
    if cov and cov["coverage"] is not None and cov["coverage"] >= threshold and value is not None and period.is_year:
        status, note = _judge(value, target, False), ""
        if in_progress and value < target:
            start_fig = _valid_by_area(period.start - dt.timedelta(days=1), include_synthetic=include_synthetic)
            start_value = _per_10k(sum(start_fig.get(a, 0) for a in areas_of(city_code, divisions)), dash["population"])
            elapsed = max((dash["valid_date"] - period.start).days + 1, 1)
            span = (period.end - period.start).days + 1
            projected = start_value + (value - start_value) * span / elapsed if start_value is not None else value
            status = TargetStatus.ON_TRACK if projected >= target else TargetStatus.BEHIND
            note = f"按当前进度推算期末约为{_fmt_small(projected, 2)}件。"
        rows.append(
            _target_row(
                key,
                "万人有效发明专利拥有量",
                target,
                value,
                "件/万人",
                status,
                f"按平台记录（无官方年末数）：{basis['valid']}{basis['population']}覆盖率：{reconcile.describe(cov)}。"
                f"目标：达到{target:g}件。{note}",
                "records",
            )
        )
        return rows
    reasons = [f"无{year}年末官方每万人口发明专利拥有量"]
    if cov is None:
        reasons.append(f"{year}年无官方有效发明专利数可核对平台记录覆盖率")
    else:
        reasons.append(f"{reconcile.describe(cov)}，低于阈值{threshold:g}%")
    if value is None:
        reasons.append("缺少人口数据")
    rows.append(
        _target_row(
            key,
            "万人有效发明专利拥有量",
            target,
            value,
            "件/万人",
            TargetStatus.INSUFFICIENT,
            f"数据不足：{'；'.join(reasons)}。平台记录值仅供参考：{basis['valid']}{basis['population']}",
            "none",
        )
    )
    return rows


def target_status(*, year: int, city_code: str | None = None) -> list[dict]:
    """The work plan's three targets for a year (province or one city): met / on_track / behind / insufficient with 口径
    and what the status rests on (source: official / records / none)."""
    dash = cached_dashboard(year=year, city_code=city_code)
    return [
        {k: r[k] for k in ("key", "label", "target", "value", "unit", "status", "status_label", "basis", "source")}
        for r in dash["targets"]
    ]


# ---------------------------------------------------------------- regional comparison (composite index)


def ensure_weights() -> list[IndexWeight]:
    """The composite index weights, created with their defaults the first time."""
    existing = {w.key: w for w in IndexWeight.objects.all()}
    for order, (key, label, weight) in enumerate(DEFAULT_WEIGHTS):
        if key not in existing:
            existing[key] = IndexWeight.objects.create(key=key, label=label, weight=weight, order=order)
    return sorted(existing.values(), key=lambda w: w.order)


def update_weights(*, values: dict[str, str], user) -> list[IndexWeight]:
    """Save edited weights (each 0–100, not all zero); every change is audited."""
    weights = ensure_weights()
    parsed = {}
    for w in weights:
        raw = str(values.get(w.key, "")).strip()
        from ipplatform.core.inputs import parse_decimal

        v = parse_decimal(
            raw, field=w.key, label=f"“{w.label}”的权重", min_value=0, max_value=100, places=2, rounding=True
        )
        if not Decimal("0") <= v <= Decimal("100"):
            raise InputError(f"“{w.label}”的权重应在0到100之间，收到{raw}", field=w.key)
        parsed[w.key] = v.quantize(Decimal("0.01"))
    if not any(parsed.values()):
        raise InputError("权重不能全部为0", field="weights")
    for w in weights:
        if w.weight != parsed[w.key]:
            w.weight, w.updated_by = parsed[w.key], user
            w.save()
    return weights


def _composite(rows: list[dict], weights: list[IndexWeight], *, withheld: str = "") -> None:
    total_w = sum(float(w.weight) for w in weights) or 1.0
    for w in weights:
        values = [r[w.key] for r in rows if r[w.key] is not None]
        lo, hi = (min(values), max(values)) if values else (0, 0)
        for r in rows:
            v = r[w.key]
            r.setdefault("scores", {})[w.key] = (
                round((v - lo) * 100 / (hi - lo), 1) if v is not None and hi > lo else 0.0
            )
    for r in rows:
        r["index"] = round(sum(r["scores"][w.key] * float(w.weight) for w in weights) / total_w, 1)
    _rank(rows, "index", withheld=withheld)
    for r in rows:
        r["rank_label_index"] = rank_label(r["rank_index"], r["tied_index"])


def comparison(*, year, divisions=None, include_synthetic: bool = False) -> dict:
    """区域知识产权发展状况分析评价: composite index per city for a year and its change from the previous year."""
    divisions = parse_divisions(divisions)
    y = parse_year(year, default=default_year())
    weights = ensure_weights()
    out_years = {}
    for yy in (y, y - 1):
        period = Period(dt.date(yy, 1, 1), dt.date(yy, 12, 31), f"{yy}年", True)
        fig = figures(
            period=period, valid_date=min(period.end, timezone.localdate()), include_synthetic=include_synthetic
        )
        rows = city_rows(fig, divisions=divisions)
        withheld, cov = ranking_support(period, include_synthetic=include_synthetic)
        _composite(rows, weights, withheld=withheld)
        out_years[yy] = rows
        if yy == y:
            ranking = {"withheld": withheld, "coverage": cov}
    prev = {r["code"]: r for r in out_years[y - 1]}
    rows = out_years[y]
    for r in rows:
        p = prev.get(r["code"])
        r["index_prev"] = p["index"] if p else None
        r["index_change"] = round(r["index"] - p["index"], 1) if p else None
        r["rank_prev"] = p["rank_index"] if p else None
        r["rank_change"] = (p["rank_index"] - r["rank_index"]) if p and p["rank_index"] and r["rank_index"] else None
    rows.sort(key=lambda r: (r["rank_index"] or 999, -r["index"], r["code"]))
    basis = basis_texts(
        period=Period(dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y}年", True),
        valid_date=dt.date(y, 12, 31),
        divisions=divisions,
        include_synthetic=include_synthetic,
    )
    cday = min(dt.date(y, 12, 31), timezone.localdate())
    basis["valid"] += presumption_text(
        valid_status_basis(day=cday, areas=areas_of(None, divisions), include_synthetic=include_synthetic), day=cday
    )
    method = (
        "综合指数 = Σ（指标得分 × 权重）÷ Σ权重；指标得分按极差标准化：（该市值 − 最小值）÷（最大值 − 最小值）× 100，"
        "各市相同时得0分；无数据的指标得0分。上年指数按相同权重以上年数据计算。"
    )
    from . import reconcile

    prov = reconcile.provenance(include_synthetic=include_synthetic)
    return {
        "year": y,
        "divisions": divisions,
        "divisions_label": Divisions(divisions).label,
        "include_synthetic": include_synthetic,
        "ranking": ranking,
        "provenance": prov,
        "weights": [{"key": w.key, "label": w.label, "weight": float(w.weight)} for w in weights],
        "rows": rows,
        "basis": [method, basis["applications"], basis["grants"], basis["valid"], basis["service"], prov["text"]]
        + ([ranking["withheld"]] if ranking["withheld"] else []),
    }


# ---------------------------------------------------------------- tables (one definition for page, Excel and Word)


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    notes: list[str] = field(default_factory=list)


def _fmt(v, digits=1):
    if v is None:
        return "—"
    return round(v, digits) if isinstance(v, float) else v


def _fmt_small(v, digits=2):
    """A record-based value with enough decimals to show it: 0.0003 stays 0.0003 (two significant digits), never 0.0."""
    if v is None:
        return "—"
    if not isinstance(v, float) or v == 0 or round(v, digits) != 0:
        return _fmt(v, digits)
    d = digits
    while round(v, d) == 0 and d < 12:
        d += 1
    return f"{v:.{d + 1}f}".rstrip("0")


def per_10k_text(value, *, valid: int, population: int | None) -> str:
    """万人有效发明专利拥有量 as printed: the value with enough precision and the counts it is computed from."""
    if value is None:
        return "未计算（无人口数据）"
    return f"{_fmt_small(value, 2)}件（{valid:,}件 ÷ 常住人口{population:,}人 × 1万）"


def dashboard_tables(dash: dict) -> list[Table]:
    """The dashboard's tables, each with its 口径 notes (the same rows go to the page, Excel and Word)."""
    b = dash["basis"]
    syn = (
        [f"含{SYNTHETIC_LABEL}：本表包含合成的模拟记录（{dash['synthetic_count']}件申请），不代表真实统计。"]
        if dash["include_synthetic"]
        else []
    )
    scope = dash["scope"]["name"]
    p = dash["period"]
    syn = syn + [dash["provenance"]["text"]]
    tables = [
        Table(
            "by_type",
            f"{scope}专利申请与授权（{p['label']}）",
            [
                "专利类型",
                "申请量",
                "上年同期申请量",
                "申请增长率(%)",
                "授权量",
                "上年同期授权量",
                "授权增长率(%)",
                f"有效量（{dash['valid_date']}）",
            ],
            [
                [
                    r["label"],
                    r["applications"],
                    r["applications_prev"],
                    _fmt(r["applications_growth"]),
                    r["grants"],
                    r["grants_prev"],
                    _fmt(r["grants_growth"]),
                    r["valid"],
                ]
                for r in dash["by_type"]
            ],
            [b["applications"], b["grants"], b["growth"], b["valid"]] + syn,
        ),
        Table(
            "service",
            f"职务/非职务申请（{p['label']}）",
            ["类别", "申请量", "其中发明", "授权量", "申请占比(%)"],
            [
                [r["label"], r["applications"], r["invention_applications"], r["grants"], _fmt(r["share"])]
                for r in dash["service_split"]
            ],
            [b["service"], b["applications"]] + syn,
        ),
        Table(
            "entity",
            f"按申请人类型（{p['label']}）",
            ["申请人类型", "申请量", "其中发明", "授权量", "申请占比(%)"],
            [
                [r["label"], r["applications"], r["invention_applications"], r["grants"], _fmt(r["share"])]
                for r in dash["entity_split"]
            ],
            [b["applications"], b["grants"]] + syn,
        ),
        Table(
            "cities",
            f"各市主要指标与排名（{p['label']}，{dash['scope']['divisions_label']}）",
            [
                "地市",
                "代码",
                "发明申请",
                "发明申请增长率(%)",
                "发明授权",
                "专利申请合计",
                "专利授权合计",
                "有效发明专利",
                "常住人口",
                "人口年份",
                "万人有效发明专利",
                "发明申请排名",
                "万人有效发明排名",
                "人口说明",
            ],
            [
                [
                    r["name"],
                    r["code"],
                    r["invention_applications"],
                    _fmt(r["invention_applications_growth"]),
                    r["invention_grants"],
                    r["applications"],
                    r["grants"],
                    r["valid_invention"],
                    r["population"],
                    r["population_year"],
                    _fmt_small(r["valid_invention_per_10k"], 2),
                    r["rank_label_invention_applications"],
                    r["rank_label_valid_invention_per_10k"],
                    r["population_note"],
                ]
                for r in dash["cities"]
            ],
            (
                [f"排名：{dash['ranking']['withheld']}。"]
                if dash["ranking"]["withheld"]
                else [
                    "排名：数值相同者并列（如并列第3位）；"
                    + (
                        f"平台记录覆盖率{dash['ranking']['coverage']['coverage']:g}%（"
                        + dash["ranking"]["coverage"]["period"]
                        + "全省发明专利申请量）。"
                        if dash["ranking"]["coverage"]
                        else ""
                    )
                ]
            )
            + [
                b["applications"],
                b["grants"],
                b["valid"],
                "常住人口：各市有效专利统计日所在年份的常住人口；无该年数据时采用最近一次人口普查（两次普查距离相同时取后一次），见“人口说明”列；数据来源见“行政区划与人口”页。",
                b["unattributed"],
            ]
            + syn,
        ),
    ]
    t = dash["trend"]
    tables.append(
        Table(
            "trend",
            f"{scope}专利申请、授权与有效发明专利（{t['years'][0]}—{t['years'][-1]}年）",
            [
                "年份",
                "发明申请",
                "实用新型申请",
                "外观设计申请",
                "发明授权",
                "实用新型授权",
                "外观设计授权",
                "年末有效发明专利",
            ],
            [
                [
                    y,
                    t["applications"]["invention"][i],
                    t["applications"]["utility"][i],
                    t["applications"]["design"][i],
                    t["grants"]["invention"][i],
                    t["grants"]["utility"][i],
                    t["grants"]["design"][i],
                    t["valid_invention"][i],
                ]
                for i, y in reversed(list(enumerate(t["years"])))
            ],
            [
                b["applications"].replace(p["label"], "各年"),
                b["grants"].replace(p["label"], "各年"),
                "年末有效发明专利：各年12月31日有效的发明专利。" + VALIDITY_PRESUMPTION,
            ]
            + syn,
        )
    )
    tables.append(
        Table(
            "targets",
            f"{scope}年度目标完成情况（{p['label']}）",
            ["指标", "目标", "实际", "单位", "状态", "依据", "口径"],
            [
                [
                    r["label"],
                    r["target"],
                    _fmt_small(r["value"], 2),
                    r["unit"],
                    r["status_label"],
                    TARGET_SOURCES[r["source"]],
                    r["basis"],
                ]
                for r in dash["targets"]
            ],
            [
                "状态判定：有两年可比的官方全年数时按官方数；否则按平台记录，且记录覆盖率须达到阈值；两者都不具备时为“数据不足”。"
            ]
            + syn,
        )
    )
    tables.insert(
        1,
        Table(
            "official",
            f"{scope}官方统计与平台记录对照（{p['end'].year}年）",
            ["指标", "专利类型", "统计期间", "官方数", "单位", "统计范围", "来源", "平台记录数", "覆盖率(%)"],
            [
                [
                    r["measure"],
                    r["patent_type"],
                    r["period"],
                    r["official"],
                    r["unit"],
                    r["scope"],
                    r["source"],
                    "—" if r["record"] is None else r["record"],
                    _fmt(r["coverage"], 3),
                ]
                for r in dash["official"]
            ],
            [dash["official_note"]]
            + ([] if dash["official"] else [f"{p['end'].year}年{scope}无已导入的官方统计数。"])
            + syn,
        ),
    )
    return tables


def comparison_tables(comp: dict) -> list[Table]:
    headers = ["排名", "地市", "综合指数", "上年指数", "指数变化", "排名变化"] + [
        f"{w['label']}（权重{w['weight']:g}）" for w in comp["weights"]
    ]
    rows = []
    for r in comp["rows"]:
        rows.append(
            [
                r["rank_index"],
                r["name"],
                r["index"],
                _fmt(r["index_prev"]),
                _fmt(r["index_change"]),
                _fmt(r["rank_change"]),
            ]
            + [f"{_fmt_small(r[w['key']], 2)}（{r['scores'][w['key']]}分）" for w in comp["weights"]]
        )
    notes = list(comp["basis"]) + ([f"含{SYNTHETIC_LABEL}"] if comp["include_synthetic"] else [])
    return [
        Table(
            "comparison",
            f"区域知识产权发展状况综合评价（{comp['year']}年，{comp['divisions_label']}）",
            headers,
            rows,
            notes,
        )
    ]


# ---------------------------------------------------------------- yearly report (Word)


def reports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "analytics" / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def request_report(
    *, year, city_code: str | None, divisions, include_synthetic: bool, user, run_inline: bool = False
) -> StatReport:
    """Create a report record and generate it as a background job."""
    from ipplatform.core import jobs

    divisions = parse_divisions(divisions)
    y = parse_year(year, default=default_year())
    if city_code:
        city_code = validate_city(city_code, divisions)
    report = StatReport.objects.create(
        year=y, city_code=city_code or "", divisions=divisions, include_synthetic=include_synthetic, created_by=user
    )
    scope = regions.display_name(city_code, empty="山东省")
    job = jobs.submit(
        kind="analytics_report",
        title=f"生成{scope}{y}年度专利统计分析报告",
        func_path="ipplatform.analytics.services.generate_report",
        kwargs={"report_id": report.pk},
        user=user,
        run_inline=run_inline,
    )
    StatReport.objects.filter(pk=report.pk).update(job=job)
    report.refresh_from_db()
    return report


def build_report_document(
    *, year: int, city_code: str | None, divisions: str, include_synthetic: bool, progress=None
) -> bytes:
    """The Word document of the yearly statistical report: figures, charts and tables with their 口径."""
    from docx.shared import Pt

    from ipplatform.lib import charts, worddoc

    def step(n, msg):
        if progress:
            progress(n, 6, msg)

    step(0, "计算统计数据")
    dash = dashboard(year=year, city_code=city_code, divisions=divisions, include_synthetic=include_synthetic)
    scope = dash["scope"]["name"]
    doc = worddoc.new_document(
        f"{scope}{year}年度专利统计分析报告",
        subtitle=f"{dash['scope']['divisions_label']} · 生成于{timezone.localtime():%Y年%m月%d日}",
        landscape=True,  # the city and index tables are wide
    )
    if include_synthetic:
        doc.add_paragraph(worddoc.SYNTHETIC_NOTICE + f"（{SYNTHETIC_LABEL}：{dash['synthetic_count']}件申请）")
    s = dash["summary"]
    doc.add_heading("一、总体情况", level=1)
    doc.add_paragraph(
        "数据说明："
        + dash["provenance"]["text"]
        + "下列平台记录数不等于全省（全市）实际数；官方统计数及覆盖率见“官方统计与平台记录对照”表。"
    )
    worddoc.add_paragraphs(
        doc,
        (
            f"{year}年，平台收录的{scope}记录中，专利申请{s['applications']:,}件，同比增长{_fmt(s['applications_growth'])}%；其中发明专利申请{s['invention_applications']:,}件，"
            f"同比增长{_fmt(s['invention_applications_growth'])}%。专利授权{s['grants']:,}件，其中发明专利授权{s['invention_grants']:,}件，"
            f"同比增长{_fmt(s['invention_grants_growth'])}%。截至{dash['valid_date']}，有效发明专利{s['valid_invention']:,}件，"
            f"万人有效发明专利拥有量{per_10k_text(s['valid_invention_per_10k'], valid=s['valid_invention'], population=s.get('population'))}。"
        ),
    )
    tables = {t.key: t for t in dashboard_tables(dash)}

    def put(t: Table):
        if not t.rows:
            doc.add_paragraph(f"{t.title}：无数据。")
            for note in t.notes:
                doc.add_paragraph(f"口径：{note}").runs[0].font.size = Pt(8)
            return
        worddoc.add_table(doc, t.headers, t.rows, caption=t.title)
        for note in t.notes:
            p = doc.add_paragraph(f"口径：{note}")
            p.runs[0].font.size = Pt(8)

    put(tables["official"])
    step(1, "目标完成情况")
    doc.add_heading("二、年度目标完成情况", level=1)
    put(tables["targets"])
    step(2, "申请与授权")
    doc.add_heading("三、专利申请与授权", level=1)
    bt = dash["by_type"][:3]
    worddoc.add_image(
        doc,
        charts.bar_chart(f"{year}年专利申请量（按类型）", [r["label"] for r in bt], [r["applications"] for r in bt]),
        caption=f"图1 {year}年专利申请量（按类型）",
    )
    put(tables["by_type"])
    put(tables["service"])
    put(tables["entity"])
    step(3, "发展趋势")
    doc.add_heading("四、发展趋势", level=1)
    t = dash["trend"]
    worddoc.add_image(
        doc,
        charts.line_chart("专利申请量趋势", t["years"], {label: t["applications"][k] for k, label in TYPES}),
        caption="图2 专利申请量趋势",
    )
    worddoc.add_image(
        doc,
        charts.line_chart("年末有效发明专利", t["years"], {"有效发明专利": t["valid_invention"]}),
        caption="图3 年末有效发明专利",
    )
    put(tables["trend"])
    step(4, "各市对比")
    if not city_code:
        doc.add_heading("五、各市对比", level=1)
        cities = sorted(dash["cities"], key=lambda r: -(r["valid_invention_per_10k"] or 0))
        worddoc.add_image(
            doc,
            charts.bar_chart(
                "各市万人有效发明专利拥有量",
                [r["name"] for r in cities],
                [r["valid_invention_per_10k"] or 0 for r in cities],
                ylabel="件/万人",
            ),
            caption="图4 各市万人有效发明专利拥有量",
        )
        put(tables["cities"])
        comp = comparison(year=year, divisions=divisions, include_synthetic=include_synthetic)
        doc.add_heading("六、区域知识产权发展状况综合评价", level=1)
        for ct in comparison_tables(comp):
            put(ct)
    else:
        doc.add_heading("五、在全省的位次", level=1)
        r = dash["rank"]
        doc.add_paragraph(
            f"按平台记录，发明专利申请量：{r['labels']['invention_applications']}；万人有效发明专利拥有量："
            f"{r['labels']['valid_invention_per_10k']}（共{r['of']}市）。"
        )
    doc.add_heading("附：统计口径", level=1)
    for text in dash["basis"].values():
        doc.add_paragraph(text)
    step(5, "保存文件")
    return worddoc.to_bytes(doc)


def generate_report(*, progress=None, report_id: int) -> dict:
    """Background job: build the Word report, store it under DATA_DIR and mark the record done."""
    report = StatReport.objects.get(pk=report_id)
    try:
        data = build_report_document(
            year=report.year,
            city_code=report.city_code or None,
            divisions=report.divisions,
            include_synthetic=report.include_synthetic,
            progress=progress,
        )
    except Exception as exc:
        StatReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=str(exc), finished_at=timezone.now()
        )
        raise
    name = f"report-{report.pk}-{report.year}-{report.city_code or '370000'}.docx"
    path = reports_dir() / name
    path.write_bytes(data)
    StatReport.objects.filter(pk=report_id).update(
        status=ReportStatus.DONE,
        file_path=str(path.relative_to(Path(settings.DATA_DIR))),
        size=len(data),
        finished_at=timezone.now(),
    )
    from django.urls import reverse

    return {
        "url": reverse("analytics:report_download", args=[report.pk]),
        "summary": f"已生成{report}（{len(data) // 1024} KB）",
    }


def report_path(report: StatReport) -> Path | None:
    if report.status != ReportStatus.DONE or not report.file_path:
        return None
    path = Path(settings.DATA_DIR) / report.file_path
    return path if path.exists() else None


# ---------------------------------------------------------------- cached reads (core.cache, namespace "stats")


def cached_dashboard(**kwargs) -> dict:
    """dashboard(**kwargs) from the statistics cache (keyed by scope, period, filters and today's date); computed on
    the read replica when one is configured."""
    from ipplatform.core.cache import cached
    from ipplatform.core.dbrouter import replica_reads

    def compute():
        with replica_reads():
            return dashboard(**kwargs)

    return cached("stats", {"fn": "dashboard", "today": timezone.localdate(), **kwargs}, compute)


def cached_comparison(**kwargs) -> dict:
    """comparison(**kwargs) from the statistics cache; computed on the read replica when one is configured."""
    from ipplatform.core.cache import cached
    from ipplatform.core.dbrouter import replica_reads

    def compute():
        with replica_reads():
            return comparison(**kwargs)

    return cached("stats", {"fn": "comparison", "today": timezone.localdate(), **kwargs}, compute)
