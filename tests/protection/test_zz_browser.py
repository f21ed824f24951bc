"""The public files a complaint without logging in; the routed city officer handles it to a decision."""
import pytest

from ipplatform.protection.models import Case


@pytest.mark.browser
def test_public_complaint_to_decision(transactional_db, live_server, page, login, screenshot, users, panel):
    page.goto(f"{live_server.url}/protection/intake/")
    page.select_option("#kind", "complaint")
    page.fill("#subject", "黄岛区门店销售仿冒我公司专利的扫地机器人")
    page.fill("#description", "2026年2月在青岛市黄岛区某商场发现被控侵权产品，落入我公司发明专利权利要求1的保护范围。")
    page.fill("#patent_no", "ZL201510123456.7")
    page.fill("#respondent_name", "青岛某智能家居有限公司")
    page.fill("#respondent_address", "山东省青岛市黄岛区长江中路88号")
    page.fill("#requester_name", "济南某科技有限公司")
    page.fill("#requester_phone", "0531-66668888")
    screenshot(page, "protection-01-public-form")
    page.click("button[type=submit]")
    tracking_no = page.inner_text("#tracking-no")
    code = page.inner_text("#tracking-code")
    assert "青岛市知识产权局" in page.content()
    screenshot(page, "protection-02-public-receipt")

    login(page, live_server, "city370200")
    page.goto(f"{live_server.url}/protection/intakes/")
    page.click(f"text={tracking_no}")
    page.select_option("#case_type", "infringement")
    page.fill("#convert_reason", "请求材料齐全")
    page.click("text=转为案件")
    assert "已立为案件" in page.content()
    for name, reason in [("accept", "符合受理条件，予以受理"), ("serve_respondent", "已直接送达请求书副本"),
                         ("begin_investigation", "被请求人已提交答辩书"), ("written_review", "事实清楚，书面审理")]:
        page.select_option("#transition", name)
        page.fill("#reason", reason)
        page.click("#transition-form button[type=submit]")
        assert "已办理" in page.content(), name
    page.select_option("#transition", "decide")
    page.select_option("#outcome", "stop_infringement")
    page.select_option("#panel", [str(pk) for pk in panel])
    page.fill("#reason", "被控产品落入涉案专利保护范围，责令停止侵权")
    page.click("#transition-form button[type=submit]")
    assert page.inner_text("#case-state") == "已作出决定"
    assert "责令停止侵权" in page.inner_text("#case-outcome")
    assert page.locator("#history tr").count() == 1 + 5
    with page.expect_download() as download:
        page.click("text=处理决定书（Word）")
    assert download.value.suggested_filename.endswith("处理决定书.docx")
    screenshot(page, "protection-03-case-decided")

    case = Case.objects.get()
    assert (case.state, case.handling_org.name, case.handler.username) == ("decided", "青岛市知识产权局", "city370200")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/protection/track/")
    page.fill("#tracking_no", tracking_no)
    page.fill("#code", code)
    page.click("button[type=submit]")
    assert "已作出决定" in page.content() and "city370200" not in page.content()
    screenshot(page, "protection-04-public-progress")
