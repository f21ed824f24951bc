"""Tantivy backend: exact substring search for Chinese with a unigram field and a bigram phrase field per text.

Layout under `root` (settings.DATA_DIR / "search"):
    current -> gen-<stamp>         symlink, replaced atomically by a rebuild (os.replace)
    gen-<stamp>/                   one tantivy index with a SCHEMA file naming its schema version
    .writer.lock, .rebuild.lock    fcntl locks: one writer and one rebuild at a time across processes

Text is indexed twice: `<f>_u` has one token per character (single-character terms; also stores the folded
text for verification), `<f>_b` has the overlapping character bigrams as consecutive tokens, so a term of n ≥ 3
characters is the phrase of its bigrams at fixed offsets, which matches exactly the substrings.

The long texts (abstract, first claim) are most of what is indexed, so their `<f>_u` only stores the text: their
bigrams end with the sentinel END, every character of the text starts one, and a single character is found as
the bigrams that start with it (a prefix of the bigram terms)."""

from __future__ import annotations

import fcntl
import itertools
import logging
import math
import operator
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import tantivy

from .. import oracle
from ..documents import TEXT_KEYS
from ..query import (
    And,
    DateRange,
    HistoryRef,
    Keyword,
    MatchAll,
    Node,
    Not,
    Or,
    Prox,
    Text,
    is_truncated,
    literal_pieces,
    pattern_regex,
)
from .base import FACETS, SORTS, EngineResult, IndexUnavailable, SearchBackend

log = logging.getLogger(__name__)
SCHEMA_VERSION = "5"
LONG_TEXT = ("ab", "cl")  # indexed by bigrams only (see above)
END = "\uffff"  # closes the bigrams of a long text: a Unicode noncharacter, which text in interchange does not contain
_REGEX_META = set("\\.+*?()|[]{}^$#&-~")
# The bigram field is whitespace-tokenised: spaces and line breaks inside the text become visible placeholders
# (see visible()).
BOOSTS = {"ti": 3.0, "cl": 2.0, "ab": 1.0, "pa": 1.5, "in": 1.0, "ag": 1.0, "ar": 1.0}
RAW_MULTI = ("an", "pn", "ic", "ics", "mc", "mcs", "rc")
FAST_RAW = ("pt", "ls", "et", "city", "sec", "cls", "sub", "app")
DATE_FIELDS = ("ad", "pd", "gd", "year", "added")
MAX_VERIFY = 2_000_000


def is_engine_error(exc: BaseException) -> bool:
    """Tantivy reports damaged files as ValueError/OSError or as a Rust panic (a BaseException subclass)."""
    return not isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit))


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, fast=True, tokenizer_name="raw")
    for f in TEXT_KEYS:
        if f in LONG_TEXT:
            sb.add_text_field(f"{f}_u", stored=True, tokenizer_name="stored_only", index_option="basic")
        else:
            sb.add_text_field(f"{f}_u", stored=True, tokenizer_name="uni", index_option="freq")
        sb.add_text_field(f"{f}_b", stored=False, tokenizer_name="bi", index_option="position")
    for f in RAW_MULTI:
        sb.add_text_field(f, stored=False, tokenizer_name="raw", index_option="basic")
    for f in FAST_RAW:
        sb.add_text_field(f, stored=False, fast=True, tokenizer_name="raw", index_option="basic")
    for f in DATE_FIELDS:
        sb.add_integer_field(f, stored=False, indexed=True, fast=True)
    return sb.build()


def register(index: tantivy.Index) -> None:
    index.register_tokenizer("uni", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(1, 1, False)).build())
    index.register_tokenizer("bi", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
    # the whole text as one token, then dropped as too long: the field is stored, nothing is indexed
    index.register_tokenizer(
        "stored_only",
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw()).filter(tantivy.Filter.remove_long(1)).build(),
    )


def visible(text: str) -> str:
    if " " not in text and "\n" not in text and "\t" not in text:
        return text
    return text.replace(" ", "\u2423").replace("\t", "\u2423").replace("\n", "\u2424")


def bigrams(text: str) -> str:
    """Overlapping character bigrams as consecutive whitespace-separated tokens."""
    text = visible(text)
    if len(text) < 24:
        return " ".join(map(operator.add, text, text[1:]))
    # long texts: gather [c0 c1 ␠ c1 c2 ␠ …] from the UTF-32 code points with one index array per length, which is
    # a fraction of the time of joining strings
    points = np.frombuffer((text + " ").encode("utf-32-le"), dtype=np.uint32)
    return points[_bigram_layout(len(text))].tobytes().decode("utf-32-le")


