"""Review arithmetic: weighted totals from criteria scores, trimmed mean across experts, dispersion flag."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ipplatform.core.inputs import InputError

TWO = Decimal("0.01")


def weighted_total(*, criteria: list[dict], scores: dict) -> Decimal:
    """Σ score/max × weight over the criteria (weights add up to the full mark); refuses a score outside its range."""
    total = Decimal("0")
    for c in criteria:
        raw = scores.get(c["code"])
        if raw in (None, ""):
            raise InputError(f"请填写“{c['label']}”的得分", field=c["code"])
        try:
            value = Decimal(str(raw))
        except ArithmeticError:
            raise InputError(f"“{c['label']}”的得分应为数字", field=c["code"])
        low, high = Decimal(str(c.get("min", 0))), Decimal(str(c["max"]))
        if not low <= value <= high:
            raise InputError(f"“{c['label']}”的得分应在{low}—{high}之间", field=c["code"])
        total += value / high * Decimal(str(c["weight"]))
    return total.quantize(TWO, ROUND_HALF_UP)


@dataclass(frozen=True)
class Aggregate:
    score: Decimal
    used: int  # scores counted after trimming
    spread: Decimal  # population standard deviation of all scores
    flagged: bool


def aggregate(*, totals: list[Decimal], trim: int = 1, dispersion: Decimal | float = 15) -> Aggregate:
    """Trimmed mean: the `trim` highest and lowest totals are dropped when at least three remain (else the plain
    mean); flagged when the standard deviation of all totals exceeds `dispersion` (experts disagree: discuss again)."""
    if not totals:
        raise InputError("尚无专家提交评分")
    values = sorted(Decimal(str(t)) for t in totals)
    kept = values[trim : len(values) - trim] if trim and len(values) >= 2 * trim + 3 else values
    mean = (sum(kept) / len(kept)).quantize(TWO, ROUND_HALF_UP)
    spread = Decimal(str(statistics.pstdev([float(v) for v in values]))).quantize(TWO, ROUND_HALF_UP)
    return Aggregate(mean, len(kept), spread, spread > Decimal(str(dispersion)))
