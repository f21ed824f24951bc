"""Operations on the search engine's index: where it lives, applying changes, journals, rebuilds and repair.

The ground floor of the search app: `services` (the public face: searching, index updates after commit) and
`indexer` (the helper process of long imports) both build on it, and it imports neither of them. Models are
imported where they are queried: the helper process loads this module before django.setup()."""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
from pathlib import Path

from django.conf import settings

from . import documents
from .backends.base import IndexUnavailable
from .backends.tantivy_backend import TantivyBackend

log = logging.getLogger(__name__)
REBUILD_JOURNAL = "journal.jsonl"  # changes made while rebuild_index runs
READ_CHUNK = 1000  # ids read from the database at a time while documents are built


def get_backend() -> TantivyBackend:
    """The search backend for this installation (index under settings.DATA_DIR / 'search')."""
    return TantivyBackend(Path(settings.DATA_DIR) / "search")


def apply_changes(backend: TantivyBackend, ids: list[str], deleted: list[str]) -> int:
    """Index `ids` as stored now (gone ones are deleted) and delete `deleted`; returns the documents written.

    The single place where the text index takes changes; the vector index follows the same ones."""
    chunks = (ids[start : start + READ_CHUNK] for start in range(0, len(ids), READ_CHUNK))
    written = backend.update(docs=itertools.chain.from_iterable(map(documents.documents_of, chunks)), deleted=deleted)
    try:  # the vector index never fails the text index
        from .semantic import sync_ids

        sync_ids(ids=ids, deleted=list(deleted))
    except Exception:
        log.exception("vector index update failed for %d ids; run manage.py embed_patents", len(ids) + len(deleted))
    return written


# ---------------------------------------------------------------- journals (JSON lines of ids to index / delete)


def append_journal(path: Path, ids: list[str], deleted: list[str]) -> None:
    """Append one entry of ids to index / delete to a journal file, flushed to disk before returning."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"ids": ids, "deleted": deleted}) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def read_journal(path: Path) -> tuple[list[str], list[str]]:
    """The ids (to index, to delete) of a journal, in first-seen order, without repeats."""
    ids, deleted = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:  # a line cut short by a kill: its batch was not handed over yet
            continue
        ids += entry.get("ids", [])
        deleted += entry.get("deleted", [])
    return list(dict.fromkeys(ids)), list(dict.fromkeys(deleted))


def replay_journal(path: Path, backend: TantivyBackend) -> int:
    """Index what a journal lists, then remove it; returns the number of ids."""
    ids, deleted = read_journal(path)
    if ids or deleted:
        apply_changes(backend, ids, deleted)
    path.unlink(missing_ok=True)
    return len(ids) + len(deleted)


# ---------------------------------------------------------------- rebuild and repair


def rebuild_index(*, progress=None) -> dict:
    """Rebuild the whole index from the database into a new directory and swap it in atomically."""
    from ipplatform.patents.models import Patent

    backend = get_backend()
    backend.root.mkdir(parents=True, exist_ok=True)

    def replay():  # changes that arrived during the rebuild, onto the new generation
        journal = backend.root / REBUILD_JOURNAL
        if journal.exists():
            replay_journal(journal, backend)

    total = Patent.objects.count()
    info = backend.rebuild(docs=documents.iter_documents, total=total, progress=progress, on_swapped=replay)
    return {**info, "summary": f"已重建检索索引：{info['count']} 件专利，用时 {info['seconds']} 秒"}


_recover_lock = threading.Lock()


def ensure_index() -> TantivyBackend:
    """The backend, with its index rebuilt first when it is missing or damaged."""
    backend = get_backend()
    try:
        backend.index()
        return backend
    except IndexUnavailable:
        pass
    with _recover_lock:
        if backend.rebuilding():
            backend.wait_for_rebuild()
        if not backend.healthy():
            log.warning("search index at %s missing or damaged: rebuilding from the database", backend.root)
            rebuild_index()
    return backend


def rebuild_if_damaged(backend: TantivyBackend) -> None:
    """After an engine error: rebuild the index unless another thread has repaired it meanwhile."""
    with _recover_lock:
        if not backend.healthy():
            rebuild_index()


def update_index(backend: TantivyBackend, ids: list[str], deleted: list[str]) -> int:
    """Apply changes here and now: noted for a running rebuild, or folded into a fresh build of a missing index."""
    if backend.rebuilding():
        append_journal(backend.root / REBUILD_JOURNAL, ids, deleted)
    try:
        backend.index()
    except IndexUnavailable:
        ensure_index()  # a fresh build reads the database, these rows included
        return len(ids)
    return apply_changes(backend, ids, deleted)
