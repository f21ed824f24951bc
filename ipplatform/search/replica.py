"""Search index replicas for several web nodes. One node (the writer, where the job worker runs) updates the
tantivy index; every other node keeps a replica of it: tantivy's segment files are immutable, so a sync copies the
files of the segments listed in the writer's meta.json that this node does not already have (unchanged segments
are hard-linked from the node's previous generation), writes meta.json last, checks that the copy opens, and then
switches the node's `current` generation atomically. Readers see the old or the new generation, never a mix."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from .backends.tantivy_backend import TantivyBackend

KEEP_FILES = {"SCHEMA", "meta.json"}


class SyncError(RuntimeError):
    pass


def _segment_files(gen: Path, meta: dict) -> list[Path]:
    ids = {s["segment_id"].replace("-", "") for s in meta["segments"]}
    return sorted(p for p in gen.iterdir() if p.is_file() and p.name.split(".", 1)[0] in ids)


def sync_from(*, source_root: Path, dest_root: Path, attempts: int = 5) -> dict:
    """Make dest_root's current generation a copy of source_root's; returns what was copied and linked."""
    source_root, dest_root = Path(source_root), Path(dest_root)
    dest_root.mkdir(parents=True, exist_ok=True)
    dest = TantivyBackend(dest_root)
    last_error = None
    for _ in range(attempts):
        try:
            src_gen = source_root / os.readlink(source_root / "current")
        except OSError as exc:
            raise SyncError(f"写入节点的检索索引不存在：{source_root}") from exc
        meta_bytes = (src_gen / "meta.json").read_bytes()
        meta = json.loads(meta_bytes)
        current_target = dest._target()
        previous = dest_root / current_target if current_target else None
        if (
            previous
            and (previous / "meta.json").exists()
            and (previous / "meta.json").read_bytes() == meta_bytes
            and (previous / ".source").exists()
            and (previous / ".source").read_text() == src_gen.name
        ):
            return {"generation": current_target, "copied": 0, "linked": 0, "bytes_copied": 0, "unchanged": True}
        new = dest_root / f"gen-replica-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1_000_000_000}"
        new.mkdir()
        copied = linked = nbytes = 0
        try:
            for f in _segment_files(src_gen, meta):
                target = new / f.name
                old = previous / f.name if previous else None
                if old is not None and old.exists() and old.stat().st_size == f.stat().st_size:
                    os.link(old, target)
                    linked += 1
                else:
                    shutil.copy2(f, target)
                    copied += 1
                    nbytes += f.stat().st_size
            shutil.copy2(src_gen / "SCHEMA", new / "SCHEMA")
            (new / "meta.json").write_bytes(meta_bytes)  # last: the generation is complete
            (new / ".source").write_text(src_gen.name)
            probe = TantivyBackend(dest_root)
            probe._open_path(new).searcher()  # opens every listed segment: a file merged away mid-copy fails here
        except (FileNotFoundError, ValueError, OSError) as exc:
            last_error = exc
            shutil.rmtree(new, ignore_errors=True)
            time.sleep(0.2)
            continue
        tmp = dest_root / f".current-{os.getpid()}"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(new.name, tmp)
        os.replace(tmp, dest_root / "current")
        for old_gen in dest_root.glob("gen-*"):
            if old_gen.name not in (new.name, current_target):
                shutil.rmtree(old_gen, ignore_errors=True)
        return {"generation": new.name, "copied": copied, "linked": linked, "bytes_copied": nbytes, "unchanged": False}
    raise SyncError(f"复制检索索引失败（写入节点在复制期间合并了分段，已重试 {attempts} 次）：{last_error}")
