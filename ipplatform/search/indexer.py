"""Index updates in a helper process during long imports.

On a 2-core machine the importer (parse, validate, store, statistics) keeps one core busy; building index
documents in the same process would double the time per record. Inside `session()`, entered by
`patents.signals.bulk_session()` around an import that runs outside any transaction, the first committed batch
is indexed inline as always; from the second batch on, the changed ids go as JSON lines through a pipe to a
helper process (`python -m ipplatform.search.indexer`, a fresh interpreter: no inherited connections, engine
threads or re-imported main module) that applies them with `engine_ops.update_index`. A pipe holds about one batch, so a
helper that falls behind slows the importer instead of piling up memory. The helper commits every COMMIT_EVERY
documents rather than every batch.

Every id handed over is first appended to a pending journal (`<index root>/pending-<pid>-<n>.jsonl`). The
journal is removed once the helper has finished cleanly; a journal left by a killed import (its process is
gone) is replayed by the next index update, so the index always catches up with what was committed."""

from __future__ import annotations

import itertools
import json
import logging
import os
import queue
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from ipplatform.lib import gcbatch

from .engine_ops import (
    append_journal,
    apply_changes,
    ensure_index,
    get_backend,
    read_journal,
    replay_journal,
    update_index,
)

log = logging.getLogger(__name__)
INLINE_BATCHES = 1  # batches indexed inline before the helper starts, unless the import is known to be large
MAX_QUEUED_BATCHES = 8  # batches received but not yet indexed (then the importer waits)
# Documents the helper adds between commits: a commit per import batch made small segments that tantivy then
# spent a seventh of its indexing time merging. What is not committed yet is still listed in the importer's journal.
COMMIT_EVERY = 50_000
# The helper runs at a lower priority. The importer is one thread and is the critical path: while the helper's
# threads (Python, tantivy's indexer and mergers) shared both cores with it, it got about two thirds of a core,
# and the helper, having caught up, then sat idle for a second or two per batch with one core unused. At lower
# priority the helper takes whatever the importer leaves, and the pipe still stops the importer when it lags.
HELPER_NICENESS = 10
_local = threading.local()
_counter = itertools.count(1)
_in_helper = False  # set in the helper process: it indexes what it is given and never hands work on


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def replay_pending(root: Path) -> int:
    """Index the ids of journals left by imports that were killed; returns how many ids were replayed."""
    if _in_helper or not root.is_dir():
        return 0
    replayed = 0
    if not bulk_running(root):  # updates deferred to a helper that was killed before it took them
        replayed += index_deferred(root, warn=True)
    for path in sorted(root.glob("pending-*.jsonl")):
        try:
            pid = int(path.name.split("-")[1])
        except (IndexError, ValueError):
            continue
        if pid != os.getpid() and _alive(pid):
            continue
        if pid == os.getpid() and path in _open_journals():
            continue
        log.warning("search index: replaying the journal of an interrupted import (%s)", path.name)
        replayed += replay_journal(path, get_backend())
    return replayed


def bulk_running(root: Path) -> bool:
    """Whether an import helper of another live process holds the index writer (its `bulk-<pid>` marker)."""
    for path in root.glob("bulk-*"):
        try:
            pid = int(path.name.split("-")[1])
        except (IndexError, ValueError):
            continue
        if pid != os.getpid() and _alive(pid):
            return True
    return False


def defer(root: Path, ids: list[str], deleted: list[str]) -> bool:
    """Leave an index update to the import helper that holds the writer; False when none does (index it yourself).

    The helper takes deferred journals with every batch and once more after removing its marker, so an update
    written while the marker was there is always taken by it, and one that finds the marker gone is indexed by
    the caller."""
    if _in_helper or not bulk_running(root):
        return False
    path = root / f"deferred-{os.getpid()}-{threading.get_ident()}-{next(_counter)}.jsonl"
    tmp = path.with_suffix(".tmp")
    append_journal(tmp, ids, deleted)
    os.replace(tmp, path)  # complete or absent: a reader never sees half of it
    if not bulk_running(root):  # the helper finished meanwhile, perhaps without taking it
        index_deferred(root)
    return True


