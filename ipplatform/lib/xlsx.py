"""Excel export: write-only workbooks (constant memory for large tables), one sheet per table.

Every sheet has its 口径 notes above a bold, shaded header row that stays frozen while the data scrolls, and
column widths fitted to the header and the first rows (CJK characters count double, capped at 60).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

_INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    notes: list[str] = field(default_factory=list)  # 口径 / source lines printed above the table


# Characters XML 1.0 cannot hold (openpyxl refuses them): written as visible escapes such as "\x07".
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Text a spreadsheet would run as a formula (CSV/formula injection): = + - @, and tab/CR before them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
MAX_CELL_CHARS = 32767  # Excel's limit per cell


def escape_text(text: str) -> str:
    """Text safe for a cell: illegal control characters as visible escapes, cut to Excel's cell limit."""
    text = _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def _cell_value(value):
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, (list, tuple, set)):
        return escape_text("；".join(str(v) for v in value))
    if isinstance(value, dict):
        return escape_text(str(value))
    if isinstance(value, str):
        return escape_text(value)
    return value


def _cell(ws, value):
    """A value for ws.append(): text that would start a formula becomes a text cell (shown as typed, never run)."""
    value = _cell_value(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell = WriteOnlyCell(ws, value=None)
        cell.value, cell.data_type = value, "s"
        cell.alignment = Alignment(horizontal="left")
        cell.style  # noqa: B018 (binds the default style before quotePrefix is set)
        cell.quotePrefix = True
        return cell
    return value


WIDTH_SAMPLE_ROWS = 200  # rows read ahead to fit the column widths
MAX_WIDTH = 60


def display_width(value) -> int:
    """Columns a value takes in a spreadsheet cell: wide (CJK) characters count two."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    text = _cell_value(value)
    text = text if isinstance(text, str) else str(text)
    line = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def column_widths(headers: Sequence, sample: Sequence[Sequence]) -> list[int]:
    """Width of each column: the widest of its header and sampled values, between 6 and MAX_WIDTH."""
    widths = [display_width(h) for h in headers]
    for row in sample:
        for i, v in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], display_width(v))
    return [min(MAX_WIDTH, max(6, w + 2)) for w in widths]


def write_workbook(path, sheets: Iterable[Sheet]) -> int:
    """Write sheets to `path`; returns the number of data rows written."""
    wb = Workbook(write_only=True)
    total = 0
    used = set()
    for sheet in sheets:
        title = (sheet.title or "Sheet").translate(_INVALID_SHEET_CHARS)[:31]
        base, n = title, 2
        while title in used:
            title = f"{base[:28]}_{n}"
            n += 1
        used.add(title)
        ws = wb.create_sheet(title)
        rows = iter(sheet.rows)
        sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
        for i, width in enumerate(column_widths(sheet.headers, sample), start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        header_row = len(sheet.notes) + 1
        if sheet.headers:
            ws.freeze_panes = f"A{header_row + 1}"
            ws.print_title_rows = f"{header_row}:{header_row}"
        for note in sheet.notes:
            ws.append([_cell(ws, note)])
        header_cells = []
        for h in sheet.headers:
            c = WriteOnlyCell(ws, value=_cell_value(h))
            c.font = Font(bold=True)
            c.fill = PatternFill("solid", fgColor="DDEBF7")
            header_cells.append(c)
        ws.append(header_cells)
        for row in itertools.chain(sample, rows):
            ws.append([_cell(ws, v) for v in row])
            total += 1
    wb.save(path)
    return total


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        write_workbook(tmp.name, sheets)
        tmp.seek(0)
        return tmp.read()
