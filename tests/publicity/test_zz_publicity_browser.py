"""In a browser: 办公室 writes a notice in the offline Markdown editor and sends it for review, the leader approves,
the public sees it on the portal and its 城市 sub-site shows the city's own news."""

import pytest

from ipplatform.publicity import services
from ipplatform.publicity.models import Article


@pytest.mark.browser
def test_editor_publishes_a_notice_and_city_site(
    transactional_db, live_server, settings, tmp_path, users, page, login, screenshot
):
    settings.MEDIA_ROOT = tmp_path / "files"
    login(page, live_server, "bangongshi")
    page.goto(f"{live_server.url}/publicity/articles/new/")
    page.select_option("#id_category", "notice")
    page.fill("#id_title", "关于组织学习专利法的通知")
    page.fill(
        "#id_body",
        "## 学习安排\n\n- 登录远程教育平台学习《专利法基础》\n- **月底前**完成测验\n\n<script>alert(1)</script>",
    )
    page.set_input_files(
        "#id_attachments", files=[{"name": "学习安排.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 demo"}]
    )
    screenshot(page, "publicity_editor")
    page.click("text=保存草稿并预览")
    page.wait_for_selector("#article-state")
    assert page.inner_text("#article-state") == "草稿"
    assert page.locator("article h2").inner_text() == "学习安排" and page.locator("article script").count() == 0
    page.click("button[value=submit]")
    assert page.inner_text("#article-state") == "待审核"

    page.context.clear_cookies()
    login(page, live_server, "leader")
    page.goto(f"{live_server.url}/publicity/")
    page.click("text=关于组织学习专利法的通知")
    page.click("#approve")
    assert page.inner_text("#article-state") == "已发布"
    screenshot(page, "publicity_published")

    # A county bureau's news for 青岛, approved by the 青岛 city bureau, for the city sub-site.
    a = services.save_article(
        user=users["huangdao"],
        article=None,
        data={"category": "news", "title": "黄岛区开展专利法宣传", "body": "宣传活动。"},
    )
    services.transition(user=users["huangdao"], article=a, action="submit")
    services.transition(user=users["city370200"], article=a, action="approve")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/portal/")
    assert "关于组织学习专利法的通知" in page.inner_text("#notices")
    screenshot(page, "portal_front")
    page.click("text=青岛市")
    page.wait_for_selector("#city-news")
    assert "黄岛区开展专利法宣传" in page.inner_text(
        "#city-news"
    ) and "关于组织学习专利法的通知" not in page.inner_text("#city-news")
    screenshot(page, "portal_city_qingdao")
    page.goto(f"{live_server.url}/news/")
    page.click("text=关于组织学习专利法的通知")
    assert "学习安排.pdf" in page.inner_text("main")
    assert Article.objects.get(title="关于组织学习专利法的通知").attachments.count() == 1
