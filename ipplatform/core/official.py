"""Official patent statistics (CNIPA and the provincial office) as reference data: parsing periods, importing tables
in the long shape of data/official_stats/cnipa_patent_stats.csv or in the layout of CNIPA's monthly tables (one row
per region, one column per patent type), and looking figures up for reconciliation with the platform's records.

Rows with problems are reported with their line and field (like the patent importer); good rows are stored."""

from __future__ import annotations

import calendar
import codecs
import csv
import datetime as dt
import gzip
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .api import InputError
from .models import Division, OfficialFigure

SHIPPED = Path("official_stats") / "cnipa_patent_stats.csv"
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MEASURES = ("申请量", "授权量", "有效量", "每万人口发明专利拥有量")
UNITS = ("件", "件/万人")
NATIONAL = "000000"
# Scopes whose basis the source itself calls unclear: stored and shown, never used to reconcile.
NOT_COMPARABLE_SCOPES = ("国内(表19第二列)",)
# ... and rows whose own note says so (the 2015-08 Table 19 rows: "口径不明, 不宜直接用于对账").
NOT_COMPARABLE_NOTES = ("不宜直接用于对账", "不用于核对", "不宜用于核对")

LONG_COLUMNS = {
    "region_code": ("region_code", "区划代码", "地区代码"),
    "region_name": ("region_name", "地区", "地区名称"),
    "year": ("year", "年份", "年度"),
    "period": ("period", "期间", "统计期间"),
    "measure": ("measure", "指标"),
    "patent_type": ("patent_type", "专利类型", "类型"),
    "scope": ("scope", "统计范围", "范围"),
    "value": ("value", "数值", "数量"),
    "unit": ("unit", "单位"),
    "source_url": ("source_url", "来源网址", "网址"),
    "source_title": ("source_title", "来源", "数据来源"),
    "note": ("note", "说明", "备注"),
}
REQUIRED_LONG = ("region_name", "year", "period", "measure", "patent_type", "value", "source_title")
WIDE_REGION = ("地区", "省市", "省份", "地区名称", "region", "省、自治区、直辖市")
WIDE_TYPES = {
    "发明": "发明",
    "发明专利": "发明",
    "实用新型": "实用新型",
    "外观设计": "外观设计",
    "合计": "合计",
    "三种专利合计": "合计",
    "总计": "合计",
    "invention": "发明",
    "utility model": "实用新型",
    "design": "外观设计",
    "total": "合计",
}
NATIONAL_NAMES = {"全国", "全国合计", "国内", "国内合计", "国内小计", "合计", "总计", "total"}


@dataclass
class Period:
    start: dt.date
    end: dt.date
    is_stock: bool
    label: str


_MONTHS = r"(1[0-2]|[1-9])"


def parse_period(year: int, text: str) -> Period:
    """全年 / 年末 / 1-N月 / N月 / N月末 into dates; a Chinese error for anything else."""
    t = (text or "").strip().replace("－", "-").replace("—", "-").replace("~", "-").replace("至", "-")
    last = lambda m: dt.date(year, m, calendar.monthrange(year, m)[1])  # noqa: E731
    if t in ("全年", "1-12月"):
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), False, "全年")
    if t in ("年末", "12月末", "年底"):
        return Period(dt.date(year, 12, 31), dt.date(year, 12, 31), True, "年末")
    if m := re.fullmatch(rf"1-{_MONTHS}月", t):
        n = int(m.group(1))
        return Period(dt.date(year, 1, 1), last(n), False, "全年" if n == 12 else f"1-{n}月")
    if m := re.fullmatch(rf"{_MONTHS}月末", t):
        n = int(m.group(1))
        return Period(last(n), last(n), True, f"{n}月末")
    if m := re.fullmatch(rf"{_MONTHS}月", t):
        n = int(m.group(1))
        return Period(dt.date(year, n, 1), last(n), False, f"{n}月")
    raise ValueError(f"期间“{text}”无法识别：应为 全年、年末、1-N月（当年累计）、N月（当月）或 N月末（月末存量）")


def period_text(fig: OfficialFigure) -> str:
    """The period as a reader needs it: '2015年1-9月' or '2016年末'."""
    return f"{fig.year}年{fig.period}" if fig.period != "年末" else f"{fig.year}年末"


# ---------------------------------------------------------------- reading


