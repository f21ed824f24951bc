"""The legacy .xls (BIFF) path of the CNIPA export importer, on a real .xls written from the real export sample.

CNIPA's older search system hands out .xls files whose date columns are Excel date cells and whose numeric
columns are number cells; the copy here is written that way (xlwt) from data/patents_cn's real rows."""

import datetime as dt

import pytest

from ipplatform.patents import services
from ipplatform.patents.models import Patent

from .conftest import DATA

xlwt = pytest.importorskip("xlwt")
DATE_COLUMNS = ("公开（公告）日", "申请日")


def write_xls(path, header, rows):
    """A BIFF .xls: dotted dates become date cells, digit-only cells numbers, like the old CNIPA exports."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("检索结果")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, name in enumerate(header):
        sheet.write(0, c, name)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if header[c] in DATE_COLUMNS and value and value.count(".") == 2:
                try:
                    sheet.write(r, c, dt.datetime.strptime(value, "%Y.%m.%d"), date_style)
                    continue
                except ValueError:
                    pass  # a damaged date stays text, as a user's hand-edited file would have it
            if value.isdigit():
                sheet.write(r, c, int(value))
            else:
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def test_xls_export_imports_like_the_csv(patents_env, tmp_path, carrot_rows):
    header, rows = carrot_rows
    xls = write_xls(tmp_path / "cnipa-export.xls", header, rows)
    result = services.import_file(path=xls)
    assert (result.format, result.read, result.created, result.rejected) == ("cnipa", 199, 199, 0)
    first = Patent.objects.get(pk=rows[0][0].replace("CN", "").replace(".", ""))
    assert first.application_date == dt.date(*map(int, rows[0][3].split(".")))
    assert first.publication_date == dt.date(*map(int, rows[0][2].split(".")))
    assert first.title == rows[0][5]
    # the same rows as CSV (text dates, text numbers) change nothing: both containers parse to the same record
    again = services.import_file(path=DATA / "sipo_export_sample_carrotc.csv")
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 199, 0)


def test_xls_bad_rows_are_reported_with_line_and_field(patents_env, tmp_path, carrot_rows):
    header, rows = carrot_rows
    rows = [list(r) for r in rows[:10]]
    rows[2][3] = "2012.13.45"  # line 4: impossible date, left as text in the sheet
    rows[5][0] = "CN2012202497X4.1"  # line 7: not an application number
    result = services.import_file(path=write_xls(tmp_path / "damaged.xls", header, rows), mode="lenient")
    rejected = {e.line: e for e in result.errors if e.severity == "拒绝"}
    assert set(rejected) == {4, 7}
    assert rejected[4].field == "申请日" and rejected[4].value == "2012.13.45"
    assert rejected[7].field == "申请号"
    assert (result.read, result.created, result.rejected) == (10, 8, 2)
    assert Patent.objects.count() == 8
