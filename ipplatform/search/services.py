"""Patent search services: parsing, searching, facets, history, saved searches, export and index maintenance."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ipplatform.core.inputs import InputError, is_id
from ipplatform.lib.textnorm import fold

from . import indexer
from . import query as ql
from .backends.base import FACETS, SORT_LABELS, SORTS
from .backends.tantivy_backend import is_engine_error

# get_backend, rebuild_index and ensure_index are part of this module's public face (commands, demo, backup)
from .engine_ops import ensure_index, get_backend, rebuild_if_damaged, rebuild_index, update_index  # noqa: F401

log = logging.getLogger(__name__)
MAX_PAGE = 200
MAX_HISTORY_DEPTH = 8
FACET_TITLES = {
    "pt": "专利类型",
    "year": "申请年",
    "city": "地市",
    "sec": "IPC部",
    "cls": "IPC大类",
    "sub": "IPC小类",
    "app": "申请人",
    "et": "申请人类型",
    "ls": "法律状态",
}
EXPORT_HEADERS = [
    "申请号",
    "名称",
    "专利类型",
    "申请日",
    "公开（公告）号",
    "公开（公告）日",
    "授权日",
    "主分类号",
    "分类号",
    "申请（专利权）人",
    "发明（设计）人",
    "地址",
    "区划代码",
    "专利代理机构",
    "法律状态",
    "摘要",
    "模拟数据",
]


# ---------------------------------------------------------------- index updates


def _with_index(fn):
    backend = ensure_index()
    try:
        return fn(backend)
    except InputError:
        raise
    except BaseException as exc:
        if not is_engine_error(exc) or backend.healthy():
            raise
        log.warning("search index damaged during a query: rebuilding")
        rebuild_if_damaged(backend)
        return fn(backend)


def index_ids(*, ids: list[str], deleted: list[str] = ()) -> int:
    """Bring the index up to date for the given patent ids (changed or new) and deleted ids."""
    ids, deleted = list(dict.fromkeys(ids or [])), list(dict.fromkeys(deleted or []))
    if not ids and not deleted:
        return 0
    backend = get_backend()
    indexer.replay_pending(backend.root)
    if indexer.defer(backend.root, ids, deleted):
        return len(ids)  # the running import's helper holds the writer and indexes them with its next batch
    return update_index(backend, ids, deleted)


def on_patents_changed(sender, ids=(), deleted=(), **kwargs):
    """Receiver of patents.signals.patents_changed, the one way a change of the patent store reaches the index.

    Sent after commit by the importers for each batch and by patents.signals for records saved or deleted one at
    a time; during a long import the ids go to the helper process instead."""
    if indexer.hand_over(ids, deleted):
        return
    _safe_index(list(ids or []), list(deleted or []))


def _safe_index(ids, deleted):
    if getattr(settings, "SEARCH_INDEX_ROLE", "writer") == "replica":
        # a replica node's index is a copy of the writer's: the change goes to the writer (its job worker)
        from .tasks import index_on_writer

        index_on_writer(list(ids), list(deleted))
        return
    try:
        index_ids(ids=ids, deleted=deleted)
    except Exception:  # the sender's transaction has committed: never fail it because of the index
        log.exception("search index update failed for %d ids; run manage.py rebuild_index", len(ids) + len(deleted))


# ---------------------------------------------------------------- parsing and resolution


def parse(query: str) -> ql.Node:
    """Parse a query string into an AST (raises InputError with a position)."""
    return ql.parse(query)


def _region_codes(value: str, position: int) -> list[str]:
    from ipplatform.core.models import Division

    v = value.strip()
    if is_id(v):
        if len(v) == 2:
            v += "0000"
        elif len(v) == 4:
            v += "00"
        if len(v) != 6:
            raise InputError(
                f"地区代码“{value}”无效（第{position + 1}个字符）：应为6位GB/T 2260代码", position=position
            )
        return [v]
    names = Division.objects.filter(name=v).values_list("code", flat=True)
    codes = sorted(set(names))
    if not codes:
        codes = sorted(
            set(
                Division.objects.filter(name__startswith=v, level__in=["city", "county"]).values_list("code", flat=True)
            )
        )
        prov = [c for c in codes if c.startswith(settings.PROVINCE_CODE[:2])]
        codes = prov or codes
    if not codes:
        raise InputError(
            f"未找到地区“{value}”（第{position + 1}个字符）：请填写区划代码或名称，如 370200 或 青岛市",
            position=position,
        )
    return codes[:20]


def resolve(node: ql.Node, *, user=None, depth: int = 0) -> ql.Node:
    """Replace history references by the referenced queries and region names by codes."""
    from .models import SearchHistory

    def leaf(n):
        if isinstance(n, ql.HistoryRef):
            if user is None or not getattr(user, "is_authenticated", False):
                raise InputError(
                    f"检索历史引用 #{n.number} 需要先登录（第{n.position + 1}个字符）", position=n.position
                )
            if depth >= MAX_HISTORY_DEPTH:
                raise InputError(f"检索历史引用嵌套过深（第{n.position + 1}个字符）", position=n.position)
            row = SearchHistory.objects.filter(user=user, number=n.number).first()
            if row is None:
                raise InputError(f"检索历史中没有 #{n.number}（第{n.position + 1}个字符）", position=n.position)
            inner = resolve(ql.parse(row.query), user=user, depth=depth + 1)
            if row.city_code:
                inner = ql.And((inner, ql.Keyword("rc", row.city_code)))
            return inner
        if isinstance(n, ql.Keyword) and n.field == "rc" and not ql.is_truncated(n.value):
            codes = _region_codes(n.value, n.position)
            parts = tuple(ql.Keyword("rc", c, n.position) for c in codes)
            return parts[0] if len(parts) == 1 else ql.Or(parts)
        return n

    return ql.transform(node, leaf)


def compile_query(*, query: str, user=None, city_code: str | None = None) -> ql.Node:
    """Parse and resolve a query, scoped to a city when city_code is given."""
    node = resolve(parse(query), user=user)
    if city_code:
        if not re.fullmatch(r"\d{6}", city_code):
            raise InputError(f"地市代码“{city_code}”无效：应为6位区划代码，如 370200", field="city")
        node = ql.And((node, ql.Keyword("rc", city_code)))
    return node


# ---------------------------------------------------------------- searching


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[dict]
    facets: dict = field(default_factory=dict)
    next_cursor: str | None = None
    offset: int = 0
    sort: str = "relevance"
    took_ms: float = 0.0
    history_number: int | None = None
    city_code: str | None = None


def _cursor_key(query: str, city_code: str | None, sort: str) -> str:
    return hashlib.sha1(f"{query}\x00{city_code or ''}\x00{sort}".encode()).hexdigest()[:10]


def encode_cursor(*, offset: int, query: str, city_code: str | None, sort: str) -> str:
    raw = json.dumps({"o": offset, "k": _cursor_key(query, city_code, sort)}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, query: str, city_code: str | None, sort: str) -> int:
    if not cursor:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = int(data["o"])
        key = data["k"]
    except Exception:
        raise InputError("翻页游标（cursor）无效：请从第一页重新检索", field="cursor")
    if key != _cursor_key(query, city_code, sort) or offset < 0:
        raise InputError("翻页游标（cursor）与当前检索式或排序不符：请从第一页重新检索", field="cursor")
    return offset


def search(
    *,
    query: str,
    user=None,
    city_code: str | None = None,
    sort: str = "relevance",
    cursor: str | None = None,
    limit: int = 20,
    facets: bool = True,
    record_history: bool = False,
) -> SearchResult:
    """Run a query: one page of hits with highlights, the total, facets over all hits and the next cursor."""
    started = time.perf_counter()
    if sort not in SORTS:
        raise InputError(f"排序方式“{sort}”无效：可选 {'、'.join(SORTS)}", field="sort")
    if not 1 <= int(limit) <= MAX_PAGE:
        raise InputError(f"每页条数应在 1 到 {MAX_PAGE} 之间", field="limit")
    node = compile_query(query=query, user=user, city_code=city_code)
    offset = decode_cursor(cursor, query=query, city_code=city_code, sort=sort)
    res = _with_index(lambda b: b.search(node, sort=sort, offset=offset, limit=limit, facets=facets))
    terms = ql.positive_terms(node)
    hits = hit_rows([pid for pid, _ in res.hits], terms=terms, scores=dict(res.hits))
    nxt = offset + len(res.hits)
    result = SearchResult(
        query=query,
        total=res.total,
        hits=hits,
        facets=facet_rows(res.facets) if facets else {},
        next_cursor=encode_cursor(offset=nxt, query=query, city_code=city_code, sort=sort) if nxt < res.total else None,
        offset=offset,
        sort=sort,
        city_code=city_code,
    )
    if record_history and user is not None and getattr(user, "is_authenticated", False) and not cursor:
        result.history_number = record_search(user=user, query=query, city_code=city_code or "", total=res.total)
    result.took_ms = round((time.perf_counter() - started) * 1000, 1)
    return result


def matching_ids(*, query: str, city_code: str | None = None, user=None, sort: str = "ad_desc") -> list[str]:
    """Every matching Patent id (newest application first)."""
    node = compile_query(query=query, user=user, city_code=city_code)
    return _with_index(lambda b: b.ids(node, sort=sort))


def count(*, query: str, city_code: str | None = None, user=None) -> int:
    """Number of matching patents."""
    node = compile_query(query=query, user=user, city_code=city_code)
    return _with_index(lambda b: b.search(node, limit=1, facets=False).total)


def rank_text(
    *, text: str, limit: int = 50, ipc_codes: list[str] | None = None, exclude_ids=()
) -> list[tuple[str, float]]:
    """Patents ranked by relevance to a free text (shared significant terms, IPC boosts), best first."""
    from .documents import ipc_levels

    prefixes = []
    for code in ipc_codes or []:
        levels = ipc_levels(code)
        prefixes += levels[2:4]  # subclass and main group
    return _with_index(
        lambda b: b.similar(
            text=text or "", ipc_prefixes=list(dict.fromkeys(prefixes)), limit=limit, exclude=set(exclude_ids)
        )
    )


def similar_patents(*, patent, limit: int = 10) -> list[dict]:
    """'More like this': patents sharing significant terms and IPC with `patent`."""
    text = " ".join([patent.title, patent.title, patent.abstract or "", patent.first_claim or ""])
    ranked = rank_text(
        text=text, limit=limit, ipc_codes=[patent.ipc_main, *(patent.ipc_all or [])], exclude_ids=[patent.pk]
    )
    return hit_rows([pid for pid, _ in ranked], terms=[], scores=dict(ranked))


# ---------------------------------------------------------------- presenting hits and facets


def _fold_map(text: str) -> tuple[str, list[int]]:
    folded = fold(text)
    if len(folded) == len(text):
        return folded, list(range(len(text) + 1))
    out, index = [], []
    for i, ch in enumerate(text):
        f = fold(ch)
        out.append(f)
        index += [i] * len(f)
    index.append(len(text))
    return "".join(out), index


def highlight(text: str, terms: list[str], *, window: int | None = None) -> str:
    """HTML with <mark> around folded matches of the terms; `window` trims to a snippet around the first match."""
    text = text or ""
    if not text:
        return ""
    folded, index = _fold_map(text)
    folded = re.sub(r"\s", " ", folded)
    marks = [False] * len(text)
    for t in terms:
        t = t.strip() if len(t.strip()) else t
        if not t:
            continue
        start = folded.find(t)
        while start >= 0:
            for k in range(index[start], index[min(start + len(t), len(index) - 1)]):
                marks[k] = True
            start = folded.find(t, start + 1)
    lo, hi = 0, len(text)
    if window and len(text) > window:
        first = marks.index(True) if True in marks else 0
        lo = max(0, first - window // 4)
        hi = min(len(text), lo + window)
    out, i = [], lo
    while i < hi:
        j = i
        while j < hi and marks[j] == marks[i]:
            j += 1
        chunk = escape(text[i:j])
        out.append(f"<mark>{chunk}</mark>" if marks[i] else chunk)
        i = j
    return mark_safe(("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(text) else ""))


def hit_rows(ids: list[str], *, terms: list[str], scores: dict | None = None) -> list[dict]:
    """Display rows for patent ids, in the given order."""
    from ipplatform.core import regions
    from ipplatform.patents.enums import NO_STATUS_EVENTS
    from ipplatform.patents.models import LegalEvent, Patent

    rows = Patent.objects.in_bulk(ids)
    # granted hits whose validity rests on the presumption: no legal-status event beyond publication and grant
    with_status = (
        set(
            LegalEvent.objects.filter(patent_id__in=list(rows))
            .exclude(code__in=NO_STATUS_EVENTS)
            .values_list("patent_id", flat=True)
            .distinct()
        )
        if rows
        else set()
    )
    out = []
    for pid in ids:
        p = rows.get(pid)
        if p is None:
            continue
        out.append(
            {
                "id": p.pk,
                "application_number": p.application_number,
                "publication_number": p.publication_number,
                "number": p.display_number,  # 申请号, else 公开号 (number_kind says which), never the internal id
                "number_kind": p.number_kind,
                "title": p.title,
                "highlights": {
                    "title": highlight(p.title, terms),
                    "abstract": highlight(p.abstract, terms, window=180),
                },
                "applicants": p.applicants_text,
                "inventors": "；".join(p.inventors or []),
                "application_date": p.application_date.isoformat() if p.application_date else None,
                "publication_date": p.publication_date.isoformat() if p.publication_date else None,
                "grant_date": p.grant_date.isoformat() if p.grant_date else None,
                "patent_type": p.get_patent_type_display(),
                "legal_status": p.get_legal_status_display(),
                "legal_status_code": p.legal_status,
                "validity_presumed": p.legal_status == "valid" and pid not in with_status,
                "ipc_main": p.ipc_main,
                "region_code": p.region_code,
                "city": regions.display_name(p.city_code),
                "is_synthetic": p.is_synthetic,
                "score": round(float((scores or {}).get(pid, 0) or 0), 4),
            }
        )
    return out


def facet_rows(raw: dict) -> dict:
    """Facet buckets with Chinese labels and the clause that refines the query by one click."""
    from ipplatform.core import regions
    from ipplatform.core.models import IPCEntry
    from ipplatform.patents.enums import EntityType, LegalStatus, PatentType

    codes = {v for name in ("sec", "cls", "sub") for v, _ in raw.get(name, [])}
    titles = dict(IPCEntry.objects.filter(code__in=codes).values_list("code", "title_zh")) if codes else {}
    out = {}
    for name in FACETS:
        items = []
        for value, n in raw.get(name, []):
            if name == "pt":
                label, clause = (
                    PatentType(value).label if value in PatentType.values else value,
                    f"类型={PatentType(value).label if value in PatentType.values else value}",
                )
            elif name == "year":
                label, clause = f"{value}年", f"申请日={value}"
            elif name == "city":
                label, clause = regions.display_name(value), f"地区={value}"
            elif name in ("sec", "cls", "sub"):
                label, clause = f"{value} {titles.get(value, '')[:24]}".strip(), f"分类号={value}"
            elif name == "app":
                label, clause = value, f'申请人="{value.replace(chr(34), "")}"'
            elif name == "et":
                label = EntityType(value).label if value in EntityType.values else value
                clause = f"申请人类型={label}"
            else:
                label = LegalStatus(value).label if value in LegalStatus.values else value
                clause = f"法律状态={label}"
            items.append({"value": value, "label": label, "count": n, "clause": clause})
        out[name] = {"title": FACET_TITLES[name], "items": items}
    return out


def refine(*, query: str, clause: str) -> str:
    """The query narrowed by one facet clause."""
    query = (query or "").strip()
    return clause if not query else f"({query}) AND {clause}"


# ---------------------------------------------------------------- history and saved searches


def record_search(*, user, query: str, city_code: str = "", total: int) -> int:
    """Append a search to the user's history; returns its number (#n)."""
    from .models import SearchHistory

    for attempt in range(5):  # two tabs searching at the same moment may race for the same number
        try:
            with transaction.atomic():
                last = SearchHistory.objects.filter(user=user).aggregate(m=Max("number"))["m"] or 0
                row = SearchHistory.objects.create(
                    user=user, number=last + 1, query=query, city_code=city_code or "", total=total
                )
            return row.number
        except IntegrityError:
            if attempt == 4:
                raise
    return 0


