"""Chart images (PNG) for Word reports, drawn with matplotlib and a local CJK font."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

_CJK_FONT_CANDIDATES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Source Han Sans SC",
)


@lru_cache(maxsize=1)
def cjk_font_family() -> str | None:
    names = {f.name for f in font_manager.fontManager.ttflist}
    for candidate in _CJK_FONT_CANDIDATES:
        if candidate in names:
            return candidate
    return None


def _figure(title: str, width=7.0, height=3.6):
    family = cjk_font_family()
    if family:
        plt.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(width, height), dpi=120)
    ax.set_title(title)
    return fig, ax


def _ylabel(ax, text: str):
    """The value axis' unit, upright above the axis (Chinese set sideways is hard to read), clear of the title."""
    if not text:
        return
    ax.set_ylabel(text, rotation=0, ha="left", va="bottom")
    ax.yaxis.set_label_coords(-0.02, 1.02)
    ax.set_title(ax.get_title(), pad=20)


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float], *, horizontal: bool = False, ylabel: str = ""
) -> bytes:
    fig, ax = _figure(title)
    if horizontal:
        ax.barh(list(labels)[::-1], list(values)[::-1], color="#3b7dd8")
    else:
        ax.bar(list(labels), list(values), color="#3b7dd8")
        if len(labels) > 8:
            # rotated about the label's end so each label ends under its bar, not beside the next one
            plt.setp(ax.get_xticklabels(), rotation=45, ha="right", rotation_mode="anchor")
    _ylabel(ax, ylabel)
    return _png(fig)


def line_chart(title: str, x: Sequence, series: dict[str, Sequence[float]], *, ylabel: str = "") -> bytes:
    fig, ax = _figure(title)
    for name, values in series.items():
        ax.plot(list(x), list(values), marker="o", markersize=3, label=name)
    if len(series) > 1:
        ax.legend()
    _ylabel(ax, ylabel)
    return _png(fig)


def pie_chart(title: str, labels: Sequence[str], values: Sequence[float]) -> bytes:
    fig, ax = _figure(title, width=5.5, height=4.0)
    ax.pie(list(values), labels=list(labels), autopct="%1.1f%%", startangle=90)
    ax.axis("equal")
    return _png(fig)
