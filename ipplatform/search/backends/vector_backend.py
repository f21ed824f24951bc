"""Vector index for semantic search: exact cosine over an in-memory matrix, plus a usearch HNSW graph for large corpora.

Layout under `root` (settings.DATA_DIR / "semantic"), the same scheme as the text index:
    current -> gen-<stamp>     symlink, replaced atomically by a rebuild (os.replace)
    gen-<stamp>/META.json      schema, model, dimensions, count (written last: a generation without it is incomplete)
    gen-<stamp>/vectors.npy    int8 (n, 384), row k belongs to ids.json[k]
    gen-<stamp>/hnsw.usearch   usearch graph over the same rows (keys = row numbers), only above HNSW_MIN rows
    gen-<stamp>/delta.jsonl    changes since the build, appended one JSON line each ({"a": id, "v": hex} or {"d": id})
    journal.jsonl              changes that arrive during a rebuild, replayed onto the new generation after the swap
    .writer.lock, .rebuild.lock  fcntl locks across processes

A kill during a build leaves an unfinished gen-* directory that `current` never pointed to; the next build removes
it. A kill while appending leaves at most one torn last line, which readers skip. Readers in any process reload
when the symlink changes and read only the new tail of delta.jsonl otherwise."""

from __future__ import annotations

import ctypes
import glob
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import numpy as np

from ..embeddings import DIM, unit
from .base import IndexUnavailable
from .tantivy_backend import dir_size, file_lock

log = logging.getLogger(__name__)
SCHEMA_VERSION = 1
HNSW_MIN = 50_000  # below this many rows an exact scan (one matrix-vector product) is fast enough
EXACT_SHARE = 0.25  # a filter keeping at most this share of rows is answered by the exact scan
# An exact scan over at most this share of the rows multiplies only those rows (gathered) instead of the whole matrix:
# at 100,000 rows the full product costs 12-16 ms of CPU, 10,000 gathered rows 5 ms, 1,000 rows 0.2 ms
# (bench/semantic_bench.py); above this share gathering copies more than the full product reads.
GATHER_SHARE = 0.15
COMPACT_AFTER = 20_000  # delta lines after which stats() recommends a rebuild