def history(*, user, limit: int = 30):
    """The user's most recent searches."""
    from .models import SearchHistory

    if user is None or not user.is_authenticated:
        return []
    return list(SearchHistory.objects.filter(user=user)[:limit])


def clear_history(*, user) -> int:
    """Delete the user's search history."""
    from .models import SearchHistory

    return SearchHistory.objects.filter(user=user).delete()[0]


def save_search(*, user, name: str, query: str, city_code: str = ""):
    """Save a query under a name (validated first); running it later counts hits added since."""
    from .models import SavedSearch

    name = (name or "").strip()
    if not name:
        raise InputError("请填写检索式名称", field="name")
    if len(name) > 100:
        raise InputError("检索式名称不能超过100个字", field="name")
    node = compile_query(query=query, user=user, city_code=city_code or None)
    total = _with_index(lambda b: b.search(node, limit=1, facets=False).total)
    obj, _ = SavedSearch.objects.update_or_create(
        user=user,
        name=name,
        defaults={"query": query, "city_code": city_code or "", "last_run_at": timezone.now(), "last_total": total},
    )
    return obj


def saved_searches(*, user) -> list[dict]:
    """The user's saved searches, each with its current total and the number of hits added since its last run."""
    from .models import SavedSearch

    out = []
    for s in SavedSearch.objects.filter(user=user):
        try:
            node = compile_query(query=s.query, user=user, city_code=s.city_code or None)
            total = _with_index(lambda b: b.search(node, limit=1, facets=False).total)
            new = 0
            if s.last_run_at:
                since = ql.And((node, ql.DateRange("added", int(s.last_run_at.timestamp()) + 1, None)))
                new = _with_index(lambda b: b.search(since, limit=1, facets=False).total)
            out.append({"obj": s, "total": total, "new": new, "error": ""})
        except InputError as exc:
            out.append({"obj": s, "total": None, "new": 0, "error": exc.message})
    return out


