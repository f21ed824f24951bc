"""Reading an uploaded plan file (.txt, .docx, .xlsx, .xls) into a parsed plan, and the Excel import template."""

from __future__ import annotations

import io
from pathlib import Path

from ipplatform.core.inputs import InputError

from . import parser


def read_upload(*, name: str, data: bytes) -> tuple[str, parser.ParsedPlan, str]:
    """(format, parsed plan, plain text) of an uploaded .txt/.docx/.xlsx/.xls file; InputError with the place on bad input."""
    suffix = Path(name or "").suffix.lower()
    if not data:
        raise InputError(f"文件“{name}”为空", field="file")
    try:
        if suffix in (".txt", ""):
            text = decode_text(data)
            return "text", parser.parse_plan(text), text
        if suffix == ".docx":
            text = docx_text(data)
            return "docx", parser.parse_plan(text), text
        if suffix in (".xlsx", ".xls"):
            rows = spreadsheet_rows(data, suffix=suffix)
            plan = parser.parse_rows(rows)
            return suffix[1:], plan, "\n".join("\t".join(c or "" for c in cells) for _, cells in rows)
    except parser.PlanParseError as exc:
        raise InputError(f"文件“{name}”{exc.message}", field="file", line=exc.line)
    raise InputError(f"不支持的文件格式“{suffix}”：请上传 .txt、.docx、.xlsx 或 .xls 文件", field="file")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030 text."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("文本文件编码无法识别：请另存为 UTF-8 或 GB18030 编码", field="file")


def docx_text(data: bytes) -> str:
    """Paragraph text of a Word document, one paragraph a line (tables included, row by row)."""
    from docx import Document

    try:
        doc = Document(io.BytesIO(data))
    except Exception:
        raise InputError("无法读取Word文件：文件已损坏或不是 .docx 格式（旧版 .doc 请先另存为 .docx）", field="file")
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append("".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def spreadsheet_rows(data: bytes, *, suffix: str) -> list[tuple[int, list[str]]]:
    """Rows after the header of the first sheet: (row number, [部分, 任务, 工作内容, 责任单位])."""
    from ipplatform.lib import sheetread

    try:
        raw = list(sheetread.rows(data, suffix=suffix, max_rows=5000, max_cols=30, max_cell_chars=5000, max_seconds=60))
    except sheetread.SheetTooLarge as exc:
        raise InputError(str(exc), field="file", line=exc.line)
    except sheetread.SheetUnreadable:
        raise InputError(f"无法读取Excel文件：文件已损坏或不是 {suffix} 格式", field="file")
    header_row = None
    for i, row in enumerate(raw[:10]):
        cells = [str(c).strip() if c is not None else "" for c in row]
        if all(h in cells for h in parser.EXCEL_HEADERS):
            header_row = i
            columns = [cells.index(h) for h in parser.EXCEL_HEADERS]
            break
    if header_row is None:
        raise InputError(
            "Excel表头不正确：前10行中应有一行包含“部分、任务、工作内容、责任单位”四列（可下载导入模板）",
            field="file",
            line=1,
        )
    out = []
    for i in range(header_row + 1, len(raw)):
        row = list(raw[i])
        cells = [row[c] if c < len(row) else None for c in columns]
        out.append((i + 1, ["" if v is None else str(v).strip() for v in cells]))
    return out


def excel_template() -> bytes:
    """An import template with the header and two example rows."""
    from ipplatform.lib.xlsx import Sheet, workbook_bytes

    rows = [
        ["总体要求", "", "实现全省发明专利申请量和授权量增长15%以上，力争万人有效发明专利拥有量达到5件。", ""],
        [
            "一、强化宏观筹划，提高知识产权支撑经济社会发展能力",
            "积极推进省部合作会商",
            "召开省部合作会商第一次工作会议，签署省部会商议定书。",
            "办公室及各处室、单位",
        ],
        [
            "一、强化宏观筹划，提高知识产权支撑经济社会发展能力",
            "扎实推进《山东省专利事业发展战略推进计划》的制定和落实",
            "推动我省推进计划的制定……",
            "协调管理处，各市知识产权局",
        ],
    ]
    return workbook_bytes([Sheet("工作要点", parser.EXCEL_HEADERS, rows)])
