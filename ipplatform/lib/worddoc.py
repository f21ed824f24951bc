"""Word (.docx) building blocks for formal documents and reports: A4, page numbers, fonts per GB/T 9704.

Every Word file the platform generates starts from `new_document()`: A4 paper, the GB/T 9704-2012 margins
(top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), a centred footer "第 X 页 共 Y 页" built from PAGE/NUMPAGES
fields (Word and LibreOffice fill them in), the title in 小标宋 (二号) and the body in 仿宋 (三号) for formal
notices (`formal=True`), or a compact 宋体 五号/小四 body for reports and tables. Each font is named for East Asian
text (w:eastAsia) as well as Latin text; where the GB/T 9704 font is not installed on the server the first installed
fallback is named instead (Debian ships fonts-noto-cjk), so a PDF rendered here shows the same glyphs.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from functools import lru_cache

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

SYNTHETIC_NOTICE = "本文件包含模拟数据（合成的基准测试数据），不代表真实专利统计。"

A4 = (Mm(210), Mm(297))
# GB/T 9704-2012 §5.2.1: 天头 37 mm, 订口 28 mm; the type area is 156 × 225 mm, which leaves 35 mm and 26 mm.
GB_MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
REPORT_MARGINS = {"top": Mm(25), "bottom": Mm(25), "left": Mm(25), "right": Mm(20)}

# Preferred font first; the first one installed on this machine is used (the last is always named as a last resort).
TITLE_FONTS = ("方正小标宋简体", "方正小标宋_GBK", "华文中宋", "宋体", "SimSun", "Noto Serif CJK SC")
BODY_FONTS = ("仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC")
REPORT_FONTS = ("宋体", "SimSun", "Noto Serif CJK SC")
HEADING_FONTS = ("黑体", "SimHei", "Noto Sans CJK SC")
LATIN_FONT = "Times New Roman"


@lru_cache(maxsize=1)
def cn_date(day) -> str:
    """A date as formal documents write it (GB/T 9704-2012 7.3.5.3): 2015年9月1日, Arabic numerals, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def installed_fonts() -> frozenset[str]:
    """Family names known to fontconfig on this machine (empty when fc-list is missing)."""
    fc = shutil.which("fc-list")
    if not fc:
        return frozenset()
    try:
        out = subprocess.run([fc, ":", "family"], capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def pick_font(candidates: Sequence[str]) -> str:
    """The first candidate installed here; the first candidate when fontconfig knows none of them."""
    names = installed_fonts()
    return next((c for c in candidates if c in names), candidates[0])


def set_run_font(run_or_style, east_asia: str, *, size: float | None = None, bold: bool | None = None):
    """Name the font of a run or style for Latin and East Asian text alike (python-docx only sets Latin)."""
    font = run_or_style.font
    font.name = LATIN_FONT
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:eastAsia", "w:hint"):
        rfonts.set(qn(attr), east_asia if attr == "w:eastAsia" else "eastAsia")
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold


def _field(paragraph, instruction: str):
    """A complex field (PAGE, NUMPAGES) in a paragraph: begin, instruction, separator, placeholder, end."""
    run = paragraph.add_run()
    for tag, attrs, text in (
        ("w:fldChar", {"w:fldCharType": "begin"}, None),
        ("w:instrText", {"xml:space": "preserve"}, f" {instruction} "),
        ("w:fldChar", {"w:fldCharType": "separate"}, None),
        ("w:t", {}, "1"),
        ("w:fldChar", {"w:fldCharType": "end"}, None),
    ):
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        if text is not None:
            el.text = text
        run._r.append(el)
    return run


def add_page_numbers(section, *, font: str | None = None, size: float = 10.5):
    """Footer "第 X 页 共 Y 页", centred, from PAGE and NUMPAGES fields."""
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.text = ""
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    east = font or pick_font(REPORT_FONTS)
    if p.style is not None:  # field results take the paragraph style's size in LibreOffice, not the run's
        set_run_font(p.style, east, size=size)
    for part in ("第 ", "PAGE", " 页 共 ", "NUMPAGES", " 页"):
        run = _field(p, part) if part.isupper() else p.add_run(part)
        set_run_font(run, east, size=size)
    return p


def setup_section(section, *, margins=GB_MARGINS, landscape: bool = False):
    """A4 (portrait or landscape) with the given margins and the page-number footer."""
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side, value in margins.items():
        setattr(section, f"{side}_margin", value)
    section.footer_distance = Mm(18)
    add_page_numbers(section)


def new_document(title: str, *, subtitle: str | None = None, formal: bool = False, landscape: bool = False) -> Document:
    """A document on A4 with page numbers; `formal` lays it out as an official notice (GB/T 9704)."""
    doc = Document()
    body_font = pick_font(BODY_FONTS if formal else REPORT_FONTS)
    normal = doc.styles["Normal"]
    set_run_font(normal, body_font, size=16 if formal else 11)
    if formal:  # 22 lines of 28 characters: fixed 28.95 pt lines
        normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        normal.paragraph_format.line_spacing = Pt(28.95)
        normal.paragraph_format.first_line_indent = Pt(32)
    heading_font = pick_font(HEADING_FONTS)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        if name in [s.name for s in doc.styles]:
            style = doc.styles[name]
            set_run_font(style, heading_font)
            style.font.color.rgb = None
    setup_section(doc.sections[0], margins=GB_MARGINS if formal else REPORT_MARGINS, landscape=landscape)
    lines = [t for t in title.split("\n") if t.strip()] or [title]
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.space_after = Pt(12)
    if formal:
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title_font = pick_font(TITLE_FONTS)
    for i, line in enumerate(lines):
        run = p.add_run(line)
        set_run_font(run, title_font, size=22 if formal else 18, bold=not formal)
        if i < len(lines) - 1:
            run.add_break()
    if subtitle:
        sp = doc.add_paragraph()
        sp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sp.paragraph_format.first_line_indent = Pt(0)
        set_run_font(sp.add_run(subtitle), body_font, size=16 if formal else 12)
    return doc


def add_table(doc: Document, headers: Sequence[str], rows: Iterable[Sequence], *, caption: str | None = None):
    if caption:
        cp = doc.add_paragraph()
        cp.paragraph_format.first_line_indent = Pt(0)
        cp.add_run(caption).bold = True
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    size = 10.5
    for cell, header in zip(table.rows[0].cells, headers):
        cell.text = str(header)
        _compact(cell, size, bold=True)
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = "" if value is None else str(value)
            _compact(cell, size)
    return table


def _compact(cell, size: float, *, bold: bool | None = None):
    """Table cells in 五号, single-spaced and without the formal body's first-line indent."""
    for paragraph in cell.paragraphs:
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        for run in paragraph.runs:
            run.font.size = Pt(size)
            if bold is not None:
                run.bold = bold


def _repeat_header(row):
    """The header row repeats at the top of every page a long table runs over."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def add_image(doc: Document, png: bytes, *, width_cm: float = 15.0, caption: str | None = None):
    doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
    pic = doc.paragraphs[-1]
    pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pic.paragraph_format.first_line_indent = Pt(0)
    pic.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if caption:
        p = doc.add_paragraph(caption)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)


def add_paragraphs(doc: Document, text: str):
    for para in (text or "").splitlines():
        if para.strip():
            doc.add_paragraph(para.strip())


def to_bytes(doc: Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
