"""Applicant-name claims: evidence, verification by the office or the city bureau, former names, revocation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from ipplatform.core.inputs import InputError
from ipplatform.core.workflow import history
from ipplatform.orgs import services
from ipplatform.patents.models import Applicant

from .conftest import TODAY, load_applicant_records

TCL = "TCL集团股份有限公司"


@pytest.fixture
def tcl(db, users):
    """TCL as a registered enterprise (created by the office, so verified), with its user and two real granted records."""
    from ipplatform.core.models import Organization, User

    org = Organization.objects.create(kind="enterprise", name=TCL, region_code="370202")
    user = User.objects.create(username="tcl_ip", role="enterprise_user", organization=org)
    return org, user, load_applicant_records(TCL, limit=2)


def test_claim_needs_evidence_and_counts_only_once_verified(tcl, users, pdf):
    org, user, patents = tcl
    with pytest.raises(InputError) as exc:
        services.submit_claim(org=org, name=TCL, kind="current", by=user, files=[])
    assert "营业执照" in exc.value.message and exc.value.field == "evidence"
    bad = pdf("licence.exe")
    with pytest.raises(InputError) as exc:
        services.submit_claim(org=org, name=TCL, kind="current", by=user, files=[("licence", bad)])
    assert "类型不支持" in exc.value.message
    claim = services.submit_claim(org=org, name=TCL, kind="current", by=user, files=[("licence", pdf())])
    assert claim.applicant == Applicant.objects.get(name=TCL) and claim.evidence.get().sha256
    assert not services.holder_check(org=org, patent=patents[0], on=TODAY).ok
    with pytest.raises(PermissionDenied):
        services.decide_claim(claim=claim, by=users["city370100"], approve=True)  # not TCL's city
    with pytest.raises(PermissionDenied):
        services.decide_claim(claim=claim, by=user, approve=True)  # not by the claimant
    services.decide_claim(claim=claim, by=users["city370200"], approve=True)
    assert claim.state == "verified" and "与现用名“TCL集团股份有限公司”一致" in claim.decision_note
    assert Applicant.objects.get(name=TCL).organization == org
    assert all(services.holder_check(org=org, patent=p, on=TODAY).ok for p in patents)
    assert set(services.portfolio_ids(org)) == {p.pk for p in patents}
    assert [(t.source, t.target, t.actor_name) for t in history(claim)] == [("submitted", "verified", "city370200")]
    # nobody else can claim the same name while this claim stands
    with pytest.raises(InputError) as exc:
        services.submit_claim(
            org=users["haier"].organization,
            name="ＴＣＬ集团股份有限公司",
            kind="current",
            by=users["haier"],
            files=[("licence", pdf())],
        )
    assert "已由“TCL集团股份有限公司”认领" in exc.value.message
    services.revoke_claim(claim=claim, by=user, reason="名称认领有误")
    assert not services.holder_check(org=org, patent=patents[0], on=TODAY).ok
    assert Applicant.objects.get(name=TCL).organization is None


def test_former_name_claim_needs_the_recorded_former_name_and_the_change_notice(tcl, users, pdf):
    org, user, patents = tcl
    org.name = "TCL科技集团股份有限公司"  # renamed in 2020: the records still name TCL集团股份有限公司
    org.save()
    with pytest.raises(InputError) as exc:
        services.submit_claim(org=org, name=TCL, kind="former", by=user, files=[("licence", pdf())])
    assert "名称变更核准通知书" in exc.value.message
    claim = services.submit_claim(
        org=org, name=TCL, kind="former", by=user, files=[("licence", pdf()), ("name_change", pdf("变更通知.pdf"))]
    )
    with pytest.raises(InputError) as exc:  # the former name is not recorded yet
        services.decide_claim(claim=claim, by=users["admin"], approve=True)
    assert "请先登记曾用名" in exc.value.message
    services.add_former_name(org=org, name=TCL, used_until=dt.date(2020, 2, 7), by=user)
    services.decide_claim(claim=claim, by=users["admin"], approve=True)
    assert "曾用名“TCL集团股份有限公司”（至2020-02-07）" in claim.decision_note
    assert services.holder_check(org=org, patent=patents[0], on=TODAY).ok


def test_unverified_registration_blocks_claim_verification(users, pdf):
    from ipplatform.lib.uscc import check_character

    first17 = "91370200MA3C5X8Y7"
    org, user = services.self_register(
        data={"kind": "enterprise", "name": "青岛示例电子有限公司", "uscc": first17 + check_character(first17)},
        username="qdshili",
        password="Xk#29vLq!m",
        real_name="赵",
    )
    claim = services.submit_claim(
        org=org, name="青岛示例电子有限公司", kind="current", by=user, files=[("licence", pdf())]
    )
    with pytest.raises(InputError) as exc:
        services.decide_claim(claim=claim, by=users["city370200"], approve=True)
    assert "注册尚未核验" in exc.value.message
    services.decide_registration(registration=org.registration, by=users["city370200"], approve=True)
    services.decide_claim(claim=claim, by=users["city370200"], approve=True)
    assert claim.state == "verified"
