"""Reading uploaded spreadsheets with caps: the one reader every importer uses.

- the dimension a file declares (`<dimension ref="A1:XFD1048576"/>`) is ignored: rows are streamed as stored
  (openpyxl read-only mode after `reset_dimensions()`; xlrd's own cell count for .xls), so a 1.5 KB file cannot make
  the reader pad a million empty rows;
- at most `max_rows` rows and `max_cols` columns (a value beyond the last column is refused, empty ones are cut),
  cells of at most `max_cell_chars` characters, at most `max_seconds` of reading;
- a cap that is hit raises `SheetTooLarge` with a Chinese message that names the limit and the row.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path


class SheetTooLarge(ValueError):
    """A cap was hit; str(exc) is the Chinese message, `line` the row (1-based) where it was hit."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class SheetUnreadable(ValueError):
    """Not a readable workbook of the expected kind."""


def rows(
    source,
    *,
    suffix: str = ".xlsx",
    max_rows: int = 10_000,
    max_cols: int = 50,
    max_cell_chars: int = 5_000,
    max_seconds: float = 60.0,
    sheet: int = 0,
) -> Iterator[list]:
    """The rows of one sheet as lists of cell values (1 row = 1 list; trailing empty cells cut), within the caps.

    `source` is a path, bytes or a binary file object; `suffix` ".xls" selects the legacy reader."""
    started = time.monotonic()
    if suffix.lower() == ".xls":
        produced = _xls_rows(source, sheet)
    else:
        produced = _xlsx_rows(source, sheet)
    for line, row in enumerate(produced, start=1):
        if line > max_rows:
            raise SheetTooLarge(f"表格超过{max_rows}行的上限（第{line}行）：请拆分后分批导入", line)
        if line % 200 == 0 and time.monotonic() - started >= max_seconds:
            raise SheetTooLarge(f"读取表格超过{max_seconds:.0f}秒的上限（已读到第{line}行）：请拆分后分批导入", line)
        row = list(row)
        while row and row[-1] in (None, ""):
            row.pop()
        if len(row) > max_cols:
            raise SheetTooLarge(f"第{line}行超过{max_cols}列的上限：请只保留模板中的列", line)
        for col, value in enumerate(row, start=1):
            if isinstance(value, str) and len(value) > max_cell_chars:
                raise SheetTooLarge(f"第{line}行第{col}列的内容超过{max_cell_chars}字的上限", line)
        yield row


def _open(source):
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(source)
    if isinstance(source, (str, Path)):
        return str(source)
    if hasattr(source, "seek"):
        source.seek(0)
    return source


def _xlsx_rows(source, index: int):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(_open(source), read_only=True, data_only=True)
        ws = wb.worksheets[index]
    except Exception as exc:
        raise SheetUnreadable("无法读取该Excel文件：文件已损坏或不是 .xlsx 格式") from exc
    try:
        ws.reset_dimensions()  # never trust the declared A1:XFD1048576
        yield from ws.iter_rows(values_only=True)
    finally:
        wb.close()


def _xls_rows(source, index: int):
    import xlrd

    try:
        if isinstance(source, (str, Path)):
            book = xlrd.open_workbook(str(source), on_demand=True)
        else:
            handle = _open(source)
            book = xlrd.open_workbook(
                file_contents=handle.getvalue() if hasattr(handle, "getvalue") else handle.read(), on_demand=True
            )
        sh = book.sheet_by_index(index)
    except Exception as exc:
        raise SheetUnreadable("无法读取该Excel文件：文件已损坏或不是 .xls 格式") from exc
    for r in range(sh.nrows):
        yield sh.row_values(r)