def run_saved(*, user, pk: int):
    """Mark a saved search as run now (its 'new' count restarts); returns it."""
    from ipplatform.core.scopes import get_in_scope

    from .models import SavedSearch

    s = get_in_scope(SavedSearch.objects.all(), user, pk=pk)
    node = compile_query(query=s.query, user=user, city_code=s.city_code or None)
    s.last_total = _with_index(lambda b: b.search(node, limit=1, facets=False).total)
    s.last_run_at = timezone.now()
    s.save(update_fields=["last_total", "last_run_at"])
    return s


def delete_saved(*, user, pk: int) -> None:
    """Delete one of the user's saved searches."""
    from ipplatform.core.scopes import get_in_scope

    from .models import SavedSearch

    get_in_scope(SavedSearch.objects.all(), user, pk=pk).delete()


# ---------------------------------------------------------------- export


def export_rows(*, ids: list[str], chunk: int = 1000) -> Iterator[list]:
    """Rows of the export table for the given ids, read from the database in chunks (constant memory)."""
    from ipplatform.patents.models import Patent

    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        rows = Patent.objects.in_bulk(part)
        for pid in part:
            p = rows.get(pid)
            if p is None:
                continue
            yield [
                p.application_number,  # blank where the record has none: its 公开号 is in its own column
                p.title,
                p.get_patent_type_display(),
                p.application_date,
                p.publication_number,
                p.publication_date,
                p.grant_date,
                p.ipc_main,
                "；".join(p.ipc_all or []),
                p.applicants_text,
                "；".join(p.inventors or []),
                p.address,
                p.region_code,
                p.agency,
                p.get_legal_status_display(),
                p.abstract,
                "模拟数据" if p.is_synthetic else "",
            ]


