"""Technology composition: IPC subclasses and main groups, WIPO technology fields, the technology–effect matrix."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from .common import analysis_result, bar_option, caliber, main_group, pct
from .context import Context
from .frame import Frame


def _composition(frame: Frame, *, ctx: Context, key: str, title: str, level: str) -> dict:
    counts = Counter(
        ((code[:4] if level == "subclass" else main_group(code)) if code else "") for code in frame.ipc_main
    )
    missing = counts.pop("", 0)
    total = len(frame)
    top = counts.most_common(ctx.top_n)
    rows = [[code, ctx.ipc_title(code), n, pct(n, total)] for code, n in top]
    rest = sum(counts.values()) - sum(n for _, n in top)
    if rest:
        rows.append(["其他", "", rest, pct(rest, total)])
    if missing:
        rows.append(["无分类号", "", missing, pct(missing, total)])
    labels = [code for code, _ in top]
    label = "小类" if level == "subclass" else "大组"
    return analysis_result(
        key,
        title,
        chart=bar_option(title, labels, [n for _, n in top], horizontal=True),
        headers=["分类号", "中文含义", "件数", "占比%"],
        rows=rows,
        caliber_text=caliber(ctx, f"按主分类号所属IPC{label}归类，每件计一次；中文含义取自IPC 2026.01中文版"),
        figures={f"{label}数": len(counts), f"第一{label}": labels[0] if labels else ""},
        summary=(f"前三个{label}为" + "、".join(f"{c}（{ctx.ipc_title(c)[:20]}，{n}件）" for c, n in top[:3]) + "。")
        if top
        else "",
        image={
            "kind": "bar",
            "title": title,
            "labels": [f"{c} {ctx.ipc_title(c)[:12]}" for c in labels[:15]],
            "values": [n for _, n in top[:15]],
            "horizontal": True,
        },
    )


def ipc_subclass(frame: Frame, *, ctx: Context) -> dict:
    """Technology composition by IPC subclass of the main classification."""
    return _composition(frame, ctx=ctx, key="ipc_subclass", title="技术构成（IPC小类）", level="subclass")


def ipc_group(frame: Frame, *, ctx: Context) -> dict:
    """Technology composition by IPC main group of the main classification."""
    return _composition(frame, ctx=ctx, key="ipc_group", title="技术构成（IPC大组）", level="group")


def tech_field_of(code: str, prefixes: dict[str, int]) -> int | None:
    """WIPO field of a normalised IPC symbol: the main-group pattern wins over the subclass pattern."""
    if not code:
        return None
    group = main_group(code)
    if "/" in group:
        hit = prefixes.get(group[:-2])  # 'H04N5/00' -> 'H04N5/'
        if hit is not None:
            return hit
    return prefixes.get(code[:4])


def wipo_fields(frame: Frame, *, ctx: Context) -> dict:
    """Technology composition by the WIPO 35 technology fields (Schmoch concordance)."""
    prefixes = ctx.field_prefixes or {}
    counts = Counter(tech_field_of(code, prefixes) for code in frame.ipc_main)
    unmatched = counts.pop(None, 0)
    total = len(frame)
    top = counts.most_common()
    names = ctx.field_names or {}
    rows = [[num, names.get(num, str(num)), n, pct(n, total)] for num, n in top]
    if unmatched:
        rows.append(["—", "未能归入", unmatched, pct(unmatched, total)])
    labels = [names.get(num, str(num)) for num, _ in top]
    return analysis_result(
        "wipo_fields",
        "技术构成（WIPO技术领域）",
        chart=bar_option("WIPO技术领域分布", labels, [n for _, n in top], horizontal=True),
        headers=["领域序号", "技术领域", "件数", "占比%"],
        rows=rows,
        caliber_text=caliber(
            ctx, "按主分类号对照WIPO 35个技术领域（Schmoch 2008对照表），大组规则优先于小类规则，每件计一次"
        ),
        figures={"领域数": len(counts)},
        summary=(f"主要技术领域为{labels[0]}（{top[0][1]}件，{pct(top[0][1], total)}%）。" if top else ""),
        image={
            "kind": "bar",
            "title": "WIPO技术领域分布",
            "labels": labels[:15],
            "values": [n for _, n in top[:15]],
            "horizontal": True,
        },
    )


def effect_matrix(frame: Frame, *, ctx: Context, groups: int = 10) -> dict:
    """Technology–effect matrix: top IPC main groups × effect terms found in titles and abstracts."""
    terms = ctx.effect_terms
    group_of = [main_group(c) if c else "" for c in frame.ipc_main]
    top = [g for g, _ in Counter(g for g in group_of if g).most_common(groups)]
    index = {g: i for i, g in enumerate(top)}
    matrix = [[0] * len(terms) for _ in top]
    if top and terms:
        owners: dict[str, set[int]] = defaultdict(set)  # synonym -> the terms it belongs to
        for j, (_, syn) in enumerate(terms):
            for word in syn:
                owners[word].add(j)
        pattern = re.compile("|".join(re.escape(w) for w in sorted(owners, key=len, reverse=True)))
        # Overlapping synonyms ('高效' inside '提高效率'): a shorter one hidden by a longer match is found by its own search.
        covers = {w: set().union(*(owners[o] for o in owners if o in w)) for w in owners}
        texts = frame.texts
        for g, text in zip(group_of, texts):
            i = index.get(g)
            if i is None or not text:
                continue
            found: set[int] = set()
            for m in pattern.finditer(text):
                found |= covers[m.group(0)]
            row = matrix[i]
            for j in found:
                row[j] += 1
    term_names = [t for t, _ in terms]
    rows = [[g, ctx.ipc_title(g)] + matrix[i] for i, g in enumerate(top)]
    data = [[j, i, matrix[i][j]] for i in range(len(top)) for j in range(len(terms))]
    peak = max((v for r in matrix for v in r), default=0)
    chart = {
        "title": {"text": "技术功效矩阵", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"position": "top"},
        "grid": {"left": 110, "right": 30, "bottom": 80, "top": 50},
        "xAxis": {"type": "category", "data": term_names, "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "category", "data": top, "inverse": True},
        "visualMap": {
            "min": 0,
            "max": max(peak, 1),
            "orient": "horizontal",
            "left": "center",
            "bottom": 0,
            "show": False,
        },
        "series": [{"type": "heatmap", "data": data, "label": {"show": True}}],
    }
    blanks = [f"{top[i]}×{term_names[j]}" for i in range(len(top)) for j in range(len(terms)) if matrix[i][j] == 0][:5]
    return analysis_result(
        "effect_matrix",
        "技术功效矩阵",
        chart=chart,
        headers=["IPC大组", "中文含义"] + term_names,
        rows=rows,
        caliber_text=caliber(
            ctx,
            "行为主分类号所属申请量前10的IPC大组；列为功效词（可编辑，含同义表达），在名称和摘要中出现即计入，一件可计入多个功效；"
            "空白格提示可能的技术空白点",
        ),
        figures={"技术空白点（示例）": "、".join(blanks)},
        summary=("技术空白点示例：" + "、".join(blanks) + "。") if blanks else "各技术分支与功效均有专利覆盖。",
        image={"kind": "heatmap", "title": "技术功效矩阵", "rows": top, "cols": term_names, "values": matrix},
    )
