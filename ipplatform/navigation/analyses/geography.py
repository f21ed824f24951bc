"""Where the set comes from: provinces with revealed technological advantage, Shandong's cities."""

from __future__ import annotations

from collections import Counter

from .common import analysis_result, bar_option, caliber, pct
from .context import Context
from .frame import Frame


def rta(part: int, whole: int, region_total: int, corpus_total: int) -> float | None:
    """Revealed technological advantage: the region's share in the subject over its share in the whole data set."""
    if not whole or not region_total or not corpus_total:
        return None
    return round((part / whole) / (region_total / corpus_total), 2)


def regions(frame: Frame, *, ctx: Context) -> dict:
    """Distribution by province with each province's RTA; Shandong's share and RTA against the whole data set."""
    base = ctx.baseline or {"total": 0, "province": {}, "city": {}}
    counts = Counter(frame.province)
    total = len(frame)
    names = ctx.province_names or {}
    rows = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        corpus = base["province"].get(code, 0)
        rows.append(
            [
                names.get(code, "未归属" if not code else code),
                code,
                n,
                pct(n, total),
                corpus,
                rta(n, total, corpus, base["total"]) if code else None,
            ]
        )
    sd = counts.get("370000", 0)
    sd_rta = rta(sd, total, base["province"].get("370000", 0), base["total"])
    top = [r for r in rows if r[1]][:15]
    return analysis_result(
        "regions",
        "地域分布与山东省技术优势",
        chart=bar_option("各省份申请量", [r[0] for r in top], [r[2] for r in top]),
        headers=["省份", "代码", "件数", "占比%", "全库件数", "RTA"],
        rows=rows,
        caliber_text=caliber(
            ctx,
            "按第一申请人地址归属省份；RTA（显示性技术优势）=该省在本主题中的份额 ÷ 该省在全库中的份额，>1表示相对优势；"
            f"全库为平台全部专利记录（{base['total']}件）",
        ),
        figures={"山东省件数": sd, "山东省占比%": pct(sd, total), "山东省RTA": sd_rta},
        summary=f"山东省{sd}件，占{pct(sd, total)}%，RTA为{sd_rta if sd_rta is not None else '—'}"
        + ("，具有相对技术优势。" if sd_rta and sd_rta > 1 else "。"),
        image={"kind": "bar", "title": "各省份申请量", "labels": [r[0] for r in top], "values": [r[2] for r in top]},
    )


def shandong_cities(frame: Frame, *, ctx: Context) -> dict:
    """Distribution over Shandong's cities (2015 divisions) with each city's RTA."""
    base = ctx.baseline or {"total": 0, "province": {}, "city": {}}
    names = ctx.city_names or {}
    counts = Counter(c for p, c in zip(frame.province, frame.city) if p == "370000")
    total = len(frame)
    rows = []
    for code in sorted(set(names) | set(counts), key=lambda c: (-counts.get(c, 0), c)):
        n = counts.get(code, 0)
        corpus = base["city"].get(code, 0)
        rows.append(
            [
                names.get(code, "未归属地市" if not code else code),
                code,
                n,
                pct(n, total),
                corpus,
                rta(n, total, corpus, base["total"]),
            ]
        )
    chart = {
        "title": {"text": "山东省各市分布", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}件"},
        "visualMap": {
            "min": 0,
            "max": max(counts.values() or [1]),
            "left": 10,
            "bottom": 10,
            "calculable": True,
            "text": ["多", "少"],
        },
        "series": [
            {
                "type": "map",
                "map": "shandong",
                "roam": False,
                "label": {"show": True, "fontSize": 10},
                "data": [{"name": names[c], "value": counts.get(c, 0)} for c in sorted(names)],
            }
        ],
    }
    best = max((r for r in rows if r[5] is not None and r[2]), key=lambda r: r[5], default=None)
    result = analysis_result(
        "shandong_cities",
        "山东省各市分布",
        chart=chart,
        headers=["地市", "代码", "件数", "占本主题%", "全库件数", "RTA"],
        rows=rows,
        caliber_text=caliber(
            ctx, "按第一申请人地址归属地市（2015年区划，莱芜市单列）；RTA=该市在本主题中的份额 ÷ 该市在全库中的份额"
        ),
        figures={"山东省件数": sum(counts.values()), "RTA最高的地市": best[0] if best else ""},
        summary=(f"省内以{rows[0][0]}最多（{rows[0][2]}件）" if rows and rows[0][2] else "省内无申请")
        + (f"，{best[0]}的RTA最高（{best[5]}）。" if best else "。"),
        image={
            "kind": "bar",
            "title": "山东省各市申请量",
            "labels": [r[0] for r in rows if r[2]][:17],
            "values": [r[2] for r in rows if r[2]][:17],
            "horizontal": True,
        },
    )
    result["map"] = "shandong"
    return result
