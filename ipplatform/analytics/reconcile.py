"""Official figures beside record counts: coverage (records ÷ official), the rules that decide whether a target status
or a ranking is supported, and what every statistic is computed from (sources, synthetic records, region methods).

The official figures are reference data (`core.OfficialFigure`, imported from CNIPA and provincial tables); the record
counts come from the same derived tables as every other figure (`aggregates.count`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count

from ipplatform.core.models import OfficialFigure
from ipplatform.core.official import period_text
from ipplatform.core.population import population_for
from ipplatform.patents.enums import PatentType, RegionMethod

from .aggregates import count
from .enums import Measure

OFFICIAL_TYPES = {
    "发明": PatentType.INVENTION.value,
    "实用新型": PatentType.UTILITY.value,
    "外观设计": PatentType.DESIGN.value,
    "合计": None,
}
OFFICIAL_MEASURES = {"申请量": Measure.APPLICATION, "授权量": Measure.GRANT}
# Scopes that count the same applicants for a Shandong region (HK/Macao/Taiwan are not in Shandong).
DOMESTIC_SCOPES = ("国内", "国内(不含港澳台)")
SOURCE_LABELS = {
    "cnipa": "国家知识产权局检索系统导出",
    "cnki": "中国知网专利列表",
    "sipo_jsonl": "专利公布公告（SIPO）",
    "csv": "通用表格导入",
    "manual": "人工录入",
    "synthetic": "模拟数据",
    "taian": "泰安市专利信息表",
    "patentics": "Patentics导出",
    "energy": "能源发明专利摘录",
    "incopat": "incoPat导出",
}


def coverage_threshold() -> float:
    """The coverage (percent) below which record counts do not support a status or a ranking (office setting, default 80)."""
    from .models import StatsPolicy

    policy = StatsPolicy.objects.filter(pk=1).first()
    return float(policy.coverage_threshold) if policy else float(getattr(settings, "STATS_COVERAGE_THRESHOLD", 80))


def official_code(region_code: str | None) -> str:
    return region_code or settings.PROVINCE_CODE


def record_areas(region_code: str | None, year: int) -> list[str]:
    """The record areas comparable with an official figure: city figures before 2019 exclude 莱芜, later ones include it."""
    from .services import MERGER_YEAR, areas_of

    if region_code == settings.PROVINCE_CODE:
        region_code = (
            None  # the province's figure counts every city's records, not only those attributed to the province alone
        )
    return areas_of(region_code, "current" if year >= MERGER_YEAR and region_code else "2015")


def _record_value(fig: OfficialFigure, areas: list[str], *, include_synthetic: bool) -> float | None:
    ptype = OFFICIAL_TYPES.get(fig.patent_type, "n/a")
    if ptype == "n/a":
        return None
    if fig.measure in OFFICIAL_MEASURES:
        return sum(
            count(
                OFFICIAL_MEASURES[fig.measure],
                fig.period_start,
                fig.period_end,
                areas=areas,
                include_synthetic=include_synthetic,
                patent_type=ptype,
            ).values()
        )
    if fig.measure in ("有效量", "每万人口发明专利拥有量"):
        if fig.measure == "每万人口发明专利拥有量" and ptype != PatentType.INVENTION:
            return None
        kw = {"areas": areas, "include_synthetic": include_synthetic, "patent_type": ptype}
        valid = sum(count(Measure.GRANT, None, fig.period_end, **kw).values()) - sum(
            count(Measure.END, None, fig.period_end, **kw).values()
        )
        if fig.measure == "有效量":
            return valid
        pop = population_for(fig.region_code, fig.period_end.year)
        return round(valid * 10000 / pop.population, 4) if pop and pop.population else None
    return None


def _row(fig: OfficialFigure, areas: list[str], *, include_synthetic: bool) -> dict:
    record = _record_value(fig, areas, include_synthetic=include_synthetic)
    official = float(fig.value)
    coverage = None
    if record is not None and official:
        pct = record * 100 / official
        coverage = round(pct, 1) if pct >= 1 else round(pct, 3)  # 0.006 % stays visible, not 0.0
    return {
        "measure": fig.measure,
        "patent_type": fig.patent_type,
        "period": period_text(fig),
        "period_start": fig.period_start,
        "period_end": fig.period_end,
        "is_stock": fig.is_stock,
        "official": official if fig.unit != "件" else int(official),
        "unit": fig.unit,
        "scope": fig.scope,
        "source": fig.source_title,
        "source_url": fig.source_url,
        "record": record,
        "coverage": coverage,
        "note": fig.note,
    }


def official_rows(*, region_code: str | None, year: int, include_synthetic: bool = False) -> list[dict]:
    """Every comparable official figure of a region for a year with the platform's record count for the same period."""
    code = official_code(region_code)
    areas = record_areas(region_code, year)
    figs = OfficialFigure.objects.filter(region_code=code, year=year, comparable=True).order_by(
        "measure", "patent_type", "period_start", "-period_end"
    )
    return [_row(f, areas, include_synthetic=include_synthetic) for f in figs]