@lru_cache(maxsize=4096)
def _bigram_layout(n: int) -> np.ndarray:
    """Indexes into n code points followed by a space (at n): 0 1 n 1 2 n … n-2 n-1."""
    idx = np.empty((n - 1, 3), dtype=np.intp)
    idx[:, 0], idx[:, 1], idx[:, 2] = np.arange(n - 1), np.arange(1, n), n
    return idx.ravel()[:-1]


def to_tantivy(doc: dict) -> tantivy.Document:
    d = tantivy.Document()
    d.add_text("id", doc["id"])
    for f in TEXT_KEYS:
        value = doc[f]
        if value:
            d.add_text(f"{f}_u", value)
            if f in LONG_TEXT:
                d.add_text(f"{f}_b", bigrams(value + END))
            elif len(value) > 1:
                d.add_text(f"{f}_b", bigrams(value))
    for f in RAW_MULTI:
        for v in doc[f]:
            d.add_text(f, v)
    for f in ("pt", "ls", "et", "city"):
        if doc[f]:
            d.add_text(f, doc[f])
    for f in ("sec", "cls", "sub", "app"):
        for v in doc[f]:
            d.add_text(f, v)
    for f in DATE_FIELDS:
        d.add_integer(f, int(doc[f] or 0))
    return d


@contextmanager
def file_lock(path: Path, *, blocking: bool = True):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        flags = fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB)
        try:
            fcntl.flock(fh, flags)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


class _Compiler:
    """Turns a resolved AST into a tantivy query; truncation and proximity are verified on the stored text."""

    def __init__(self, backend: TantivyBackend, searcher: tantivy.Searcher):
        self.b, self.se, self.schema = backend, searcher, backend.schema

    def substring(self, f: str, p: str) -> tantivy.Query:
        if len(p) == 1 and f in LONG_TEXT:  # the bigrams starting with the character
            c = visible(p)
            return tantivy.Query.regex_query(self.schema, f"{f}_b", ("\\" + c if c in _REGEX_META else c) + ".")
        if len(p) == 1:
            return tantivy.Query.term_query(self.schema, f"{f}_u", p)
        p = visible(p)
        if len(p) == 2:
            return tantivy.Query.term_query(self.schema, f"{f}_b", p)
        offsets = list(range(0, len(p) - 1, 2))
        if offsets[-1] != len(p) - 2:
            offsets.append(len(p) - 2)
        return tantivy.Query.phrase_query(self.schema, f"{f}_b", [(i, p[i : i + 2]) for i in offsets])

    def fields_query(self, fields, make) -> tantivy.Query:
        parts = [tantivy.Query.boost_query(make(f), BOOSTS.get(f, 1.0)) for f in fields]
        if len(parts) == 1:
            return parts[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in parts])

    def all_of(self, f: str, pieces: list[str]) -> tantivy.Query:
        qs = [self.substring(f, p) for p in pieces]
        return qs[0] if len(qs) == 1 else tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in qs])

    def verified(self, fields, pieces: list[str], check: Callable[[dict], bool]) -> tantivy.Query:
        """Exact ids of candidates (all pieces present) whose stored text passes `check`."""
        cand = self.fields_query(fields, lambda f: self.all_of(f, pieces))
        n = self.se.search(cand, limit=1, count=True).count
        if n == 0:
            return tantivy.Query.empty_query()
        res = self.se.search(cand, limit=min(n, MAX_VERIFY), count=False)
        ids = []
        for _, addr in res.hits:
            stored = self.se.doc(addr).to_dict()
            values = {f: (stored.get(f"{f}_u") or [""])[0] for f in fields}
            if check(values):
                ids.append(stored["id"][0])
        if not ids:
            return tantivy.Query.empty_query()
        exact = tantivy.Query.term_set_query(self.schema, "id", ids)
        # keep relevance: score by the candidate query, restricted to the verified ids
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, cand), (tantivy.Occur.Must, tantivy.Query.const_score_query(exact, 0.0))]
        )

    def compile(self, node: Node) -> tantivy.Query:
        Q, O = tantivy.Query, tantivy.Occur
        if isinstance(node, And):
            clauses = []
            for c in node.children:
                if isinstance(c, Not):
                    clauses.append((O.MustNot, self.compile(c.child)))
                else:
                    clauses.append((O.Must, self.compile(c)))
            if all(o == O.MustNot for o, _ in clauses):
                clauses.insert(0, (O.Must, Q.all_query()))
            return Q.boolean_query(clauses)
        if isinstance(node, Or):
            return Q.boolean_query([(O.Should, self.compile(c)) for c in node.children])
        if isinstance(node, Not):
            return Q.boolean_query([(O.Must, Q.all_query()), (O.MustNot, self.compile(node.child))])
        if isinstance(node, Text):
            if not is_truncated(node.pattern):
                p = node.pattern.replace("\x00", "")
                return self.fields_query(node.fields, lambda f: self.substring(f, p))
            pieces = literal_pieces(node.pattern)
            return self.verified(
                node.fields, pieces, lambda v: any(oracle.text_matches(v[f], node.pattern) for f in node.fields)
            )
        if isinstance(node, Prox):
            return self.verified(
                node.fields,
                [node.left, node.right],
                lambda v: any(
                    oracle.near(v[f], node.left, node.right, node.distance, node.ordered) for f in node.fields
                ),
            )
        if isinstance(node, DateRange):
            lo = node.low if node.low is not None else 1  # 0 means "no date" and never matches
            hi = node.high if node.high is not None else 2**62
            if lo > hi:
                return Q.empty_query()
            return Q.range_query(self.schema, node.field, tantivy.FieldType.Integer, lo, hi)
        if isinstance(node, Keyword):
            if is_truncated(node.value):
                field = oracle.TRUNCATION_LISTS.get(node.field, node.field)
                return Q.regex_query(self.schema, field, pattern_regex(node.value, any_char="."))
            return Q.term_query(self.schema, node.field, node.value)
        if isinstance(node, MatchAll):
            return Q.all_query()
        if isinstance(node, HistoryRef):
            raise ValueError("history references must be resolved before searching")
        raise TypeError(node)


