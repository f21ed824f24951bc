"""Report documents: Word (charts as images, tables as tables) and Excel (one sheet per analysis)."""

from __future__ import annotations

from django.utils import timezone

from ipplatform.lib import chartkit, charts, worddoc
from ipplatform.lib.xlsx import Sheet, workbook_bytes

from .models import Report
from .services import report_results

WORD_TABLE_ROWS = 30
CHINESE_NUMERALS = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    if n < 20:
        return "十" + CHINESE_NUMERALS[n - 11]
    return f"{CHINESE_NUMERALS[n // 10 - 1]}十" + (CHINESE_NUMERALS[n % 10 - 1] if n % 10 else "")


def chart_png(image: dict | None) -> bytes | None:
    """Render an analysis' image spec with lib.charts / lib.chartkit."""
    if not image:
        return None
    kind = image["kind"]
    if kind == "line" and image["x"]:
        return charts.line_chart(image["title"], image["x"], image["series"], ylabel="件数")
    if kind == "bar" and image["labels"]:
        return charts.bar_chart(
            image["title"], image["labels"], image["values"], horizontal=image.get("horizontal", False), ylabel="件数"
        )
    if kind == "pie" and image["labels"]:
        return charts.pie_chart(image["title"], image["labels"], image["values"])
    if kind == "path" and image["x"]:
        return chartkit.path_chart(
            image["title"],
            image["x"],
            image["y"],
            image["labels"],
            xlabel=image.get("xlabel", ""),
            ylabel=image.get("ylabel", ""),
        )
    if kind == "heatmap" and image["rows"]:
        return chartkit.heatmap_chart(image["title"], image["rows"], image["cols"], image["values"])
    if kind == "network" and image["nodes"]:
        return chartkit.network_chart(image["title"], image["nodes"], [tuple(e) for e in image["edges"]])
    return None


def _scope_lines(report: Report) -> list[str]:
    return [
        f"分析对象：{report.get_subject_kind_display()}—{report.subject_label}",
        f"范围定义：{report.query}",
        f"专利数量：{report.patent_count}件（按件计，未做同族合并）",
        f"数据截止日期：{report.data_cutoff.isoformat() if report.data_cutoff else '未知'}",
        f"生成时间：{timezone.localtime(report.generated_at).strftime('%Y-%m-%d %H:%M') if report.generated_at else '未生成'}（第{report.generation}次生成）",
    ]


def word_bytes(report: Report) -> bytes:
    """The report as a Word document: scope, then per analysis commentary, chart image, table and counting rules."""
    results = report_results(report)
    doc = worddoc.new_document(
        report.title,
        subtitle=f"专利导航分析报告 · 数据截止{report.data_cutoff.isoformat() if report.data_cutoff else '未知'}",
    )
    if report.has_synthetic:
        p = doc.add_paragraph(f"【模拟数据】{worddoc.SYNTHETIC_NOTICE}")
        p.runs[0].bold = True
    doc.add_heading("一、报告说明", level=1)
    for line in _scope_lines(report):
        doc.add_paragraph(line, style="List Bullet")
    if report.introduction:
        worddoc.add_paragraphs(doc, report.introduction)
    for n, result in enumerate(results, 2):
        doc.add_heading(f"{_numeral(n)}、{result['title']}", level=1)
        comment = report.commentary.get(result["key"], "")
        if comment:
            worddoc.add_paragraphs(doc, comment)
        if result.get("summary"):
            doc.add_paragraph(f"要点：{result['summary']}")
        png = chart_png(result.get("image"))
        if png:
            worddoc.add_image(doc, png, width_cm=15.5, caption=f"图{n - 1}  {result['title']}")
        rows = result["rows"][:WORD_TABLE_ROWS]
        worddoc.add_table(
            doc,
            result["headers"],
            [["—" if v is None else v for v in r] for r in rows],
            caption=f"表{n - 1}  {result['title']}",
        )
        if len(result["rows"]) > WORD_TABLE_ROWS:
            doc.add_paragraph(f"（表中列出前{WORD_TABLE_ROWS}行，共{len(result['rows'])}行，完整数据见Excel附表）")
        note = doc.add_paragraph(result["caliber"])
        for run in note.runs:
            run.italic = True
    if report.conclusion:
        doc.add_heading(f"{_numeral(len(results) + 2)}、结论与建议", level=1)
        worddoc.add_paragraphs(doc, report.conclusion)
    return worddoc.to_bytes(doc)


def excel_bytes(report: Report) -> bytes:
    """The report's tables: a cover sheet, then one sheet per analysis with its counting rules."""
    results = report_results(report)
    synthetic = ["模拟数据：本表包含合成的模拟数据，不代表真实专利统计"] if report.has_synthetic else []
    cover = Sheet(
        "报告说明",
        ["项目", "内容"],
        [line.split("：", 1) for line in _scope_lines(report)] + [["分析项", "、".join(r["title"] for r in results)]],
        notes=[report.title] + synthetic,
    )
    sheets = [cover]
    for n, r in enumerate(results, 1):
        notes = synthetic + [r["caliber"]] + ([f"要点：{r['summary']}"] if r.get("summary") else [])
        comment = report.commentary.get(r["key"], "")
        if comment:
            notes.append(f"分析师评述：{comment}")
        sheets.append(Sheet(f"{n}.{r['title']}", r["headers"], r["rows"], notes=notes))
    return workbook_bytes(sheets)


def analysis_excel(result: dict, *, subject_label: str) -> bytes:
    """One analysis (as shown on the analysis page) as an Excel file."""
    notes = [f"分析对象：{subject_label}", result["caliber"]]
    if result.get("synthetic"):
        notes.insert(0, "模拟数据：本表包含合成的模拟数据，不代表真实专利统计")
    return workbook_bytes([Sheet(result["title"], result["headers"], result["rows"], notes=notes)])
