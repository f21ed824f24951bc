"""Word (.docx) building blocks for formal documents and reports."""
from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

SYNTHETIC_NOTICE = "本文件包含模拟数据（合成的基准测试数据），不代表真实专利统计。"


def new_document(title: str, *, subtitle: str | None = None) -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    heading = doc.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if subtitle:
        p = doc.add_paragraph(subtitle)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def add_table(doc: Document, headers: Sequence[str], rows: Iterable[Sequence], *, caption: str | None = None):
    if caption:
        doc.add_paragraph(caption).runs[0].bold = True
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers):
        cell.text = str(header)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = "" if value is None else str(value)
    return table


def add_image(doc: Document, png: bytes, *, width_cm: float = 15.0, caption: str | None = None):
    doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
    if caption:
        p = doc.add_paragraph(caption)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def add_paragraphs(doc: Document, text: str):
    for para in (text or "").splitlines():
        if para.strip():
            doc.add_paragraph(para.strip())


def to_bytes(doc: Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
