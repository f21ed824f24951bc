"""In Chromium: an enterprise registers itself and claims its applicant name with its licence, the city bureau verifies
the registration and the claim, the portfolio fills from the records; an agency takes the enterprise's patents into
custody and the enterprise confirms (screenshots under var/screenshots/)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ipplatform.lib.uscc import check_character

from .conftest import load_applicant_records

KANGLI = "山东康力医疗器械科技有限公司"  # a real Shandong applicant of the CNKI listings


@pytest.mark.browser
def test_register_claim_verify_and_custody(
    transactional_db, live_server, page, login, screenshot, users, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "files"
    patents = load_applicant_records(KANGLI, kinds=("U", "S", "B"), limit=12)
    assert len(patents) == 12
    first17 = "91370100MA3C5K8L0"  # a test code (valid check character), not the company's
    code = first17 + check_character(first17)

    # 1. the enterprise registers itself; the USCC check proposes the region while typing
    page.goto(f"{live_server.url}/orgs/register/")
    page.select_option("#id_kind", "enterprise")
    page.fill("#id_name", KANGLI)
    page.fill("#id_uscc", code)
    page.wait_for_selector("#uscc-check:has-text('校验位正确')")
    assert "济南市（370100）" in page.inner_text("#uscc-check")
    page.select_option("#id_size_class", "small")
    page.select_option("#id_industry_code", "35")
    page.fill("#id_contact_person", "吕经理")
    page.fill("#id_real_name", "吕作文")
    page.fill("#id_username", "kangli")
    page.fill("#id_password", "Kl#2017medical")
    screenshot(page, "orgs_register_form")
    page.click("button:has-text('提交注册')")
    page.wait_for_selector("text=待市局核验")

    # 2. it claims its applicant name with the business licence
    page.fill("#id_claim_name", KANGLI)
    pdf = tmp_path / "营业执照.pdf"
    pdf.write_bytes(b"%PDF-1.4 licence scan")
    page.set_input_files("#id_evidence_1", str(pdf))
    page.click("button:has-text('提交认领')")
    page.wait_for_selector("text=已提交认领")
    assert "著录记录" in page.content() and "12 件" in page.inner_text("body")
    screenshot(page, "orgs_claim_submitted")

    # 3. the city bureau verifies the registration, then the claim
    page.click("button:has-text('退出')")
    login(page, live_server, "city370100")
    page.goto(f"{live_server.url}/orgs/claims/")
    assert KANGLI in page.inner_text("table.data")
    screenshot(page, "orgs_claims_queue")
    page.click(f"table.data a:has-text('{KANGLI}') >> nth=1")
    assert "注册尚未核验" in page.inner_text(".error-box")
    page.click(f"a:has-text('{KANGLI}') >> nth=0")
    page.fill("input[name=reason]", "与营业执照核对一致")
    page.click("button:has-text('核验通过')")
    page.wait_for_selector("text=注册：已核验")
    page.click(f"table.data a:has-text('{KANGLI}')")
    page.click("button:has-text('核验通过')")
    page.wait_for_selector("text=认领“山东康力医疗器械科技有限公司”：已核验")
    screenshot(page, "orgs_claim_verified")

    # 4. the portfolio now holds the records filed under that name
    page.click("button:has-text('退出')")
    login(page, live_server, "kangli", "Kl#2017medical")
    page.goto(f"{live_server.url}/orgs/mine/")
    page.click("a:has-text('专利组合')")
    assert "共12件" in page.inner_text("body") and patents[0].title in page.inner_text("table.data >> nth=1")
    screenshot(page, "orgs_portfolio")

    # 5. an agency takes the small enterprise's portfolio into custody; the enterprise confirms
    page.click("button:has-text('退出')")
    login(page, live_server, "agency")
    page.goto(f"{live_server.url}/orgs/custody/new/")
    page.select_option("#id_enterprise", label=f"{KANGLI}（小型）")
    page.fill("#id_contract_no", "TG-2026-0001")
    today = timezone.localdate()
    page.fill("#id_start", today.isoformat())
    page.fill("#id_end", today.replace(year=today.year + 2).isoformat())
    page.check("input[value=fees]")
    page.check("input[value=status]")
    page.fill("#id_fee", "3000")
    screenshot(page, "orgs_custody_form")
    page.click("button:has-text('提交，待企业确认')")
    page.wait_for_selector("text=待企业确认")
    page.click("button:has-text('退出')")
    login(page, live_server, "kangli", "Kl#2017medical")
    page.goto(f"{live_server.url}/orgs/custody/")
    page.click("a:has-text('TG-2026-0001')")
    page.click("button:has-text('确认托管')")
    page.wait_for_selector("text=托管中")
    screenshot(page, "orgs_custody_detail")
    page.click("button:has-text('退出')")
    login(page, live_server, "city370100")
    page.goto(f"{live_server.url}/orgs/custody/")
    assert "济南市" in page.inner_text(".cards") and users["agency"].organization.name in page.inner_text(".cards")
    screenshot(page, "orgs_custody_stats")
