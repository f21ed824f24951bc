"""A census round in the browser: 青岛's bureau sends it, 海尔 fills it online, the bureau sees completion; then the credit page."""

import datetime as dt

import pytest
from django.utils import timezone

from ipplatform.census.models import CensusResponse


@pytest.mark.browser
def test_census_round_and_credit_page(transactional_db, live_server, page, login, screenshot, users, orgs):
    login(page, live_server, "city370200")
    page.goto(f"{live_server.url}/census/rounds/new/")
    page.fill("input[name=title]", "青岛市2026年企业知识产权状况普查")
    page.fill("input[name=deadline]", (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.check(f"input[name=org][value='{orgs['haier'].pk}']")
    screenshot(page, "census-01-send")
    page.click("button[name=send][value='1']")
    assert "已发出" in page.content() and page.inner_text("#round-state") == "填报中"
    assert "0.0%" in page.inner_text("#completion")

    page.context.clear_cookies()
    login(page, live_server, "haier")
    page.goto(f"{live_server.url}/census/")
    page.click("#my-census a.btn")
    page.select_option("#q-industry", "C 制造业")
    page.select_option("#q-size", "大型")
    page.fill("#q-employees", "1200")
    page.fill("#q-rd_staff", "1500")  # more researchers than staff: refused in place
    for code, value in [
        ("revenue", "52000"),
        ("rd_spend", "2100"),
        ("inv_apps", "85"),
        ("inv_grants", "40"),
        ("valid_inv", "620"),
        ("pct_apps", "12"),
        ("trademarks", "90"),
        ("ip_staff", "8"),
        ("licence_income", "150"),
    ]:
        page.fill(f"#q-{code}", value)
    for code, value in [("ip_dept", "是"), ("gbt29490", "是"), ("pledged", "否"), ("infringed", "是")]:
        page.check(f"input[name={code}][value='{value}']")
    page.check("input[name=measures][value='行政投诉']")
    page.check("input[name=needs][value='维权援助']")
    page.click("#submit-census")
    assert "“研发人员数”（1500）不能大于“从业人员数”（1200）" in page.content()
    screenshot(page, "census-02-enterprise-error")
    page.fill("#q-rd_staff", "300")
    page.click("#submit-census")
    assert page.inner_text("#response-state") == "已提交"
    screenshot(page, "census-03-enterprise-submitted")
    resp = CensusResponse.objects.get(organization=orgs["haier"])
    assert resp.answers["rd_staff"] == 300 and resp.source == "online"

    page.context.clear_cookies()
    login(page, live_server, "city370200")
    page.goto(f"{live_server.url}/census/rounds/{resp.round_id}/")
    assert "100.0%" in page.inner_text("#completion") and "已提交" in page.inner_text("#responses")
    screenshot(page, "census-04-city-completion")
    page.click("text=汇总结果")
    page.click("text=按企业规模")
    assert "大型" in page.content()
    screenshot(page, "census-05-results")

    # credit: the bureau records a (demo) event for 海尔 and sees the score and its reasons
    page.goto(f"{live_server.url}/credit/orgs/{orgs['haier'].pk}/")
    page.select_option("select[name=kind]", "certification")
    page.fill("input[name=occurred_on]", "2025-11-01")
    page.fill("input[name=description]", "演示数据：通过GB/T 29490知识产权合规管理体系认证")
    page.check("input[name=is_demo]")
    page.click("text=登记并重新计分")
    assert page.inner_text("#credit-score") == "95.00"
    assert "演示数据" in page.inner_text("#reasons") and page.inner_text("#list-status") == "未列入"
    screenshot(page, "credit-01-org")
