"""Demo data for search: make sure the index holds whatever the patents demo loaded (idempotent)."""
from __future__ import annotations

from . import services


def load(*, stdout, options) -> dict:
    """Keep the index the imports maintained batch by batch when it holds every record; else rebuild it from the database.

    The imports index each committed batch (in a helper process during a long import), so after the demo files the
    index is already complete: rebuilding it again cost 49 s of the demo load (131,196 records). `--rebuild-index`
    forces the rebuild."""
    from ipplatform.patents.models import Patent

    total = Patent.objects.count()
    if not options.get("rebuild_index"):
        backend = services.ensure_index()
        docs = backend.stats().get("documents")
        if docs == total:
            stdout.write(f"  检索索引：导入时已逐批更新，{docs} 件专利，与数据库记录数一致，未重建（需要时用 --rebuild-index 重建）")
            return {"indexed": docs, "rebuilt": False}
        stdout.write(f"  检索索引：索引 {docs} 件、数据库 {total} 件，不一致，从数据库重建")
    info = services.rebuild_index()
    stdout.write(f"  检索索引：{info['count']} 件专利，{info['bytes'] / 1e6:.1f} MB，{info['seconds']} 秒")
    return {"indexed": info["count"], "rebuilt": True}
