"""Demo data: the four real data sets in data/patents_cn (idempotent), plus an optional synthetic set."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db.models import Count

from . import services
from .models import ColumnMapping, Patent

REAL_FILES = [
    "sipo_export_sample_carrotc.xlsx",  # CNIPA 25-column export (the .csv copy has the same 199 rows)
    "sipo_epub_yinwenzhi.jsonl",
    "cnki_company_patents_hank0438.csv",
    "cnki_spider_patent_koibless.csv",
]

# Further real exports imported through the general mapping importer (format "csv" with a saved ColumnMapping, the
# same path an office user takes on /patents/mappings/): no special code per file.
MAPPED_FILES = [
    (
        "taian_patents_qdqzy.xlsx",
        {
            "name": "泰安市专利信息表（6列：专利名称、申请号、申请人、申请日、主分类号、摘要）",
            "description": "data/patents_cn/SOURCE.txt 第5节；外观设计的主分类号为洛迦诺分类，不作为IPC保存",
            "columns": {
                "title": "专利名称",
                "application_number": "申请号",
                "applicants": "申请人",
                "application_date": "申请日",
                "ipc_main": "主分类号",
                "abstract": "摘要",
            },
            "source_label": "taian",
            "list_separator": ";",
            "date_format": "",
        },
    ),
    (
        "patentics_vr_yangdongbjcn.csv",
        {
            "name": "Patentics 导出（24列，“ | ”分隔多值）",
            "description": "data/patents_cn/SOURCE.txt 第6a/6b节；日期为yyyymmdd",
            "columns": {
                "title": "标题",
                "application_number": "申请号",
                "publication_number": "公开号",
                "applicants": "申请人",
                "application_date": "申请日",
                "publication_date": "公开日",
                "grant_date": "授权公告日",
                "ipc_all": "国际分类",
                "ipc_main": "国际主分类",
                "inventors": "发明人",
                "legal_status_text": "法律状态",
            },
            "source_label": "patentics",
            "list_separator": "|",
            "date_format": "%Y%m%d",
        },
    ),
    ("patentics_ar_yangdongbjcn.csv", "Patentics 导出（24列，“ | ”分隔多值）"),
    (
        "incopat_autodriving_yangdongbjcn.xlsx",
        {
            "name": "incoPat 下载的著录项（18列）",
            "description": "data/patents_cn/SOURCE.txt 第6c节；其他国家/组织的文献（US、WO、JP…）跳过并在导入报告中计数",
            "columns": {
                "title": "标题 (中文)",
                "applicants": "申请人",
                "publication_number": "公开（公告）号",
                "publication_date": "公开（公告）日",
                "application_number": "申请号",
                "application_date": "申请日",
                "ipc_main": "IPC主分类",
                "legal_status_text": "当前法律状态",
                "validity_text": "专利有效性",
            },
            "source_label": "incopat",
            "list_separator": ";",
            "date_format": "",
        },
    ),
    (
        "energy_inventions_carboninnovation.csv.gz",
        {
            "name": "能源发明专利摘录（15列，gzip CSV，无申请人列）",
            "description": "data/patents_cn/SOURCE.txt 第7节；地区只能按“申请地点_所属地”（邮编+地址）确定",
            "columns": {
                "publication_number": "专利号",
                "application_number": "申请号",
                "application_date": "申请时间",
                "address": "申请地点_所属地",
                "publication_date": "公布日期_授权日期",
                "title": "专利名称",
                "abstract": "专利摘要",
                "inventors": "发明人信息",
            },
            "source_label": "energy",
            "list_separator": ";",
            "date_format": "",
        },
    ),
]


# 状态截至: the day each export was run (data/patents_cn/SOURCE.txt section 6), the only date its status columns have.
STATUS_AS_OF = {
    "patentics_vr_yangdongbjcn.csv": dt.date(2022, 5, 7),
    "patentics_ar_yangdongbjcn.csv": dt.date(2022, 5, 30),
    "incopat_autodriving_yangdongbjcn.xlsx": dt.date(2023, 4, 17),
}


def demo_mappings() -> dict[str, ColumnMapping]:
    """The saved column mappings of the mapped demo files (created once, kept if an administrator edits them)."""
    out = {}
    for name, spec in MAPPED_FILES:
        if isinstance(spec, str):
            out[name] = ColumnMapping.objects.get(name=spec)
            continue
        values = dict(spec)
        out[name], _ = ColumnMapping.objects.get_or_create(name=values.pop("name"), defaults=values)
    return out


def load(*, stdout, options) -> dict:
    """Import the real records (re-running changes nothing) and, if asked, N synthetic records."""
    folder = Path(settings.REFERENCE_DATA_DIR) / "patents_cn"
    stdout.write("专利数据（真实记录，data/patents_cn）：")
    results = []
    for name in REAL_FILES:
        path = folder / name
        if not path.exists():
            stdout.write(f"  缺少文件 {path}，跳过")
            continue
        r = services.import_file(path=path, mode="lenient")
        results.append(r)
        stdout.write(f"  {name}：{r.summary()}")
        for e in [e for e in r.errors if e.severity == "拒绝"][:5]:
            stdout.write(f"    第{e.line}行 {e.field}“{e.value[:40]}”：{e.reason}")
    skip = set(
        options.get("skip_files") or ()
    )  # tests that need the demo's objects, not its volume, leave out the largest file
    for name, mapping in demo_mappings().items():
        if name in skip:
            stdout.write(f"  {name}：按要求跳过")
            continue
        path = folder / name
        if not path.exists():
            stdout.write(f"  缺少文件 {path}，跳过")
            continue
        r = services.import_file(
            path=path, fmt="csv", mapping=mapping, mode="lenient", status_as_of=STATUS_AS_OF.get(name)
        )
        results.append(r)
        stdout.write(f"  {name}（列映射“{mapping.name}”）：{r.summary()}")
        for e in [e for e in r.errors if e.severity == "拒绝"][:5]:
            stdout.write(f"    第{e.line}行 {e.field}“{str(e.value)[:40]}”：{e.reason}")
    synthetic = int(options.get("synthetic") or 0)
    if synthetic > 0:
        from .synthetic import generate_to_db

        made = generate_to_db(count=synthetic, seed=int(options.get("seed") or 2015), stdout=stdout)
        stdout.write(f"  模拟数据：{made} 条（is_synthetic=True，来源 synthetic，页面与报表标注“模拟数据”）")
    stats = real_summary()
    stdout.write("  按来源：" + "，".join(f"{k} {v}" for k, v in stats["by_source"].items()))
    fails = Counter(e.reason.split("：")[0] for r in results for e in r.errors if e.field == "申请号")
    stdout.write(
        f"  申请号：{stats['with_appno']} 条有申请号，校验位全部通过"
        if not fails
        else "  申请号校验未通过：" + "；".join(f"{k}（{v}行）" for k, v in fails.items())
    )
    stdout.write(
        f"  地区归属：{stats['attributed']} / {stats['total']} 条有地区（其中按申请人名称弱推断 {stats['weak']} 条），"
        f"未归属 {stats['total'] - stats['attributed']} 条（见“未归属记录”页面）"
    )
    return stats


def real_summary() -> dict:
    qs = Patent.objects.filter(is_synthetic=False)
    return {
        "total": qs.count(),
        "by_source": dict(qs.values_list("source").annotate(n=Count("id")).order_by("source")),
        "with_appno": qs.exclude(application_number="").count(),
        "attributed": qs.exclude(region_code="").count(),
        "weak": qs.filter(region_method="applicant_name").count(),
    }
