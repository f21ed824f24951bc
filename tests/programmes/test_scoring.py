"""Review arithmetic: weighted totals, trimmed mean, dispersion."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ipplatform.core.inputs import InputError
from ipplatform.programmes.scoring import aggregate, weighted_total

CRITERIA = [
    {"code": "a", "label": "技术先进性", "weight": 60, "min": 0, "max": 10},
    {"code": "b", "label": "经济效益", "weight": 40, "min": 0, "max": 100},
]


def test_weighted_total_scales_each_criterion_to_its_weight():
    assert weighted_total(criteria=CRITERIA, scores={"a": "8", "b": 50}) == Decimal("68.00")
    with pytest.raises(InputError, match="技术先进性”的得分应在0—10之间"):
        weighted_total(criteria=CRITERIA, scores={"a": 11, "b": 50})
    with pytest.raises(InputError, match="请填写“经济效益”"):
        weighted_total(criteria=CRITERIA, scores={"a": 5})


def test_trimmed_mean_drops_the_highest_and_lowest():
    result = aggregate(totals=[Decimal(x) for x in ("90", "80", "82", "84", "40")], trim=1, dispersion=50)
    assert result.score == Decimal("82.00") and result.used == 3 and not result.flagged


def test_too_few_scores_are_averaged_plainly():
    assert aggregate(totals=[Decimal("90"), Decimal("80"), Decimal("70"), Decimal("60")], trim=1).score == Decimal(
        "75.00"
    )


def test_dispersion_is_flagged():
    result = aggregate(totals=[Decimal(x) for x in ("95", "30", "90", "35", "60")], trim=1, dispersion=15)
    assert result.flagged and result.spread > 15
    assert not aggregate(totals=[Decimal(x) for x in ("80", "82", "81")], trim=1, dispersion=15).flagged
    with pytest.raises(InputError):
        aggregate(totals=[])
