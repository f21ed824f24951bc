"""Development over time: application and grant trends, the technology life cycle."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from .common import analysis_result, caliber, year_range
from .context import Context
from .frame import Frame

PUBLICATION_LAG_DAYS = 548  # 18 months
PHASES = ("萌芽期", "成长期", "成熟期", "衰退期", "复苏期")


def trend(frame: Frame, *, ctx: Context) -> dict:
    """Applications by application year and grants by grant year, invention patents shown apart."""
    years = year_range(frame.app_year + frame.grant_year, ctx.data_cutoff)
    apps, inv_apps, grants, inv_grants = Counter(), Counter(), Counter(), Counter()
    for t, ay, gy in zip(frame.ptype, frame.app_year, frame.grant_year):
        if ay:
            apps[ay] += 1
            if t == "invention":
                inv_apps[ay] += 1
        if gy:
            grants[gy] += 1
            if t == "invention":
                inv_grants[gy] += 1
    rows = [[y, apps[y], inv_apps[y], grants[y], inv_grants[y]] for y in years]
    peak = max(years, key=lambda y: apps[y]) if years else None
    chart = {
        "title": {"text": "申请与授权趋势", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 50, "right": 30, "bottom": 60, "top": 50},
        "xAxis": {"type": "category", "data": [str(y) for y in years]},
        "yAxis": {"type": "value", "name": "件数"},
        "series": [
            {"type": "line", "name": "申请量", "data": [apps[y] for y in years]},
            {"type": "line", "name": "其中发明申请", "data": [inv_apps[y] for y in years]},
            {"type": "bar", "name": "授权量", "data": [grants[y] for y in years]},
        ],
    }
    figures = {"申请总量": sum(apps.values()), "授权总量": sum(grants.values()), "申请高峰年": peak}
    summary = (
        f"共{sum(apps.values())}件申请，{sum(grants.values())}件授权"
        + (f"，申请量在{peak}年达到峰值（{apps[peak]}件）" if peak else "")
        + "。"
    )
    return analysis_result(
        "trend",
        "申请与授权趋势",
        chart=chart,
        headers=["年份", "申请量", "其中发明申请", "授权量", "其中发明授权"],
        rows=rows,
        caliber_text=caliber(ctx, "近两年发明申请因18个月公开期尚未完全公开", grants=True),
        figures=figures,
        summary=summary,
        image={
            "kind": "line",
            "title": "申请与授权趋势",
            "x": [str(y) for y in years],
            "series": {"申请量": [apps[y] for y in years], "授权量": [grants[y] for y in years]},
        },
    )


def lifecycle_phase(
    *, years: list[int], applications: dict[int, int], applicants: dict[int, set], end_year: int
) -> tuple[str, str]:
    """Name the life-cycle phase from the last three complete years against the three before them."""
    active = [y for y in years if y <= end_year and applications.get(y)]
    if len(active) < 4:
        return "萌芽期", f"截至{end_year}年有申请的年份不足4年，技术处于引入阶段"

    def window(last):
        span = range(last - 2, last + 1)
        apps = sum(applications.get(y, 0) for y in span)
        people = set().union(*(applicants.get(y, set()) for y in span))
        return apps, len(people)

    a_apps, a_people = window(end_year)
    b_apps, b_people = window(end_year - 3)
    c_apps, c_people = window(end_year - 6)
    if b_apps == 0:
        return "萌芽期", f"{end_year - 5}—{end_year - 3}年无申请，技术刚刚出现"
    ga = a_apps / b_apps - 1
    gp = (a_people / b_people - 1) if b_people else ga
    text = f"{end_year - 2}—{end_year}年申请量{a_apps}件、申请人{a_people}个，较前三年（{b_apps}件、{b_people}个）分别变化{ga:+.0%}、{gp:+.0%}"
    if ga > 0.1 and gp > 0.1:
        if c_apps and (b_apps / c_apps - 1) < -0.1 and c_people and (b_people / c_people - 1) < -0.1:
            return "复苏期", text + "；此前三年申请量与申请人均下降，现重新增长"
        return "成长期", text + "；申请量与申请人数量同步较快增长"
    if ga < -0.1 and gp < -0.1:
        return "衰退期", text + "；申请量与申请人数量同步下降"
    return "成熟期", text + "；申请量趋稳或申请人数量不再增长，技术向少数申请人集中"


def complete_end_year(ctx: Context, years: list[int]) -> int:
    if not years:
        return 0
    last = max(years)
    if ctx.data_cutoff:
        # Invention applications are published about 18 months after filing: a year counts as complete only when
        # its end lies at least 18 months before the cut-off.
        lagged = ctx.data_cutoff - dt.timedelta(days=PUBLICATION_LAG_DAYS)
        complete = lagged.year if (lagged.month, lagged.day) == (12, 31) else lagged.year - 1
        last = min(last, complete)
    return last


def lifecycle(frame: Frame, *, ctx: Context) -> dict:
    """Technology life cycle: applicants against applications per year, with the phase named."""
    apps: Counter = Counter()
    people: dict[int, set] = defaultdict(set)
    for ay, appl in zip(frame.app_year, frame.applicants):
        if ay:
            apps[ay] += 1
            people[ay].update(appl)
    years = year_range(apps.keys(), ctx.data_cutoff)
    end_year = complete_end_year(ctx, years)
    phase, reason = (
        lifecycle_phase(years=years, applications=apps, applicants=people, end_year=end_year)
        if years
        else ("萌芽期", "无申请数据")
    )
    rows = [[y, apps[y], len(people[y])] for y in years]
    chart = {
        "title": {"text": f"技术生命周期（{phase}）", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item", "formatter": "{c}"},
        "grid": {"left": 60, "right": 40, "bottom": 50, "top": 50},
        "xAxis": {"type": "value", "name": "申请量"},
        "yAxis": {"type": "value", "name": "申请人数"},
        "series": [
            {
                "type": "line",
                "data": [[apps[y], len(people[y]), str(y)] for y in years],
                "label": {"show": True, "formatter": "{@[2]}", "fontSize": 10},
                "symbolSize": 6,
            }
        ],
    }
    return analysis_result(
        "lifecycle",
        "技术生命周期",
        chart=chart,
        headers=["年份", "申请量", "申请人数"],
        rows=rows,
        caliber_text=caliber(
            ctx,
            "申请人数为当年有申请的不同申请人（含共同申请人）个数；因发明申请约18个月后公开，阶段判定只用截止日18个月前已结束的年度，比较最近三个完整年度与之前三年，"
            "申请量与申请人数均增长超过10%为成长期，均下降超过10%为衰退期，先降后升为复苏期，其余为成熟期，"
            "有申请年份不足4年为萌芽期",
        ),
        figures={"阶段": phase, "判定依据": reason, "判定截止年": end_year},
        summary=f"技术处于{phase}：{reason}。",
        image={
            "kind": "path",
            "title": f"技术生命周期（{phase}）",
            "x": [apps[y] for y in years],
            "y": [len(people[y]) for y in years],
            "labels": [str(y) for y in years],
            "xlabel": "申请量",
            "ylabel": "申请人数",
        },
    )