def index_deferred(root: Path, *, warn: bool = False) -> int:
    """Index every deferred journal here and now, then remove them; returns how many ids were indexed."""
    ids, deleted, paths = collect_deferred(root)
    if ids or deleted:
        if warn:
            log.warning("search index: indexing %d updates deferred to an import helper that stopped", len(paths))
        apply_changes(get_backend(), ids, deleted)
    for path in paths:
        path.unlink(missing_ok=True)
    return len(ids) + len(deleted)


def collect_deferred(root: Path) -> tuple[list[str], list[str], list[Path]]:
    """The ids of all deferred journals, and their paths (to remove once the ids are committed)."""
    ids, deleted, paths = [], [], sorted(root.glob("deferred-*.jsonl"))
    for path in paths:
        try:
            entry_ids, entry_deleted = read_journal(path)
        except FileNotFoundError:  # taken by someone else meanwhile
            continue
        ids += entry_ids
        deleted += entry_deleted
    return ids, deleted, paths


def _open_journals() -> set[Path]:
    return {s.journal for s in getattr(_local, "sessions", [])}


def _worker(lines, db_settings: dict, data_dir: str) -> None:
    """Helper process: index every batch of ids read from `lines` (JSON), until end of input."""
    global _in_helper
    _in_helper = True
    try:
        os.nice(HELPER_NICENESS)
    except OSError:  # not permitted here: run at the normal priority
        pass
    from django.conf import settings as lazy_settings

    lazy_settings.DATABASES = {**lazy_settings.DATABASES, "default": db_settings}  # the importer's database (tests too)
    lazy_settings.DATA_DIR = Path(data_dir)
    import django

    django.setup()

    # A thread drains the pipe at once, so the importer never waits while a commit is being written; the batches
    # that arrived meanwhile are indexed together.
    received: queue.Queue = queue.Queue(maxsize=MAX_QUEUED_BATCHES)

    def read():
        for line in lines:
            received.put(json.loads(line))
        received.put(None)

    threading.Thread(target=read, name="index-input", daemon=True).start()
    stats_path = os.environ.get("IPPLATFORM_INDEXER_STATS")  # benchmarks: where to write the memory peaks
    if stats_path:
        threading.Thread(target=_sample_memory, args=(Path(stats_path),), name="index-memory", daemon=True).start()
    backend = ensure_index()
    marker = backend.root / f"bulk-{os.getpid()}"
    marker.touch()  # other processes now leave their index updates as deferred journals (see defer())
    try:
        with backend.held_writer(commit_every=COMMIT_EVERY), gcbatch.between_batches() as collect_garbage:
            done = False
            while not done:
                collect_garbage()
                batch = [received.get()]
                # whatever has arrived meanwhile goes into the same update, up to about one commit's worth: a helper
                # that lags (it runs at lower priority) would otherwise take eight batches at once, and the larger
                # updates and commits raised its peak memory (1M records: 1,064 MB instead of 661 MB)
                taken = _id_count(batch[0])
                while batch[-1] is not None and len(batch) < MAX_QUEUED_BATCHES and taken < COMMIT_EVERY:
                    try:
                        batch.append(received.get_nowait())
                    except queue.Empty:
                        break
                    taken += _id_count(batch[-1])
                done = None in batch
                if done:
                    marker.unlink(
                        missing_ok=True
                    )  # from here on, others index themselves; what they deferred is taken below
                ids = [i for entry in batch if entry for i in entry["ids"]]
                deleted = [i for entry in batch if entry for i in entry["deleted"]]
                deferred_ids, deferred_deleted, paths = collect_deferred(backend.root)
                ids += deferred_ids
                deleted += deferred_deleted
                if ids or deleted:
                    update_index(backend, list(dict.fromkeys(ids)), list(dict.fromkeys(deleted)))
                if paths:  # another process's updates: committed before their journals go
                    backend.flush_held()
                    for path in paths:
                        path.unlink(missing_ok=True)
    finally:
        marker.unlink(missing_ok=True)


def _id_count(entry: dict | None) -> int:
    """Ids to index in one received batch (None marks the end of input)."""
    return len(entry["ids"]) if entry else 0


