"""Linking applicants to a body is audited; city checks and the lapse-risk region follow the officer's own area."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ipplatform.core.models import AuditEvent, Organization, User
from ipplatform.orgs import fees, services
from ipplatform.patents.models import Applicant

from .conftest import load_applicant_records

TCL = "TCL集团股份有限公司"


@pytest.fixture
def tcl_claim(db, users, pdf):
    """TCL (Qingdao, verified) with its two real granted records and a claim of its current name."""
    org = Organization.objects.create(kind="enterprise", name=TCL, region_code="370202")
    user = User.objects.create(username="tcl_ip", role="enterprise_user", organization=org)
    load_applicant_records(TCL, limit=2)
    claim = services.submit_claim(org=org, name=TCL, kind="current", by=user, files=[("licence", pdf())])
    return claim, user


def _link_events(applicant):
    return AuditEvent.objects.filter(object_type="patents.applicant", object_id=str(applicant.pk), action="update")


def test_verifying_a_claim_links_the_applicant_with_an_audit_event(tcl_claim, users):
    claim, _ = tcl_claim
    services.decide_claim(claim=claim, by=users["city370200"], approve=True)
    [event] = _link_events(Applicant.objects.get(name=TCL))
    assert (event.actor_id, event.before, event.after) == (
        users["city370200"].pk,
        {"organization": None},
        {"organization": claim.organization_id},
    )
    assert event.reason == f"认领“{TCL}”核验通过"


def test_revoking_a_claim_unlinks_the_applicant_with_an_audit_event(tcl_claim, users):
    claim, user = tcl_claim
    services.decide_claim(claim=claim, by=users["city370200"], approve=True)
    services.revoke_claim(claim=claim, by=user, reason="名称认领有误")
    applicant = Applicant.objects.get(name=TCL)
    assert applicant.organization is None
    event = _link_events(applicant).order_by("-seq").first()
    assert (event.actor_id, event.before, event.after, event.reason) == (
        user.pk,
        {"organization": claim.organization_id},
        {"organization": None},
        f"认领“{TCL}”已撤销",
    )


def test_linking_an_applicant_to_the_body_it_already_belongs_to_records_nothing(tcl_claim, users):
    claim, _ = tcl_claim
    applicant = Applicant.objects.get(name=TCL)
    services.link_applicant(applicant, claim.organization, by=users["admin"], reason="核验")
    services.link_applicant(applicant, claim.organization, by=users["admin"], reason="核验")
    assert _link_events(applicant).count() == 1


@pytest.mark.parametrize(
    "officer,region,expected",
    [
        ("city370200", "370211", True),  # a county of the officer's own city
        ("city370200", "370202", True),
        ("city370100", "370211", False),  # another city
        ("city370200", "370000", False),  # a province-level body belongs to no city
    ],
)
def test_a_city_bureau_verifies_bodies_of_its_own_city_only(users, officer, region, expected):
    body = Organization(kind="enterprise", name="测试企业", region_code=region)
    assert services.can_verify(users[officer], body) is expected


@pytest.mark.parametrize(
    "name,expected", [("admin", True), ("leader", True), ("city370200", False), ("huangdao", False)]
)
def test_only_province_staff_choose_the_region_of_the_lapse_risk_list(users, name, expected):
    assert fees.can_choose_region(users[name]) is expected


@pytest.mark.parametrize("name,expected", [("city370200", "3702"), ("huangdao", "370211")])
def test_city_and_county_officers_see_their_own_area(users, name, expected):
    assert fees.own_region_prefix(users[name]) == expected


@pytest.mark.parametrize("name,shown", [("admin", True), ("city370200", False)])
def test_the_fee_page_offers_the_city_choice_only_to_province_staff(client, users, name, shown):
    client.force_login(users[name])
    page = client.get(reverse("orgs:fees")).content.decode()
    assert ('<select name="city">' in page) is shown
