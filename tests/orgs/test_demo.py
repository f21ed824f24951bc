"""The demo registry: demo organisations hold only their own applicant names (verified claims); earlier hand links of
other bodies' applicants are removed, so no demo organisation owns another body's patents."""

from __future__ import annotations

import io

from ipplatform.orgs import demo, services
from ipplatform.orgs.models import ApplicantClaim
from ipplatform.patents.models import Applicant

from .conftest import TODAY, load_applicant_records


def test_demo_claims_only_own_names_and_unlinks_others(users):
    haier = users["haier"].organization
    tcl = load_applicant_records("TCL集团股份有限公司", limit=1)[0]
    Applicant.objects.filter(name="TCL集团股份有限公司").update(organization=haier)  # what the old demo did
    Applicant.objects.create(name="山东大学")
    out = io.StringIO()
    demo.load(stdout=out)
    demo.load(stdout=out)  # idempotent
    assert Applicant.objects.get(name="TCL集团股份有限公司").organization is None
    assert not services.holder_check(org=haier, patent=tcl, on=TODAY).ok
    sdu = users["sdu"].organization
    assert Applicant.objects.get(name="山东大学").organization == sdu
    for org in (haier, sdu, users["qilu_ent"].organization, users["laiwu_ent"].organization):
        claims = ApplicantClaim.objects.filter(organization=org, state="verified")
        assert [c.name for c in claims] == [org.name]
        assert "演示数据" in claims[0].decision_note
    assert "山东大学（著录0件）" in out.getvalue()


def test_demo_account_moves_to_a_real_applicant_of_its_city_with_patents_in_force(users):
    import datetime as dt

    from ipplatform.patents.models import Patent, PatentApplicant

    def applicant_with_patents(name, region, city, count, prefix):
        a = Applicant.objects.create(name=name, region_code=region, entity_type="enterprise")
        for i in range(count):
            p = Patent.objects.create(
                id=f"{prefix}{i:02d}",
                patent_type="utility",
                title=f"一种高压开关柜{i}",
                application_date=dt.date(2020, 3, 1),
                publication_date=dt.date(2020, 10, 1),
                source="manual",
                region_code=region,
                city_code=city,
            )
            PatentApplicant.objects.create(patent=p, applicant=a, order=1)
        return a

    # more patents in 泰安, but qilu_ent is a 济南 account: it stays in its own city
    applicant_with_patents("山东泰开高压开关有限公司", "370902", "370900", 12, "20172000000")
    applicant_with_patents("济南二机床集团有限公司", "370112", "370100", 10, "20172000001")
    out = io.StringIO()
    demo.load(stdout=out)
    qilu = users["qilu_ent"].__class__.objects.get(username="qilu_ent")
    assert qilu.organization.name == "济南二机床集团有限公司" and qilu.organization.region_code == "370112"
    assert qilu.real_name == "济南二机床集团有限公司（演示账号）"  # not the name of the body it represented before
    # loading the demo again (create_accounts resets the account first) moves it to the same body
    from ipplatform.core import demo as core_demo

    core_demo.create_accounts(core_demo.existing_organizations())
    demo.load(stdout=io.StringIO())
    assert users["qilu_ent"].__class__.objects.get(username="qilu_ent").organization.name == "济南二机床集团有限公司"
    assert "演示账号qilu_ent代表真实申请人“济南二机床集团有限公司”（本单位名称下有效专利10件）" in out.getvalue()
    assert len(services.portfolio_ids(qilu.organization)) == 10
    assert ApplicantClaim.objects.get(organization=qilu.organization).state == "verified"


def test_demo_tidying_revokes_stray_claims_through_the_workflow(users, pdf):
    from ipplatform.core.workflow import history

    haier = users["haier"].organization
    load_applicant_records("TCL集团股份有限公司", limit=1)
    stray = services.submit_claim(
        org=haier, name="TCL集团股份有限公司", kind="current", by=users["haier"], files=[("licence", pdf())]
    )
    demo.load(stdout=io.StringIO())
    stray = ApplicantClaim.objects.get(pk=stray.pk)  # the state field is protected: read afresh, not refreshed
    assert stray.state == "revoked"
    assert [(t.source, t.target) for t in history(stray)] == [("submitted", "revoked")]