def _sample_memory(path: Path, interval: float = 0.25) -> None:
    """Write the peaks of anonymous and file-backed resident memory (kB), and the niceness, to `path` while the helper runs.

    ru_maxrss counts the index segments that tantivy maps to merge them (page cache the kernel can drop) together
    with the process's own memory; the benchmark reports both parts."""
    import time

    keys = {"RssAnon": "rss_anon_kb", "RssFile": "rss_file_kb"}  # /proc/self/status lines such as "RssAnon:  4321 kB"
    peaks = dict.fromkeys(keys.values(), 0)
    peaks["niceness"] = os.nice(0)  # threads inherit the priority set at the helper's start
    while True:
        try:
            with open("/proc/self/status", encoding="ascii") as fh:
                for line in fh:
                    name, _, value = line.partition(":")
                    if name in keys:
                        peaks[keys[name]] = max(peaks[keys[name]], int(value.split()[0]))
            path.write_text(json.dumps(peaks))
        except OSError:
            return
        time.sleep(interval)


class _Session:
    def __init__(self, root: Path, *, large: bool):
        self.root = root
        self.inline_batches = 0 if large else INLINE_BATCHES
        self.journal = root / f"pending-{os.getpid()}-{next(_counter)}.jsonl"
        self.batches = 0
        self.proc = None
        self.failed = False

    def hand_over(self, ids: list[str], deleted: list[str]) -> bool:
        """Send the ids to the helper (True), or leave them to the caller to index inline (False)."""
        self.batches += 1
        if self.failed or self.batches <= self.inline_batches:
            return False
        if self.proc is None:
            self._start()
        append_journal(self.journal, ids, deleted)
        try:
            self.proc.stdin.write(json.dumps({"ids": ids, "deleted": deleted}) + "\n")
            self.proc.stdin.flush()  # blocks while the helper is a batch behind
            return True
        except (BrokenPipeError, OSError):
            self._fail()
            return False  # this batch is indexed inline; earlier ones are replayed from the journal at close

    def _start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "ipplatform.settings"),
            "IPPLATFORM_INDEXER_DB": json.dumps(dict(connection.settings_dict), default=str),
            "IPPLATFORM_INDEXER_DATA_DIR": str(settings.DATA_DIR),
            "PYTHONPATH": os.pathsep.join(
                p for p in [str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")] if p
            ),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ipplatform.search.indexer"],
            stdin=subprocess.PIPE,
            env=env,
            text=True,
            encoding="utf-8",
        )

    def _fail(self) -> None:
        if not self.failed:
            self.failed = True
            log.error("search index helper stopped (exit code %s); indexing inline from here on", self.proc.poll())

    def close(self) -> None:
        if self.proc is not None:
            try:
                self.proc.stdin.close()
            except (BrokenPipeError, OSError):
                pass
            if self.proc.wait() != 0:
                self._fail()
        if self.failed and self.journal.exists():
            replay_journal(self.journal, get_backend())
        self.journal.unlink(missing_ok=True)


def _usable() -> bool:
    if not getattr(settings, "SEARCH_BACKGROUND_INDEXING", True) or (os.cpu_count() or 1) < 2:
        return False
    if connection.in_atomic_block:  # the helper could not see rows before the outer transaction commits
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


@contextmanager
def session(*, large: bool = False):
    """Bulk-import session (registered with patents.signals.register_bulk_hook)."""
    if not _usable():
        yield None
        return
    root = get_backend().root
    root.mkdir(parents=True, exist_ok=True)
    replay_pending(root)
    current = _Session(root, large=large)
    stack = getattr(_local, "sessions", None)
    if stack is None:
        stack = _local.sessions = []
    stack.append(current)
    try:
        yield current
    finally:
        stack.remove(current)
        current.close()


def hand_over(ids, deleted) -> bool:
    """Called by the patents_changed receiver: True when a running session took the ids."""
    stack = getattr(_local, "sessions", None)
    if not stack or _in_helper:
        return False
    return stack[-1].hand_over(list(ids or []), list(deleted or []))


if __name__ == "__main__":
    _worker(sys.stdin, json.loads(os.environ["IPPLATFORM_INDEXER_DB"]), os.environ["IPPLATFORM_INDEXER_DATA_DIR"])
