"""Demo data for search: make sure the text index holds whatever the patents demo loaded, and load the shipped semantic
vectors of the real records (idempotent; records without a shipped vector are left to the embedding job)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from . import semantic, services


def load(*, stdout, options) -> dict:
    """Keep the index the imports maintained batch by batch when it holds every record (else rebuild it from the
    database), then load data/semantic vectors for unchanged real records.

    The imports index each committed batch (in a helper process during a long import), so after the demo files the
    index is already complete: rebuilding it again cost 49 s of the demo load (131,196 records). `--rebuild-index`
    forces the rebuild."""
    from ipplatform.patents.models import Patent

    total = Patent.objects.count()
    docs, rebuilt = None, False
    if not options.get("rebuild_index"):
        backend = services.ensure_index()
        docs = backend.stats().get("documents")
        if docs == total:
            stdout.write(
                f"  检索索引：导入时已逐批更新，{docs} 件专利，与数据库记录数一致，未重建（需要时用 --rebuild-index 重建）"
            )
        else:
            stdout.write(f"  检索索引：索引 {docs} 件、数据库 {total} 件，不一致，从数据库重建")
    if docs != total:
        info = services.rebuild_index()
        docs, rebuilt = info["count"], True
        stdout.write(f"  检索索引：{info['count']} 件专利，{info['bytes'] / 1e6:.1f} MB，{info['seconds']} 秒")
    shipped = Path(settings.REFERENCE_DATA_DIR) / semantic.SHIPPED
    loaded = 0
    if shipped.exists():
        try:
            res = semantic.load_vectors(path=shipped)
        except Exception as exc:  # e.g. the model package missing: the text search still works
            stdout.write(f"  语义向量：未能载入 {shipped.name}（{exc}）")
        else:
            loaded = res["loaded"]
            if "reason" in res:
                stdout.write(f"  语义向量：未载入（{res['reason']}）")
    cov = semantic.coverage()
    stdout.write(
        f"  语义向量：载入随附向量 {loaded} 个；覆盖 {cov['embedded']} / {cov['total']} 件（{cov['percent']}%），"
        "其余由后台任务计算（manage.py embed_patents，可中断续算）"
    )
    return {"indexed": docs, "rebuilt": rebuilt, "vectors": cov["embedded"]}
