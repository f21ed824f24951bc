"""Demo data for statistics: derived tables rebuilt from whatever patents are loaded, default index weights."""
from __future__ import annotations

from . import aggregates, services
from .models import PatentFact


def load(*, stdout, options) -> dict:
    """Rebuild the statistics tables from the patent store (idempotent) and create the default index weights."""
    result = aggregates.rebuild()
    services.ensure_weights()
    synthetic = PatentFact.objects.filter(is_synthetic=True).count()
    stdout.write(f"统计监测：已重建统计表（{result['facts']} 件专利，{result['buckets']} 个年/月汇总格，其中模拟数据 {synthetic} 件）")
    return result