def _blas_local_threads():
    """OpenBLAS's per-thread thread-count setter of the numpy in use (OpenBLAS >= 0.3.27), or None."""
    for name in sorted(glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*.so*"))):
        try:
            fn = ctypes.CDLL(name).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.argtypes, fn.restype = [ctypes.c_int], ctypes.c_int
        return fn
    return None


_SET_BLAS_THREADS = _blas_local_threads()


@contextmanager
def one_blas_thread():
    """Run the matrix-vector products of a search on the calling thread only (this thread's setting, restored after).

    OpenBLAS splits a product over a thread per core; on a shared, loaded machine its helper threads wait for a
    core and spin: 20,000 rows took 8 ms of CPU (p99 70 ms wall) with two threads, 1.9 ms (p99 15 ms) with one."""
    if _SET_BLAS_THREADS is None:
        yield
        return
    _SET_BLAS_THREADS(1)
    try:
        yield
    finally:
        _SET_BLAS_THREADS(0)  # 0: this thread follows the process-wide setting again


@dataclass
class _State:
    target: str
    ids: list[str]
    pos: dict[str, int]
    matrix: np.ndarray  # float32 unit rows
    live: np.ndarray  # bool per row
    hnsw: object | None
    meta: dict
    delta_offset: int = 0
    delta_lines: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def count(self) -> int:
        return int(self.live.sum())


class VectorBackend:
    name = "usearch"
    _cache: dict[str, _State] = {}
    _cache_lock = threading.Lock()

    def __init__(self, root: Path):
        self.root = Path(root)

    # ------------------------------------------------------------ opening
    @property
    def current(self) -> Path:
        return self.root / "current"

    def _target(self) -> str | None:
        try:
            return os.readlink(self.current)
        except OSError:
            return None

    def _load(self, target: str) -> _State:
        path = self.root / target
        try:
            meta = json.loads((path / "META.json").read_text())
            if meta.get("schema") != SCHEMA_VERSION:
                raise IndexUnavailable(f"schema version differs in {path}")
            ids = json.loads((path / "ids.json").read_text())
            raw = np.load(path / "vectors.npy", allow_pickle=False)
            if raw.shape != (len(ids), DIM) or raw.dtype != np.int8:
                raise IndexUnavailable(f"vectors.npy does not match ids.json in {path}")
            hnsw = None
            if (path / "hnsw.usearch").exists():
                from usearch.index import Index

                hnsw = Index.restore(str(path / "hnsw.usearch"), view=False)
                if hnsw is None or len(hnsw) != len(ids):
                    raise IndexUnavailable(f"hnsw.usearch does not match ids.json in {path}")
        except IndexUnavailable:
            raise
        except Exception as exc:  # missing or damaged files
            raise IndexUnavailable(f"{path}: {exc}") from exc
        state = _State(
            target=target,
            ids=list(ids),
            pos={pid: k for k, pid in enumerate(ids)},
            matrix=unit(raw),
            live=np.ones(len(ids), dtype=bool),
            hnsw=hnsw,
            meta=meta,
        )
        self._catch_up(state)
        return state

    def _catch_up(self, state: _State) -> None:
        """Apply the lines appended to delta.jsonl since this process last read it."""
        path = self.root / state.target / "delta.jsonl"
        try:
            size = path.stat().st_size
        except OSError:
            return
        if size <= state.delta_offset:
            return
        with open(path, "rb") as fh:
            fh.seek(state.delta_offset)
            data = fh.read(size - state.delta_offset)
        end = data.rfind(b"\n") + 1  # a torn last line (a writer killed mid-write, or still writing) waits
        adds: dict[str, np.ndarray] = {}
        for line in data[:end].splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                log.warning("vector index: skipping a damaged line in %s", path)
                continue
            state.delta_lines += 1
            if "d" in entry:
                adds.pop(entry["d"], None)
                self._drop(state, entry["d"])
            elif "a" in entry:
                vec = np.frombuffer(bytes.fromhex(entry["v"]), dtype=np.int8)
                if vec.shape == (DIM,):
                    self._drop(state, entry["a"])
                    adds[entry["a"]] = vec
        if adds:
            start = len(state.ids)
            new = unit(np.stack(list(adds.values())))
            state.ids.extend(adds)
            state.pos.update({pid: start + k for k, pid in enumerate(adds)})
            state.matrix = np.vstack([state.matrix, new]) if len(state.matrix) else new
            state.live = np.concatenate([state.live, np.ones(len(adds), dtype=bool)])
            if state.hnsw is not None:
                state.hnsw.add(np.arange(start, start + len(adds), dtype=np.uint64), np.stack(list(adds.values())))
        state.delta_offset += end

    @staticmethod
    def _drop(state: _State, pid: str) -> None:
        k = state.pos.pop(pid, None)
        if k is not None:
            state.live[k] = False

    def state(self) -> _State:
        """This process's view of the current generation, reloaded after a swap and caught up with the delta."""
        target = self._target()
        if target is None:
            raise IndexUnavailable("no vector index")
        key = str(self.root)
        cached = self._cache.get(key)
        if cached is not None and cached.target == target:
            with cached.lock:
                self._catch_up(cached)
            return cached
        with self._cache_lock:
            cached = self._cache.get(key)
            if cached is None or cached.target != target:
                cached = self._load(target)
                self._cache[key] = cached
        return cached

    def healthy(self) -> bool:
        try:
            self._cache.pop(str(self.root), None)
            self.state()
            return True
        except IndexUnavailable:
            return False

    def has(self, pid: str) -> bool:
        try:
            return pid in self.state().pos
        except IndexUnavailable:
            return False

    def known(self) -> set[str]:
        """Ids that have a vector in the index."""
        try:
            return set(self.state().pos)
        except IndexUnavailable:
            return set()

    # ------------------------------------------------------------ searching
    def search(
        self, query: np.ndarray, *, limit: int = 20, allowed: Iterable[str] | None = None, exclude: Iterable[str] = ()
    ) -> list[tuple[str, float]]:
        """(id, cosine) best first among the allowed ids (all when None), the excluded ids left out."""
        st = self.state()
        q = unit(query)[0]
        n = len(st.ids)
        if n == 0 or limit <= 0:
            return []
        exclude = set(exclude)
        allowed_set = None
        if allowed is not None:
            allowed_set = allowed if isinstance(allowed, (set, frozenset)) else set(allowed)
            if not allowed_set:
                return []
        with one_blas_thread():
            # a broad filter with a graph: walk the graph and test its hits against the id set (a few hundred
            # lookups) instead of turning up to n ids into row numbers first (29-48 ms of CPU for 50,000 ids)
            if st.hnsw is not None and (allowed_set is None or len(allowed_set) > EXACT_SHARE * n):
                found = self._approximate(st, q, limit=limit, allowed=allowed_set, exclude=exclude)
                if found is not None:
                    return found
            rows = None if allowed_set is None else self.rows_of(st, allowed_set, exclude)
            if rows is not None and len(rows) == 0:
                return []
            return self._exact(st, q, limit=limit, rows=rows, exclude=exclude)

    @staticmethod
    def rows_of(st: _State, allowed: Iterable[str], exclude: set[str] = frozenset()) -> np.ndarray:
        """Row numbers of the allowed ids that are indexed and not excluded (lookups in C, no Python loop)."""
        allowed = allowed if isinstance(allowed, (set, frozenset)) else set(allowed)
        if exclude:
            allowed = allowed - exclude
        rows = np.fromiter(map(st.pos.get, allowed, repeat(-1)), dtype=np.int64, count=len(allowed))
        return rows[rows >= 0]

    def _exact(
        self, st: _State, q: np.ndarray, *, limit: int, rows, exclude: set[str], gather_share: float = GATHER_SHARE
    ) -> list[tuple[str, float]]:
        if rows is not None and len(rows) <= gather_share * len(st.ids):
            sub = np.take(st.matrix, rows, axis=0) @ q  # a selective filter: only its rows
        else:
            scores = st.matrix @ q
            if rows is None:
                rows = np.flatnonzero(st.live)
                if exclude:
                    drop = [st.pos[i] for i in exclude if i in st.pos]
                    rows = np.setdiff1d(rows, drop, assume_unique=True)
            sub = scores[rows]
        k = min(limit, len(rows))
        top = np.argpartition(-sub, k - 1)[:k] if k < len(rows) else np.arange(len(rows))
        top = top[np.lexsort((rows[top], -sub[top]))]
        return [(st.ids[int(rows[t])], float(sub[t])) for t in top]

    def _approximate(self, st: _State, q: np.ndarray, *, limit: int, allowed: set[str] | None, exclude: set[str]):
        n = len(st.ids)
        candidates = st.count if allowed is None else min(len(allowed), st.count)
        want = int(min(n, max(limit * 4, limit * n / max(candidates, 1) * 3) + len(exclude) + (n - st.count)))
        with st.lock:
            res = st.hnsw.search(q, want)
        out = []
        for key in res.keys:
            k = int(key)
            if not st.live[k]:
                continue
            pid = st.ids[k]
            if (allowed is not None and pid not in allowed) or pid in exclude:
                continue
            out.append((pid, float(st.matrix[k] @ q)))  # the exact cosine on the stored vector
        if len(out) < min(limit, candidates - len(exclude)):
            return None  # the graph walk found too few allowed rows: scan exactly
        out.sort(key=lambda t: (-t[1], t[0]))
        return out[:limit]

    # ------------------------------------------------------------ writing
    def update(self, *, vectors: dict[str, np.ndarray], deleted: Iterable[str] = ()) -> int:
        """Add or replace int8 vectors and delete ids (appended to the delta; journaled during a rebuild)."""
        deleted = [d for d in dict.fromkeys(deleted) if d not in vectors]
        lines = [json.dumps({"d": d}) for d in deleted]
        lines += [
            json.dumps({"a": pid, "v": np.asarray(v, dtype=np.int8).tobytes().hex()}) for pid, v in vectors.items()
        ]
        if not lines:
            return 0
        data = ("\n".join(lines) + "\n").encode()
        with file_lock(self.root / ".writer.lock"):
            if self.rebuilding():
                with open(self.root / "journal.jsonl", "ab") as fh:
                    fh.write(data)
            target = self._target()
            if target is not None:
                with open(self.root / target / "delta.jsonl", "ab") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
        return len(vectors)

    def rebuild(
        self,
        *,
        rows: Callable[[], Iterable[tuple[str, bytes]]],
        meta: dict,
        progress=None,
        total: int | None = None,
        hnsw_min: int = HNSW_MIN,
        pause: Callable[[int], None] | None = None,
    ) -> dict:
        """Build a new generation from (id, int8 bytes) rows while the old one serves, then swap it in atomically."""
        self.root.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with file_lock(self.root / ".rebuild.lock"):
            journal = self.root / "journal.jsonl"
            journal.unlink(missing_ok=True)  # a journal left by a killed rebuild: those changes are in the database
            gen = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{int(time.time() * 1000) % 100000}"
            path = self.root / gen
            path.mkdir()
            ids, chunks, buf = [], [], []
            for pid, vec in rows():
                ids.append(pid)
                buf.append(np.frombuffer(vec, dtype=np.int8))
                if len(buf) == 10_000:
                    chunks.append(np.stack(buf))
                    buf = []
                if pause:
                    pause(len(ids))
                if progress and len(ids) % 5000 == 0:
                    progress(len(ids), total)
            if buf:
                chunks.append(np.stack(buf))
            matrix = np.vstack(chunks) if chunks else np.zeros((0, DIM), dtype=np.int8)
            np.save(path / "vectors.npy", matrix, allow_pickle=False)
            (path / "ids.json").write_text(json.dumps(ids))
            graph_seconds = None
            if len(ids) >= hnsw_min:
                from usearch.index import Index

                t = time.monotonic()
                graph = Index(ndim=DIM, metric="cos", dtype="i8", expansion_add=128, expansion_search=128)
                graph.add(np.arange(len(ids), dtype=np.uint64), matrix, threads=min(2, os.cpu_count() or 1))
                graph.save(str(path / "hnsw.usearch"))
                graph_seconds = round(time.monotonic() - t, 2)
            (path / "META.json").write_text(
                json.dumps(
                    {
                        **meta,
                        "schema": SCHEMA_VERSION,
                        "dim": DIM,
                        "count": len(ids),
                        "built_at": time.strftime("%Y-%m-%d %H:%M:%S"),
                    },
                    ensure_ascii=False,
                )
            )
            previous = self._target()
            with file_lock(self.root / ".writer.lock"):
                if journal.exists():  # changes made during the build start the new generation's delta
                    shutil.copyfile(journal, path / "delta.jsonl")
                tmp = self.root / f".current-{os.getpid()}"
                if tmp.is_symlink() or tmp.exists():
                    tmp.unlink()
                os.symlink(gen, tmp)
                os.replace(tmp, self.current)  # atomic: readers see the old or the new index, never none
                journal.unlink(missing_ok=True)
            for old in self.root.glob("gen-*"):
                if old.name not in (gen, previous):
                    shutil.rmtree(old, ignore_errors=True)
        if progress:
            progress(len(ids), total or len(ids))
        return {
            "count": len(ids),
            "seconds": round(time.monotonic() - started, 2),
            "graph_seconds": graph_seconds,
            "path": str(path),
            "bytes": dir_size(path),
        }

    def rebuilding(self) -> bool:
        with file_lock(self.root / ".rebuild.lock", blocking=False) as got:
            return not got

    def stats(self) -> dict:
        target = self._target()
        info = {
            "backend": self.name,
            "root": str(self.root),
            "generation": target,
            "vectors": 0,
            "bytes": 0,
            "meta": {},
        }
        if target:
            try:
                st = self.state()
                info.update(
                    vectors=st.count,
                    bytes=dir_size(self.root / target),
                    meta=st.meta,
                    delta_lines=st.delta_lines,
                    graph=st.hnsw is not None,
                    compact_recommended=st.delta_lines > COMPACT_AFTER,
                )
            except IndexUnavailable as exc:
                info["error"] = str(exc)
        return info
