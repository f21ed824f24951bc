"""The capped spreadsheet reader: declared dimensions ignored, rows/columns/cell sizes/time capped, Chinese errors."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from ipplatform.lib import sheetread
from ipplatform.lib.xlsx import Sheet, workbook_bytes


def _declaring_huge_dimension(rows) -> bytes:
    """A small xlsx whose sheet claims A1:XFD1048576 (what an attacker uploads)."""
    data = workbook_bytes([Sheet("表", ["申请号", "名称"], rows)])
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = body.decode()
                if "<dimension" in text:
                    import re

                    text = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', text)
                else:
                    text = text.replace("<sheetViews>", '<dimension ref="A1:XFD1048576"/><sheetViews>', 1)
                body = text.encode()
            dst.writestr(item, body)
    return out.getvalue()


def test_declared_dimension_is_ignored_and_fast():
    data = _declaring_huge_dimension([["201510123456.7", "一种电池"]])
    assert len(data) < 10_000
    start = time.monotonic()
    rows = list(sheetread.rows(data))
    assert rows == [["申请号", "名称"], ["201510123456.7", "一种电池"]]
    assert time.monotonic() - start < 2


def test_row_column_and_cell_caps_are_chinese_errors():
    many = workbook_bytes([Sheet("表", ["a"], ([i] for i in range(30)))])
    with pytest.raises(sheetread.SheetTooLarge, match="超过20行的上限") as err:
        list(sheetread.rows(many, max_rows=20))
    assert err.value.line == 21
    wide = workbook_bytes([Sheet("表", [f"c{i}" for i in range(12)], [])])
    with pytest.raises(sheetread.SheetTooLarge, match="超过10列的上限"):
        list(sheetread.rows(wide, max_cols=10))
    big = workbook_bytes([Sheet("表", ["a"], [["字" * 600]])])
    with pytest.raises(sheetread.SheetTooLarge, match="第2行第1列的内容超过500字"):
        list(sheetread.rows(big, max_cell_chars=500))
    long = workbook_bytes([Sheet("表", ["a"], ([i] for i in range(300)))])
    with pytest.raises(sheetread.SheetTooLarge, match="读取表格超过0秒的上限（已读到第200行）"):
        list(sheetread.rows(long, max_seconds=0.0))


def test_unreadable_files():
    with pytest.raises(sheetread.SheetUnreadable, match="无法读取"):
        list(sheetread.rows(b"not a workbook"))
    with pytest.raises(sheetread.SheetUnreadable, match=".xls"):
        list(sheetread.rows(b"not a workbook", suffix=".xls"))


@pytest.mark.django_db
def test_importers_use_the_capped_reader(users, tmp_path):
    """Pledge patent list, population and work plan: a huge declared dimension is quick; too many rows is one error."""
    from ipplatform.core import population
    from ipplatform.core.inputs import InputError
    from ipplatform.finance import services as finance
    from ipplatform.workplan import services as workplan

    data = _declaring_huge_dimension([["201510123456.7", "一种电池"]])
    start = time.monotonic()
    result = finance.parse_patent_list(io.BytesIO(data))
    assert time.monotonic() - start < 5 and result.errors and result.errors[0]["reason"] == "平台专利库中没有此申请号"
    rows = workbook_bytes([Sheet("表", ["申请号", "名称"], ([f"2015101234{i:02d}.7", "x"] for i in range(3000)))])
    result = finance.parse_patent_list(io.BytesIO(rows))
    assert len(result.errors) <= 202 and any("上限" in e["reason"] or "错误超过" in e["reason"] for e in result.errors)
    start = time.monotonic()
    pop = population.import_workbook(io.BytesIO(data), source="test")
    assert time.monotonic() - start < 5 and pop.errors
    with pytest.raises(InputError, match="表头不正确"):
        workplan.spreadsheet_rows(data, suffix=".xlsx")
    with pytest.raises(InputError, match="超过5000行的上限"):
        workplan.spreadsheet_rows(workbook_bytes([Sheet("表", ["部分"], ([i] for i in range(6000)))]), suffix=".xlsx")
