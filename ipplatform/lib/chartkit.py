"""More chart images (PNG) for Word reports: labelled path (life cycle), heatmap (matrix) and network graphs."""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.collections import LineCollection

from .charts import _figure, _png


def path_chart(
    title: str, x: Sequence[float], y: Sequence[float], labels: Sequence[str], *, xlabel: str = "", ylabel: str = ""
) -> bytes:
    """Points joined in order, each labelled (e.g. applications vs applicants per year)."""
    fig, ax = _figure(title)
    ax.plot(list(x), list(y), marker="o", markersize=4, color="#3b7dd8")
    step = max(1, len(labels) // 15)
    for i, (xi, yi, label) in enumerate(zip(x, y, labels)):
        if i % step == 0 or i == len(labels) - 1:
            ax.annotate(str(label), (xi, yi), textcoords="offset points", xytext=(4, 4), fontsize=7)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    return _png(fig)


def heatmap_chart(title: str, rows: Sequence[str], cols: Sequence[str], values: Sequence[Sequence[float]]) -> bytes:
    """A matrix with the count printed in every cell."""
    fig, ax = _figure(title, width=7.5, height=max(2.5, 0.38 * len(rows) + 1.5))
    data = [list(r) for r in values] or [[0]]
    ax.imshow(data, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(cols)))
    ax.set_xticklabels(list(cols), rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(list(rows), fontsize=8)
    peak = max((v for r in data for v in r), default=0) or 1
    for i, r in enumerate(values):
        for j, v in enumerate(r):
            ax.text(j, i, str(v), ha="center", va="center", fontsize=7, color="white" if v > peak * 0.6 else "black")
    return _png(fig)


def circle_layout(nodes: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Nodes evenly on a unit circle, in the given order."""
    n = max(len(nodes), 1)
    return {node: (math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i, node in enumerate(nodes)}


def network_chart(
    title: str, nodes: dict[str, str], edges: Sequence[tuple[str, str, float]], *, max_labels: int = 30
) -> bytes:
    """Nodes (id -> label) on a circle ordered by weighted degree, edges drawn with width by weight."""
    degree: dict[str, float] = {k: 0.0 for k in nodes}
    for a, b, w in edges:
        degree[a] = degree.get(a, 0) + w
        degree[b] = degree.get(b, 0) + w
    order = sorted(nodes, key=lambda k: -degree.get(k, 0))
    pos = circle_layout(order)
    fig, ax = _figure(title, width=7.0, height=6.0)
    top_w = max((w for _, _, w in edges), default=1) or 1
    drawn = [(a, b, w) for a, b, w in edges if a in pos and b in pos]
    if drawn:
        ax.add_collection(
            LineCollection(
                [[pos[a], pos[b]] for a, b, _ in drawn],
                colors="#9bb7e0",
                linewidths=[0.5 + 3 * w / top_w for _, _, w in drawn],
                zorder=1,
            )
        )
    top_d = max(degree.values(), default=1) or 1
    ax.scatter(
        [pos[k][0] for k in order],
        [pos[k][1] for k in order],
        s=[20 + 200 * degree.get(k, 0) / top_d for k in order],
        color="#3b7dd8",
        zorder=2,
    )
    for k in order[:max_labels]:
        ax.annotate(str(nodes[k])[:14], pos[k], fontsize=6, xytext=(3, 3), textcoords="offset points")
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.25, 1.25)
    ax.axis("off")
    return _png(fig)
