"""Demo data for search: build the text index over whatever the patents demo loaded, and load the shipped semantic
vectors of the real records (idempotent; records without a shipped vector are left to the embedding job)."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings

from . import semantic, services


def load(*, stdout, options) -> dict:
    """Rebuild the search index from the database; load data/semantic vectors for unchanged real records."""
    info = services.rebuild_index()
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
    stdout.write(f"  语义向量：载入随附向量 {loaded} 个；覆盖 {cov['embedded']} / {cov['total']} 件（{cov['percent']}%），"
                 "其余由后台任务计算（manage.py embed_patents，可中断续算）")
    return {"indexed": info["count"], "vectors": cov["embedded"]}
