"""The public files a complaint without logging in; the routed city officer handles it to a decision."""

import hashlib

import pytest

from ipplatform.protection.models import Case

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(120))
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


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
    page.set_input_files(
        "#attachments",
        [
            {"name": "门店商品照片.png", "mimeType": "image/png", "buffer": PNG},
            {"name": "购买发票.pdf", "mimeType": "application/pdf", "buffer": PDF},
        ],
    )
    screenshot(page, "protection-01-public-form")
    page.click("button[type=submit]")
    tracking_no = page.inner_text("#tracking-no")
    code = page.inner_text("#tracking-code")
    assert "青岛市知识产权局" in page.content()
    screenshot(page, "protection-02-public-receipt")

    login(page, live_server, "city370200")
    page.goto(f"{live_server.url}/protection/intakes/")
    page.click(f"text={tracking_no}")
    files = page.inner_text("table.data")  # the requester's files, with digests, for the handling officer
    assert "门店商品照片.png" in files and "购买发票.pdf" in files and hashlib.sha256(PNG).hexdigest()[:17] in files
    screenshot(page, "protection-02b-intake-with-attachments")
    page.select_option("#case_type", "infringement")
    page.fill("#convert_reason", "请求材料齐全")
    page.click("text=转为案件")
    assert "已立为案件" in page.content()
    page.click("#tablink-evidence")
    assert "门店商品照片.png" in page.inner_text("#panel-evidence")
    page.click("#tablink-handle")
    assert "受理" in page.locator("#transition-actions summary").all_inner_texts()
    for name, reason in [
        ("accept", "符合受理条件，予以受理"),
        ("serve_respondent", "已直接送达请求书副本"),
        ("begin_investigation", "被请求人已提交答辩书"),
        ("written_review", "事实清楚，书面审理"),
    ]:
        page.click(f"#act-{name} summary")  # opens the action with its reason field; submitting confirms it
        page.fill(f"#reason-{name}", reason)
        page.click(f"#act-{name} button[type=submit]")
        assert "已办理" in page.content(), name
        assert page.locator(f"#act-{name}").count() == 0  # the step is no longer offered
    page.click("#act-decide summary")
    page.select_option("#outcome", "stop_infringement")
    page.select_option("#panel", [str(pk) for pk in panel])
    page.fill("#reason-decide", "被控产品落入涉案专利保护范围，责令停止侵权")
    screenshot(page, "protection-02c-case-handle-tab")
    page.click("#act-decide button[type=submit]")
    assert page.inner_text("#case-state") == "已作出决定"
    assert "责令停止侵权" in page.inner_text("#case-outcome")
    assert page.locator("#history tr").count() == 1 + 5
    page.click("#tablink-documents")
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
