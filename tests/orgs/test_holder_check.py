"""The fooled case of issue #23: a bank registers a pledge of two TCL patents with 海尔 as pledgor, 海尔's organisation
having been linked to TCL's applicant name. Ownership now comes only from verified claims that match the body's names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ipplatform.core.inputs import InputError
from ipplatform.core.models import Organization
from ipplatform.finance import services as finance
from ipplatform.market import flows as market_flows
from ipplatform.market import services as market
from ipplatform.orgs import services
from ipplatform.orgs.models import ApplicantClaim
from ipplatform.patents.models import Applicant, LegalEvent

from .conftest import TODAY, load_applicant_records

TCL = "TCL集团股份有限公司"
PLEDGE = {
    "contract_number": "ZY-2026-TCL",
    "contract_date": dt.date(2026, 3, 1),
    "debt_amount": Decimal("800"),
    "debt_start": dt.date(2026, 3, 15),
    "debt_end": dt.date(2027, 3, 14),
    "security_scope": "主债权本金及利息",
}


@pytest.fixture
def tcl_patents(db):
    patents = load_applicant_records(TCL, limit=2)
    assert len(patents) == 2 and all(p.applicants_text == TCL for p in patents)
    return patents


@pytest.fixture
def fooled(users, tcl_patents):
    """海尔's organisation linked by hand to TCL's applicant (what the demo used to do)."""
    Applicant.objects.filter(name=TCL).update(organization=users["haier"].organization)
    return users["haier"].organization


def _not_owner(pledge):
    return [c for c in finance.check_pledge(pledge, on=TODAY) if c.code == "not_owner"]


def test_hand_linked_applicant_does_not_make_haier_the_pledgor(users, tcl_patents, fooled):
    pledge = finance.create_pledge(by=users["bank"], pledgor=fooled, patents=tcl_patents, data=PLEDGE)
    refusals = _not_owner(pledge)
    assert {c.patent_id for c in refusals} == {p.pk for p in tcl_patents}
    assert all(TCL in c.reason and "海尔智家股份有限公司" in c.reason and "未经认领核验" in c.reason for c in refusals)
    assert all("专利法第十条" in c.reason for c in refusals)  # the rule is shown with the refusal
    finance.confirm_pledge(pledge=pledge, by=users["haier"], co_owner_consent=False, today=TODAY)
    with pytest.raises(InputError) as exc:
        finance.register_pledge(pledge=pledge, by=users["xietiao"], today=TODAY)
    assert "出质人不是登记的专利权人" in exc.value.message or "不在其中" in exc.value.message


def test_unverified_claim_does_not_pass(users, tcl_patents, fooled, pdf):
    claim = services.submit_claim(org=fooled, name=TCL, kind="current", by=users["haier"], files=[("licence", pdf())])
    assert claim.state == "submitted"
    pledge = finance.create_pledge(by=users["bank"], pledgor=fooled, patents=tcl_patents, data=PLEDGE)
    assert all("尚待核验" in c.reason for c in _not_owner(pledge)) and len(_not_owner(pledge)) == 2
    # the city bureau cannot verify it: TCL's name is not 海尔's name nor a recorded former name
    with pytest.raises(InputError) as exc:
        services.decide_claim(claim=claim, by=users["city370200"], approve=True)
    assert "与机构现用名“海尔智家股份有限公司”及登记的曾用名（无）均不一致" in exc.value.message


def test_mismatching_verified_claim_does_not_pass(users, tcl_patents, fooled):
    # even a claim marked verified (e.g. by a data fix) counts only when the name is the body's current or former name
    ApplicantClaim.objects.create(organization=fooled, name=TCL, name_norm=services.folded(TCL), state="verified")
    pledge = finance.create_pledge(by=users["bank"], pledgor=fooled, patents=tcl_patents, data=PLEDGE)
    assert len(_not_owner(pledge)) == 2 and all("与机构现用名及曾用名不符" in c.reason for c in _not_owner(pledge))


def test_haier_cannot_list_or_open_licence_tcl_patents(users, tcl_patents, fooled):
    reasons = market.listing_refusals(patent=tcl_patents[0], organization=fooled, deal_type="assignment", on=TODAY)
    assert any("不是该专利的专利权人" in r and TCL in r for r in reasons)
    with pytest.raises(InputError) as exc:
        market.create_listing(
            user=users["haier"],
            patent_id=tcl_patents[0].pk,
            deal_type="ordinary",
            summary="说明",
            application_fields="电视",
            maturity="pilot",
            asking_price="10",
        )
    assert TCL in exc.value.message
    bars = market_flows.open_licence_bars(patent=tcl_patents[1], organization=fooled, co_owners_consent=False, on=TODAY)
    assert any("只有专利权人可以声明开放许可" in b for b in bars)


def test_tcl_itself_with_a_verified_claim_passes(users, tcl_patents, verified_claim):
    tcl = Organization.objects.create(kind="enterprise", name=TCL, region_code="370200")
    verified_claim(tcl)
    for p in tcl_patents:
        result = services.holder_check(org=tcl, patent=p, on=TODAY)
        assert result.ok and result.matched == [TCL] and result.others == []
    pledge = finance.create_pledge(by=users["bank"], pledgor=tcl, patents=tcl_patents, data=PLEDGE)
    assert _not_owner(pledge) == []


def test_registered_transfer_moves_ownership(users, tcl_patents, verified_claim):
    tcl = Organization.objects.create(kind="enterprise", name=TCL, region_code="370200")
    verified_claim(tcl)
    haier = users["haier"].organization
    verified_claim(haier)
    p = tcl_patents[0]
    LegalEvent.objects.create(
        patent=p,
        date=dt.date(2020, 5, 6),
        code="transfer",
        source="导入",
        description="专利权的转移 变更前权利人：TCL集团股份有限公司 变更后权利人：海尔智家股份有限公司 登记生效日：2020.05.06",
    )
    assert services.holder_check(org=haier, patent=p, on=TODAY).ok
    assert not services.holder_check(org=tcl, patent=p, on=TODAY).ok
    assert services.holder_check(org=tcl, patent=p, on=dt.date(2020, 5, 5)).ok  # before the registration it was TCL's
    assert p.pk in services.portfolio_ids(haier) and p.pk not in services.portfolio_ids(tcl)
    # a transfer whose assignee is not stated: nobody can be confirmed as holder
    LegalEvent.objects.create(
        patent=tcl_patents[1], date=dt.date(2021, 1, 1), code="transfer", description="权利转移", source="导入"
    )
    result = services.holder_check(org=tcl, patent=tcl_patents[1], on=TODAY)
    assert not result.ok and "未载明受让人" in result.reason
