"""One table component for the platform's lists: server-side sorting by whitelisted columns, a page size choice,
row selection with "export selected", export of the whole filtered list, and an empty state that says why.

A view builds `Table(request, qs, columns=[...], default_sort="-received")` from the access-scoped, filtered
queryset it already has, renders `table.page`, and exports `table.export_queryset()` (the same queryset, limited to
the ticked rows when `ids` are sent) through its existing Excel rows. Templates include `core/_table_tools.html`
(page size, column chooser, export buttons), `core/_table_head.html` (sortable header with a select-all box) and
`core/_table_foot.html` (empty state and pagination). `static/js/tables.js` adds select-all and the column chooser;
without it the table still sorts, pages and exports.

A list of rows computed in Python (a supervision board's rows, say) works the same way: `order_by` then names
dotted paths into each row (dict keys or attributes), rows without a value sort last either way, and `row_id`
gives the id that "export selected" sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator

from .inputs import InputError, is_id

PAGE_SIZES = (20, 50, 100)
MAX_SELECTED = 1000  # ticked rows sent in one export request


@dataclass(frozen=True)
class Column:
    key: str  # the value of ?sort= (ASCII, stable)
    label: str  # the header users see
    order_by: tuple[str, ...] = ()  # ORM fields to sort on; empty: not sortable
    num: bool = False  # right-aligned figures
    optional: bool = False  # the column chooser may hide it (wide tables)

    @property
    def sortable(self) -> bool:
        return bool(self.order_by)


def col(key: str, label: str, *order_by: str, num: bool = False, optional: bool = False) -> Column:
    return Column(key, label, tuple(order_by), num, optional)


@dataclass
class HeaderCell:
    column: Column
    url: str = ""
    direction: str = ""  # "asc", "desc" or "" when the table is not sorted by this column


def parse_per_page(raw, *, default: int = PAGE_SIZES[0]) -> int:
    """The page size a user asked for, capped at the largest choice; nothing asked: `default`."""
    raw = (raw or "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        sizes = "、".join(str(s) for s in PAGE_SIZES)
        raise InputError(f"每页条数“{raw[:20]}”无效：请选择 {sizes}", field="per_page")
    return min(int(raw), PAGE_SIZES[-1])  # capped


class Table:
    """A sorted, paged view of an access-scoped queryset; bad `sort`, `per_page` or `ids` raise InputError."""

    def __init__(
        self,
        request,
        queryset,
        *,
        columns: list[Column],
        default_sort: str = "",
        tiebreak: str = "-pk",
        unfiltered=None,
        unscoped=None,
        default_per_page: int = PAGE_SIZES[0],
        selectable: bool = True,
        export: bool = True,
        noun: str = "记录",
        unit: str = "条",
        name: str = "list",
        row_id=None,
    ):
        self.request, self.columns, self.selectable, self.export, self.noun = request, columns, selectable, export, noun
        self.unit = unit
        self.id = name
        self.row_id = row_id or (lambda row: row.pk)
        if isinstance(queryset, tuple):
            queryset = list(queryset)
        self.params = request.GET.copy()
        by_key = {c.key: c for c in columns if c.sortable}
        raw = (self.params.get("sort") or default_sort).strip()
        key = raw.removeprefix("-")
        if raw and key not in by_key:
            allowed = "、".join(f"{c.key}（{c.label}）" for c in by_key.values()) or "无"
            raise InputError(f"排序字段“{raw[:40]}”无效：可按 {allowed} 排序，前加“-”为降序", field="sort")
        self.sort_key, self.descending = key, raw.startswith("-")
        if key and isinstance(queryset, list):
            queryset = sorted_rows(queryset, by_key[key].order_by, descending=self.descending)
        elif key:
            fields = [
                f"-{f.lstrip('-')}" if self.descending != f.startswith("-") else f.lstrip("-")
                for f in by_key[key].order_by
            ]
            queryset = queryset.order_by(*fields, tiebreak)
        self.per_page = self._per_page(default_per_page)
        self.queryset = queryset
        self.unfiltered, self.unscoped = unfiltered, unscoped
        self.page = Paginator(queryset, self.per_page).get_page(self.params.get("page"))

    def _per_page(self, default: int) -> int:
        return parse_per_page(self.params.get("per_page"), default=default)

    # ---- URLs keeping the other parameters
    def url(self, **changes) -> str:
        params = self.params.copy()
        for k, v in changes.items():
            params.pop(k, None)
            if v not in (None, ""):
                params[k] = str(v)
        return "?" + params.urlencode()

    @property
    def header(self) -> list[HeaderCell]:
        cells = []
        for c in self.columns:
            if not c.sortable:
                cells.append(HeaderCell(c))
                continue
            current = c.key == self.sort_key
            nxt = c.key if current and self.descending else f"-{c.key}" if current else c.key
            direction = ("desc" if self.descending else "asc") if current else ""
            cells.append(HeaderCell(c, self.url(sort=nxt, page=None), direction))
        return cells

    @property
    def page_urls(self) -> dict:
        p = self.page
        return {
            "previous": self.url(page=p.previous_page_number()) if p.has_previous() else "",
            "next": self.url(page=p.next_page_number()) if p.has_next() else "",
        }

    @property
    def size_choices(self) -> list[tuple[int, str, bool]]:
        return [(s, self.url(per_page=s, page=None), s == self.per_page) for s in PAGE_SIZES]

    @property
    def export_all_url(self) -> str:
        return self.url(export="xlsx", page=None, ids=None, selected=None)

    @property
    def hidden_params(self) -> list[tuple[str, str]]:
        """The current query (filters, sort) for the "export selected" form, without page and ids."""
        skip = ("page", "ids", "export", "selected")
        return [(k, v) for k, values in self.params.lists() if k not in skip for v in values]

    @property
    def has_optional(self) -> bool:
        return any(c.optional for c in self.columns)

    # ---- selection and export
    def selected_ids(self) -> list[int]:
        raw = self.params.getlist("ids")
        if len(raw) > MAX_SELECTED:
            raise InputError(f"一次最多导出所选的{MAX_SELECTED}条记录，请改用“导出全部”", field="ids")
        bad = [v for v in raw if not is_id(v)]
        if bad:
            raise InputError(f"所选记录编号“{bad[0][:20]}”无效", field="ids")
        return [int(v) for v in raw]

    def export_queryset(self):
        """The filtered, access-scoped, sorted queryset; only the ticked rows when ids were sent."""
        ids = self.selected_ids()
        if self.params.get("selected") and not ids:
            raise InputError("请先勾选要导出的记录，或使用“导出全部”", field="ids")
        if not ids:
            return self.queryset
        if isinstance(self.queryset, list):
            wanted = set(ids)
            return [r for r in self.queryset if self.row_id(r) in wanted]
        return self.queryset.filter(pk__in=ids)

    # ---- empty state
    @property
    def empty_reason(self) -> str:
        """Why the page shows no rows: "none" (no records), "filtered" (filters exclude them), "scope" (outside the
        user's scope) or "" when there are rows."""
        if self.page.paginator.count:
            return ""
        if self.unfiltered is not None and _exists(self.unfiltered):
            return "filtered"
        if self.unscoped is not None and _exists(self.unscoped):
            return "scope"
        if self.unfiltered is None and any(k not in ("sort", "per_page", "page") for k in self.params):
            return "filtered"
        return "none"

    @property
    def empty_message(self) -> str:
        return {
            "filtered": f"当前筛选条件下没有{self.noun}，可放宽或清除筛选条件。",
            "scope": f"平台有{self.noun}，但不在您的数据权限范围内（按单位、地区或本人限定）。",
            "none": f"平台尚无{self.noun}。",
        }.get(self.empty_reason, "")

    @property
    def clear_url(self) -> str:
        keep = {k: self.params.get(k) for k in ("sort", "per_page") if self.params.get(k)}
        return "?" + urlencode(keep)

    @property
    def span(self) -> int:
        return len(self.columns) + (1 if self.selectable else 0)


def _exists(rows) -> bool:
    return rows.exists() if hasattr(rows, "exists") else bool(rows)


def row_value(row, path: str):
    """The value at a dotted path in a row of dicts and objects; None where any step is missing."""
    for part in path.split("."):
        row = row.get(part) if isinstance(row, dict) else getattr(row, part, None)
        if row is None:
            return None
    return row


def sorted_rows(rows: list, fields, *, descending: bool) -> list:
    """Rows sorted by the dotted paths in `fields` ("-" before a path reverses it), rows lacking a value last."""
    for f in reversed(list(fields)):  # stable sorts, least significant field first
        path, reverse = f.lstrip("-"), descending != f.startswith("-")
        present = [r for r in rows if row_value(r, path) is not None]
        missing = [r for r in rows if row_value(r, path) is None]
        rows = sorted(present, key=lambda r: row_value(r, path), reverse=reverse) + missing
    return rows
