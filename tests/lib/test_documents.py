import io

from docx import Document
from openpyxl import load_workbook

from ipplatform.lib import charts, worddoc
from ipplatform.lib.hashing import digest_hex, file_digest
from ipplatform.lib.xlsx import Sheet, workbook_bytes


def test_workbook_with_notes_and_unique_sheet_names():
    data = workbook_bytes(
        [
            Sheet("统计/表", ["城市", "件数"], [["济南市", 3], ["青岛市", 5]], notes=["口径：按申请日"]),
            Sheet("统计/表", ["a"], []),
        ]
    )
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["统计_表", "统计_表_2"]
    rows = list(wb["统计_表"].iter_rows(values_only=True))
    assert rows == [("口径：按申请日", None), ("城市", "件数"), ("济南市", 3), ("青岛市", 5)]


def test_word_document_with_table_and_chart():
    doc = worddoc.new_document("年度报告", subtitle="2015年")
    worddoc.add_table(doc, ["城市", "件数"], [["济南市", 3]], caption="表1")
    png = charts.bar_chart("各市申请量", ["济南市", "青岛市"], [3, 5])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    worddoc.add_image(doc, png, caption="图1")
    reopened = Document(io.BytesIO(worddoc.to_bytes(doc)))
    assert reopened.tables[0].cell(1, 0).text == "济南市"
    assert len(reopened.inline_shapes) == 1


def test_cjk_font_available_for_charts():
    assert charts.cjk_font_family() is not None


def test_hashes():
    assert digest_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    # SM3 test vector from GB/T 32905-2016 appendix A.1
    assert digest_hex(b"abc", "sm3") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert file_digest([b"a", b"bc"]) == digest_hex(b"abc")


def test_excel_header_frozen_bold_and_columns_fitted():
    data = workbook_bytes([Sheet("清单", ["申请号", "名称"], [["CN201510001234.5", "一种" * 20]], notes=["口径：a"])])
    ws = load_workbook(io.BytesIO(data))["清单"]
    assert ws.freeze_panes == "A3"  # the note line and the header stay in view
    assert ws["A2"].font.b and ws["B2"].font.b
    assert ws.column_dimensions["A"].width == len("CN201510001234.5") + 2
    assert ws.column_dimensions["B"].width == 60  # 80 display columns, capped


def _xml(doc) -> str:
    return doc.sections[0].footer._element.xml


def test_every_document_is_a4_with_page_numbers():
    for formal in (False, True):
        doc = Document(io.BytesIO(worddoc.to_bytes(worddoc.new_document("通知", formal=formal))))
        section = doc.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        footer = _xml(doc)
        assert "PAGE" in footer and "NUMPAGES" in footer
        text = "".join(t.text for t in doc.sections[0].footer.paragraphs[0].runs)
        assert text.startswith("第 ") and "页 共 " in text and text.endswith(" 页")
    landscape = worddoc.new_document("报告", landscape=True).sections[0]
    assert (round(landscape.page_width.mm), round(landscape.page_height.mm)) == (297, 210)


def test_formal_notice_follows_gb_t_9704():
    doc = worddoc.new_document("关于某事的通知", subtitle="鲁知〔2026〕1号", formal=True)
    section = doc.sections[0]
    assert [round(getattr(section, f"{s}_margin").mm) for s in ("top", "bottom", "left", "right")] == [37, 35, 28, 26]
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16  # 三号
    east_asia = normal.element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    assert east_asia == worddoc.pick_font(worddoc.BODY_FONTS)
    assert east_asia in worddoc.installed_fonts() or east_asia == "仿宋_GB2312"
    title_run = doc.paragraphs[0].runs[0]
    assert title_run.text == "关于某事的通知" and title_run.font.size.pt == 22  # 二号


def test_font_fallback_picks_an_installed_font(monkeypatch):
    monkeypatch.setattr(worddoc, "installed_fonts", lambda: frozenset({"Noto Serif CJK SC"}))
    assert worddoc.pick_font(worddoc.BODY_FONTS) == "Noto Serif CJK SC"
    monkeypatch.setattr(worddoc, "installed_fonts", lambda: frozenset({"仿宋_GB2312", "Noto Serif CJK SC"}))
    assert worddoc.pick_font(worddoc.BODY_FONTS) == "仿宋_GB2312"


def test_formal_dates_have_no_leading_zeros():
    import datetime as dt

    from ipplatform.lib.worddoc import cn_date

    assert cn_date(dt.date(2015, 9, 1)) == "2015年9月1日"
    assert cn_date(dt.date(2016, 2, 29)) == "2016年2月29日"
    assert cn_date(dt.date(2015, 12, 31)) == "2015年12月31日"
