"""Reading patent files as streams of rows: encoding and format detection, CSV / XLSX / XLS / JSONL.

Every reader yields (line, row) where `line` is the 1-based line (or sheet row) a user sees in the file and
`row` maps the file's own column names to values. Memory stays constant: rows are read one at a time."""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ipplatform.core.inputs import InputError

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

CNIPA_HEADERS = [
    "申请号",
    "公开（公告）号",
    "公开（公告）日",
    "申请日",
    "专利号",
    "名称",
    "主分类号",
    "分类号",
    "分案原申请号",
    "优先权",
    "申请（专利权）人",
    "发明（设计）人",
    "地址",
    "颁证日",
    "国际申请",
    "国际公布",
    "进入国家日期",
    "专利代理机构",
    "代理人",
    "摘要",
    "主权项",
    "参考文献",
    "审查员",
    "光盘号",
    "PCT公开",
]
CNKI_LISTING_HEADERS = {
    "publication_number",
    "title",
    "applicants",
    "inventors",
    "application_date",
    "publication_date",
}
CNKI_SPIDER_HEADERS = {"title", "inventors", "applicants", "database", "application_date", "search_keyword"}
FORMATS = ("cnipa", "cnki", "jsonl", "csv")
FORMAT_LABELS = {
    "cnipa": "国家知识产权局检索系统导出（25列）",
    "cnki": "中国知网专利列表",
    "cnki_listing": "中国知网专利列表（公开号版）",
    "cnki_spider": "中国知网专利列表（爬取版）",
    "jsonl": "专利公布公告 JSONL",
    "csv": "通用 CSV/Excel（列映射）",
}


def _norm_header(text) -> str:
    return ("" if text is None else str(text)).strip().replace("\ufeff", "").replace("(", "（").replace(")", "）")


@dataclass
class Source:
    """An opened file: its detected encoding, container and headers."""

    path: Path
    container: str  # csv / xlsx / xls / jsonl
    encoding: str = ""
    headers: list[str] = field(default_factory=list)
    size: int = 0
    position: int = 0  # bytes (or rows for spreadsheets) consumed, for progress
    total: int = 0
    delimiter: str = ","


def is_gzip(path: Path) -> bool:
    """A gzip-compressed file (by its magic bytes, whatever its name)."""
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def open_bytes(path: Path):
    """The file's bytes, decompressed on the fly when it is gzip (a .csv.gz export)."""
    import gzip

    return gzip.open(path, "rb") if is_gzip(path) else open(path, "rb")


def detect_encoding(path: Path, sample_size: int = 1 << 20) -> str:
    """'utf-8-sig', 'utf-8' or 'gb18030' (a superset of GBK/GB2312), decided on the first megabyte."""
    with open_bytes(path) as fh:
        sample = fh.read(sample_size)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"文件“{path.name}”是UTF-16编码，请另存为UTF-8或GBK编码的CSV", field="编码")
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3 and len(sample) == sample_size:
            return "utf-8"  # a character cut at the end of the sample
    try:
        sample.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError as exc:
        raise InputError(
            f"文件“{path.name}”无法识别编码（既不是UTF-8也不是GBK/GB18030），第{exc.start}字节处出错", field="编码"
        )


def container_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".gz":
        inner = Path(path.stem).suffix.lower()
        if inner in (".csv", ".txt", ".tsv") and is_gzip(path):
            return "csv"
        raise InputError(f"压缩文件“{path.name}”只支持gzip压缩的 .csv.gz", field="文件")
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".xls":
        return "xls"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".txt", ".tsv", ""):
        with open(path, "rb") as fh:
            head = fh.read(64).lstrip(codecs.BOM_UTF8).lstrip()
        if head.startswith(b"{"):
            return "jsonl"
        if head.startswith(b"PK\x03\x04"):
            return "xlsx"
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            return "xls"
        return "csv"
    raise InputError(f"不支持的文件类型“{path.suffix}”：请上传 .csv、.xlsx、.xls 或 .jsonl 文件", field="文件")


def open_source(path) -> Source:
    """Open a file for reading rows; InputError (in Chinese, naming the file) when it cannot be read at all."""
    path = Path(path)
    try:
        return _open_source(path)
    except InputError:
        raise
    except Exception as exc:  # corrupt workbook, truncated zip, unreadable bytes
        raise InputError(
            f"文件“{path.name}”无法读取（{type(exc).__name__}：{str(exc)[:120]}），请确认文件完整且格式与扩展名一致",
            field="文件",
        )


