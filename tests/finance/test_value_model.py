"""专利价值度 arithmetic, weights versioning and OECD-style cohort normalisation."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from docx import Document

from ipplatform.core.inputs import InputError
from ipplatform.finance import indicators as ind
from ipplatform.finance import valuations
from ipplatform.finance import value_model as vm
from ipplatform.finance.models import ValuationItem


def _scores(legal, technical, economic):
    out = {}
    for group, value in (("legal", legal), ("technical", technical), ("economic", economic)):
        for code in vm.group_codes(group):
            out[code] = value
    return out


def test_pvd_is_the_weighted_sum_of_the_three_dimensions():
    scores = _scores(8, 6, 4)
    r = vm.compute(scores=scores, alpha="0.4", beta="0.3", gamma="0.3", weights=vm.DEFAULT_SUBWEIGHTS)
    assert (r["lvd"], r["tvd"], r["evd"]) == (Decimal("8.00"), Decimal("6.00"), Decimal("4.00"))
    assert r["pvd"] == Decimal("6.20")  # 0.4*8 + 0.3*6 + 0.3*4


def test_sub_weights_apply_within_a_dimension():
    scores = _scores(0, 0, 0)
    scores["stability"] = 10  # weight 0.20 in LVD
    scores["market_application"] = 10  # weight 0.25 in EVD
    r = vm.compute(scores=scores, alpha="0.5", beta="0.25", gamma="0.25", weights=vm.DEFAULT_SUBWEIGHTS)
    assert r["lvd"] == Decimal("2.00") and r["evd"] == Decimal("2.50") and r["tvd"] == Decimal("0.00")
    assert r["pvd"] == Decimal("1.63")  # 0.5*2 + 0.25*2.5 = 1.625 → 1.63 (half up)


def test_default_weights_are_valid_and_bad_weights_are_explained():
    for a, b, g in vm.DEFAULT_GROUP_WEIGHTS.values():
        vm.validate_weights(alpha=a, beta=b, gamma=g, weights=vm.DEFAULT_SUBWEIGHTS)
    with pytest.raises(InputError, match="α\\+β\\+γ 应等于1"):
        vm.validate_weights(alpha="0.5", beta="0.3", gamma="0.3", weights=vm.DEFAULT_SUBWEIGHTS)
    broken = dict(vm.DEFAULT_SUBWEIGHTS, stability=0.5)
    with pytest.raises(InputError, match="法律价值度各子指标权重合计应为1") as exc:
        vm.validate_weights(alpha="0.4", beta="0.3", gamma="0.3", weights=broken)
    assert exc.value.field == "group_legal"


def test_scores_must_cover_every_indicator_in_range():
    scores = _scores(5, 5, 5)
    scores.pop("maturity")
    with pytest.raises(InputError, match="成熟度"):
        vm.validate_scores(scores)
    with pytest.raises(InputError, match="0到10"):
        vm.validate_scores({**_scores(5, 5, 5), "trend": 11})
    assert len(vm.INDICATORS) == 18 and all(set(i.guidance) == set(vm.SCORE_LEVELS) for i in vm.INDICATORS)


def test_cohort_normalisation_within_field_and_year(tech_fields, make_patent):
    as_of = dt.date(2026, 1, 1)
    # cohort: WIPO field of C08L (macromolecular chemistry), filed 2016
    a = make_patent(
        ipc=("C08L23/06", "C08K3/04"), claims=10, inventors=("甲", "乙", "丙", "丁"), family=4, citations=None
    )
    b = make_patent(ipc=("C08L67/02",), claims=5, inventors=("甲", "乙"), family=2, citations=None)
    # outside the cohort: other field same year, and same field other year (larger values must not count)
    make_patent(ipc=("H04L29/06",), claims=40, inventors=tuple("ABCDEFGH"))
    make_patent(ipc=("C08L23/06",), claims=30, app_date=dt.date(2017, 2, 1), grant_date=dt.date(2019, 1, 1))
    data = ind.indicators_for([a.pk, b.pk], as_of=as_of)
    da, db = data[a.pk], data[b.pk]
    assert da["field"] == db["field"] == ind.tech_field_of("C08L23/06") and da["year"] == 2016
    assert da["cohort_size"] == 2
    assert da["maxima"]["claims"] == 10 and da["normalised"]["claims"] == 1.0 and db["normalised"]["claims"] == 0.5
    assert da["values"]["ipc_breadth"] == 2 and db["normalised"]["ipc_breadth"] == 0.5
    assert db["normalised"]["inventors"] == 0.5 and db["normalised"]["family_size"] == 0.5
    assert da["normalised"]["citations"] is None  # missing data stays missing
    # composite = mean of available indicators in the index (citations missing, invalidation requests not counted)
    used = [v for code, _, _, in_index in ind.INDICATORS if in_index and (v := db["normalised"][code]) is not None]
    assert db["composite"] == round(sum(used) / len(used), 4)
    assert 0 < db["composite"] < da["composite"] <= 1


def test_normalise_handles_zero_maximum():
    assert ind.normalise({"claims": 0, "family_size": None}, {"claims": 0}) == {"claims": 0.0, "family_size": None}


def test_valuation_versions_weights_and_reports(users, make_patent):
    patent = make_patent(family=7)
    with pytest.raises(PermissionDenied):
        valuations.create_valuation(by=users["public"], title="", scenario="pledge", patents=[patent])
    v = valuations.create_valuation(
        by=users["bank"],
        title="",
        scenario="pledge",
        patents=[patent],
        organization=users["qilu_ent"].organization,
        as_of=dt.date(2026, 1, 1),
    )
    item = v.items.get()
    assert valuations.suggested_scores(item) == {
        "remaining_term": 8,
        "multi_country": 10,
        "licensing": 10,
    }  # 10.3 years left; 7 family members; no licence
    with pytest.raises(InputError, match="尚未完成"):
        valuations.generate_report(valuation=v, by=users["bank"])
    valuations.score_item(item=item, by=users["bank"], scores=_scores(8, 6, 4))
    v.refresh_from_db()
    assert v.pvd == Decimal("6.20") and v.state == "completed"
    # administrators publish new weights; the finished valuation keeps version 1
    with pytest.raises(PermissionDenied):
        valuations.save_model_version(
            scenario="pledge",
            alpha="0.5",
            beta="0.25",
            gamma="0.25",
            weights=vm.DEFAULT_SUBWEIGHTS,
            note="x",
            by=users["bank"],
        )
    m2 = valuations.save_model_version(
        scenario="pledge",
        alpha="0.5",
        beta="0.25",
        gamma="0.25",
        weights=vm.DEFAULT_SUBWEIGHTS,
        note="加大法律维度",
        by=users["xietiao"],
    )
    assert m2.version == 2 and valuations.current_model(scenario="pledge") == m2
    assert ValuationItem.objects.get(pk=item.pk).valuation.model_version.version == 1
    r1 = valuations.generate_report(valuation=v, by=users["bank"])
    r2 = valuations.generate_report(valuation=v, by=users["bank"])
    assert (r1.version, r2.version) == (1, 2)
    text = "\n".join(p.text for p in Document(io.BytesIO(bytes(r2.content))).paragraphs)
    assert "专利价值度评估报告" in text and "同一申请年度" in text
    tables = Document(io.BytesIO(bytes(r2.content))).tables
    assert any("6.20" in c.text for c in tables[0].columns[1].cells)


def test_valuation_refuses_patents_of_another_owner(users, make_patent):
    other = make_patent(owners=("海尔集团公司",))
    with pytest.raises(InputError, match="不是以下专利的专利权人"):
        valuations.create_valuation(
            by=users["bank"], title="", scenario="pledge", patents=[other], organization=users["qilu_ent"].organization
        )


@pytest.mark.django_db
def test_model_page_shows_the_national_standard_beside_the_model(client, users):
    client.force_login(users["xietiao"])
    page = client.get("/finance/valuations/model/").content.decode()
    assert "GB/T 42748-2023" in page and "专利评估指引" in page and "2023-09-01" in page and "27项三级指标" in page