@dataclass
class _Held:
    thread: int
    writer: object
    commit_every: int
    pending: int = 0  # documents added or deleted since the last commit
    added: set[str] = field(default_factory=set)  # ids added since the last commit


class TantivyBackend(SearchBackend):
    name = "tantivy"
    _cache: dict[str, tuple[str, tantivy.Index]] = {}
    _cache_lock = threading.Lock()
    _held: dict[str, _Held] = {}  # index root -> the writer held by one thread inside held_writer()

    def __init__(self, root: Path):
        self.root = Path(root)
        self.schema = build_schema()

    # ------------------------------------------------------------ opening
    @property
    def current(self) -> Path:
        return self.root / "current"

    def _target(self) -> str | None:
        try:
            return os.readlink(self.current)
        except OSError:
            return None

    def _open_path(self, path: Path) -> tantivy.Index:
        if (path / "SCHEMA").read_text().strip() != SCHEMA_VERSION:
            raise IndexUnavailable(f"schema version differs in {path}")
        index = tantivy.Index.open(str(path))
        register(index)
        return index

    def index(self) -> tantivy.Index:
        """The current index of this process, reopened when a rebuild swapped it."""
        target = self._target()
        if target is None:
            raise IndexUnavailable("no index")
        key = str(self.root)
        cached = self._cache.get(key)
        if cached and cached[0] == target:
            return cached[1]
        with self._cache_lock:
            try:
                index = self._open_path(self.root / target)
            except IndexUnavailable:
                raise
            except BaseException as exc:  # tantivy raises ValueError/OSError or panics for damaged files
                if not is_engine_error(exc):
                    raise
                raise IndexUnavailable(str(exc)) from exc
            self._cache[key] = (target, index)
            return index

    def searcher(self) -> tantivy.Searcher:
        index = self.index()
        try:
            index.reload()
            return index.searcher()
        except BaseException as exc:
            if not is_engine_error(exc):
                raise
            self._cache.pop(str(self.root), None)
            raise IndexUnavailable(str(exc)) from exc

    def healthy(self) -> bool:
        try:
            self._cache.pop(str(self.root), None)
            se = self.searcher()
            res = se.search(tantivy.Query.all_query(), limit=1, count=True)
            for _, addr in res.hits:
                se.doc(addr)
            se.search(tantivy.Query.all_query(), limit=1, order_by_field="ad")
            return True
        except BaseException as exc:
            if not is_engine_error(exc):
                raise
            return False

    # ------------------------------------------------------------ searching
    def search(self, node, *, sort="relevance", offset=0, limit=20, facets=True, facet_size=10) -> EngineResult:
        se = self.searcher()
        query = _Compiler(self, se).compile(node)
        field, order = SORTS.get(sort, ("", None))
        limit = max(1, limit)
        if field:
            res = se.search(
                query,
                limit=limit,
                count=True,
                offset=offset,
                order_by_field=field,
                order=tantivy.Order.Desc if order == "desc" else tantivy.Order.Asc,
            )
        else:
            res = se.search(query, limit=limit, count=True, offset=offset)
        hits = [(se.doc(addr)["id"][0], key) for key, addr in res.hits]
        result = EngineResult(total=res.count, hits=hits)
        if facets and res.count:
            result.facets = self._facets(se, query, facet_size)
        return result

    def _facets(self, se, query, size) -> dict:
        aggs = {
            name: {"terms": {"field": name, "size": (60 if name == "year" else 20 if name in ("city",) else size)}}
            for name in FACETS
        }
        raw = se.aggregate(query, aggs)
        out = {}
        for name in FACETS:
            buckets = raw.get(name, {}).get("buckets", [])
            items = [(str(b["key"]), b["doc_count"]) for b in buckets if b["key"] not in ("", 0)]
            if name == "year":
                items.sort(key=lambda kv: kv[0], reverse=True)
            out[name] = items
        return out

    def ids(self, node, *, sort="ad_desc") -> list[str]:
        se = self.searcher()
        query = _Compiler(self, se).compile(node)
        n = se.search(query, limit=1, count=True).count
        if not n:
            return []
        field, order = SORTS.get(sort, ("ad", "desc"))
        if field:
            res = se.search(
                query,
                limit=n,
                count=False,
                order_by_field=field,
                order=tantivy.Order.Desc if order == "desc" else tantivy.Order.Asc,
            )
        else:
            res = se.search(query, limit=n, count=False)
        return [se.doc(addr)["id"][0] for _, addr in res.hits]

    def similar(self, *, text, ipc_prefixes, limit, exclude) -> list[tuple[str, float]]:
        from ..query import normalize_term

        se = self.searcher()
        folded = normalize_term(text)
        grams = Counter(folded[i : i + 2] for i in range(len(folded) - 1))
        grams = {g: c for g, c in grams.items() if all(ch.isalnum() for ch in g)}
        if not grams and not ipc_prefixes:
            return []
        n_docs = max(se.num_docs, 1)
        weighted = []
        for g, tf in grams.items():
            df = max(se.doc_freq("ti_b", g), se.doc_freq("ab_b", g))
            if df == 0 or (n_docs >= 50 and df > n_docs * 0.2):  # too common to be significant
                continue
            weighted.append((tf * math.log(1 + n_docs / df), g))
        weighted.sort(reverse=True)
        Q, O = tantivy.Query, tantivy.Occur
        should = []
        for w, g in weighted[:32]:
            for f in ("ti", "ab", "cl"):
                should.append((O.Should, Q.boost_query(Q.term_query(self.schema, f"{f}_b", g), BOOSTS[f] * w)))
        for p in ipc_prefixes[:8]:
            should.append((O.Should, Q.boost_query(Q.term_query(self.schema, "ic", p), 4.0)))
        if not should:
            return []
        clauses = [(O.Must, Q.boolean_query(should))]
        if exclude:
            clauses.append((O.MustNot, Q.term_set_query(self.schema, "id", list(exclude))))
        res = se.search(Q.boolean_query(clauses), limit=limit, count=False)
        if not res.hits:
            return []
        floor = res.hits[0][0] * 0.15  # one shared common word does not make a patent similar
        return [(se.doc(addr)["id"][0], float(score)) for score, addr in res.hits if score >= floor]

    # ------------------------------------------------------------ writing
    def update(self, *, docs: Iterable[dict], deleted: Iterable[str] = (), heap_size: int = 64_000_000) -> int:
        """Replace the given documents and delete `deleted` ids with one writer and one commit.

        `docs` may be a stream; an item {"id": …, "deleted": True} is a deletion found while streaming. Inside
        `held_writer()` (same thread) the held writer is used: its commits wait for merges of neither this call nor
        earlier ones, and are gathered until `commit_every` documents are pending (see flush_held())."""
        held = self._held.get(str(self.root))
        if held is not None and held.thread == threading.get_ident():
            written = self._write(held.writer, docs, list(deleted), added=held.added)
            held.pending += written + len(deleted)
            if held.pending >= held.commit_every:
                self.flush_held()
            return written
        with file_lock(self.root / ".writer.lock"):
            writer = self.index().writer(heap_size=heap_size, num_threads=1)
            try:
                written = self._write(writer, docs, list(deleted), added=set())
                writer.commit()
                writer.wait_merging_threads()
            finally:
                del writer
        return written

    @contextmanager
    def held_writer(self, *, heap_size: int = 64_000_000, commit_every: int = 1):
        """Keep one writer (and the writer lock) for a series of updates from this thread, as the import helper does.

        Segment merges then run beside the indexing instead of stopping it after every commit; they are all
        finished before the writer is released. With `commit_every` > 1 the updates are committed once that many
        documents are pending (fewer, larger segments: less merging), by flush_held(), and always at the end; a
        helper killed before then loses only uncommitted work that its importer's journal still lists."""
        with file_lock(self.root / ".writer.lock"):
            writer = self.index().writer(heap_size=heap_size, num_threads=1)
            self._held[str(self.root)] = _Held(threading.get_ident(), writer, commit_every)
            try:
                yield
                self.flush_held()
            finally:
                self._held.pop(str(self.root), None)
                writer.wait_merging_threads()
                del writer

    def flush_held(self) -> None:
        """Commit what the held writer of this thread has pending."""
        held = self._held.get(str(self.root))
        if held is None or held.thread != threading.get_ident() or not held.pending:
            return
        held.writer.commit()
        held.pending = 0
        held.added.clear()

    def _write(self, writer, docs: Iterable[dict], deleted: list[str], *, added: set[str]) -> int:
        """Add `docs` and delete `deleted` through `writer` without committing; `added` holds the ids this writer
        added since its last commit (a delete applies to earlier adds of the same writer too)."""
        index = self.index()
        index.reload()
        searcher = index.searcher()  # what is committed; this process holds the writer, so nothing commits meanwhile
        written = 0
        for pid in deleted:
            writer.delete_documents_by_term("id", pid)
            added.discard(pid)
        docs = iter(docs)
        while chunk := list(itertools.islice(docs, 1000)):
            # a delete costs a term lookup in every segment at commit: skip it for ids the index does not hold yet
            # (a new import), and for ids added earlier by this writer delete, as a delete applies to earlier adds
            ids = [d["id"] for d in chunk]
            indexed = (
                searcher.search(tantivy.Query.term_set_query(self.schema, "id", ids), limit=1, count=True).count > 0
            )
            for d in chunk:
                if indexed or d.get("deleted") or d["id"] in added:
                    writer.delete_documents_by_term("id", d["id"])
                if d.get("deleted"):
                    added.discard(d["id"])
                    continue
                writer.add_document(to_tantivy(d))
                added.add(d["id"])
                written += 1
        return written

    def rebuild(
        self,
        *,
        docs,
        total=None,
        progress=None,
        on_swapped: Callable[[], None] | None = None,
        heap_size: int = 256_000_000,
        threads: int | None = None,
    ) -> dict:
        self.root.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with file_lock(self.root / ".rebuild.lock"):
            gen = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{int(time.time() * 1000) % 100000}"
            path = self.root / gen
            path.mkdir()
            index = tantivy.Index(self.schema, path=str(path))
            register(index)
            writer = index.writer(heap_size=heap_size, num_threads=threads or min(2, os.cpu_count() or 1))
            count = 0
            for d in docs():
                writer.add_document(to_tantivy(d))
                count += 1
                if progress and count % 1000 == 0:
                    progress(count, total)
            writer.commit()
            writer.wait_merging_threads()
            del writer
            (path / "SCHEMA").write_text(SCHEMA_VERSION)
            previous = self._target()
            tmp = self.root / f".current-{os.getpid()}"
            if tmp.is_symlink() or tmp.exists():
                tmp.unlink()
            os.symlink(gen, tmp)
            os.replace(tmp, self.current)  # atomic: readers see the old or the new index, never none
            if on_swapped:
                on_swapped()
            for old in self.root.glob("gen-*"):
                if old.name not in (gen, previous):
                    shutil.rmtree(old, ignore_errors=True)
        if progress:
            progress(count, total or count)
        return {
            "count": count,
            "seconds": round(time.monotonic() - started, 2),
            "path": str(path),
            "bytes": dir_size(path),
        }

    def rebuilding(self) -> bool:
        with file_lock(self.root / ".rebuild.lock", blocking=False) as got:
            return not got

    def wait_for_rebuild(self) -> None:
        with file_lock(self.root / ".rebuild.lock"):
            pass

    def stats(self) -> dict:
        target = self._target()
        info = {"backend": self.name, "root": str(self.root), "generation": target, "documents": 0, "bytes": 0}
        if target:
            try:
                info["documents"] = self.searcher().num_docs
                info["bytes"] = dir_size(self.root / target)
            except Exception as exc:
                info["error"] = str(exc)
        return info
