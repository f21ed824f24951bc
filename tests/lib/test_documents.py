import io

from docx import Document
from openpyxl import load_workbook

from ipplatform.lib import charts, worddoc
from ipplatform.lib.hashing import digest_hex, file_digest
from ipplatform.lib.xlsx import Sheet, workbook_bytes


def test_workbook_with_notes_and_unique_sheet_names():
    data = workbook_bytes([Sheet("统计/表", ["城市", "件数"], [["济南市", 3], ["青岛市", 5]], notes=["口径：按申请日"]), Sheet("统计/表", ["a"], [])])
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
