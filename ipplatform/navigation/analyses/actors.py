"""Who files: applicant ranking and concentration, new entrants, inventors, collaboration networks."""

from __future__ import annotations

import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable

from .common import ENTITY_LABELS, analysis_result, bar_option, caliber, pct, year_range
from .context import Context
from .frame import Frame


def concentration(shares: list[float]) -> tuple[float, float]:
    """CR4 (%) and HHI (0–10000) from market shares given as fractions."""
    ordered = sorted(shares, reverse=True)
    cr4 = sum(ordered[:4]) * 100
    hhi = sum((s * 100) ** 2 for s in ordered)
    return round(cr4, 2), round(hhi, 1)


def hhi_label(hhi: float) -> str:
    if hhi < 1000:
        return "竞争型（低集中度）"
    if hhi < 1800:
        return "中度集中"
    return "高度集中"


def applicants(frame: Frame, *, ctx: Context) -> dict:
    """Applicant ranking (every co-applicant counted) and concentration of first applicants (CR4, HHI)."""
    any_count, first_count, grants = Counter(), Counter(), Counter()
    for appl, gy in zip(frame.applicants, frame.grant_year):
        for a in dict.fromkeys(appl):
            any_count[a] += 1
            if gy:
                grants[a] += 1
        if appl:
            first_count[appl[0]] += 1
    with_first = sum(first_count.values())
    cr4, hhi = concentration([n / with_first for n in first_count.values()]) if with_first else (0.0, 0.0)
    top = sorted(any_count.items(), key=lambda kv: (-kv[1], frame.applicant_info.get(kv[0], ("", ""))[0]))[: ctx.top_n]
    rows = []
    for rank, (a, n) in enumerate(top, 1):
        name, et = frame.applicant_info.get(a, (str(a), "unknown"))
        rows.append(
            [
                rank,
                name,
                ENTITY_LABELS.get(et, et),
                n,
                first_count.get(a, 0),
                pct(first_count.get(a, 0), with_first, 2),
                grants.get(a, 0),
            ]
        )
    labels = [r[1] for r in rows[:15]]
    return analysis_result(
        "applicants",
        "申请人排名与集中度",
        chart=bar_option("申请人排名", labels, [r[3] for r in rows[:15]], horizontal=True),
        headers=["排名", "申请人", "类型", "申请量", "作为第一申请人", "第一申请人份额%", "授权量"],
        rows=rows,
        caliber_text=caliber(
            ctx,
            "排名中每位共同申请人各计一次；集中度按第一申请人计算（份额之和为100%）：CR4为前4位份额之和，"
            "HHI为全部申请人份额（百分数）平方和，<1000为竞争型、1000—1800为中度集中、>1800为高度集中",
        ),
        figures={"申请人数": len(any_count), "CR4": cr4, "HHI": hhi, "集中度": hhi_label(hhi)},
        summary=f"共{len(any_count)}个申请人，CR4为{cr4}%，HHI为{hhi}，属{hhi_label(hhi)}。",
        image={
            "kind": "bar",
            "title": "申请人排名（申请量）",
            "labels": labels,
            "values": [r[3] for r in rows[:15]],
            "horizontal": True,
        },
    )


def new_entrants(frame: Frame, *, ctx: Context) -> dict:
    """Applicants filing in this technology for the first time, per year."""
    first_year: dict[int, int] = {}
    year_people: dict[int, set] = defaultdict(set)
    for ay, appl in zip(frame.app_year, frame.applicants):
        if not ay:
            continue
        for a in appl:
            year_people[ay].add(a)
            if a not in first_year or ay < first_year[a]:
                first_year[a] = ay
    apps_by_new = Counter()
    for ay, appl in zip(frame.app_year, frame.applicants):
        if ay and any(first_year.get(a) == ay for a in appl):
            apps_by_new[ay] += 1
    years = year_range(year_people.keys(), ctx.data_cutoff)
    new = Counter(first_year.values())
    rows = [[y, len(year_people[y]), new[y], pct(new[y], len(year_people[y])), apps_by_new[y]] for y in years]
    chart = {
        "title": {"text": "新进入者", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 50, "right": 50, "bottom": 60, "top": 50},
        "xAxis": {"type": "category", "data": [str(y) for y in years]},
        "yAxis": [{"type": "value", "name": "申请人数"}, {"type": "value", "name": "新进入者占比%", "max": 100}],
        "series": [
            {"type": "bar", "name": "新进入申请人", "data": [new[y] for y in years]},
            {"type": "bar", "name": "当年申请人", "data": [len(year_people[y]) for y in years]},
            {"type": "line", "name": "新进入者占比%", "yAxisIndex": 1, "data": [r[3] for r in rows]},
        ],
    }
    recent = rows[-3:]
    return analysis_result(
        "new_entrants",
        "新进入者",
        chart=chart,
        headers=["年份", "当年申请人数", "新进入申请人数", "新进入者占比%", "含新进入者的申请量"],
        rows=rows,
        caliber_text=caliber(
            ctx, "新进入者指在本分析范围内首次提出申请的申请人（含共同申请人），以其最早申请日所在年份计"
        ),
        figures={"近三年新进入者": sum(r[2] for r in recent)},
        summary=f"近三年共有{sum(r[2] for r in recent)}个新进入申请人。",
        image={
            "kind": "bar",
            "title": "新进入申请人数",
            "labels": [str(y) for y in years],
            "values": [new[y] for y in years],
        },
    )


