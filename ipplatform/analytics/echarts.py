"""ECharts option dicts for the dashboard pages (rendered by static/js/platform.js from json_script)."""

from __future__ import annotations

from .enums import Divisions
from .services import JINAN, LAIWU, MERGER_YEAR, TYPES

COLORS = ["#1f5fa8", "#2e8b57", "#c98a06", "#c0392b", "#7b5ea7", "#16a2b8"]


def trend_option(trend: dict) -> dict:
    years = [str(y) for y in trend["years"]]
    series = [
        {"name": f"{label}申请", "type": "line", "data": trend["applications"][k], "smooth": True, "showSymbol": False}
        for k, label in TYPES
    ]
    series += [
        {
            "name": f"{label}授权",
            "type": "line",
            "data": trend["grants"][k],
            "smooth": True,
            "showSymbol": False,
            "lineStyle": {"type": "dashed"},
        }
        for k, label in TYPES
    ]
    series.append(
        {
            "name": "年末有效发明专利",
            "type": "bar",
            "data": trend["valid_invention"],
            "yAxisIndex": 1,
            "itemStyle": {"opacity": 0.35},
        }
    )
    return {
        "color": COLORS,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 60, "right": 60, "top": 40, "bottom": 60},
        "dataZoom": [{"type": "slider", "bottom": 10}],
        "xAxis": {"type": "category", "data": years},
        "yAxis": [{"type": "value", "name": "件"}, {"type": "value", "name": "有效发明", "splitLine": {"show": False}}],
        "series": series,
    }


def map_choice(*, divisions: str, year: int) -> dict:
    """The 2015 map (17 cities) for 2015 divisions before the 2019 merger, else today's 16 cities (2020 boundaries)."""
    if divisions == Divisions.CURRENT or year >= MERGER_YEAR:
        return {
            "name": "shandong_2020",
            "src": "/static/maps/shandong_2020.json",
            "label": "现行16市，2020年边界",
            "note": "地图边界：2020年第七次人口普查所附地市边界（16市）；原莱芜市（2019年并入济南市）的数字计入济南市。",
        }
    return {
        "name": "shandong",
        "src": "",
        "label": "2015年区划17市",
        "note": "地图边界：2015年区划（17市，含莱芜市）。",
    }


def map_note(choice: dict, *, divisions: str, year: int, key: str = "valid_invention_per_10k") -> str:
    if choice["name"] == "shandong_2020" and divisions != Divisions.CURRENT and key.endswith("per_10k"):
        return choice["note"] + "本页按2015年区划口径，济南市的万人指标不含原莱芜市；选择“现行区划”可看合并后的数字。"
    return choice["note"]


def map_option(
    cities: list[dict],
    *,
    divisions: str,
    year: int = 0,
    key: str = "valid_invention_per_10k",
    label: str = "万人有效发明专利拥有量",
    highlight: str = "",
) -> dict:
    """Choropleth of the cities; on the 16-city map 莱芜's records are part of 济南 (in current divisions the rows already
    are; in 2015 divisions 莱芜's count is added to 济南's and a per-10k value is not painted for 济南 alone)."""
    current_map = divisions == Divisions.CURRENT or year >= MERGER_YEAR
    data = [
        {"name": r["name"], "value": r[key] if r[key] is not None else 0, "selected": r["code"] == highlight}
        for r in cities
        if not (current_map and r["code"] == LAIWU)
    ]
    if not current_map and divisions == Divisions.CURRENT:
        jinan = next((r for r in cities if r["code"] == JINAN), None)
        if jinan:
            data.append({"name": "莱芜市", "value": jinan[key] or 0, "note": "现行区划并入济南市"})
    if current_map and divisions != Divisions.CURRENT:
        laiwu = next((r for r in cities if r["code"] == LAIWU), None)
        jn = next((d for d in data if d["name"] == "济南市"), None)
        if laiwu and jn and not key.endswith("per_10k"):
            jn["value"] = (jn["value"] or 0) + (laiwu[key] or 0)
    values = [d["value"] for d in data] or [0]
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}<br/>" + label + "：{c}"},
        "visualMap": {
            "min": 0,
            "max": max(values) or 1,
            "precision": 2 if max(values) >= 0.1 else 4,
            "left": 10,
            "bottom": 10,
            "text": ["高", "低"],
            "calculable": True,
            "inRange": {"color": ["#e8f0fb", "#7fa8dc", "#1f5fa8"]},
        },
        "series": [
            {
                "name": label,
                "type": "map",
                "map": "shandong_2020" if current_map else "shandong",
                "roam": False,
                "selectedMode": "single",
                "label": {"show": True, "fontSize": 10},
                "data": data,
            }
        ],
    }


def ranking_option(cities: list[dict], *, key: str, label: str, highlight: str = "") -> dict:
    rows = sorted(cities, key=lambda r: (r[key] is None, -(r[key] or 0)))[::-1]
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 70, "right": 30, "top": 30, "bottom": 20},
        "xAxis": {"type": "value", "name": label},
        "yAxis": {"type": "category", "data": [r["name"] for r in rows]},
        "series": [
            {
                "type": "bar",
                "name": label,
                "data": [
                    {"value": r[key] or 0, "itemStyle": {"color": "#c0392b" if r["code"] == highlight else "#1f5fa8"}}
                    for r in rows
                ],
            }
        ],
    }


def pie_option(rows: list[dict], *, title: str) -> dict:
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0},
        "series": [
            {
                "type": "pie",
                "name": title,
                "radius": ["35%", "65%"],
                "data": [{"name": r["label"], "value": r["applications"]} for r in rows if r["applications"]],
            }
        ],
    }


def index_option(rows: list[dict]) -> dict:
    ordered = sorted(rows, key=lambda r: r["index"])
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 70, "right": 30, "top": 30, "bottom": 20},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "data": [r["name"] for r in ordered]},
        "series": [
            {"type": "bar", "name": "本年综合指数", "data": [r["index"] for r in ordered]},
            {
                "type": "bar",
                "name": "上年综合指数",
                "data": [r["index_prev"] for r in ordered],
                "itemStyle": {"color": "#b8c7db"},
            },
        ],
    }
