import pytest


@pytest.mark.browser
def test_login_and_home_in_browser(live_server, transactional_db, users, page, login, screenshot):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.fill("#id_username", "admin")
    page.fill("#id_password", "wrong-Password1")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.locator(".errorlist").inner_text()
    login(page, live_server, "admin")
    assert page.locator("h1").inner_text().startswith("工作台")
    assert page.locator("main .cards >> text=审计日志").first.is_visible()
    path = screenshot(page, "core_home_admin")
    assert path.stat().st_size > 10_000
    page.goto(f"{live_server.url}/audit/")
    assert page.locator("table.data tr").count() > 1
    screenshot(page, "core_audit")
    page.goto(f"{live_server.url}/admin/core/organization/add/")
    page.fill("#id_name", "测试企业有限公司")
    page.select_option("#id_kind", "enterprise")
    page.fill("#id_uscc", "914403001922038217")
    page.click("input[name=_save]")
    assert "校验位错误" in page.locator(".errorlist").first.inner_text()
    screenshot(page, "core_admin_uscc_error")