def _best(
    region_code: str | None, year: int, measure: str, patent_type: str, *, full_year_only: bool = False
) -> OfficialFigure | None:
    """The official figure covering most of a year: 全年/年末 first, else the latest cumulative (1-N月) or month-end value."""
    qs = OfficialFigure.objects.filter(
        region_code=official_code(region_code),
        year=year,
        measure=measure,
        patent_type=patent_type,
        comparable=True,
        scope__in=DOMESTIC_SCOPES + ("全部(市级统计)",),
    )
    if measure in OFFICIAL_MEASURES:
        qs = qs.filter(period_start=dt.date(year, 1, 1))
    if full_year_only:
        qs = qs.filter(period_end=dt.date(year, 12, 31))
    return qs.order_by("-period_end", "scope").first()


def coverage(
    *,
    region_code: str | None,
    year: int,
    measure: str = "申请量",
    patent_type: str = "发明",
    include_synthetic: bool = False,
) -> dict | None:
    """Records ÷ official for the official figure covering most of the year, or None when there is none."""
    fig = _best(region_code, year, measure, patent_type)
    if fig is None:
        return None
    return _row(fig, record_areas(region_code, year), include_synthetic=include_synthetic)


def official_pair(
    *, region_code: str | None, year: int, measure: str, patent_type: str = "发明"
) -> tuple[OfficialFigure, OfficialFigure] | None:
    """Full-year official figures for a year and the year before, from domestic scopes, or None."""
    cur = _best(region_code, year, measure, patent_type, full_year_only=True)
    prev = _best(region_code, year - 1, measure, patent_type, full_year_only=True)
    if cur and prev and (cur.scope in DOMESTIC_SCOPES) == (prev.scope in DOMESTIC_SCOPES):
        return cur, prev
    return None


def describe(row: dict | None) -> str:
    """'2015年1-9月官方47,790件（来源），平台记录1,234件，覆盖率2.6%'."""
    if row is None:
        return ""
    rec = "—" if row["record"] is None else f"{row['record']:,}"
    cov = "—" if row["coverage"] is None else f"{row['coverage']:g}%"
    return f"{row['period']}{row['patent_type']}{row['measure']}官方{row['official']:,}{row['unit']}（{row['source']}），平台记录{rec}，覆盖率{cov}"


# ---------------------------------------------------------------- what figures are computed from


def provenance(*, include_synthetic: bool) -> dict:
    """Real records by source, synthetic records, and how their regions were determined, with one sentence for every page."""
    from ipplatform.patents.models import Patent

    real = dict(Patent.objects.filter(is_synthetic=False).values_list("source").annotate(n=Count("id")).order_by())
    synthetic = Patent.objects.filter(is_synthetic=True).count()
    methods = dict(
        Patent.objects.filter(is_synthetic=False).values_list("region_method").annotate(n=Count("id")).order_by()
    )
    total = sum(real.values())
    by_address = sum(
        n for m, n in methods.items() if m not in (RegionMethod.APPLICANT_NAME, RegionMethod.NONE, RegionMethod.MANUAL)
    )
    by_name = methods.get(RegionMethod.APPLICANT_NAME, 0)
    manual = methods.get(RegionMethod.MANUAL, 0)
    none = methods.get(RegionMethod.NONE, 0)
    sources = "、".join(f"{SOURCE_LABELS.get(s, s)}{n:,}件" for s, n in sorted(real.items(), key=lambda kv: -kv[1]))
    text = (
        f"平台收录真实记录{total:,}件，非全量（来源：{sources or '无'}）；地区归属：按申请人地址/邮编{by_address:,}件，"
        f"按申请人名称推断{by_name:,}件（弱归属），人工指定{manual:,}件，未归属{none:,}件。"
    )
    from ipplatform.patents.enums import NO_STATUS_EVENTS

    granted = Patent.objects.filter(is_synthetic=False, grant_date__isnull=False)
    with_status = (
        granted.filter(legal_events__isnull=False)
        .exclude(legal_events__code__in=NO_STATUS_EVENTS)
        .values("pk")
        .distinct()
        .count()
    )
    presumed = granted.count() - with_status
    text += (
        f"有效量按推定计算：已授权记录{granted.count():,}件中{presumed:,}件无法律状态事件，"
        f"按“已授权且在保护期内即有效”推定。"
    )
    if synthetic:
        text += f"另有模拟数据{synthetic:,}件，" + ("本页已计入并标注。" if include_synthetic else "未计入。")
    return {
        "real_total": total,
        "by_source": real,
        "presumed_valid_basis": presumed,
        "synthetic": synthetic,
        "region_methods": methods,
        "by_address": by_address,
        "by_name": by_name,
        "manual": manual,
        "unattributed": none,
        "text": text,
    }
