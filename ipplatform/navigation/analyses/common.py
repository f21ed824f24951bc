"""Shared by every analysis: labels, the result dict, counting rules (口径) and chart options."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Context

ENTITY_LABELS = {
    "enterprise": "企业",
    "university": "大专院校",
    "institute": "科研单位",
    "government": "机关团体",
    "individual": "个人",
    "unknown": "未识别",
}
TYPE_LABELS = {"invention": "发明", "utility": "实用新型", "design": "外观设计"}
STATUS_LABELS = {"pending": "审中", "valid": "有效", "invalid": "失效", "unknown": "未知"}


def main_group(code: str) -> str:
    """'H01M10/052' -> 'H01M10/00'; a bare subclass stays as it is."""
    m = re.match(r"([A-H]\d\d[A-Z])(\d+)", code or "")
    return f"{m.group(1)}{m.group(2)}/00" if m else (code or "")[:4]


def caliber(ctx: Context, extra: str = "", *, grants: bool = False) -> str:
    cutoff = ctx.data_cutoff.isoformat() if ctx.data_cutoff else "未知"
    parts = [
        "统计口径：按件计（每件申请计一次，未做同族合并）",
        "申请量按申请日统计" + ("，授权量按授权公告日统计（实用新型、外观设计以授权公告日计）" if grants else ""),
        f"数据截止日期：{cutoff}",
    ]
    if extra:
        parts.append(extra)
    return "；".join(parts) + "。"


def analysis_result(key, title, *, chart, headers, rows, caliber_text, figures=None, image=None, summary="") -> dict:
    return {
        "key": key,
        "title": title,
        "chart": chart,
        "headers": headers,
        "rows": rows,
        "caliber": caliber_text,
        "figures": figures or {},
        "image": image,
        "summary": summary,
    }


def pct(part: float, whole: float, digits: int = 1) -> float:
    return round(part * 100 / whole, digits) if whole else 0.0


def year_range(years: Iterable[int | None], cutoff: dt.date | None) -> list[int]:
    ys = [y for y in years if y]
    if not ys:
        return []
    last = max(ys)
    if cutoff:
        last = min(last, cutoff.year)
    return list(range(min(ys), last + 1))


def bar_option(title: str, labels: list[str], values: list, *, horizontal=False, name="件数") -> dict:
    axis_cat = {
        "type": "category",
        "data": labels,
        "axisLabel": {"interval": 0, "rotate": 0 if horizontal else (30 if len(labels) > 8 else 0)},
    }
    axis_val = {"type": "value", "name": name}
    if horizontal:
        axis_cat["inverse"] = True
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 20, "right": 40, "bottom": 30, "top": 50, "containLabel": True},
        "xAxis": axis_val if horizontal else axis_cat,
        "yAxis": axis_cat if horizontal else axis_val,
        "series": [{"type": "bar", "name": name, "data": values, "itemStyle": {"color": "#3b7dd8"}}],
    }


def pie_option(title: str, labels: list[str], values: list) -> dict:
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}件（{d}%）"},
        "legend": {"bottom": 0},
        "series": [
            {
                "type": "pie",
                "radius": ["35%", "65%"],
                "data": [{"name": n, "value": v} for n, v in zip(labels, values)],
                "label": {"formatter": "{b}\n{d}%"},
            }
        ],
    }
