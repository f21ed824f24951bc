"""Demo data for search: build the index over whatever the patents demo loaded (idempotent)."""
from __future__ import annotations

from . import services


def load(*, stdout, options) -> dict:
    """Rebuild the search index from the database."""
    info = services.rebuild_index()
    stdout.write(f"  检索索引：{info['count']} 件专利，{info['bytes'] / 1e6:.1f} MB，{info['seconds']} 秒")
    return {"indexed": info["count"]}
