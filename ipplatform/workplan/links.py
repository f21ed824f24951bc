"""Links from plan tasks to the platform parts that carry them out, and the live figures those parts provide."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.urls import reverse

from ipplatform.core.regions import city_code_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlatformLink:
    key: str
    label: str
    app: str
    url_name: str  # the page of the part (every app is installed, so it always resolves)
    keywords: tuple[str, ...]  # a task whose text contains one of these is linked at import


LINKS = [
    PlatformLink("finance_pledge", "质押融资登记统计", "finance", "finance:pledge_stats", ("质押融资", "专利保险")),
    PlatformLink("finance_subsidy", "贴息与保费补助", "finance", "finance:subsidies", ("贴息",)),
    PlatformLink(
        "protection",
        "维权援助与执法案件统计",
        "protection",
        "protection:stats",
        ("专利行政执法", "维权援助", "执法协作", "冒充专利", "纠纷"),
    ),
    PlatformLink("protection_intake", "12330投诉举报", "protection", "protection:intake_list", ("12330",)),
    PlatformLink(
        "search",
        "专利检索与信息服务",
        "search",
        "search:search",
        ("公共服务综合平台", "专利信息服务", "信息服务分平台"),
    ),
    PlatformLink("navigation", "专利导航", "navigation", "navigation:index", ("专利导航", "专利分析")),
    PlatformLink("market", "展示交易", "market", "market:stats", ("展示交易", "专利技术市场", "运营服务")),
    PlatformLink(
        "analytics",
        "专利统计监测",
        "analytics",
        "analytics:province",
        ("万人有效发明专利", "专利事业“十三五”发展规划", "优势培育"),
    ),
]
BY_KEY = {link.key: link for link in LINKS}


def links_for_text(text: str) -> list[str]:
    """Keys of the platform parts a task's text refers to."""
    return [link.key for link in LINKS if any(word in text for word in link.keywords)]


def resolve(keys) -> list[dict]:
    """[{key, label, url}] for the linked parts; keys no longer known (stored on old tasks) are left out."""
    return [
        {"key": key, "label": BY_KEY[key].label, "url": reverse(BY_KEY[key].url_name)}
        for key in keys or []
        if key in BY_KEY
    ]


def _pledge_figures(*, year: int, user) -> list[dict]:
    """Registered pledges of the year (province, and the user's city for a city bureau) from the finance registry."""
    from ipplatform.finance.models import Pledge
    from ipplatform.finance.services import registry_stats

    url = reverse(BY_KEY["finance_pledge"].url_name)
    qs = Pledge.objects.filter(registered_on__year=year)
    count, amount = registry_stats(qs=qs)["total"]
    out = [
        {"label": f"{year}年全省专利权质押登记", "value": count, "unit": "笔", "url": url},
        {"label": f"{year}年全省质押登记金额", "value": amount, "unit": "万元", "url": url},
    ]
    org = getattr(user, "organization", None)
    if org is not None and org.kind == "city_bureau" and org.region_code:
        count, amount = registry_stats(qs=qs.filter(city_code=city_code_of(org.region_code)))["total"]
        out += [
            {"label": f"{year}年{org.short_name or org.name}质押登记", "value": count, "unit": "笔", "url": url},
            {"label": f"{year}年{org.short_name or org.name}质押登记金额", "value": amount, "unit": "万元", "url": url},
        ]
    return out


def _protection_figures(*, year: int, user) -> list[dict]:
    """Cases of the year the user may see, by type, from the protection app's statistics."""
    from ipplatform.protection.stats import statistics

    data = statistics(user=user, year=year)
    url = reverse(BY_KEY["protection"].url_name)
    out = [{"label": f"{year}年受理案件（本人可见范围）", "value": data["total"], "unit": "件", "url": url}]
    out += [{"label": f"其中{row[0]}", "value": row[1], "unit": "件", "url": url} for row in data["by_type"] if row[1]]
    return out


# The parts whose statistics a progress report may quote, read from their apps' own statistics functions.
ADAPTERS = {"finance_pledge": _pledge_figures, "protection": _protection_figures}


def live_figures(keys, *, year: int, user=None) -> list[dict]:
    """Live figures of the linked platform parts, for progress reports to quote (never raises)."""
    out = []
    for key in keys or []:
        adapter = ADAPTERS.get(key)
        if adapter is None:
            continue
        try:
            out.extend({"source": BY_KEY[key].label, **row} for row in adapter(year=year, user=user))
        except Exception:  # another app's figures must never break the task page
            log.exception("live figures for %s failed", key)
    return out
