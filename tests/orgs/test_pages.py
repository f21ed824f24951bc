"""Registry pages: who may open what, self-registration by form, claims with evidence, portfolio and exports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipplatform.lib.uscc import check_character
from ipplatform.orgs.models import ApplicantClaim

FIRST17 = "91370102MA3C5X8Y9"


def test_self_registration_form_and_uscc_check(client, users):
    code = FIRST17 + check_character(FIRST17)
    r = client.get("/orgs/register/check/", {"uscc": code[:17] + ("0" if code[17] != "0" else "1")})
    assert "校验位错误" in r.content.decode()
    assert "历下区（370102）" in client.get("/orgs/register/check/", {"uscc": code}).content.decode()
    bad = client.post(
        "/orgs/register/",
        {
            "kind": "enterprise",
            "name": "济南示例新材料有限公司",
            "uscc": code[:17] + "I",
            "username": "shili01",
            "password": "Xk#29vLq!m",
            "real_name": "钱",
        },
    )
    assert bad.status_code == 400 and "不在GB 32100允许的字符集中" in bad.content.decode()
    ok = client.post(
        "/orgs/register/",
        {
            "kind": "enterprise",
            "name": "济南示例新材料有限公司",
            "uscc": code,
            "username": "shili01",
            "password": "Xk#29vLq!m",
            "real_name": "钱",
        },
    )
    assert ok.status_code == 302
    page = client.get(ok["Location"]).content.decode()
    assert "待市局核验" in page and "认领申请人名称" in page


@pytest.mark.parametrize(
    "username, status",
    [
        ("admin", 200),
        ("xietiao", 200),
        ("city370100", 200),
        ("city370200", 403),
        ("qilu_ent", 200),
        ("haier", 403),
        ("bank", 403),
        ("public", 403),
    ],
)
def test_org_detail_is_scoped(client, users, username, status):
    client.force_login(users[username])
    assert client.get(f"/orgs/{users['qilu_ent'].organization_id}/").status_code == status


@pytest.mark.parametrize("url", ["/orgs/", "/orgs/claims/", "/orgs/?export=xlsx"])
def test_staff_pages_refuse_enterprises(client, users, url):
    client.force_login(users["haier"])
    assert client.get(url).status_code == 403
    client.force_login(users["city370100"])
    assert client.get(url).status_code == 200


def test_claim_by_form_then_verified_by_city_and_portfolio_export(client, users, settings, tmp_path):
    from ipplatform.patents.models import Applicant, Patent, PatentApplicant

    org = users["qilu_ent"].organization
    p = Patent.objects.create(
        id="2021215000001",
        application_number="2021215000001",
        patent_type="utility",
        title="直角坐标式焊接机器人",
        application_date=dt.date(2021, 7, 15),
        publication_date=dt.date(2022, 1, 4),
        source="manual",
    )
    PatentApplicant.objects.create(patent=p, applicant=Applicant.objects.create(name=org.name), order=1)
    client.force_login(users["qilu_ent"])
    r = client.post(
        f"/orgs/{org.pk}/claims/new/",
        {
            "name": org.name,
            "kind": "current",
            "evidence_kind_1": "licence",
            "evidence_1": SimpleUploadedFile("执照.pdf", b"%PDF-1.4 x"),
        },
    )
    claim = ApplicantClaim.objects.get(organization=org)
    assert r.status_code == 302 and claim.state == "submitted"
    assert "尚无经核验的认领" in client.get(f"/orgs/{org.pk}/portfolio/").content.decode()
    client.force_login(users["city370100"])
    assert client.get(f"/orgs/evidence/{claim.evidence.get().pk}/").status_code == 200
    client.post(f"/orgs/claims/{claim.pk}/decide/", {"action": "verify"})
    claim = ApplicantClaim.objects.get(pk=claim.pk)
    assert claim.state == "verified"
    client.force_login(users["qilu_ent"])
    page = client.get(f"/orgs/{org.pk}/portfolio/").content.decode()
    assert "直角坐标式焊接机器人" in page and "2031-07-15" in page  # utility model: 10 years from filing
    xlsx = client.get(f"/orgs/{org.pk}/portfolio/?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(users["haier"])
    assert client.get(f"/orgs/{org.pk}/portfolio/").status_code == 403
    assert client.get(f"/orgs/evidence/{claim.evidence.get().pk}/").status_code == 403


@pytest.mark.parametrize(
    "username, status",
    [("qilu_ent", 200), ("agency", 200), ("city370100", 200), ("admin", 200), ("bank", 403), ("public", 403)],
)
def test_fee_and_custody_pages(client, users, username, status):
    client.force_login(users[username])
    assert client.get("/orgs/fees/").status_code == status
    assert client.get("/orgs/custody/").status_code == (
        200 if username in ("qilu_ent", "agency", "city370100", "admin") else 403
    )
    assert client.get("/orgs/custody/new/").status_code == (200 if username == "agency" else 403)


def test_import_page_for_the_office_only(client, users):
    client.force_login(users["city370100"])
    assert client.get("/orgs/import/").status_code == 403
    client.force_login(users["admin"])
    assert client.get("/orgs/import/?template=1")["Content-Type"].startswith("application/vnd.openxmlformats")
    r = client.post("/orgs/import/", {"file": SimpleUploadedFile("x.xlsx", b"nope")})
    assert r.status_code == 400 and "无法读取" in r.content.decode()
