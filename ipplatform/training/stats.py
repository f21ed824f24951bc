"""Training hours: per person and year, by city, organisation and course, within the viewer's data scope."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum

from ipplatform.core import regions, scopes
from ipplatform.lib.xlsx import Sheet

from .enums import RecordCategory, RecordSource
from .models import TrainingRecord

BASIS = (
    "口径：培训学时记录（线上课程学完全部章节时按课程学时计入；线下培训班按考勤确认的学时计入），"
    "按学员所属单位的所在城市归属；范围为您的数据权限内的学员。"
)


def records(*, user, year: int | None = None):
    qs = scopes.restrict(TrainingRecord.objects.select_related("user", "user__organization", "course"), user)
    return qs.filter(year=year) if year else qs


def per_person(*, user, year: int) -> list[dict]:
    """Hours per person in a year, split by category."""
    rows: dict = {}
    for r in records(user=user, year=year):
        row = rows.setdefault(
            r.user_id, {"user": r.user, "total": Decimal("0"), **{c: Decimal("0") for c in RecordCategory.values}}
        )
        row[r.category] += r.hours
        row["total"] += r.hours
    for row in rows.values():
        row["cells"] = [row[c] for c in RecordCategory.values]
    return sorted(rows.values(), key=lambda x: (-x["total"], x["user"].username))


def by_city(*, user, year: int) -> list[dict]:
    """Hours and learners per city (17 cities of 2015, by the learner's organisation)."""
    agg = defaultdict(lambda: {"hours": Decimal("0"), "people": set(), "online": Decimal("0"), "class": Decimal("0")})
    for r in records(user=user, year=year):
        region = r.user.organization.region_code if r.user.organization else ""
        code = regions.city_code_of(region) or region  # province-level bodies (370000) keep their own line
        a = agg[code]
        a["hours"] += r.hours
        a["people"].add(r.user_id)
        a[r.source] += r.hours
    out = []
    for code, a in sorted(agg.items()):
        out.append(
            {
                "code": code,
                "name": regions.display_name(code, empty="未归属城市"),
                "hours": a["hours"],
                "people": len(a["people"]),
                "online": a["online"],
                "class": a["class"],
            }
        )
    return out


def by_organization(*, user, year: int) -> list[dict]:
    qs = (
        records(user=user, year=year)
        .values("user__organization__name")
        .annotate(hours=Sum("hours"), people=Count("user", distinct=True))
    )
    return [
        {"name": r["user__organization__name"] or "无单位", "hours": r["hours"], "people": r["people"]}
        for r in qs.order_by("-hours")
    ]


def by_course(*, user, year: int) -> list[dict]:
    qs = (
        records(user=user, year=year)
        .values("title", "source")
        .annotate(hours=Sum("hours"), people=Count("user", distinct=True))
    )
    return [
        {"name": r["title"], "source": RecordSource(r["source"]).label, "hours": r["hours"], "people": r["people"]}
        for r in qs.order_by("-people", "title")
    ]


def workbook(*, user, year: int) -> list[Sheet]:
    """Excel sheets: per person, by city, by organisation, by course, and every record."""
    notes = [BASIS]
    cats = RecordCategory.choices
    return [
        Sheet(
            "个人学时",
            ["用户名", "姓名", "单位", *[label for _, label in cats], "合计"],
            [
                [
                    p["user"].username,
                    p["user"].real_name,
                    p["user"].organization.name if p["user"].organization else "",
                    *[float(p[c]) for c, _ in cats],
                    float(p["total"]),
                ]
                for p in per_person(user=user, year=year)
            ],
            notes=notes,
        ),
        Sheet(
            "按城市",
            ["城市", "代码", "学员数", "线上学时", "线下学时", "合计学时"],
            [
                [c["name"], c["code"], c["people"], float(c["online"]), float(c["class"]), float(c["hours"])]
                for c in by_city(user=user, year=year)
            ],
            notes=notes,
        ),
        Sheet(
            "按单位",
            ["单位", "学员数", "学时"],
            [[o["name"], o["people"], float(o["hours"])] for o in by_organization(user=user, year=year)],
            notes=notes,
        ),
        Sheet(
            "按课程",
            ["课程/培训班", "形式", "学员数", "学时"],
            [[c["name"], c["source"], c["people"], float(c["hours"])] for c in by_course(user=user, year=year)],
            notes=notes,
        ),
        Sheet(
            "学时明细",
            ["日期", "用户名", "姓名", "单位", "类别", "形式", "项目", "学时"],
            [
                [
                    r.date.isoformat(),
                    r.user.username,
                    r.user.real_name,
                    r.user.organization.name if r.user.organization else "",
                    r.get_category_display(),
                    r.get_source_display(),
                    r.title,
                    float(r.hours),
                ]
                for r in records(user=user, year=year)
            ],
            notes=notes,
        ),
    ]