def inventors(frame: Frame, *, ctx: Context) -> dict:
    """Inventor ranking with each inventor's most frequent applicant."""
    lists = frame.inventors
    count = Counter(itertools.chain.from_iterable(names if len(names) < 2 else set(names) for names in lists))
    top = sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))[: ctx.top_n]
    wanted = {n for n, _ in top}
    grant_count: Counter = Counter()
    employer: dict[str, Counter] = defaultdict(Counter)
    for names, appl, gy in zip(lists, frame.applicants, frame.grant_year):
        hit = wanted.intersection(names)
        for n in hit:
            if gy:
                grant_count[n] += 1
            if appl:
                employer[n][appl[0]] += 1
    rows = []
    for rank, (n, c) in enumerate(top, 1):
        emp = employer[n].most_common(1)
        rows.append([rank, n, c, grant_count[n], frame.applicant_info.get(emp[0][0], ("", ""))[0] if emp else ""])
    return analysis_result(
        "inventors",
        "发明人排名",
        chart=bar_option("发明人排名", [r[1] for r in rows[:15]], [r[2] for r in rows[:15]], horizontal=True),
        headers=["排名", "发明人", "申请量", "授权量", "主要申请人"],
        rows=rows,
        caliber_text=caliber(ctx, "每位发明人各计一次；同名发明人无法区分，按姓名合并"),
        figures={"发明人数": len(count)},
        summary=f"共{len(count)}位发明人。" + (f"申请量最多的是{top[0][0]}（{top[0][1]}件）。" if top else ""),
        image={
            "kind": "bar",
            "title": "发明人排名",
            "labels": [r[1] for r in rows[:15]],
            "values": [r[2] for r in rows[:15]],
            "horizontal": True,
        },
    )


def _graph_option(
    title: str, nodes: dict, edges: Counter, categories: list[str], node_cat, max_nodes: int = 60
) -> dict:
    degree = Counter()
    for (a, b), w in edges.items():
        degree[a] += w
        degree[b] += w
    keep = {n for n, _ in degree.most_common(max_nodes)}
    top_w = max(degree.values()) if degree else 1
    data = [
        {
            "id": str(n),
            "name": nodes[n],
            "value": degree[n],
            "category": categories.index(node_cat(n)),
            "symbolSize": 8 + 30 * degree[n] / top_w,
        }
        for n in keep
    ]
    links = [
        {"source": str(a), "target": str(b), "value": w, "lineStyle": {"width": min(1 + w, 8)}}
        for (a, b), w in edges.items()
        if a in keep and b in keep
    ]
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {},
        "legend": {"bottom": 0, "data": categories},
        "series": [
            {
                "type": "graph",
                "layout": "force",
                "roam": True,
                "data": data,
                "links": links,
                "top": 70,
                "bottom": 50,
                "left": 40,
                "right": 120,
                "categories": [{"name": c} for c in categories],
                "label": {"show": True, "position": "right", "fontSize": 10},
                "force": {"repulsion": 120, "edgeLength": [40, 120]},
            }
        ],
    }


def pair_counts(groups: Iterable[list], limit: int = 12) -> Counter:
    """Co-occurrence counts of unordered pairs within each group (at most `limit` members per group)."""
    edges: Counter = Counter()
    combos = itertools.combinations
    edges.update(
        itertools.chain.from_iterable(
            combos(
                sorted(dict.fromkeys(members))
                if len(members) <= limit
                else sorted(list(dict.fromkeys(members))[:limit]),
                2,
            )
            for members in groups
            if len(members) > 1
        )
    )
    return edges


ACADEMIC = {"university", "institute"}


