"""Population figures: Excel import by administrators and the lookup used by statistics."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from .models import Division, Population

TEMPLATE_HEADERS = ["区划代码", "地区名称", "年份", "常住人口（人）", "数据来源（可空，空则用上方填写的来源）"]


@dataclass
class ImportResult:
    committed: int = 0
    errors: list[dict] = field(default_factory=list)  # {"line", "field", "value", "reason"}


def _row_errors(line: int, code, year, value, known_codes) -> list[dict]:
    errs = []
    code_s = str(code or "").strip()
    if not (len(code_s) == 6 and code_s.isascii() and code_s.isdigit()):
        errs.append({"line": line, "field": "区划代码", "value": code, "reason": "区划代码应为6位数字"})
    elif code_s not in known_codes:
        errs.append(
            {"line": line, "field": "区划代码", "value": code, "reason": "GB/T 2260（2014-2016）中无此区划代码"}
        )
    try:
        y = int(year)
        if not 1949 <= y <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errs.append({"line": line, "field": "年份", "value": year, "reason": "年份应为1949-2100之间的整数"})
    try:
        v = int(value)
        if v <= 0:
            raise ValueError
    except (TypeError, ValueError):
        errs.append(
            {"line": line, "field": "常住人口（人）", "value": value, "reason": "常住人口应为正整数（单位：人）"}
        )
    return errs


def import_workbook(fileobj, *, source: str, all_or_nothing: bool = True) -> ImportResult:
    """Import population rows; all-or-nothing commits nothing when any row is bad."""
    from ipplatform.lib import sheetread

    result = ImportResult()
    known = set(Division.objects.values_list("code", flat=True))
    good = []
    try:
        rows = list(sheetread.rows(fileobj, max_rows=20_000, max_cols=10, max_cell_chars=200, max_seconds=60))
    except sheetread.SheetUnreadable:
        result.errors.append(
            {
                "line": 0,
                "field": "文件",
                "value": getattr(fileobj, "name", ""),
                "reason": "无法读取该Excel文件，请使用模板（.xlsx）",
            }
        )
        return result
    except sheetread.SheetTooLarge as exc:
        result.errors.append(
            {"line": exc.line or 0, "field": "文件", "value": getattr(fileobj, "name", ""), "reason": str(exc)}
        )
        return result
    for line, row in enumerate(rows, start=1):
        if line == 1 or row is None or all(v in (None, "") for v in row):
            continue
        if len(result.errors) >= 200:
            result.errors.append(
                {
                    "line": line,
                    "field": "文件",
                    "value": "",
                    "reason": "错误超过200条，其余行未检查：请按模板修改后重新上传",
                }
            )
            break
        row = list(row) + [None] * 5
        code, name, year, value, row_source = row[:5]
        errs = _row_errors(line, code, year, value, known)
        if errs:
            result.errors.extend(errs)
            continue
        good.append((str(code).strip(), str(name or "").strip(), int(year), int(value), (row_source or source).strip()))
    if result.errors and all_or_nothing:
        return result
    with transaction.atomic():
        for code, name, year, value, src in good:
            name = (
                name
                or Division.objects.filter(code=code).order_by("-revision").values_list("name", flat=True).first()
                or code
            )
            obj, _ = Population.objects.get_or_create(
                region_code=code,
                year=year,
                defaults={"region_name": name, "population": value, "boundary": f"{year}年区划", "source": src},
            )
            obj.region_name, obj.population, obj.source = name, value, src
            obj.save()
            result.committed += 1
    return result


@dataclass(frozen=True)
class PopulationFigure:
    region_code: str
    year: int
    population: int
    source: str
    boundary: str
    requested_year: int
    note: str  # "" when the figure is for the requested year, else why another year is used


def population_for(region_code: str, year: int) -> PopulationFigure | None:
    """The figure for a year, or the nearest census year with a note saying so."""
    rows = list(Population.objects.filter(region_code=region_code).order_by("year"))
    if not rows:
        return None
    exact = next((r for r in rows if r.year == year), None)
    chosen = exact or min(rows, key=lambda r: (abs(r.year - year), -r.year))
    note = "" if exact else f"{year}年无人口数据，采用最近的{chosen.year}年数据（{chosen.boundary}）"
    return PopulationFigure(region_code, chosen.year, chosen.population, chosen.source, chosen.boundary, year, note)
