"""Demo data for statistics: derived tables rebuilt from whatever patents are loaded, default index weights."""

from __future__ import annotations

from . import aggregates, services
from .models import PatentFact


def load(*, stdout, options) -> dict:
    """Rebuild the statistics tables from the patent store (idempotent) and create the default index weights."""
    from ipplatform.core.models import OfficialFigure
    from ipplatform.core.official import load_shipped

    if not OfficialFigure.objects.exists():  # normally loaded with the reference data
        official = load_shipped()
        stdout.write(f"官方统计数据：{official.summary}")
    result = aggregates.rebuild()
    services.ensure_weights()
    synthetic = PatentFact.objects.filter(is_synthetic=True).count()
    stdout.write(
        f"统计监测：已重建统计表（{result['facts']} 件专利，{result['buckets']} 个年/月汇总格，其中模拟数据 {synthetic} 件）"
    )
    return result
