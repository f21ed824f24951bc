"""Case statistics by type, city, month, outcome and duration; Excel export."""

from __future__ import annotations

from collections import Counter, defaultdict

from ipplatform.core import regions
from ipplatform.lib.xlsx import Sheet

from .access import cases_for
from .enums import CaseType, Outcome


def statistics(*, user, year: int | None = None) -> dict:
    """Counts and durations of the cases the user may see (optionally one year by date received)."""
    qs = cases_for(user)
    if year:
        qs = qs.filter(received_on__year=year)
    rows = list(
        qs.values("pk", "case_type", "city_code", "received_on", "closed_on", "outcome", "state")
    )  # pk: distinct scoped querysets must not merge equal rows
    names = regions.division_names(regions.REVISION_2015)
    by_type, by_city, by_month, by_outcome = Counter(), Counter(), Counter(), Counter()
    durations = defaultdict(list)
    for r in rows:
        by_type[r["case_type"]] += 1
        by_city[r["city_code"]] += 1
        by_month[r["received_on"].strftime("%Y-%m")] += 1
        by_outcome[r["outcome"] or "open"] += 1
        if r["closed_on"]:
            durations[r["case_type"]].append((r["closed_on"] - r["received_on"]).days)
    type_rows = []
    for t in CaseType:
        ds = durations.get(t.value, [])
        type_rows.append(
            [
                t.label,
                by_type.get(t.value, 0),
                len(ds),
                round(sum(ds) / len(ds), 1) if ds else None,
                max(ds) if ds else None,
            ]
        )
    return {
        "total": len(rows),
        "by_type": type_rows,
        "by_city": [[names.get(c, c), n] for c, n in sorted(by_city.items())],
        "by_month": sorted(by_month.items()),
        "by_outcome": [["办理中" if k == "open" else Outcome(k).label, n] for k, n in by_outcome.most_common()],
    }


def sheets(data: dict, *, note: str) -> list[Sheet]:
    notes = [note, "办理时长 = 办结日期 − 收到日期（自然日）；统计范围为当前用户数据权限内的案件"]
    return [
        Sheet(
            "按类型", ["案件类型", "案件数", "已办结", "平均办理时长（日）", "最长（日）"], data["by_type"], notes=notes
        ),
        Sheet("按城市", ["管辖市", "案件数"], data["by_city"], notes=notes),
        Sheet("按月份", ["收到月份", "案件数"], data["by_month"], notes=notes),
        Sheet("按结果", ["处理结果", "案件数"], data["by_outcome"], notes=notes),
    ]
