"""The leadership cockpit's statistics section (core.workbench collects it through AnalyticsConfig.cockpit_providers):
the provincial dashboard's headline figures with their 口径, the work plan's targets and the official figures beside
the platform's record counts, all as the dashboard computes them."""

from __future__ import annotations

from . import services as stats


def section(*, user) -> dict:
    """The leadership cockpit's figures: the provincial dashboard's headline figures with their 口径, the work plan's
    targets (official figures where published, else record counts, as the dashboard says) and the to-do counts."""
    year = stats.default_year()
    dash = stats.cached_dashboard(year=year)
    s, basis = dash["summary"], dash["basis"]
    figures = [
        (
            "发明专利申请量",
            s["invention_applications"],
            "件",
            s["invention_applications_growth"],
            basis["applications"],
        ),
        ("发明专利授权量", s["invention_grants"], "件", s["invention_grants_growth"], basis["grants"]),
        ("专利申请量（三种）", s["applications"], "件", s["applications_growth"], basis["applications"]),
        ("专利授权量（三种）", s["grants"], "件", s["grants_growth"], basis["grants"]),
        ("有效发明专利", s["valid_invention"], "件", None, basis["valid"]),
        ("每万人口发明专利拥有量", s["valid_invention_per_10k"], "件", None, basis.get("population", "")),
    ]
    return {
        "title": f"专利统计（{dash['period']['label']}）",
        "source_url": "/stats/",
        "year": year,
        "period": dash["period"]["label"],
        "figures": [
            {"label": label, "value": value, "unit": unit, "growth": growth, "basis": text}
            for label, value, unit, growth, text in figures
        ],
        "targets": dash["targets"],
        "official": dash["official"],
        "official_note": dash["official_note"],
        "provenance": dash["provenance"]["text"],
        "cities": sorted(dash["cities"], key=lambda r: -(r.get("invention_applications") or 0))[:17],
    }