def _has_synthetic(ids: list[str]) -> bool:
    from ipplatform.patents.models import Patent

    return any(
        Patent.objects.filter(pk__in=ids[i : i + 1000], is_synthetic=True).exists() for i in range(0, len(ids), 1000)
    )


def export_notes(*, query: str, city_code: str | None, total: int, synthetic: bool) -> list[str]:
    notes = [
        f"检索式：{query}" + (f"（限定地市 {city_code}）" if city_code else ""),
        f"命中 {total} 件，全部导出；导出时间 {timezone.localtime():%Y-%m-%d %H:%M}",
    ]
    if synthetic:
        notes.append("注意：结果中含模拟数据（合成专利记录，仅供测试与演示），见“模拟数据”列")
    return notes


def prepare_export(
    *, query: str, city_code: str | None = None, user=None, selected: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """All matching ids (only the ticked ones among them when `selected` is given) and the notes printed above the
    table; records an audit event. A ticked id that the query does not match is never exported."""
    from ipplatform.core.audit import record
    from ipplatform.core.enums import AuditAction

    ids = matching_ids(query=query, city_code=city_code, user=user)
    if selected is not None:
        ticked = set(selected)
        ids = [i for i in ids if i in ticked]
    notes = export_notes(query=query, city_code=city_code, total=len(ids), synthetic=_has_synthetic(ids))
    record(
        AuditAction.EXPORT,
        object_type="search.result",
        object_repr=query[:300],
        reason=f"导出专利检索结果 {len(ids)} 件",
    )
    return ids, notes


def csv_stream(*, ids: list[str], notes: list[str]) -> Iterator[str]:
    """CSV text in pieces (UTF-8 with BOM so that Excel reads Chinese), every hit included."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    buf.write("\ufeff")
    for note in notes:
        writer.writerow([note])
    writer.writerow(EXPORT_HEADERS)
    for n, row in enumerate(export_rows(ids=ids), 1):
        writer.writerow(["" if v is None else v for v in row])
        if n % 500 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def write_xlsx(*, path, ids: list[str], notes: list[str]) -> int:
    """Write every hit to an XLSX file (write-only workbook: constant memory)."""
    from ipplatform.lib.xlsx import Sheet, write_workbook

    return write_workbook(path, [Sheet("检索结果", EXPORT_HEADERS, export_rows(ids=ids), notes=notes)])


# ---------------------------------------------------------------- patent page


def _similar_cached(kind: str, patent, compute, *, version: str = "") -> list[dict]:
    """A record's similar-patent list from core.cache namespace "similar", which every patents_changed invalidates
    (any record's change can change another's neighbours); `version` names the vector index state for the list
    by meaning (embeddings are added without a record change). A failure is not cached."""
    from ipplatform.core.cache import cached

    return cached("similar", {"kind": kind, "pk": patent.pk, "version": version}, compute)


def patent_detail(*, pk: str) -> dict:
    """Everything the patent page shows: the record, IPC titles, applicants, legal events, similar patents."""
    from django.http import Http404

    from ipplatform.core import regions
    from ipplatform.core.models import IPCEntry
    from ipplatform.patents.models import Patent

    p = (
        Patent.objects.filter(pk=pk).first()
        or Patent.objects.filter(application_number=pk).first()
        or Patent.objects.filter(publication_number=pk.upper()).first()
    )
    if p is None:
        raise Http404(f"专利“{pk}”不存在")
    codes = [c for c in dict.fromkeys([p.ipc_main, *(p.ipc_all or [])]) if c]
    titles = dict(IPCEntry.objects.filter(code__in=codes).values_list("code", "title_zh"))
    ipcs = []
    for c in codes:
        t = titles.get(c)
        if not t:
            entry = IPCEntry.objects.filter(code=c.split("/")[0]).first() or IPCEntry.objects.filter(code=c[:4]).first()
            t = entry.title if entry else ""
        ipcs.append({"code": c, "title": t, "main": c == p.ipc_main})
    links = list(p.applicant_links.select_related("applicant").order_by("order"))
    applicants = [
        {
            "name": link.applicant.name,
            "id": link.applicant_id,
            "count": link.applicant.patent_count,
            "entity_type": link.applicant.get_entity_type_display(),
            "address": link.applicant.address,
        }
        for link in links
    ]
    if not applicants:
        applicants = [
            {"name": n, "id": None, "count": None, "entity_type": "", "address": ""}
            for n in re.split(r"[;；]", p.applicants_text or "")
            if n.strip()
        ]
    try:
        similar = _similar_cached("text", p, lambda: similar_patents(patent=p, limit=8))
    except Exception:
        log.exception("more-like-this failed for %s", p.pk)
        similar = []
    try:
        from .semantic import similar_by_meaning, vectors_version

        similar_meaning = _similar_cached(
            "meaning", p, lambda: similar_by_meaning(patent=p, limit=8), version=vectors_version()
        )
    except Exception:
        log.exception("similar by meaning failed for %s", p.pk)
        similar_meaning = []
    return {
        "patent": p,
        "ipcs": ipcs,
        "applicants": applicants,
        "events": list(p.legal_events.all().order_by("date", "pk")),
        "publications": list(p.publications.all()),
        "region": regions.display_name(p.region_code),
        "city": regions.display_name(p.city_code),
        "similar": similar,
        "similar_meaning": similar_meaning,
    }


def patent_api_data(*, pk: str) -> dict:
    """The patent record as JSON-ready data."""
    d = patent_detail(pk=pk)
    p = d["patent"]
    return {
        "id": p.pk,
        "application_number": p.application_number,
        "publication_number": p.publication_number,
        "patent_type": p.patent_type,
        "patent_type_label": p.get_patent_type_display(),
        "title": p.title,
        "abstract": p.abstract,
        "first_claim": p.first_claim,
        "claims_count": p.claims_count,
        "ipc_main": p.ipc_main,
        "ipc": d["ipcs"],
        "applicants": [a["name"] for a in d["applicants"]],
        "inventors": p.inventors,
        "address": p.address,
        "postcode": p.postcode,
        "agency": p.agency,
        "agents": p.agents,
        "application_date": p.application_date,
        "publication_date": p.publication_date,
        "grant_date": p.grant_date,
        "priority": p.priority,
        "region_code": p.region_code,
        "city_code": p.city_code,
        "legal_status": p.legal_status,
        "legal_status_label": p.get_legal_status_display(),
        "is_synthetic": p.is_synthetic,
        "legal_events": [
            {"date": e.date, "code": e.code, "label": e.get_code_display(), "description": e.description}
            for e in d["events"]
        ],
        "publications": [{"number": x.number, "kind": x.kind, "date": x.date} for x in d["publications"]],
        "similar": [{"id": h["id"], "title": h["title"], "score": h["score"]} for h in d["similar"]],
        "similar_by_meaning": [
            {"id": h["id"], "title": h["title"], "similarity": h["score"]} for h in d["similar_meaning"]
        ],
    }


def sort_choices() -> list[tuple[str, str]]:
    return list(SORT_LABELS.items())
