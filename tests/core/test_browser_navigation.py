"""In Chromium: every menu entry each demo role sees opens (no 403/404/500); the workbench, cockpit, grouped menu and
error pages as screenshots; public pages at a phone's 390×844 viewport never run off the right edge."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

SHOTS = Path("/tmp/shots/h25a")
ROLES = (
    "admin",
    "leader",
    "fawu",
    "guihua",
    "xinxi",
    "bangongshi",
    "city370200",
    "huangdao",
    "haier",
    "sdu",
    "agency",
    "bank",
    "expert",
    "public",
)
PUBLIC_PAGES = (
    "portal:index",
    "protection:intake_public",
    "protection:track",
    "search:search",
    "market:showcase",
    "market:open_list",
    "publicity:public_list",
    "publicity:events",
    "training:verify",
    "finance:public_notice",
)


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.mark.browser
def test_every_menu_entry_opens_for_every_role(live_server, transactional_db, users, browser, login):
    opened = 0
    for username in ROLES:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30000)
        login(page, live_server, username)
        page.goto(f"{live_server.url}/")  # city and county bureaus land on their city's statistics; the workbench is /
        assert page.locator("h1").first.inner_text().startswith(("工作台", "领导驾驶舱"))
        links = page.locator("nav.sidebar a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert len(links) > 1, username
        for href in links:
            status = page.request.get(f"{live_server.url}{href}", max_redirects=5).status
            assert status not in (403, 404, 500), f"{username} {href}: {status}"
            opened += 1
        if username in ("admin", "leader", "fawu", "city370200", "haier", "bank", "expert", "public"):
            _shot(page, f"workbench_{username}")
        context.close()
    assert opened > 200


@pytest.mark.browser
def test_grouped_menu_breadcrumbs_and_error_pages(live_server, transactional_db, users, page, login):
    login(page, live_server, "admin")
    groups = page.locator("nav.sidebar details.nav-sec summary").all_inner_texts()
    assert [g.split()[0] for g in groups][:3] == ["信息服务", "展示交易", "维权援助"]
    page.goto(f"{live_server.url}{reverse('finance:pledges')}")
    assert page.locator("nav.sidebar a.active").inner_text() == "专利权质押登记"
    assert page.locator("details[data-nav-group=funding]").get_attribute("open") is not None
    assert page.locator("details[data-nav-group=protection]").get_attribute("open") is None
    assert "项目与资金" in page.locator("nav.breadcrumbs").inner_text()
    page.locator("details[data-nav-group=protection] summary").click()
    assert page.locator("details[data-nav-group=protection] a").first.is_visible()
    _shot(page, "menu_grouped_admin")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(f"{live_server.url}{icon}").status == 200
    assert page.request.get(f"{live_server.url}/favicon.ico").status == 200
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    text = page.locator("main").inner_text()
    assert "页面或记录不存在" in text and "Resolver404" not in text and "返回工作台" in text
    _shot(page, "error_404")
    page.emulate_media(media="print")
    assert not page.locator("nav.sidebar").is_visible()
    page.emulate_media(media="screen")


@pytest.mark.browser
def test_public_pages_fit_a_phone(live_server, transactional_db, users, browser):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    widths = {}
    for name in PUBLIC_PAGES:
        page.goto(f"{live_server.url}{reverse(name)}")
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
        _shot(page, f"phone_{name.replace(':', '_')}")
    assert all(w <= 390 for w in widths.values()), widths
    page.goto(f"{live_server.url}{reverse('protection:intake_public')}")
    assert not page.locator("nav.sidebar").is_visible()
    page.locator("[data-nav-toggle]").click()
    assert page.locator("nav.sidebar").is_visible()
    _shot(page, "phone_menu_open")
    context.close()
