"""The state of the portfolio: patent types, legal status, key patents and their value events."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count

from .common import STATUS_LABELS, TYPE_LABELS, analysis_result, bar_option, caliber, pct, pie_option
from .context import Context
from .frame import CHUNK, Frame, chunks

VALUE_EVENTS = ("transfer", "license", "pledge", "open_license")


def types(frame: Frame, *, ctx: Context) -> dict:
    """Mix of patent types."""
    counts = Counter(frame.ptype)
    total = len(frame)
    order = [t for t in ("invention", "utility", "design") if counts.get(t)] + [
        t for t in counts if t not in TYPE_LABELS
    ]
    rows = [[TYPE_LABELS.get(t, t), counts[t], pct(counts[t], total)] for t in order]
    labels = [r[0] for r in rows]
    return analysis_result(
        "types",
        "专利类型构成",
        chart=pie_option("专利类型构成", labels, [r[1] for r in rows]),
        headers=["类型", "件数", "占比%"],
        rows=rows,
        caliber_text=caliber(ctx),
        figures={"发明占比%": pct(counts.get("invention", 0), total)},
        summary=f"发明专利占{pct(counts.get('invention', 0), total)}%。",
        image={"kind": "pie", "title": "专利类型构成", "labels": labels, "values": [r[1] for r in rows]},
    )


def legal_status(frame: Frame, *, ctx: Context) -> dict:
    """Mix of current legal status, by patent type."""
    counts = Counter(frame.status)
    by_type = Counter(zip(frame.status, frame.ptype))
    total = len(frame)
    order = [s for s in ("valid", "pending", "invalid", "unknown") if counts.get(s)]
    rows = [
        [STATUS_LABELS.get(s, s), counts[s], pct(counts[s], total)]
        + [by_type.get((s, t), 0) for t in ("invention", "utility", "design")]
        for s in order
    ]
    labels = [r[0] for r in rows]
    return analysis_result(
        "legal_status",
        "法律状态构成",
        chart=pie_option("法律状态构成", labels, [r[1] for r in rows]),
        headers=["法律状态", "件数", "占比%", "发明", "实用新型", "外观设计"],
        rows=rows,
        caliber_text=caliber(ctx, "法律状态为数据截止日的当前状态；缺少法律状态事件的已授权专利在保护期内推定为有效"),
        figures={"有效占比%": pct(counts.get("valid", 0), total)},
        summary=f"有效专利占{pct(counts.get('valid', 0), total)}%。",
        image={"kind": "pie", "title": "法律状态构成", "labels": labels, "values": [r[1] for r in rows]},
    )


def key_patents(frame: Frame, *, ctx: Context, limit: int = 30, events: dict | None = None) -> dict:
    """Key patents scored on the available indicators: claims, IPC breadth, citations and legal events."""
    if events is None:
        events = value_events(frame.ids)
    has_citations = any(c for c in frame.citations)
    breadths = frame.ipc_breadth()
    scored = []
    no_events: dict = {}
    for i, pid in enumerate(frame.ids):
        ev = events.get(pid, no_events)
        breadth = breadths[i]
        claims = min(frame.claims[i] or 0, 30)
        cites = frame.citations[i] or 0
        value = sum(ev.get(k, 0) for k in VALUE_EVENTS)
        survived = 1 if ev.get("invalidation_request") and frame.status[i] == "valid" else 0
        valid_invention = 1 if frame.ptype[i] == "invention" and frame.status[i] == "valid" else 0
        score = claims + 5 * breadth + 3 * cites + 10 * value + 10 * survived + 10 * valid_invention
        scored.append((score, i, claims, breadth, cites, value, survived))
    scored.sort(key=lambda s: (-s[0], frame.ids[s[1]]))
    lengths = frame.first_claim_lengths([frame.ids[s[1]] for s in scored[:limit]])
    rows = []
    for score, i, claims, breadth, cites, value, survived in scored[:limit]:
        rows.append(
            [
                frame.ids[i],
                TYPE_LABELS.get(frame.ptype[i], frame.ptype[i]),
                frame.applicant_info.get(frame.applicants[i][0], ("",))[0] if frame.applicants[i] else "",
                frame.app_year[i],
                STATUS_LABELS.get(frame.status[i], frame.status[i]),
                frame.claims[i] or 0,
                lengths.get(frame.ids[i], 0),
                breadth,
                cites if has_citations else "—",
                value,
                "是" if survived else "",
                score,
            ]
        )
    return analysis_result(
        "key_patents",
        "重点专利",
        chart=bar_option(
            "重点专利得分", [r[0] for r in rows[:15]], [r[-1] for r in rows[:15]], horizontal=True, name="得分"
        ),
        headers=[
            "记录号",
            "类型",
            "第一申请人",
            "申请年",
            "法律状态",
            "权利要求数",
            "主权项字数",
            "IPC小类数",
            "被引次数",
            "转让/许可/质押次数",
            "经无效程序仍有效",
            "得分",
        ],
        rows=rows,
        caliber_text=caliber(
            ctx,
            "得分=权利要求数（上限30）+5×IPC小类数+3×被引次数+10×转让、许可、质押等运营事件数+10×经无效宣告请求仍有效+10×有效发明专利；"
            "主权项字数越少通常保护范围越宽，仅供参考" + ("" if has_citations else "；本数据无被引次数，该项不计分"),
        ),
        figures={"重点专利数": len(rows)},
        summary=(f"得分最高的是{rows[0][0]}（{rows[0][-1]}分）。" if rows else ""),
        image=None,
    )


def value_events(ids: list[str]) -> dict[str, dict[str, int]]:
    """Counts of value-bearing legal events per patent (transfers, licences, pledges, invalidation requests)."""
    from ipplatform.patents.models import LegalEvent

    out: dict[str, dict[str, int]] = defaultdict(dict)
    codes = list(VALUE_EVENTS) + ["invalidation_request"]
    if len(ids) > 4 * CHUNK:
        # A large set: one pass over the (rare) value events by their indexed code beats many id lists.
        wanted = set(ids)
        for pid, code, n in (
            LegalEvent.objects.filter(code__in=codes)
            .order_by()
            .values_list("patent_id", "code")
            .annotate(n=Count("pk"))
            .values_list("patent_id", "code", "n")
        ):
            if pid in wanted:
                out[pid][code] = n
        return out
    for chunk in chunks(ids):
        for pid, code, n in (
            LegalEvent.objects.filter(patent_id__in=chunk, code__in=codes)
            .order_by()
            .values_list("patent_id", "code")
            .annotate(n=Count("pk"))
            .values_list("patent_id", "code", "n")
        ):
            out[pid][code] = n
    return out