def _open_source(path: Path) -> Source:
    if not path.exists():
        raise InputError(f"文件不存在：{path}", field="文件")
    container = container_of(path)
    src = Source(path=path, container=container, size=path.stat().st_size)
    if container in ("csv", "jsonl"):
        src.encoding = detect_encoding(path)
    if container == "csv":
        with io.TextIOWrapper(open_bytes(path), encoding=src.encoding, errors="replace", newline="") as fh:
            first = fh.readline()
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        src.headers = [_norm_header(h) for h in next(csv.reader([first], delimiter=delimiter), [])]
        src.delimiter = delimiter
    elif container == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        src.total = ws.max_row or 0  # the declared size: an estimate for progress only
        ws.reset_dimensions()  # rows are read as stored, never padded to a declared A1:XFD1048576 (lib.sheetread)
        for row in ws.iter_rows(min_row=1, max_row=1, values_only=True):
            cells = list(row)
            while cells and cells[-1] in (None, ""):
                cells.pop()
            src.headers = [_norm_header(h) for h in cells[:200]]
        wb.close()
    elif container == "xls":
        import xlrd

        book = xlrd.open_workbook(str(path), on_demand=True)
        sheet = book.sheet_by_index(0)
        src.total = sheet.nrows
        src.headers = [_norm_header(h) for h in sheet.row_values(0)] if sheet.nrows else []
        book.release_resources()
    else:
        src.encoding = src.encoding or "utf-8"
    while src.headers and not src.headers[-1]:
        src.headers.pop()
    return src


def detect_format(src: Source) -> str:
    """cnipa / cnki_listing / cnki_spider / jsonl / csv (generic: needs a column mapping)."""
    if src.container == "jsonl":
        return "jsonl"
    headers = set(src.headers)
    known = set(CNIPA_HEADERS) | {"模拟数据", "专利类型", "邮编"}
    named = [h for h in src.headers if h]
    # the CNIPA search system lets users pick columns: a subset of its headers is still its export
    if {"申请号", "名称"} <= headers and sum(h in known for h in named) >= 0.6 * len(named):
        return "cnipa"
    if CNKI_LISTING_HEADERS <= headers:
        return "cnki_listing"
    if CNKI_SPIDER_HEADERS <= headers:
        return "cnki_spider"
    return "csv"


class RowShapeError(Exception):
    """A row whose number of cells does not match the header (missing or extra columns)."""

    def __init__(self, expected: int, actual: int):
        super().__init__(f"{actual} != {expected}")
        self.expected, self.actual = expected, actual


def iter_rows(src: Source) -> Iterator[tuple[int, dict | RowShapeError | ValueError]]:
    """Yield (line, row) pairs; a malformed row is yielded as an exception object instead of a dict."""
    if src.container == "csv":
        yield from _iter_csv(src)
    elif src.container == "jsonl":
        yield from _iter_jsonl(src)
    elif src.container == "xlsx":
        yield from _iter_xlsx(src)
    else:
        yield from _iter_xls(src)


def _iter_csv(src: Source):
    import gzip

    raw = open(src.path, "rb")
    try:
        # progress follows the compressed bytes read (raw.tell()) for gzip input too
        body = gzip.GzipFile(fileobj=raw, mode="rb") if is_gzip(src.path) else raw
        text = io.TextIOWrapper(body, encoding=src.encoding, errors="replace", newline="")
        reader = csv.reader(text, delimiter=src.delimiter)
        headers = None
        n = len(src.headers)
        for cells in reader:
            if headers is None:
                headers = src.headers
                continue
            src.position = raw.tell()
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != n:
                # trailing empty cells are harmless
                if len(cells) > n and not any(c.strip() for c in cells[n:]):
                    cells = cells[:n]
                else:
                    yield reader.line_num, RowShapeError(n, len(cells))
                    continue
            yield reader.line_num, dict(zip(headers, cells))
        src.position = src.size
    finally:
        raw.close()


def _iter_jsonl(src: Source):
    with open(src.path, "rb") as raw:
        for line_no, line in enumerate(raw, start=1):
            src.position += len(line)
            if not line.strip():
                continue
            try:
                text = line.decode(src.encoding)
            except UnicodeDecodeError:
                text = line.decode(src.encoding, errors="replace")
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                yield line_no, ValueError(f"不是合法的JSON（第{exc.colno}列：{exc.msg}）")
                continue
            if not isinstance(obj, dict):
                yield line_no, ValueError("每行应为一个JSON对象")
                continue
            yield line_no, obj


def _iter_xlsx(src: Source):
    from openpyxl import load_workbook

    wb = load_workbook(src.path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        n = len(src.headers)
        for idx, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            src.position = idx
            cells = list(row)
            if not any(c not in (None, "") for c in cells):
                continue
            if len(cells) > n and any(c not in (None, "") for c in cells[n:]):
                yield idx, RowShapeError(n, len(cells))
                continue
            cells = (cells + [None] * n)[:n]
            yield idx, dict(zip(src.headers, cells))
    finally:
        wb.close()


def _iter_xls(src: Source):
    import xlrd

    book = xlrd.open_workbook(str(src.path), on_demand=True)
    try:
        sheet = book.sheet_by_index(0)
        n = len(src.headers)
        for r in range(1, sheet.nrows):
            src.position = r + 1
            cells = []
            for c in range(min(sheet.ncols, max(n, sheet.ncols))):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    cells.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
                    cells.append(str(int(cell.value)))
                else:
                    cells.append(cell.value)
            if not any(c not in (None, "") for c in cells):
                continue
            if len(cells) > n and any(c not in (None, "") for c in cells[n:]):
                yield r + 1, RowShapeError(n, len(cells))
                continue
            cells = (cells + [None] * n)[:n]
            yield r + 1, dict(zip(src.headers, cells))
    finally:
        book.release_resources()
