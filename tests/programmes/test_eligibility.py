"""Eligibility rules as data, each with the reason an applicant sees."""

from __future__ import annotations

import datetime as dt

from ipplatform.credit.models import DishonestyEntry
from ipplatform.programmes import services
from ipplatform.programmes.eligibility import evaluate, refusals
from ipplatform.programmes.models import ProgrammeType

from .conftest import ON


def test_reasons_for_each_rule(programmes, owners, users, orgs, make_patent):
    award = programmes["patent_award"]
    qilu = owners["qilu_ent"]
    result = {r.rule: r for r in evaluate(programme=award, org=qilu, on=ON)}
    assert not result["patents_held"].ok and "有效专利0件，须至少1件" in result["patents_held"].reason
    make_patent(patent_type="utility")
    assert not {r.rule: r for r in evaluate(programme=award, org=qilu, on=ON)}[
        "patents_held"
    ].ok  # utility models do not count
    make_patent()
    assert refusals(programme=award, org=qilu, on=ON) == []
    bank = orgs["bank"]
    reasons = refusals(programme=award, org=bank, on=ON)
    assert any("申报单位类型为银行，本项目仅限企业、高等院校、科研院所申报" == r for r in reasons)


def test_serious_dishonesty_bars_and_says_until_when(programmes, owners, users):
    qilu = owners["qilu_ent"]
    DishonestyEntry.objects.create(
        organization=qilu,
        reason="骗取资助资金（测试）",
        legal_basis="测试依据：第十条",
        state="listed",
        proposed_on=dt.date(2015, 1, 5),
        listed_on=dt.date(2015, 1, 10),
        ends_on=dt.date(2018, 1, 10),
        decision_no="鲁知失信〔2015〕1号",
    )
    reasons = refusals(programme=programmes["patent_subsidy"], org=qilu, on=ON)
    assert len(reasons) == 1 and "严重失信主体名单" in reasons[0] and "2018-01-10" in reasons[0]


def test_size_and_region_rules_from_data(owners, orgs):
    scheme = ProgrammeType.objects.create(
        code="sme_test",
        name="小微企业专利托管（测试）",
        stages=[{"code": "c", "label": "初审", "actor": "city"}],
        eligibility=[
            {"rule": "size", "classes": ["small", "micro"], "or_sme": True},
            {"rule": "region", "prefix": "3702"},
        ],
    )
    haier = orgs["haier"]
    reasons = refusals(programme=scheme, org=haier, on=ON)
    assert reasons == ["企业规模：未登记，本项目仅限小型、微型企业"]
    jinan = owners["qilu_ent"]  # is_sme demo setting, but in 济南
    assert refusals(programme=scheme, org=jinan, on=ON) == ["注册地（370100）不在本项目受理范围内"]


def test_applicants_see_open_calls_with_reasons(make_call, users, owners):
    make_call("patent_award")
    rows = dict(services.calls_for_applicant(user=users["bank"], on=ON))
    assert any("仅限企业" in r for r in next(iter(rows.values())))
    assert services.calls_for_applicant(user=users["qilu_ent"], on=dt.date(2016, 1, 1)) == []