def _open_text(data: bytes) -> str:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)[: MAX_BYTES * 4]
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def read_table(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """(line, cells) of a CSV (UTF-8, BOM, GBK; gzip accepted) or the first sheet of an .xlsx, header row included."""
    if len(data) > MAX_BYTES:
        raise InputError(f"文件“{filename}”超过{MAX_BYTES // 1024 // 1024} MB，请拆分后导入", field="file")
    rows: list[tuple[int, list[str]]] = []
    if data[:4] == b"PK\x03\x04":
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # a damaged workbook
            raise InputError(f"文件“{filename}”不是可读取的Excel工作簿：{exc}", field="file")
        ws = wb.worksheets[0]
        for i, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            if i > MAX_ROWS + 1:
                raise InputError(f"文件“{filename}”超过{MAX_ROWS:,}行，请拆分后导入", field="file", line=i)
            vals = ["" if c is None else (f"{c:g}" if isinstance(c, float) else str(c)).strip() for c in cells]
            if any(vals):
                rows.append((i, vals))
        wb.close()
        return rows
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(f"文件“{filename}”是旧版Excel（.xls），请另存为.xlsx或CSV后导入", field="file")
    text = _open_text(data)
    for i, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        if i > MAX_ROWS + 1:
            raise InputError(f"文件“{filename}”超过{MAX_ROWS:,}行，请拆分后导入", field="file", line=i)
        vals = [c.strip() for c in cells]
        if any(vals):
            rows.append((i, vals))
    return rows


# ---------------------------------------------------------------- regions


def _region_index() -> dict[str, str]:
    """Names (full and short) of provinces and Shandong's cities to codes."""
    index = {}
    for d in Division.objects.filter(revision="201512", level__in=("province", "city")).values("code", "name", "level"):
        if d["level"] == "city" and not d["code"].startswith("37") and d["code"] not in _SEPARATE_CITIES:
            continue
        index[d["name"]] = d["code"]
        short = re.sub(r"(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市)$", "", d["name"])
        index.setdefault(short, d["code"])
    return index


# Sub-provincial cities that CNIPA's monthly tables list separately.
_SEPARATE_CITIES = {
    "210100",
    "210200",
    "220100",
    "230100",
    "320100",
    "330100",
    "330200",
    "350200",
    "370100",
    "370200",
    "420100",
    "440100",
    "440300",
    "510100",
    "610100",
}


# ---------------------------------------------------------------- import


@dataclass
class ImportResult:
    filename: str
    layout: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (
            f"{self.filename}（{self.layout}）：读取{self.rows}行，新增{self.created}条，更新{self.updated}条，"
            f"未变{self.unchanged}条，错误{len(self.errors)}行"
        )


def _err(result: ImportResult, line: int, fld: str, value, reason: str) -> None:
    result.errors.append(
        {
            "file": result.filename,
            "line": line,
            "field": fld,
            "value": "" if value is None else str(value)[:100],
            "reason": reason,
        }
    )


def _find(headers: list[str], names) -> int | None:
    low = [h.strip().lower() for h in headers]
    for n in names:
        if n.lower() in low:
            return low.index(n.lower())
    return None


def _value(raw: str) -> Decimal:
    v = Decimal(raw.replace(",", "").replace("，", "").strip())
    if v < 0 or not v.is_finite():
        raise InvalidOperation
    return v


def _validated(result, line, rec: dict, regions: dict[str, str]) -> dict | None:
    """A row of the long shape checked field by field; errors are added to the result."""
    ok = True
    name = rec.get("region_name", "")
    code = rec.get("region_code", "")
    if code and not re.fullmatch(r"\d{6}", code):
        _err(result, line, "region_code", code, "区划代码应为6位数字（全国为000000）")
        ok = False
    if not code:
        if name in NATIONAL_NAMES:
            code = NATIONAL
        elif name != "新疆生产建设兵团":
            code = regions.get(name, "")
            if not code:
                _err(result, line, "region_name", name, "地区名称无法对应到行政区划代码，请填写区划代码")
                ok = False
    if not name:
        _err(result, line, "region_name", name, "地区名称不能为空")
        ok = False
    try:
        year = int(rec.get("year", ""))
        if not 1985 <= year <= timezone.localdate().year:
            raise ValueError
    except ValueError:
        _err(result, line, "year", rec.get("year"), f"年份应为1985至{timezone.localdate().year}之间的四位数字")
        ok = False
        year = None
    period = None
    if year:
        try:
            period = parse_period(year, rec.get("period", ""))
        except ValueError as exc:
            _err(result, line, "period", rec.get("period"), str(exc))
            ok = False
    measure = rec.get("measure", "")
    if measure not in MEASURES:
        _err(result, line, "measure", measure, f"指标应为{'、'.join(MEASURES)}之一")
        ok = False
    ptype = rec.get("patent_type", "")
    if not ptype or len(ptype) > 30:
        _err(result, line, "patent_type", ptype, "专利类型不能为空（如 发明、实用新型、外观设计、合计），不超过30字")
        ok = False
    unit = rec.get("unit") or ("件/万人" if measure == "每万人口发明专利拥有量" else "件")
    if unit not in UNITS:
        _err(result, line, "unit", unit, "单位应为 件 或 件/万人")
        ok = False
    elif measure in MEASURES and (unit == "件/万人") != (measure == "每万人口发明专利拥有量"):
        _err(result, line, "unit", unit, f"指标“{measure}”的单位不应为“{unit}”")
        ok = False
    try:
        value = _value(rec.get("value", ""))
        if unit == "件" and value != value.to_integral_value():
            _err(result, line, "value", rec.get("value"), "件数应为整数")
            ok = False
    except (InvalidOperation, ValueError):
        _err(result, line, "value", rec.get("value"), "数值应为不小于0的数字")
        ok = False
        value = None
    if measure == "有效量" and period and not period.is_stock:
        _err(result, line, "period", rec.get("period"), "有效量是存量，期间应为“年末”或“N月末”")
        ok = False
    if not rec.get("source_title"):
        _err(result, line, "source_title", "", "必须注明数据来源（如“国家知识产权局 专利统计年报 2016”）")
        ok = False
    for key, limit in (("source_url", 300), ("source_title", 300), ("scope", 40), ("region_name", 64)):
        if len(rec.get(key, "")) > limit:
            _err(result, line, key, rec[key][:40], f"长度超过{limit}字")
            ok = False
    if not ok:
        return None
    scope = rec.get("scope") or "国内"
    return {
        "region_code": code,
        "region_name": name,
        "year": year,
        "period": period.label,
        "period_start": period.start,
        "period_end": period.end,
        "is_stock": period.is_stock,
        "measure": measure,
        "patent_type": ptype,
        "scope": scope,
        "value": value,
        "unit": unit,
        "source_url": rec.get("source_url", ""),
        "source_title": rec["source_title"],
        "note": rec.get("note", ""),
        "comparable": scope not in NOT_COMPARABLE_SCOPES
        and not any(n in rec.get("note", "") for n in NOT_COMPARABLE_NOTES),
    }


def _long_records(result, header, body, regions):
    idx = {k: _find(header, names) for k, names in LONG_COLUMNS.items()}
    missing = [LONG_COLUMNS[k][1] for k in REQUIRED_LONG if idx[k] is None]
    if missing:
        raise InputError(
            f"文件“{result.filename}”缺少列：{'、'.join(missing)}（表头在第{header_line(body)}行之前）", field="header"
        )
    for line, cells in body:
        if len(cells) > len(header) and any(cells[len(header) :]):
            _err(result, line, "列数", len(cells), f"本行有{len(cells)}列，多于表头的{len(header)}列")
            continue
        rec = {k: (cells[i] if i is not None and i < len(cells) else "") for k, i in idx.items()}
        yield line, _validated(result, line, rec, regions)


def header_line(body) -> int:
    return body[0][0] if body else 1


def _wide_records(result, header, body, regions, meta: dict):
    region_col = _find(header, WIDE_REGION)
    type_cols = [(i, WIDE_TYPES[h.strip().lower()]) for i, h in enumerate(header) if h.strip().lower() in WIDE_TYPES]
    for key in ("year", "period", "measure", "source_title"):
        if not meta.get(key):
            raise InputError(
                f"按国家知识产权局月度统计表格式导入时须填写{ {'year': '年份', 'period': '期间', 'measure': '指标', 'source_title': '数据来源'}[key] }",
                field=key,
            )
    for line, cells in body:
        name = re.sub(r"\s+", "", cells[region_col]) if region_col < len(cells) else ""
        for i, ptype in type_cols:
            raw = cells[i] if i < len(cells) else ""
            if raw in ("", "-", "—"):
                continue
            rec = {
                "region_code": "",
                "region_name": name,
                "year": str(meta["year"]),
                "period": meta["period"],
                "measure": meta["measure"],
                "patent_type": ptype,
                "scope": meta.get("scope") or "国内",
                "value": raw,
                "unit": "",
                "source_url": meta.get("source_url", ""),
                "source_title": meta["source_title"],
                "note": meta.get("note", ""),
            }
            yield line, _validated(result, line, rec, regions)


def import_table(data: bytes, *, filename: str, meta: dict | None = None, all_or_nothing: bool = False) -> ImportResult:
    """Import official figures from a long-shape table or a CNIPA monthly table (meta gives year, period, measure, source)."""
    result = ImportResult(filename=filename)
    rows = read_table(data, filename)
    if not rows:
        raise InputError(f"文件“{filename}”没有数据行", field="file")
    # The header is the first row naming a known column (CNIPA tables start with a title line).
    hi = next(
        (
            k
            for k, (_, cells) in enumerate(rows[:10])
            if _find(cells, LONG_COLUMNS["measure"]) is not None or _find(cells, WIDE_REGION) is not None
        ),
        None,
    )
    if hi is None:
        raise InputError(
            f"文件“{filename}”的前10行中没有表头：应有“指标/measure”列（长表）或“地区”列与“发明、实用新型、外观设计”列（月度统计表）",
            field="header",
            line=rows[0][0],
        )
    header, body = rows[hi][1], rows[hi + 1 :]
    regions = _region_index()
    if _find(header, LONG_COLUMNS["measure"]) is not None:
        result.layout = "长表（每行一个数据）"
        records = _long_records(result, header, body, regions)
    else:
        result.layout = "国家知识产权局月度统计表（每行一个地区，每列一种专利）"
        records = _wide_records(result, header, body, regions, meta or {})
    good = []
    for line, rec in records:
        if rec:
            good.append(rec)
    result.rows = len(body)
    if all_or_nothing and result.errors:
        return result
    keys = ("region_code", "year", "period", "measure", "patent_type", "scope", "source_url")
    with transaction.atomic():
        existing = {
            tuple(getattr(o, k) for k in keys): o
            for o in OfficialFigure.objects.filter(
                year__in={r["year"] for r in good}, region_code__in={r["region_code"] for r in good}
            )
        }
        new = {}
        for rec in good:
            key = tuple(rec[k] for k in keys)
            values = {k: v for k, v in rec.items() if k not in keys}
            values["imported_from"] = filename[:200]
            obj = existing.get(key)
            if obj is None:
                new[key] = OfficialFigure(**rec, imported_from=filename[:200])  # a repeated row: the last one wins
            elif any(getattr(obj, k) != v for k, v in values.items() if k != "imported_from"):
                for k, v in values.items():
                    setattr(obj, k, v)
                obj.save()
                result.updated += 1
            else:
                result.unchanged += 1
        OfficialFigure.objects.bulk_create(new.values(), batch_size=500)
        result.created = len(new)
        if result.created or result.updated:
            from . import audit, cache
            from .enums import AuditAction

            cache.invalidate(
                "stats"
            )  # bulk_create sends no post_save: cached statistics must not outlive the new figures

            audit.record(
                AuditAction.IMPORT,
                object_type="core.officialfigure",
                object_repr=f"官方专利统计数据导入：{filename}",
                reason=result.summary,
            )
    return result


def load_shipped() -> ImportResult:
    """Load data/official_stats/cnipa_patent_stats.csv (idempotent)."""
    path = Path(settings.REFERENCE_DATA_DIR) / SHIPPED
    return import_table(path.read_bytes(), filename=path.name)


# ---------------------------------------------------------------- lookup


def figures_for(
    *,
    region_code: str,
    year: int | None = None,
    measure: str | None = None,
    patent_type: str | None = None,
    comparable_only: bool = True,
):
    """Official figures of a region (optionally one year, measure and type), latest period first."""
    qs = OfficialFigure.objects.filter(region_code=region_code)
    if year is not None:
        qs = qs.filter(year=year)
    if measure:
        qs = qs.filter(measure=measure)
    if patent_type:
        qs = qs.filter(patent_type=patent_type)
    if comparable_only:
        qs = qs.filter(comparable=True)
    return qs.order_by("-period_end", "period_start", "scope")
