"""Figures the platform computes from its own records beside what an applicant reports (a form field with
"computed": key), each with what it is computed from; a figure the platform has no basis for says so."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ipplatform.core import regions
from ipplatform.patents.enums import PatentType

from .models import Application


@dataclass(frozen=True)
class Indicator:
    field: str
    label: str
    reported: object
    computed: object  # None: the platform cannot compute it
    basis: str


def _year(app: Application) -> int:
    try:
        return int(app.data.get("year") or app.call.year - 1)
    except (TypeError, ValueError):
        return app.call.year - 1


def _is_city(code: str) -> bool:
    return code in {c for c, _ in regions.cities("201512")} if code else False


def _region_counts(code: str, year: int) -> dict:
    """Applications and grants dated in `year` and valid inventions at its end in the region (a city: the statistics
    tables by first-applicant city; a county: the patent records of its region code)."""
    from ipplatform.analytics.aggregates import count
    from ipplatform.analytics.enums import Measure
    from ipplatform.patents.models import Patent

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if _is_city(code):
        kw = {"areas": [code], "include_synthetic": False}
        valid = count(Measure.GRANT, None, end, patent_type=PatentType.INVENTION, **kw).get((), 0) - count(
            Measure.END, None, end, patent_type=PatentType.INVENTION, **kw
        ).get((), 0)
        return {
            "applications": count(Measure.APPLICATION, start, end, **kw).get((), 0),
            "grants": count(Measure.GRANT, start, end, **kw).get((), 0),
            "valid_invention": valid,
            "where": f"{regions.name_of(code)}（第一申请人地址所在地，2015年区划，平台统计汇总表，不含模拟数据）",
        }
    qs = Patent.objects.filter(region_code=code, is_synthetic=False)
    return {
        "applications": qs.filter(application_date__range=(start, end)).count(),
        "grants": qs.filter(grant_date__range=(start, end)).count(),
        "valid_invention": None,  # the statistics tables hold validity by city only
        "where": f"{regions.name_of(code) or code}（第一申请人地址区划代码为{code}的平台专利记录，不含模拟数据）",
    }


def for_application(app: Application) -> list[Indicator]:
    """Each form field with a "computed" key: the reported value beside the platform's figure and its basis."""
    specs = [s for s in app.call.programme.form_fields if s.get("computed")]
    if not specs:
        return []
    out, counts = [], None
    year, code = _year(app), app.region_code
    for spec in specs:
        key, reported = spec["computed"], app.data.get(spec["name"])
        if key == "org_valid_inventions":
            from .eligibility import held_patents

            on = app.submitted_at.date() if app.submitted_at else app.call.opens_on
            n = len(held_patents(org=app.organization, on=on, types=[PatentType.INVENTION], granted=True))
            basis = f"截至{on}本单位经核验的申请人名称认领下已授权且有效的发明专利"
            out.append(Indicator(spec["name"], spec["label"], reported, n, basis))
            continue
        counts = counts or _region_counts(code, year)
        if key in ("applications", "grants"):
            what = "申请日" if key == "applications" else "授权日"
            basis = f"{year}年内按{what}统计的三种专利合计；{counts['where']}"
            out.append(Indicator(spec["name"], spec["label"], reported, counts[key], basis))
        elif key == "valid_invention_per_10k":
            out.append(_per_10k(spec, reported, counts, code, year))
    return out


def _per_10k(spec, reported, counts, code, year) -> Indicator:
    from ipplatform.analytics.enums import Divisions
    from ipplatform.analytics.services import population

    if counts["valid_invention"] is None:
        return Indicator(
            spec["name"],
            spec["label"],
            reported,
            None,
            "平台的有效专利统计只到地市，县（市、区）、园区的该指标以填报值为准",
        )
    pop = population(code, year, Divisions.Y2015)
    if not pop or not pop["population"]:
        return Indicator(spec["name"], spec["label"], reported, None, f"平台无{year}年该地区常住人口数据，未计算")
    value = round(counts["valid_invention"] * 10000 / pop["population"], 2)
    basis = (
        f"{year}年末有效发明专利{counts['valid_invention']}件 ÷ 常住人口{pop['population']:,}人 × 10000"
        f"（人口：{pop['year']}年，{pop['source']}{'；' + pop['note'] if pop['note'] else ''}）；{counts['where']}"
    )
    return Indicator(spec["name"], spec["label"], reported, value, basis)