def coapplicant_network(frame: Frame, *, ctx: Context) -> dict:
    """Co-applicant network, with industry–university–institute (产学研) pairs marked."""
    edges = pair_counts(frame.applicants)
    info = frame.applicant_info
    joint = sum(1 for appl in frame.applicants if len(set(appl)) >= 2)
    iui_patents = 0
    for appl in frame.applicants:
        types = {info.get(a, ("", "unknown"))[1] for a in appl}
        if "enterprise" in types and types & ACADEMIC:
            iui_patents += 1

    def kind_of(a, b) -> tuple[str, str, str]:
        ta, tb = info.get(a, ("", "unknown"))[1], info.get(b, ("", "unknown"))[1]
        pair = {ta, tb}
        if "enterprise" in pair and pair & ACADEMIC:
            return "产学研", ta, tb
        return ("企业间" if ta == tb == "enterprise" else "学研间" if pair <= ACADEMIC else "其他"), ta, tb

    iui_pairs = sum(1 for a, b in edges if kind_of(a, b)[0] == "产学研")
    rows = []
    for (a, b), w in heapq.nsmallest(
        100, edges.items(), key=lambda kv: (-kv[1], info.get(kv[0][0], ("",))[0], info.get(kv[0][1], ("",))[0])
    ):
        kind, ta, tb = kind_of(a, b)
        rows.append(
            [
                info.get(a, (str(a),))[0],
                ENTITY_LABELS.get(ta, ta),
                info.get(b, (str(b),))[0],
                ENTITY_LABELS.get(tb, tb),
                w,
                kind,
            ]
        )
    categories = ["企业", "大专院校", "科研单位", "个人", "其他"]

    def cat(n):
        label = ENTITY_LABELS.get(info.get(n, ("", "unknown"))[1], "其他")
        return label if label in categories else "其他"

    chart = _graph_option(
        "申请人合作网络", {a: info.get(a, (str(a),))[0] for pair in edges for a in pair}, edges, categories, cat
    )
    return analysis_result(
        "coapplicant_network",
        "申请人合作网络（产学研）",
        chart=chart,
        headers=["申请人A", "类型A", "申请人B", "类型B", "合作申请量", "合作类型"],
        rows=rows,
        caliber_text=caliber(
            ctx,
            "同一件申请的每两位共同申请人之间计一次合作；产学研指企业与大专院校或科研单位的合作；网络图显示合作最多的前60个申请人",
        ),
        figures={
            "合作申请量": joint,
            "合作申请占比%": pct(joint, len(frame)),
            "合作关系数": len(edges),
            "产学研合作关系数": iui_pairs,
            "产学研合作申请量": iui_patents,
        },
        summary=f"合作申请{joint}件（占{pct(joint, len(frame))}%），其中产学研合作申请{iui_patents}件、合作关系{iui_pairs}对。",
        image={
            "kind": "network",
            "title": "申请人合作网络",
            "nodes": {str(k): v["name"] for k, v in ((d["id"], d) for d in chart["series"][0]["data"])},
            "edges": [[l["source"], l["target"], l["value"]] for l in chart["series"][0]["links"]],
        },
    )


def inventor_network(frame: Frame, *, ctx: Context) -> dict:
    """Inventor co-invention network."""
    edges = pair_counts(frame.inventors)
    rows = [[a, b, w] for (a, b), w in heapq.nsmallest(100, edges.items(), key=lambda kv: (-kv[1], kv[0]))]
    chart = _graph_option(
        "发明人合作网络", {n: n for pair in edges for n in pair}, edges, ["发明人"], lambda n: "发明人"
    )
    teams = sum(1 for names in frame.inventors if len(set(names)) >= 2)
    return analysis_result(
        "inventor_network",
        "发明人合作网络",
        chart=chart,
        headers=["发明人A", "发明人B", "合作申请量"],
        rows=rows,
        caliber_text=caliber(
            ctx,
            "同一件申请的每两位发明人之间计一次合作（每件取前12位发明人）；同名发明人按姓名合并；网络图显示合作最多的前60位发明人",
        ),
        figures={"团队申请量": teams, "合作关系数": len(edges)},
        summary=f"{teams}件申请由两位以上发明人共同完成，形成{len(edges)}对合作关系。",
        image={
            "kind": "network",
            "title": "发明人合作网络",
            "nodes": {d["id"]: d["name"] for d in chart["series"][0]["data"]},
            "edges": [[l["source"], l["target"], l["value"]] for l in chart["series"][0]["links"]],
        },
    )
