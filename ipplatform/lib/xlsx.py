"""Excel export: write-only workbooks (constant memory for large tables), one sheet per table."""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

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
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS - 1] + "…"


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
        for note in sheet.notes:
            ws.append([_cell(ws, note)])
        header_cells = []
        for h in sheet.headers:
            c = WriteOnlyCell(ws, value=_cell_value(h))
            c.font = Font(bold=True)
            c.fill = PatternFill("solid", fgColor="DDEBF7")
            header_cells.append(c)
        ws.append(header_cells)
        for row in sheet.rows:
            ws.append([_cell(ws, v) for v in row])
            total += 1
    wb.save(path)
    return total


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        write_workbook(tmp.name, sheets)
        tmp.seek(0)
        return tmp.read()
