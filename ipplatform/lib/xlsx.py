"""Excel export: write-only workbooks (constant memory for large tables), one sheet per table."""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

_INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    notes: list[str] = field(default_factory=list)  # 口径 / source lines printed above the table


def _cell_value(value):
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, (list, tuple, set)):
        return "；".join(str(v) for v in value)
    if isinstance(value, dict):
        return str(value)
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
            ws.append([note])
        header_cells = []
        for h in sheet.headers:
            c = WriteOnlyCell(ws, value=h)
            c.font = Font(bold=True)
            c.fill = PatternFill("solid", fgColor="DDEBF7")
            header_cells.append(c)
        ws.append(header_cells)
        for row in sheet.rows:
            ws.append([_cell_value(v) for v in row])
            total += 1
    wb.save(path)
    return total


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        write_workbook(tmp.name, sheets)
        tmp.seek(0)
        return tmp.read()
