"""ECharts option dicts for the dashboard pages (rendered by static/js/platform.js from json_script)."""
from __future__ import annotations

from .enums import Divisions
from .services import JINAN, TYPES

COLORS = ["#1f5fa8", "#2e8b57", "#c98a06", "#c0392b", "#7b5ea7", "#16a2b8"]


def trend_option(trend: dict) -> dict:
    years = [str(y) for y in trend["years"]]
    series = [{"name": f"{label}申请", "type": "line", "data": trend["applications"][k], "smooth": True, "showSymbol": False} for k, label in TYPES]
    series += [{"name": f"{label}授权", "type": "line", "data": trend["grants"][k], "smooth": True, "showSymbol": False,
                "lineStyle": {"type": "dashed"}} for k, label in TYPES]
    series.append({"name": "年末有效发明专利", "type": "bar", "data": trend["valid_invention"], "yAxisIndex": 1, "itemStyle": {"opacity": 0.35}})
    return {
        "color": COLORS, "tooltip": {"trigger": "axis"}, "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 60, "right": 60, "top": 40, "bottom": 60},
        "dataZoom": [{"type": "slider", "bottom": 10}],
        "xAxis": {"type": "category", "data": years},
        "yAxis": [{"type": "value", "name": "件"}, {"type": "value", "name": "有效发明", "splitLine": {"show": False}}],
        "series": series,
    }


def map_option(cities: list[dict], *, divisions: str, key: str = "valid_invention_per_10k", label: str = "万人有效发明专利拥有量",
               highlight: str = "") -> dict:
    """Choropleth of the 17 cities of 2015 (GeoJSON names like 济南市); today's divisions paint 莱芜 with 济南's value."""
    data = [{"name": r["name"], "value": r[key] if r[key] is not None else 0, "selected": r["code"] == highlight} for r in cities]
    if divisions == Divisions.CURRENT:
        jinan = next((r for r in cities if r["code"] == JINAN), None)
        if jinan:
            data.append({"name": "莱芜市", "value": jinan[key] or 0, "note": "现行区划并入济南市"})
    values = [d["value"] for d in data] or [0]
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}<br/>" + label + "：{c}"},
        "visualMap": {"min": 0, "max": max(values) or 1, "precision": 2, "left": 10, "bottom": 10, "text": ["高", "低"], "calculable": True,
                      "inRange": {"color": ["#e8f0fb", "#7fa8dc", "#1f5fa8"]}},
        "series": [{"name": label, "type": "map", "map": "shandong", "roam": False, "selectedMode": "single",
                    "label": {"show": True, "fontSize": 10}, "data": data}],
    }


def ranking_option(cities: list[dict], *, key: str, label: str, highlight: str = "") -> dict:
    rows = sorted(cities, key=lambda r: (r[key] is None, -(r[key] or 0)))[::-1]
    return {
        "tooltip": {"trigger": "axis"}, "grid": {"left": 70, "right": 30, "top": 30, "bottom": 20},
        "xAxis": {"type": "value", "name": label},
        "yAxis": {"type": "category", "data": [r["name"] for r in rows]},
        "series": [{"type": "bar", "name": label, "data": [
            {"value": r[key] or 0, "itemStyle": {"color": "#c0392b" if r["code"] == highlight else "#1f5fa8"}} for r in rows]}],
    }


def pie_option(rows: list[dict], *, title: str) -> dict:
    return {
        "tooltip": {"trigger": "item"}, "legend": {"bottom": 0},
        "series": [{"type": "pie", "name": title, "radius": ["35%", "65%"],
                    "data": [{"name": r["label"], "value": r["applications"]} for r in rows if r["applications"]]}],
    }


def index_option(rows: list[dict]) -> dict:
    ordered = sorted(rows, key=lambda r: r["index"])
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 70, "right": 30, "top": 30, "bottom": 20},
        "xAxis": {"type": "value"}, "yAxis": {"type": "category", "data": [r["name"] for r in ordered]},
        "series": [{"type": "bar", "name": "本年综合指数", "data": [r["index"] for r in ordered]},
                   {"type": "bar", "name": "上年综合指数", "data": [r["index_prev"] for r in ordered], "itemStyle": {"color": "#b8c7db"}}],
    }

