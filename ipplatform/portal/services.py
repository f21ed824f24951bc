"""The public portal: what anonymous visitors see on the front page, the 17 city sub-sites (2015 divisions) and
the thematic platforms (shared 专题库)."""

from __future__ import annotations

from django.core.cache import cache

from ipplatform.core import regions
from ipplatform.core.enums import OrgKind
from ipplatform.core.inputs import InputError
from ipplatform.core.models import Organization

FIGURE_CACHE_SECONDS = 600


def cities() -> list[tuple[str, str]]:
    """(code, name) of the 17 cities of 2015."""
    return regions.cities(regions.REVISION_2015)


def validate_city(code: str) -> str:
    """The code if it is one of the 17 cities, else a 404-style InputError."""
    codes = {c for c, _ in cities()}
    if code not in codes:
        raise InputError(f"“{code}”不是山东省2015年17个设区市之一", field="code")
    return code


def open_figures(*, city_code: str | None) -> dict | None:
    """Headline patent figures (real records only, no synthetic data) with the basis each is computed from; cached 10 minutes."""
    key = f"portal:figures:{city_code or 'province'}"
    data = cache.get(key)
    if data is not None:
        return data or None
    from ipplatform.analytics import services as stats

    try:
        year = stats.default_year(include_synthetic=False)
        dash = stats.dashboard(year=year, city_code=city_code, divisions="2015", include_synthetic=False)
    except InputError:
        cache.set(key, {}, FIGURE_CACHE_SECONDS)
        return None
    s = dash["summary"]
    if not (s["applications"] or s["grants"] or s["valid_invention"]):
        cache.set(key, {}, FIGURE_CACHE_SECONDS)  # no records for this area: say so rather than show zeros and a rank
        return None
    data = {
        "year": year,
        "label": dash["period"]["label"],
        "valid_date": dash["valid_date"],
        "rows": [
            ("专利申请量", s["applications"], dash["basis"]["applications"]),
            ("发明专利申请量", s["invention_applications"], dash["basis"]["applications"]),
            ("专利授权量", s["grants"], dash["basis"]["grants"]),
            ("有效发明专利", s["valid_invention"], dash["basis"]["valid"]),
            ("每万人有效发明专利", s["valid_invention_per_10k"], dash["basis"]["population"]),
        ],
        "rank": dash.get("rank"),
    }
    cache.set(key, data, FIGURE_CACHE_SECONDS)
    return data


def city_contacts(code: str) -> list[Organization]:
    """The city's bureau and its county bureaus, with address and contact."""
    prefix = code[:4]
    return list(
        Organization.objects.filter(
            kind__in=[OrgKind.CITY_BUREAU, OrgKind.COUNTY_BUREAU], region_code__startswith=prefix, is_active=True
        ).order_by("kind", "region_code")[:40]
    )


def topic_analysis(db) -> dict:
    """A thematic database's members by application year and by city (real records; synthetic ones counted apart)."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from ipplatform.patents.models import Patent

    members = Patent.objects.filter(navigation_memberships__db=db)
    real = members.filter(is_synthetic=False)
    by_year = list(
        real.exclude(application_date=None)
        .annotate(y=ExtractYear("application_date"))
        .values("y")
        .annotate(n=Count("pk"))
        .order_by("y")
    )
    by_city = [
        {"name": regions.name_of(r["city_code"]) or r["city_code"], "n": r["n"]}
        for r in real.exclude(city_code="").values("city_code").annotate(n=Count("pk")).order_by("-n")[:17]
    ]
    return {
        "by_year": by_year[-15:],
        "by_city": by_city,
        "real": real.count(),
        "synthetic": members.filter(is_synthetic=True).count(),
        "basis": f"口径：专题库“{db.name}”收录的专利（检索式、IPC分类号、技术领域及人工纳入/排除，截至{db.refreshed_at:%Y-%m-%d %H:%M}更新），"
        "按申请日年份和第一申请人所在地市统计；不含模拟数据。"
        if db.refreshed_at
        else f"口径：专题库“{db.name}”收录的专利；尚未更新过收录。",
    }
